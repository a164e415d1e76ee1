package handlers

import (
	"context"
	"strings"
	"testing"
)

// TestFormatSize: one unit per size, MB with one decimal from 1 MB up,
// rounded down or up as asked.
func TestFormatSize(t *testing.T) {
	const kb, mb = 1 << 10, 1 << 20
	for _, tt := range []struct {
		n        int64
		down, up string
	}{
		{0, "0 B", "0 B"},
		{900, "900 B", "900 B"},
		{kb, "1 KB", "1 KB"},
		{kb + 1, "1 KB", "2 KB"},
		{300 * kb, "300 KB", "300 KB"},
		{mb - 1, "1023 KB", "1 MB"},
		{mb, "1 MB", "1 MB"},
		{mb + 1, "1 MB", "1.1 MB"},
		{2 * mb, "2 MB", "2 MB"},
		{3*mb + mb/2, "3.5 MB", "3.5 MB"},
		{4*mb + 1, "4 MB", "4.1 MB"},    // never "4 MB of 4 MB"
		{5121 * kb, "5 MB", "5.1 MB"},   // was "5121 KB"
		{9684 * kb, "9.4 MB", "9.5 MB"}, // was "9684 KB"
		{10 * mb, "10 MB", "10 MB"},     // no "10.1" from a tenth of a MB that is not whole bytes
		{12*mb - 1, "11.9 MB", "12 MB"}, // TestExplainLongStdin's input
		{50*1000*1000 + 7, "47.6 MB", "47.7 MB"},
		{1028 * mb, "1028 MB", "1028 MB"},
	} {
		if got := formatSize(tt.n, ".", false); got != tt.down {
			t.Errorf("formatSize(%d) rounded down = %q, want %q", tt.n, got, tt.down)
		}
		if got := formatSize(tt.n, ".", true); got != tt.up {
			t.Errorf("formatSize(%d) rounded up = %q, want %q", tt.n, got, tt.up)
		}
	}
	if got := formatSize(9684*kb, ",", true); got != "9,5 MB" {
		t.Errorf("with a decimal comma: %q, want 9,5 MB", got)
	}
}

// TestCutNote checks the note in every language: it names both sizes.
func TestCutNote(t *testing.T) {
	e := engine(t)
	for _, lang := range e.Languages().Languages() {
		note := CutNote(lang, Cut{Read: 2 << 20, Total: 50 << 20})
		if !strings.Contains(note, "2 MB") || !strings.Contains(note, "50 MB") {
			t.Errorf("%s: note %q does not name both sizes", lang.Tag, note)
		}
		more := CutNote(lang, Cut{Read: 4 << 20, Total: 1028 << 20, AtLeast: true})
		if !strings.Contains(more, "1028 MB") || more == CutNote(lang, Cut{Read: 4 << 20, Total: 1028 << 20}) {
			t.Errorf("%s: note %q does not say the input went on", lang.Tag, more)
		}
		// One unit, the language's decimal separator.
		sep := map[string]string{"en": ".", "th": ".", "vi": ","}[lang.Tag]
		if sep == "" {
			t.Fatalf("no decimal separator known for %s", lang.Tag)
		}
		odd := CutNote(lang, Cut{Read: 4 << 20, Total: 9684 << 10})
		if !strings.Contains(odd, "4 MB") || !strings.Contains(odd, "9"+sep+"5 MB") || strings.Contains(odd, "KB") {
			t.Errorf("%s: note %q, want 4 MB and 9%s5 MB", lang.Tag, odd, sep)
		}
		if got := CutNote(lang, Cut{Read: 10, Total: 10}); got != "" {
			t.Errorf("%s: note %q for an input read whole", lang.Tag, got)
		}
	}
}

// TestCutReplies checks that a reply to a cut input says what was cut, in
// the reader's language, and that a silent request stays silent.
func TestCutReplies(t *testing.T) {
	rt, prefs := newRouter(t)
	prefs.saved["U2"] = "vi"
	cut := Cut{Read: 1 << 20, Total: 50 << 20}
	for _, tt := range []struct {
		name string
		req  Request
		want string // in the rendered replies; "" for none
	}{
		{"paste", Request{Source: SourceMessage, UserID: "U1", ChannelID: "C1", TS: "1.1", Text: gmailBounce, Cut: cut}, "I read the first 1 MB of 50 MB"},
		{"slash", Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: gmailBounce, ResponseURL: "https://hooks.example/1", Cut: cut}, "1 MB of 50 MB"},
		{"vietnamese", Request{Source: SourceSlash, UserID: "U2", ChannelID: "C1", Text: gmailBounce, ResponseURL: "https://hooks.example/1", Cut: cut}, "mình chỉ đọc 1 MB đầu tiên trong tổng số 50 MB"},
		{"whole", Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: gmailBounce, ResponseURL: "https://hooks.example/1"}, ""},
		{"chatter", Request{Source: SourceMessage, UserID: "U1", ChannelID: "C1", TS: "1.2", Text: "lunch at 12?", Cut: cut}, ""},
	} {
		rs := rt.Handle(context.Background(), tt.req)
		got := rendered(t, rs)
		switch {
		case tt.want == "" && strings.Contains(got, "50 MB"):
			t.Errorf("%s: a note where nothing was cut: %s", tt.name, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s: no %q in %s", tt.name, tt.want, got)
		}
		if tt.name == "chatter" && len(rs) != 0 {
			t.Errorf("chatter got %d replies", len(rs))
		}
	}
}
