package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// TestMoveToSharedStore is the move of a single-process install to a
// shared store, as the README tells it: a user saves Vietnamese with the
// embedded store, "smtpbot store copy" copies the choice to Redis, and a
// bot started with REDIS_URL and an empty DATA_DIR (a new replica on
// another host) answers that user in Vietnamese.
func TestMoveToSharedStore(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	fake := newFake(t)
	dir := t.TempDir()
	a := start(t, fake, dir)
	fake.SendSlash(fakeslack.Slash{Text: "lang vi"})
	wait(t, fake, 1, "response_url")
	a.stop()

	env := map[string]string{
		"REDIS_URL":       srv.URL,
		"DATA_DIR":        dir,
		"SLACK_BOT_TOKEN": "xoxb-1-2-0123456789abcdef",
		"SLACK_API_URL":   fake.URL(),
	}
	out, errOut, code := call(t, "", env, "store", "copy", "--env-file", "testdata/empty.env")
	if code != 0 || !strings.Contains(out, "copied 1 language choices") || !strings.Contains(out, fakeslack.DefaultTeamID) {
		t.Fatalf("store copy: exit %d\n%s%s", code, out, errOut)
	}
	// Again: the choice is there now and is kept, not copied twice.
	out, _, _ = call(t, "", env, "store", "copy", "--env-file", "testdata/empty.env")
	if !strings.Contains(out, "copied 0 language choices") || !strings.Contains(out, "1 already there kept") {
		t.Errorf("second store copy: %s", out)
	}

	fake.Reset()
	start(t, fake, t.TempDir(), "REDIS_URL", srv.URL)
	fake.SendSlash(fakeslack.Slash{Text: "550"})
	c := wait(t, fake, 1, "response_url")[0]
	if !strings.Contains(visible(c), "Cách xử lý") {
		t.Errorf("with REDIS_URL after store copy, the saved Vietnamese was lost:\n%s", visible(c))
	}
	// And a choice made now goes to the shared store.
	fake.SendSlash(fakeslack.Slash{Text: "lang th"})
	wait(t, fake, 2, "response_url")
	r, err := store.OpenRedis(store.RedisOptions{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	users, err := bot.SavedLanguages(dir)
	if err != nil || len(users) != 1 {
		t.Fatalf("the embedded file: %v, %v", users, err)
	}
	for u := range users {
		if tag, err := r.Language(context.Background(), fakeslack.DefaultTeamID, u); tag != "th" || err != nil {
			t.Errorf("the shared store has %q, %v for the user; want th", tag, err)
		}
	}
}

// TestStoreCopyMistakes: each mistake says what to do, with the exit
// status of a usage error where it is one.
func TestStoreCopyMistakes(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	held := t.TempDir()
	b, err := bot.New(bot.Config{
		AppToken: "xapp-1-A0TEST00001-1-0123456789abcdef", BotToken: "xoxb-1-2-0123456789abcdef",
		DataDir: held, Logger: slog.New(slog.DiscardHandler),
	}, bot.HandlerFunc(func(context.Context, handlers.Request) []handlers.Reply { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	empty := t.TempDir()
	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"no subcommand", nil, nil, 2, "takes one subcommand: copy"},
		{"no REDIS_URL", map[string]string{"DATA_DIR": empty}, []string{"copy", "--team", "T1"}, 2, "set REDIS_URL"},
		{"a bad REDIS_URL", map[string]string{"REDIS_URL": "http://:pw@x:1"}, []string{"copy", "--team", "T1"}, 1, "must look like redis://"},
		{"no file", map[string]string{"REDIS_URL": srv.URL, "DATA_DIR": filepath.Join(empty, "none")}, []string{"copy", "--team", "T1"}, 1, "smtpbot.db"},
		{"the bot holds the file", map[string]string{"REDIS_URL": srv.URL, "DATA_DIR": held}, []string{"copy", "--team", "T1"}, 1, "stop the bot"},
		{"no team, no token", map[string]string{"REDIS_URL": srv.URL, "DATA_DIR": empty}, []string{"copy"}, 2, "--team"},
		{"arguments", map[string]string{"REDIS_URL": srv.URL}, []string{"copy", "extra"}, 2, "takes no arguments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"store"}, c.args...)
			if len(c.args) > 0 {
				args = append(args, "--env-file", "testdata/empty.env")
			}
			out, errOut, code := call(t, "", c.env, args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, want %d; stderr does not say %q:\n%s%s", code, c.code, c.want, out, errOut)
			}
			if strings.Contains(errOut, ":pw@") {
				t.Errorf("the error quotes REDIS_URL's password: %s", errOut)
			}
		})
	}
}

// TestStoreCopyEmptyFile: a file (or folder) with no choice copies
// nothing and says so.
func TestStoreCopyEmptyFile(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	dir := t.TempDir()
	b, err := bot.New(bot.Config{
		AppToken: "xapp-1-A0TEST00001-1-0123456789abcdef", BotToken: "xoxb-1-2-0123456789abcdef",
		DataDir: dir, Logger: slog.New(slog.DiscardHandler),
	}, bot.HandlerFunc(func(context.Context, handlers.Request) []handlers.Reply { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	_ = b.Close()
	out, errOut, code := call(t, "", map[string]string{"REDIS_URL": srv.URL, "DATA_DIR": dir}, "store", "copy", "--team", "T1", "--env-file", "testdata/empty.env")
	if code != 0 || !strings.Contains(out, "copied 0 language choices") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
}

// TestRedisConfig: the shared store's variables, and the mistakes refused
// at start-up with the others.
func TestRedisConfig(t *testing.T) {
	ok := []struct {
		env  map[string]string
		mode string
		url  string
	}{
		{map[string]string{}, "standalone", ""},
		{map[string]string{"REDIS_URL": "redis://cache:6379/1"}, "standalone", "redis://cache:6379/1"},
		{map[string]string{"REDIS_URL": "rediss://s1:26379", "REDIS_ADDRS": "s2:26379, s3:26379", "REDIS_SENTINEL_MASTER": "mymaster"}, "sentinel", "rediss://s1:26379"},
		{map[string]string{"REDIS_URL": "redis://n1:6379", "REDIS_ADDRS": "n2:6379", "REDIS_CLUSTER": "true"}, "cluster", "redis://n1:6379"},
	}
	for _, c := range ok {
		o, err := redisConfig(func(k string) string { return c.env[k] })
		if err != nil || o.Mode() != c.mode || o.URL != c.url {
			t.Errorf("%v: %+v, %v; want mode %s", c.env, o, err, c.mode)
		}
	}
	bad := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"REDIS_ADDRS": "a:1"}, "without REDIS_URL"},
		{map[string]string{"REDIS_CLUSTER": "yes"}, "REDIS_CLUSTER"},
		{map[string]string{"REDIS_URL": "cache:6379"}, "redis://"},
		{map[string]string{"REDIS_URL": "redis://a:1", "REDIS_ADDRS": "b:2"}, "REDIS_SENTINEL_MASTER"},
	}
	for _, c := range bad {
		_, err := redisConfig(func(k string) string { return c.env[k] })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want an error saying %q", c.env, err, c.want)
		}
	}
}

// TestMoveToManyWorkspacesWithoutRedis is the move from one workspace to
// many in one process, without a shared store, as the README tells it: a
// user saves Vietnamese in single-workspace mode (DATA_DIR/smtpbot.db),
// "smtpbot store copy" copies it into DATA_DIR/workspaces.db, and the bot
// restarted with SLACK_CLIENT_ID answers that user in Vietnamese.
func TestMoveToManyWorkspacesWithoutRedis(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{ClientID: e2eClientID, ClientSecret: e2eClientSecret})
	t.Cleanup(fake.Close)
	dir := t.TempDir()
	a := start(t, fake, dir)
	fake.SendSlash(fakeslack.Slash{Text: "lang vi"})
	wait(t, fake, 1, "response_url")
	a.stop()

	// The first start with many workspaces says the choice is not read
	// until copied.
	var logs bytes.Buffer
	hintCopy(filepath.Join(dir, workspacesFile), dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if !strings.Contains(logs.String(), "smtpbot store copy") || !strings.Contains(logs.String(), "choices=1") {
		t.Errorf("no hint to copy the saved choice:\n%s", logs.String())
	}

	env := map[string]string{
		"DATA_DIR":        dir,
		"SLACK_CLIENT_ID": e2eClientID,
		"SLACK_BOT_TOKEN": "xoxb-1-2-0123456789abcdef",
		"SLACK_API_URL":   fake.URL(),
	}
	out, errOut, code := call(t, "", env, "store", "copy", "--env-file", "testdata/empty.env")
	if code != 0 || !strings.Contains(out, "copied 1 language choices") || !strings.Contains(out, workspacesFile) {
		t.Fatalf("store copy: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = call(t, "", env, "store", "copy", "--env-file", "testdata/empty.env")
	if !strings.Contains(out, "copied 0 language choices") || !strings.Contains(out, "1 already there kept") {
		t.Errorf("second store copy: %s", out)
	}

	fake.Reset()
	b, _ := startMulti(t, fake, dir, "SLACK_BOT_TOKEN", "xoxb-1-2-0123456789abcdef")
	fake.SendSlash(fakeslack.Slash{Text: "550"})
	c := wait(t, fake, 1, "response_url")[0]
	if !strings.Contains(visible(c), "Cách xử lý") {
		t.Errorf("many workspaces without REDIS_URL after store copy: the saved Vietnamese was lost:\n%s", visible(c))
	}
	// Once the file exists, no more hint.
	logs.Reset()
	hintCopy(filepath.Join(dir, workspacesFile), dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if logs.Len() > 0 {
		t.Errorf("a hint to copy beside %s: %s", workspacesFile, logs.String())
	}
	// While the bot holds the file, a copy says to stop it.
	_, errOut, code = call(t, "", env, "store", "copy", "--env-file", "testdata/empty.env")
	if code != 1 || !strings.Contains(errOut, "another smtpbot") {
		t.Errorf("store copy beside a running bot: exit %d\n%s", code, errOut)
	}
	b.stop()
}
