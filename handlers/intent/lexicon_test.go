package intent

import (
	"strings"
	"testing"
)

// TestCutThaiStops checks that Thai stop phrases are cut left to right,
// longest first at each place, so the order of phrases of one length in
// the data files does not decide what is left.
func TestCutThaiStops(t *testing.T) {
	tests := []struct{ in, want string }{
		{"สวัสดีครับ", ""},             // สวัสดี then ครับ, not สวัส left over
		{"หวัดดีครับ", ""},             // หวัดดี then ครับ
		{"กล่องเต็มครับ", "กล่องเต็ม"}, // the content stays
		{"รหัสไหนหมายถึงเมลบ็อกซ์เต็ม", "บ็อกซ์เต็ม"},
	}
	for _, tt := range tests {
		if got := strings.Join(strings.Fields(cutThaiStops(tt.in)), " "); got != tt.want {
			t.Errorf("cutThaiStops(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
