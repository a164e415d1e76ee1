package extract

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
)

// addFixtureSeeds seeds a fuzz target with the bounce fixtures.
func addFixtureSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "bounces", "*.txt"))
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(raw))
	}
}

// FuzzExtract checks that Extract never panics and keeps its promises on any
// input: codes that parse back, valid UTF-8 server text from valid UTF-8
// input, bounded server text, no duplicate codes, findings ordered by role,
// a confidence between 0 and 1.
func FuzzExtract(f *testing.F) {
	addFixtureSeeds(f)
	for _, s := range []string{
		"550-5.1.1 a\n550 5.1.1 b", "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 x",
		"dsn=4.4.1, status=deferred (connect to x)", "Remote Server returned '550 5.1.10 R'",
		"(#5.1.2)", "554 554 5.7.1 x", `{"status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 u"}`,
		"Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nStatus: 5.0.0\n--b--",
		"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nNTUwIDUuMS4xIFVzZXIgdW5rbm93bg==",
		"Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n550 5.=\n1.1 x=E9",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ex := Extract(s)
		if ex.Confidence < 0 || ex.Confidence > 1 {
			t.Fatalf("confidence %v", ex.Confidence)
		}
		// A code is found once, unless two recipients' replies share it
		// (each finding is then about its own recipients or server).
		seen := map[catalog.Code]Finding{}
		last := 0
		for _, fd := range ex.Findings {
			c, err := catalog.Parse(fd.Code.String())
			if err != nil || c != fd.Code {
				t.Fatalf("code %#v (%q) does not parse back: %v, %#v", fd.Code, fd.Code.String(), err, c)
			}
			if o, ok := seen[fd.Code]; ok && slices.Equal(o.Recipients, fd.Recipients) && leadServer(o.Lead) == leadServer(fd.Lead) {
				t.Fatalf("code %s found twice", fd.Code)
			}
			seen[fd.Code] = fd
			if utf8.ValidString(s) && !utf8.ValidString(fd.ServerText) {
				t.Fatalf("invalid UTF-8 server text %q", fd.ServerText)
			}
			if len(fd.Lead) > maxLead || utf8.ValidString(s) && !utf8.ValidString(fd.Lead) {
				t.Fatalf("lead %q: longer than %d bytes or invalid UTF-8", fd.Lead, maxLead)
			}
			if len(fd.ServerText) > maxServerText {
				t.Fatalf("server text of %d bytes", len(fd.ServerText))
			}
			r := roleRank(fd.Role)
			if fd.Role != RoleFailure && fd.Role != RoleContext && fd.Role != RoleQuoted {
				t.Fatalf("role %q", fd.Role)
			}
			if r < last {
				t.Fatalf("findings out of order: %v", brief(ex))
			}
			last = r
		}
	})
}
