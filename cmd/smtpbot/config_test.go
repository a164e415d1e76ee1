package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/joho/godotenv"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/locales"
)

// Realistic shapes, far from real values.
const (
	goodAppToken = "xapp-1-A0TEST00001-1-0123456789abcdef"
	goodBotToken = "xoxb-1-2-0123456789abcdef"
)

// An unedited copy of .env.example must not start the bot: its placeholders
// are refused with the message a missing token gets, naming the variable and
// where to get its value.
func TestEnvExampleDoesNotStart(t *testing.T) {
	_, errOut, code := call(t, "", nil, "--env-file", "../../.env.example")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	for _, want := range []string{
		"SLACK_APP_TOKEN still holds the example value", "App-Level Tokens",
		"SLACK_BOT_TOKEN still holds the example value", "OAuth & Permissions",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error lacks %q:\n%s", want, errOut)
		}
	}
}

// .env.example must not set DATA_DIR: `docker run --env-file .env` puts
// every variable of the file over the image's DATA_DIR=/data.
func TestEnvExampleLeavesDataDirToTheImage(t *testing.T) {
	vars, err := godotenv.Read("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := vars["DATA_DIR"]; ok {
		t.Errorf(".env.example sets DATA_DIR=%q; leave it commented out so the image's /data applies", v)
	}
}

func TestTokensRefused(t *testing.T) {
	tests := []struct {
		app, bot string
		want     []string
	}{
		{"xapp-1-...", goodBotToken, []string{"SLACK_APP_TOKEN still holds the example value", "App-Level Tokens"}},
		{"xapp-1-…", goodBotToken, []string{"SLACK_APP_TOKEN still holds the example value"}},
		{goodAppToken, "xoxb-...", []string{"SLACK_BOT_TOKEN still holds the example value", "OAuth & Permissions"}},
		{goodAppToken, "xoxb-<your-bot-token>", []string{"SLACK_BOT_TOKEN still holds the example value"}},
		{"xapp-1-A1-test", goodBotToken, []string{"SLACK_APP_TOKEN is too short", "App-Level Tokens"}},
		{goodAppToken, "xoxb-test", []string{"SLACK_BOT_TOKEN is too short", "OAuth & Permissions"}},
		{"", "xoxb-", []string{"SLACK_APP_TOKEN is empty", "SLACK_BOT_TOKEN is too short"}},
	}
	for _, tt := range tests {
		env := map[string]string{"SLACK_APP_TOKEN": tt.app, "SLACK_BOT_TOKEN": tt.bot, "DATA_DIR": t.TempDir()}
		_, errOut, code := call(t, "", env, "--env-file", "testdata/empty.env")
		if code != 1 {
			t.Errorf("%q, %q: exit %d, want 1", tt.app, tt.bot, code)
		}
		for _, want := range tt.want {
			if !strings.Contains(errOut, want) {
				t.Errorf("%q, %q: error lacks %q:\n%s", tt.app, tt.bot, want, errOut)
			}
		}
	}
	if err := bot.ValidateTokens(goodAppToken, goodBotToken); err != nil {
		t.Errorf("well-shaped tokens refused: %v", err)
	}
}

func TestDefaultLocale(t *testing.T) {
	langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SLACK_APP_TOKEN": goodAppToken, "SLACK_BOT_TOKEN": goodBotToken}
	getenv := func(k string) string { return env[k] }
	for in, want := range map[string]string{"": "en", "vi": "vi", "vi_VN": "vi", "TH-th": "th", "en-GB": "en"} {
		env["DEFAULT_LOCALE"] = in
		c, err := loadConfig(getenv, langs)
		if err != nil || c.DefaultLocale != want {
			t.Errorf("DEFAULT_LOCALE=%q: %q, %v; want %q", in, c.DefaultLocale, err, want)
		}
	}
	for _, in := range []string{"fr", "zz", "english"} {
		env["DEFAULT_LOCALE"] = in
		_, err := loadConfig(getenv, langs)
		if err == nil {
			t.Errorf("DEFAULT_LOCALE=%q accepted", in)
			continue
		}
		// The list comes from the bundle, so a new language shows up in it.
		for _, l := range langs.Languages() {
			if !strings.Contains(err.Error(), l.Tag) {
				t.Errorf("DEFAULT_LOCALE=%q: error does not offer %q: %v", in, l.Tag, err)
			}
		}
		if !strings.Contains(err.Error(), "DEFAULT_LOCALE") {
			t.Errorf("error does not name the variable: %v", err)
		}
	}
	// The command line refuses it too, as a usage error, unless --lang
	// makes it moot.
	if _, errOut, code := call(t, "", map[string]string{"DEFAULT_LOCALE": "fr"}, "explain", "550"); code != 2 || !strings.Contains(errOut, `DEFAULT_LOCALE: "fr"`) {
		t.Errorf("explain with DEFAULT_LOCALE=fr: exit %d, %s", code, errOut)
	}
	if _, errOut, code := call(t, "", map[string]string{"DEFAULT_LOCALE": "fr"}, "explain", "--lang", "en", "550"); code != 0 {
		t.Errorf("explain --lang en with DEFAULT_LOCALE=fr: exit %d, %s", code, errOut)
	}
}

