package main

import (
	"strconv"
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
		// The text and the start of the file make 1 MB; the whole is about
		// 5 MB, not a whole number of MB, so the note gives it in KB.
		total := len("why did this bounce?") + len(content)
		if want := "I read the first 1 MB of " + strconv.Itoa((total+512)/1024) + " KB"; !strings.Contains(visible(c), want) {
			t.Errorf("no %q in the reply:\n%s", want, visible(c))
		}
	})
}
