package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// savedStore makes a real preferences file holding one saved choice and
// returns its bytes.
func savedStore(t *testing.T, fake *fakeslack.Server) []byte {
	t.Helper()
	dir := t.TempDir()
	b, err := bot.New(testConfig(fake, dir), newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Prefs().SaveLanguage(context.Background(), "U1", "th"); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, bot.StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A corrupt preferences file does not stop the bot: it is moved aside, a
// fresh one takes its place (so new choices survive the next restart),
// and one warning says so.
func TestCorruptPrefsFileIsMovedAside(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(fakeslack.Options{})
	defer fake.Close()
	good := savedStore(t, fake)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"not a database", []byte("this is not a bolt database, only some text that got here")},
		{"cut short", good[:100]},
		// Valid meta pages, every page after them overwritten: bbolt
		// panics on such a file rather than returning an error.
		{"damaged pages", func() []byte {
			d := append([]byte(nil), good...)
			for i := 2 * os.Getpagesize(); i < len(d); i++ {
				d[i] = 0xff
			}
			return d
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, bot.StoreFile)
			if err := os.WriteFile(file, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			logs := &logBuffer{}
			cfg := testConfig(fake, dir)
			cfg.Logger = logs.logger()
			b, err := bot.New(cfg, newTestHandler())
			if err != nil {
				t.Fatalf("a corrupt preferences file stopped the bot: %v", err)
			}
			ctx := context.Background()
			if got := b.Prefs().SavedLanguage(ctx, "U1"); got != "" {
				t.Errorf("saved language from a fresh store: %q", got)
			}
			if err := b.Prefs().SaveLanguage(ctx, "U2", "vi"); err != nil {
				t.Fatal(err)
			}
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}

			warned := logs.lines("the preferences file was corrupt: moved it aside and started a fresh one; saved language choices start empty")
			if len(warned) != 1 {
				t.Fatalf("%d warnings, want 1:\n%s", len(warned), logs)
			}
			aside, _ := warned[0]["moved_to"].(string)
			kept, err := os.ReadFile(aside)
			if err != nil || string(kept) != string(tc.data) {
				t.Errorf("the corrupt file was not kept as it was at %q: %v", aside, err)
			}
			if !strings.HasPrefix(filepath.Base(aside), bot.StoreFile+".corrupt-") || filepath.Dir(aside) != dir {
				t.Errorf("moved to %q", aside)
			}

			// The fresh file works across a restart, without a warning.
			logs2 := &logBuffer{}
			cfg.Logger = logs2.logger()
			b2, err := bot.New(cfg, newTestHandler())
			if err != nil {
				t.Fatal(err)
			}
			defer b2.Close()
			if got := b2.Prefs().SavedLanguage(ctx, "U2"); got != "vi" {
				t.Errorf("choice saved in the fresh file after restart: %q, want vi", got)
			}
			if strings.Contains(logs2.String(), "preferences file") {
				t.Errorf("warned again on the next start:\n%s", logs2)
			}
		})
	}
}

// A preferences file that cannot be opened at all is left alone: the bot
// keeps choices in memory and says so once.
func TestUnreadablePrefsFileFallsBackToMemory(t *testing.T) {
	t.Parallel()
	fake := fakeslack.New(fakeslack.Options{})
	defer fake.Close()
	dir := t.TempDir()
	// A folder where the file should be: unreadable as a file, even to root.
	if err := os.MkdirAll(filepath.Join(dir, bot.StoreFile, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	cfg := testConfig(fake, dir)
	cfg.Logger = logs.logger()
	b, err := bot.New(cfg, newTestHandler())
	if err != nil {
		t.Fatalf("an unreadable preferences file stopped the bot: %v", err)
	}
	defer b.Close()
	ctx := context.Background()
	if err := b.Prefs().SaveLanguage(ctx, "U1", "th"); err != nil {
		t.Fatal(err)
	}
	if got := b.Prefs().SavedLanguage(ctx, "U1"); got != "th" {
		t.Errorf("in-memory choice: %q, want th", got)
	}
	warned := logs.lines("cannot use the preferences file: the bot runs on with language choices kept in memory, lost on restart; the file is left as it is")
	if len(warned) != 1 || warned[0]["file"] != filepath.Join(dir, bot.StoreFile) {
		t.Errorf("want one warning naming the file:\n%s", logs)
	}
	if fi, err := os.Stat(filepath.Join(dir, bot.StoreFile, "x")); err != nil || !fi.IsDir() {
		t.Errorf("the unreadable path was touched: %v", err)
	}
}