func TestEnvFile(t *testing.T) {
	getenv := func(k string) string { return map[string]string{"A": "real"}[k] }
	missing := filepath.Join(t.TempDir(), ".env")
	if _, err := withDotEnv(getenv, missing, false); err != nil {
		t.Errorf("a missing default .env: %v", err)
	}
	if _, err := withDotEnv(getenv, missing, true); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing --env-file: %v", err)
	}
	file := filepath.Join(t.TempDir(), "my.env")
	if err := os.WriteFile(file, []byte("A=file\nB=file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	get, err := withDotEnv(getenv, file, true)
	if err != nil {
		t.Fatal(err)
	}
	if get("A") != "real" || get("B") != "file" {
		t.Errorf("A=%q B=%q: the real environment must win over the file", get("A"), get("B"))
	}
	// Through the command line, the named file that is not there stops the
	// bot before anything else is checked.
	_, errOut, code := call(t, "", nil, "--env-file", "/missing")
	if code != 1 || !strings.Contains(errOut, "--env-file /missing: no such file") {
		t.Errorf("--env-file /missing: exit %d, %s", code, errOut)
	}
}

// POSIX: LC_ALL overrides everything, then LC_MESSAGES, then LANG; "C" and
// "POSIX" mean the default language, English.
func TestPosixLocaleOrder(t *testing.T) {
	fix := map[string]string{"en": "How to fix it", "vi": "Cách xử lý", "th": "วิธีแก้"}
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "vi_VN.UTF-8"}, "vi"},
		{map[string]string{"LC_ALL": "C", "LANG": "vi_VN.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "POSIX", "LC_MESSAGES": "th_TH.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "th_TH.UTF-8", "LANG": "vi_VN.UTF-8"}, "th"},
		{map[string]string{"LC_MESSAGES": "th_TH.UTF-8", "LANG": "vi_VN.UTF-8"}, "th"},
		{map[string]string{"LC_ALL": "", "LC_MESSAGES": "", "LANG": "vi_VN.UTF-8"}, "vi"},
		{map[string]string{"LC_ALL": "C", "DEFAULT_LOCALE": "vi"}, "vi"}, // DEFAULT_LOCALE comes before the POSIX locale
	}
	for _, tt := range tests {
		out, errOut, code := call(t, "", tt.env, "explain", "5.2.2")
		if code != 0 {
			t.Errorf("%v: exit %d: %s", tt.env, code, errOut)
			continue
		}
		if !strings.Contains(out, fix[tt.want]) {
			t.Errorf("%v: not in %s:\n%s", tt.env, tt.want, out)
		}
	}
}

