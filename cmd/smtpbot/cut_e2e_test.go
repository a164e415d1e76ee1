package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/internal/hostile"
)

// TestLargeUploadEndToEnd uploads, with MAX_FILE_BYTES at 1 MB, a 5 MB
// bounce whose text goes on past the limit: the bot reads the first MB,
// answers in the thread with the bounce's code, and says what it cut.
// Then a bounce whose 4 MB returned attachment comes before its text part:
// the attachment's base64 is left out as it arrives, the text part is
// read, and nothing is cut.
func TestLargeUploadEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir(), "MAX_FILE_BYTES", "1048576")
		content := hostile.Ordinary(5 << 20)
		f := fake.AddFile(fakeslack.File{Name: "bounce.eml", Filetype: "email", Mimetype: "message/rfc822", Content: []byte(content)})
		ts := fake.NextTS()
		fake.SendMessage(fakeslack.Message{TS: ts, Text: "why did this bounce?", Files: []string{f.ID}})
		c := wait(t, fake, 1, "chat.postMessage")[0]
		if c.ThreadTS != ts || !strings.Contains(c.Text, "5.1.1") {
			t.Errorf("reply %q in thread %q", c.Text, c.ThreadTS)
		}
		// The text and the start of the file make 1 MB; the whole is
		// given in MB, to a tenth, rounded up.
		total := len("why did this bounce?") + len(content)
		tenths := (total*10 + 1<<20 - 1) >> 20
		whole := fmt.Sprintf("%d.%d MB", tenths/10, tenths%10)
		if tenths%10 == 0 {
			whole = fmt.Sprintf("%d MB", tenths/10)
		}
		if want := "I read the first 1 MB of " + whole + "."; !strings.Contains(visible(c), want) {
			t.Errorf("no %q in the reply:\n%s", want, visible(c))
		}

		content = hostile.AttachmentFirst(4 << 20)
		f = fake.AddFile(fakeslack.File{Name: "bounce.eml", Filetype: "email", Mimetype: "message/rfc822", Content: []byte(content)})
		ts = fake.NextTS()
		fake.SendMessage(fakeslack.Message{TS: ts, Text: "and this one?", Files: []string{f.ID}})
		c = wait(t, fake, 2, "chat.postMessage")[1]
		if c.ThreadTS != ts || !strings.Contains(c.Text, "5.1.1") {
			t.Errorf("attachment first: reply %q in thread %q", c.Text, c.ThreadTS)
		}
		if strings.Contains(visible(c), "I read the first") {
			t.Errorf("attachment first: a cut was reported:\n%s", visible(c))
		}
	})
}
