// Package catalog knows SMTP reply codes (RFC 5321 and its extensions) and
// enhanced status codes (RFC 3463 and the IANA registry): how to parse them,
// the language-neutral facts about each, and which provider gave a code its
// own meaning. Explain decides everything an answer about a code says (an
// Explanation) without any words. Reading codes out of a pasted bounce is
// package catalog/extract's job.
//
// It knows nothing of Slack and nothing of languages beyond the keys under
// which package locales keeps the texts.
package catalog
