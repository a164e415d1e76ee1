package extract

import (
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"testing"
)

// stdlibQP decodes with mime/quotedprintable, the reference decodeQP
// follows. decodeQP is more lenient where the reference gives up (control
// bytes in the body), so only the reference's successes are compared.
func stdlibQP(s string) (string, error) {
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	return string(b), err
}

// trailingBlanks finds blanks at the end of a line, which
// mime/quotedprintable drops (RFC 2045 says an encoder never leaves them)
// and decodeQP keeps; inputs with them are not compared.
var trailingBlanks = regexp.MustCompile(`[ \t]+(\r?\n|$)`)

func TestDecodeQPAgreesWithStdlib(t *testing.T) {
	for _, s := range []string{
		"", "plain", "a=3Db", "=E3=81=82", "soft=\nbreak", "soft=\r\nbreak", "soft= \t\nbreak",
		"bad=ZZescape", "short=4", "end=", "550-5.=\n1.1 text", "lower=e9case", "=\n", "a\r\nb\n",
		"Delivery to the following recipient failed permanently:=0A=0A  bob@example.com",
	} {
		want, err := stdlibQP(s)
		if got := decodeQP(s); err != nil || got != want {
			t.Errorf("decodeQP(%q) = %q, mime/quotedprintable gives %q, %v", s, got, want, err)
		}
	}
}

// FuzzDecodeQP compares decodeQP with mime/quotedprintable.
func FuzzDecodeQP(f *testing.F) {
	for _, s := range []string{"a=3Db", "soft=\nbreak", "x=ZZ", "=E3=81=82=\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if trailingBlanks.MatchString(s) || strings.ContainsRune(s, '\r') {
			return
		}
		want, err := stdlibQP(s)
		if err != nil {
			return
		}
		if got := decodeQP(s); got != want {
			t.Fatalf("decodeQP(%q) = %q, mime/quotedprintable gives %q", s, got, want)
		}
	})
}

func TestDecodeBase64Tolerant(t *testing.T) {
	want := "550 5.1.1 User unknown"
	enc := base64.StdEncoding.EncodeToString([]byte(want))
	for _, s := range []string{
		enc,
		enc[:20] + "\r\n" + enc[20:], // wrapped
		strings.TrimRight(enc, "="),  // unpadded
		" " + enc[:10] + " \t" + enc[10:] + "\n\n", // blanks
	} {
		if got := decodeBase64(s); got != want {
			t.Errorf("decodeBase64(%q) = %q", s, got)
		}
	}
	if got := decodeBase64(enc[:len(enc)-5]); !strings.HasPrefix(want, got) || len(got) < 10 {
		t.Errorf("cut short: %q", got)
	}
}

func TestMediaType(t *testing.T) {
	for _, c := range []struct{ in, mt, boundary string }{
		{"", "text/plain", ""},
		{"text/plain; charset=us-ascii", "text/plain", ""},
		{`multipart/report; report-type=delivery-status; boundary="a;b=c"`, "multipart/report", "a;b=c"},
		{"Multipart/Mixed;\tBoundary=xyz; charset=utf-8", "multipart/mixed", "xyz"},
		{"multipart/alternative; boundary=\"unterminated", "multipart/alternative", "unterminated"},
		{"garbage", "text/plain", ""},
	} {
		mt, b := mediaType(c.in)
		if mt != c.mt || b != c.boundary {
			t.Errorf("mediaType(%q) = %q, %q; want %q, %q", c.in, mt, b, c.mt, c.boundary)
		}
	}
}

func TestStripHTML(t *testing.T) {
	got := stripHTML("<html><style>p{x:550px}</style><p>Remote Server returned &#39;550 5.1.10 R&amp;D&#39;</p><br>ok")
	want := "\nRemote Server returned '550 5.1.10 R&D'\n\nok"
	if got != want {
		t.Errorf("stripHTML = %q, want %q", got, want)
	}
}
