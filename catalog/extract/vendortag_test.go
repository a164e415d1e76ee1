package extract

import "testing"

// TestBarracudaTag checks that Barracuda's cuda_nsu tag, written between the
// reply code and the enhanced code, is not read as a code and does not part
// the two codes.
func TestBarracudaTag(t *testing.T) {
	tests := []struct {
		text string
		want string // the first finding's codes
	}{
		{"550 cuda_nsu 5.1.1 <email@example.com> Recipient address rejected: User unknown", "550 5.1.1"},
		{"host d123.ess.barracudanetworks.com[192.0.2.7] said: 550 cuda_nsu 5.1.1 <a@example.com>: Recipient address rejected: User unknown in local recipient table", "550 5.1.1"},
		{"550 CUDA_NSU 5.1.1 <a@example.com> User unknown", "550 5.1.1"},
	}
	for _, tt := range tests {
		x := Extract(tt.text)
		if len(x.Findings) == 0 {
			t.Errorf("%q: no finding", tt.text)
			continue
		}
		if got := x.Findings[0].Code.String(); got != tt.want {
			t.Errorf("%q: first finding %s, want %s", tt.text, got, tt.want)
		}
		for _, f := range x.Findings[1:] {
			t.Errorf("%q: extra finding %s", tt.text, f.Code)
		}
	}
	if got := skipVendorTag("cuda_ 5.1.1", 0); got != 0 {
		t.Errorf("a bare cuda_ was skipped to %d", got)
	}
}
