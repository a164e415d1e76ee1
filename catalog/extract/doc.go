// Package extract reads a pasted bounce, whole NDR or DSN (MIME,
// quoted-printable and base64 decoded), SMTP transcript or mail log line and
// finds the SMTP reply codes and enhanced status codes in it, each with the
// server's own words, its role in the text and how sure it is that the text
// is a bounce at all.
//
// It knows the shapes of codes from package catalog and nothing of what they
// mean, of Slack or of languages.
package extract
