// Package intent reads what people type to the bot in chat, in English,
// Vietnamese and Thai, and says what they want: a code explained, two codes
// compared, a pasted bounce read, codes found by what they mean, or none of
// these. It is a small grammar over tokens, with its words in data files
// (data/<tag>.json) and the extractor's rules for telling a code from a
// number; no model, no network.
package intent
