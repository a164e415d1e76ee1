package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/internal/hostile"
)

// hostileLimit is a generous bound on one extraction of a hostile input of
// 10 MB, even under -race on a machine shared by many jobs: linear
// extraction takes tens of milliseconds, the quadratic scan this guards
// against took minutes. (5 s was seen to fail under -race at a load average
// of 20 on 2 cores.)
const hostileLimit = 15 * time.Second

// issueShapes are the inputs issue 11 measured as quadratic; they are
// checked at 10 MB, the other shapes at 2 MB.
var issueShapes = map[string]bool{
	"line-A": true, "line-AB": true, "line-AAAB": true, "dsn-zero-attachment": true, "base64-paste": true,
}

// TestExtractLinearShapes extracts every hostile shape, and a run of every
// byte, within hostileLimit, so that a scan that restarts at every byte of
// some kind cannot come back unnoticed.
func TestExtractLinearShapes(t *testing.T) {
	for _, s := range hostile.Shapes() {
		n := 2 << 20
		if issueShapes[s.Name] {
			n = 10 << 20
		}
		text := s.Make(n)
		start := time.Now()
		Extract(text)
		if d := time.Since(start); d > hostileLimit {
			t.Errorf("%s: %d bytes took %v (limit %v)", s.Name, len(text), d, hostileLimit)
		}
	}
	for _, b := range hostile.Bytes() {
		text := "550 5.1.1 " + strings.Repeat(b, (1<<20)/len(b)) + " 5.7.1 end\n"
		start := time.Now()
		Extract(text)
		if d := time.Since(start); d > hostileLimit/5 {
			t.Errorf("run of %q: %d bytes took %v (limit %v)", b, len(text), d, hostileLimit/5)
		}
	}
}

// TestExtractReturnedAttachment checks that a bounce returning a large
// attachment is still read for its own codes, and the attachment skipped.
func TestExtractReturnedAttachment(t *testing.T) {
	ex := Extract(hostile.ReturnedAttachment(10<<20, 0))
	if len(ex.Findings) == 0 || ex.Findings[0].Code.String() != "550 5.1.1" || ex.Findings[0].Role != RoleFailure {
		t.Fatalf("got %s, want a 550 5.1.1 failure first", describe(ex))
	}
}

// TestOpaque checks which lines are skipped as encoded data.
func TestOpaque(t *testing.T) {
	for _, tt := range []struct {
		line string
		want bool
	}{
		{strings.Repeat("A", 76), true},
		{"VGhpcyBpcyB0aGUgbWFpbCBzeXN0ZW0gYXQgaG9zdCBteC5leGFtcGxlLm5ldC4KCkknbSBzb3Jy", true},
		{strings.Repeat("ab", 40) + "==", true},
		{strings.Repeat("A", 59), false},                               // short: a token, maybe a word
		{"550 5.1.1 " + strings.Repeat("A", 70), false},                // blanks: a reply
		{"dsn=5.1.1,status=bounced," + strings.Repeat("x", 60), false}, // dots and commas
		{`{"status":"5.1.1"}` + strings.Repeat("x", 60), false},
	} {
		if got := opaque(tt.line); got != tt.want {
			t.Errorf("opaque(%.30q…) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// benchSizes double from 100 KB to 1.6 MB: linear time doubles with them.
var benchSizes = []int{100 << 10, 200 << 10, 400 << 10, 800 << 10, 1600 << 10}

// BenchmarkExtractHostile extracts the shapes issue 11 found quadratic, and
// ordinary bounces repeated to the same sizes, at doubling sizes.
func BenchmarkExtractHostile(b *testing.B) {
	shapes := map[string]func(int) string{}
	for _, s := range hostile.Shapes() {
		if issueShapes[s.Name] {
			shapes[s.Name] = s.Make
		}
	}
	shapes["ordinary"] = hostile.Ordinary
	for _, name := range []string{"line-A", "line-AB", "line-AAAB", "dsn-zero-attachment", "base64-paste", "ordinary"} {
		for _, n := range benchSizes {
			text := shapes[name](n)
			b.Run(fmt.Sprintf("%s/%dKB", name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					Extract(text)
				}
			})
		}
	}
}
