package bot

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// TestPlainText: a bounce pasted in Slack reads as it was pasted.
func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"&lt;<mailto:ops@example.net|ops@example.net>&gt;: host mx.example.net[192.0.2.1] said: 550 5.1.1 &lt;<mailto:ops@example.net|ops@example.net>&gt;: Recipient address rejected",
			"<ops@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 <ops@example.net>: Recipient address rejected"},
		{"Learn more at <https://support.google.com/mail/?p=NoSuchUser> - gsmtp", "Learn more at https://support.google.com/mail/?p=NoSuchUser - gsmtp"},
		{"see <http://example.com/x|example.com/x>", "see example.com/x"},
		{"<@U123> what does 550 mean &amp; why", "<@U123> what does 550 mean & why"},
		{"<#C1|ops> <!here> 421", "<#C1|ops> <!here> 421"},
		{"a &lt; b and c &gt; d", "a < b and c > d"},
		{"no markup 550 5.1.1", "no markup 550 5.1.1"},
		{"unclosed <https://example.com", "unclosed <https://example.com"},
		{"a < b <mailto:x@example.com|x@example.com>", "a < b x@example.com"},
		{"x > y", "x > y"},
		{"```Final-Recipient: rfc822; ops@example.net\nStatus: 5.1.1```", "\nFinal-Recipient: rfc822; ops@example.net\nStatus: 5.1.1\n"},
		{"getting `550 5.4.1 Access denied` from o365", "getting `550 5.4.1 Access denied` from o365"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// FuzzPlainText: any text comes back no longer than it went in, and a text
// with no markup or entity unchanged.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"&lt;<mailto:a@b.c|a@b.c>&gt;", "<https://x>", "<@U1> hi", "<<>>", "&amp;lt;", "<|>", "<a|b|c>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := plainText(s)
		if len(out) > len(s) {
			t.Fatalf("plainText(%q) = %q grew", s, out)
		}
		if !strings.ContainsAny(s, "<&`") && out != s {
			t.Fatalf("plainText(%q) = %q changed a text with no markup", s, out)
		}
	})
}

// BenchmarkPlainText: a 40 KB message (Slack's longest) of escaped bounce
// lines, against 40 KB of '<' closed once, which a search from each '<'
// would make quadratic: the two cost the same per byte.
func BenchmarkPlainText(b *testing.B) {
	line := "&lt;<mailto:ops@example.net|ops@example.net>&gt;: host mx.example.net[192.0.2.1] said: 550 5.1.1 Recipient address rejected\n"
	for _, tt := range []struct{ name, text string }{
		{"bounce", strings.Repeat(line, 40000/len(line))},
		{"hostile", strings.Repeat("<", 40000) + ">"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.text)))
			for b.Loop() {
				plainText(tt.text)
			}
		})
	}
}

// TestWithAttachments: what a message forwards or attaches follows its own
// text; an attachment with no text gives its fallback, and a message with no
// text of its own is the forwarded text alone.
func TestWithAttachments(t *testing.T) {
	tests := []struct {
		text string
		atts []slack.Attachment
		want string
	}{
		{"look at this", []slack.Attachment{{IsShare: true, Text: "550 5.1.1 User unknown"}}, "look at this\n\n550 5.1.1 User unknown"},
		{"", []slack.Attachment{{Fallback: "421 4.7.0 Try again later"}}, "421 4.7.0 Try again later"},
		{"no attachment", nil, "no attachment"},
		{"x", []slack.Attachment{{Text: "  "}}, "x"},
	}
	for _, tt := range tests {
		if got := withAttachments(tt.text, tt.atts); got != tt.want {
			t.Errorf("withAttachments(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
