package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot"
)

// A store that cannot be opened is named once in what the bot says:
// bbolt's error already says "open FILE: ...", and wrapping it as
// "open FILE: %w" printed "open data/smtpbot.db: open data/smtpbot.db:
// permission denied". (Since issue 11 such a file no longer stops the bot;
// TestUnreadablePrefsFileFallsBackToMemory checks that.)
func TestStoreErrorNamesTheFileOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A folder where the store file should be fails for root too, unlike a
	// permission.
	store := filepath.Join(dir, bot.StoreFile)
	if err := os.Mkdir(store, 0o700); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	b, err := bot.New(bot.Config{AppToken: appToken, BotToken: botToken, DataDir: dir, Logger: logs.logger()}, newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n := strings.Count(logs.String(), store); n != 1 {
		t.Errorf("the file is named %d times:\n%s", n, logs)
	}
}
