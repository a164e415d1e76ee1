package main

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/internal/hostile"
)

// TestLargeUploadEndToEnd uploads a 5 MB bounce that returns a zero-filled
// attachment, with MAX_FILE_BYTES at 1 MB: the bot reads the first MB,
// answers in the thread with the bounce's code, and says what it cut.
func TestLargeUploadEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		start(t, fake, t.TempDir(), "MAX_FILE_BYTES", "1048576")
		content := hostile.ReturnedAttachment(5<<20, 0)
		f := fake.AddFile(fakeslack.File{Name: "bounce.eml", Filetype: "email", Mimetype: "message/rfc822", Content: []byte(content)})
		ts := fake.NextTS()
		fake.SendMessage(fakeslack.Message{TS: ts, Text: "why did this bounce?", Files: []string{f.ID}})
		c := wait(t, fake, 1, "chat.postMessage")[0]
		if c.ThreadTS != ts || !strings.Contains(c.Text, "5.1.1") {
			t.Errorf("reply %q in thread %q", c.Text, c.ThreadTS)
		}
		// The text and the start of the file make 1 MB; the whole is a
		// little over 5 MB, given in MB too, to a tenth, rounded up.
		total := len("why did this bounce?") + len(content)
		tenths := (total*10 + 1<<20 - 1) >> 20
		if tenths != 51 {
			t.Fatalf("the upload is %d bytes (%d tenths of MB): the test expects a little over 5 MB", total, tenths)
		}
		if want := "I read the first 1 MB of 5.1 MB."; !strings.Contains(visible(c), want) {
			t.Errorf("no %q in the reply:\n%s", want, visible(c))
		}
	})
}
