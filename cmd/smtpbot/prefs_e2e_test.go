package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// The whole program starts and answers with a preferences file that is
// corrupt or cannot be opened: the bot handles the file (bot's
// TestCorruptPrefsFileIsMovedAside and TestUnreadablePrefsFileFallsBackToMemory
// check how), and nothing before it stops start-up.
func TestBrokenPrefsFileDoesNotStopTheBot(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(file string) error
	}{
		{"corrupt", func(file string) error {
			return os.WriteFile(file, []byte("not a bbolt file at all, only text"), 0o600)
		}},
		{"a folder in its place", func(file string) error { return os.Mkdir(file, 0o700) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tc.spoil(filepath.Join(dir, bot.StoreFile)); err != nil {
				t.Fatal(err)
			}
			eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
				start(t, fake, dir)
				fake.SendSlash(fakeslack.Slash{Text: "lang th"})
				fake.SendSlash(fakeslack.Slash{Text: "550"})
				calls := wait(t, fake, 2, "response_url")
				if !strings.Contains(visible(calls[1]), "550") {
					t.Errorf("no answer after the broken file:\n%s", visible(calls[1]))
				}
			})
		})
	}
}
