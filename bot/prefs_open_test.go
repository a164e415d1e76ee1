package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot"
)

// A store that cannot be opened is named once in the error: bbolt's error
// already says "open FILE: ...", and wrapping it as "open FILE: %w" printed
// "open data/smtpbot.db: open data/smtpbot.db: permission denied".
func TestStoreErrorNamesTheFileOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A folder where the store file should be fails for root too, unlike a
	// permission.
	store := filepath.Join(dir, bot.StoreFile)
	if err := os.Mkdir(store, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := bot.New(bot.Config{AppToken: appToken, BotToken: botToken, DataDir: dir}, newTestHandler())
	if err == nil {
		t.Fatal("a folder in place of the store was accepted")
	}
	if n := strings.Count(err.Error(), store); n != 1 {
		t.Errorf("the file is named %d times: %v", n, err)
	}
}
