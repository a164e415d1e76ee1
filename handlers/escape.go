package handlers

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// escaper neutralises Slack's control sequences in text that came from
// users or remote servers, so a pasted "<!channel>", "<!here>" or "<@U123>"
// shows as text and pings nobody (Slack's "Escaping text" rules: &, <, >).
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes untrusted text safe inside mrkdwn.
func escape(s string) string { return escaper.Replace(s) }

// emailAddress matches an address well enough to mask it; it errs towards
// masking, since a bounce quotes customers' addresses.
var emailAddress = regexp.MustCompile(`[A-Za-z0-9._%+\-=]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)

// maskAddresses hides the local part of every address but its first
// character: "jane.doe@example.com" becomes "j***@example.com".
func maskAddresses(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return emailAddress.ReplaceAllStringFunc(s, func(addr string) string {
		at := strings.LastIndexByte(addr, '@')
		_, n := utf8.DecodeRuneInString(addr)
		return addr[:n] + "***" + addr[at:]
	})
}

// truncate cuts s to at most max bytes on a rune boundary, marking the cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// truncateRunes cuts s to at most max characters, as Slack counts them for
// plain_text fields such as headers.
func truncateRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
