package handlers

import (
	"context"
	"strings"
	"testing"
)

func TestFormatSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{900, "900 B"},
		{1 << 10, "1 KB"},
		{300 << 10, "300 KB"},
		{1 << 20, "1 MB"},
		{2 << 20, "2 MB"},
		{3<<20 + 1<<19, "3584 KB"}, // 3.5 MB: no decimals to localize
		{50 << 20, "50 MB"},
		{50*1000*1000 + 7, "48 MB"},
	} {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
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