// Every subcommand's --help prints its usage once, on stdout, and exits 0;
// a mistake prints it once, on stderr. The subcommands are read from the
// top-level usage, so a new one is covered without editing this test.
func TestHelpOnce(t *testing.T) {
	calls := [][]string{{"help"}, {"--help"}, {"-h"}, {"--env-file", "testdata/empty.env", "--help"}}
	for _, line := range strings.Split(usage, "\n") {
		// "  smtpbot explain [--lang L] ...": a command right after the name;
		// "  smtpbot          run the bot" has none.
		rest, ok := strings.CutPrefix(line, "  smtpbot ")
		if !ok || rest == "" || rest[0] < 'a' || rest[0] > 'z' {
			continue
		}
		if cmd := strings.Fields(rest)[0]; cmd != "help" {
			calls = append(calls, []string{cmd, "--help"}, []string{cmd, "-h"})
		}
	}
	if len(calls) < 4+6 {
		t.Fatalf("found only %v in the usage", calls)
	}
	for _, args := range calls {
		out, errOut, code := call(t, "", nil, args...)
		if code != 0 || errOut != "" || strings.Count(out, "Usage:") != 1 {
			t.Errorf("smtpbot %s: exit %d, %d usages on stdout, stderr %q", strings.Join(args, " "), code, strings.Count(out, "Usage:"), errOut)
		}
		if args[0] != "help" && !strings.HasPrefix(args[0], "-") && !strings.Contains(out, "Usage: smtpbot "+args[0]) {
			t.Errorf("smtpbot %s: the usage is not the subcommand's:\n%s", strings.Join(args, " "), out)
		}
	}
	// "help COMMAND" prints exactly what "COMMAND --help" does, for every
	// command of the usage (store copy included).
	helped := 0
	for _, args := range calls {
		if len(args) != 2 || args[1] != "--help" || args[0] == "--env-file" {
			continue
		}
		want, _, _ := call(t, "", nil, args...)
		out, errOut, code := call(t, "", nil, "help", args[0])
		if code != 0 || errOut != "" || out != want {
			t.Errorf("smtpbot help %s: exit %d, stderr %q, stdout\n%s\nwant what --help prints:\n%s", args[0], code, errOut, out, want)
		}
		helped++
	}
	if helped < 6 {
		t.Errorf("help COMMAND checked for only %d commands", helped)
	}
	want, _, _ := call(t, "", nil, "store", "copy", "--help")
	if out, errOut, code := call(t, "", nil, "help", "store", "copy"); code != 0 || errOut != "" || out != want || !strings.Contains(out, "-team") {
		t.Errorf("smtpbot help store copy: exit %d, stderr %q, stdout\n%s", code, errOut, out)
	}
	top, _, _ := call(t, "", nil, "help")
	if out, _, code := call(t, "", nil, "help", "help"); code != 0 || out != top {
		t.Errorf("smtpbot help help: exit %d, not the top-level usage:\n%s", code, out)
	}
	for _, args := range [][]string{{"help", "nosuch"}, {"help", "explain", "550"}} {
		if out, errOut, code := call(t, "", nil, args...); code != 2 || out != "" || errOut == "" {
			t.Errorf("smtpbot %s: exit %d, stdout %q, stderr %q; want exit 2 and the reason on stderr", strings.Join(args, " "), code, out, errOut)
		}
	}

	out, errOut, code := call(t, "", nil, "explain", "--colour", "550")
	if code != 2 || out != "" || strings.Count(errOut, "Usage:") != 1 || !strings.Contains(errOut, "-colour") {
		t.Errorf("explain --colour: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestDataDirError(t *testing.T) {
	dir := "/srv/smtpbot/data"
	err := dataDirError(dir, &fs.PathError{Op: "open", Path: dir + "/smtpbot.db", Err: fs.ErrPermission})
	msg := err.Error()
	for _, want := range []string{"DATA_DIR " + dir, "permission denied", "UID 65532", "named volume", "chown -R 65532:65532"} {
		if !strings.Contains(msg, want) {
			t.Errorf("lacks %q: %s", want, msg)
		}
	}
	if n := strings.Count(msg, dir); n != 1 {
		t.Errorf("the folder is named %d times: %s", n, msg)
	}
}

func TestCheckDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	if abs, err := checkDataDir(dir); err != nil || abs != dir {
		t.Fatalf("a folder to create: %q, %v", abs, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the write check left %v behind", entries)
	}
	// A store file that cannot be opened (here a folder in its place) is
	// the bot's to handle: it runs on without it (bot.TestUnreadablePrefs…),
	// so the folder check lets it through.
	if err := os.Mkdir(filepath.Join(dir, bot.StoreFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := checkDataDir(dir); err != nil {
		t.Errorf("a folder in the store's place stopped start-up: %v", err)
	}
	// A DATA_DIR below a file cannot be made.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SLACK_APP_TOKEN": goodAppToken, "SLACK_BOT_TOKEN": goodBotToken, "DATA_DIR": filepath.Join(file, "data")}
	if _, errOut, code := call(t, "", env, "--env-file", "testdata/empty.env"); code != 1 || !strings.Contains(errOut, "DATA_DIR "+file) {
		t.Errorf("DATA_DIR below a file: exit %d, %s", code, errOut)
	}
}

// A folder the bot may not write: only meaningful when the tests do not run
// as root, whom permissions do not stop.
func TestCheckDataDirReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere; TestDataDirError covers the message")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	_, err := checkDataDir(dir)
	if err == nil || !strings.Contains(err.Error(), "UID 65532") {
		t.Errorf("a read-only folder: %v", err)
	}
}

// A relative DATA_DIR is reported absolute: in the image, DATA_DIR=data
// from a copied .env is /data, and the log and errors should say so.
func TestCheckDataDirRelative(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	abs, err := checkDataDir("data")
	if err != nil || abs != filepath.Join(wd, "data") {
		t.Errorf("checkDataDir(data) = %q, %v; want %s", abs, err, filepath.Join(wd, "data"))
	}
}
