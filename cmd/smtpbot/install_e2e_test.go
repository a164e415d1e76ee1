package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/install"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

const (
	e2eClientID     = "1111.2222"
	e2eClientSecret = "abcdef0123456789abcdef0123456789"
)

// freeAddr returns a loopback address with a port free a moment ago.
func encryptionKey(t *testing.T) string {
	t.Helper()
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(k[:])
}

// startMulti runs the bot in multi-workspace mode (no SLACK_BOT_TOKEN)
// and returns the base URL of its install pages.
func startMulti(t *testing.T, fake *fakeslack.Server, dataDir string, extra ...string) (*app, string) {
	t.Helper()
	addr := freeAddr(t)
	base := "http://" + addr
	env := append([]string{
		"SLACK_BOT_TOKEN", "",
		"SLACK_CLIENT_ID", e2eClientID,
		"SLACK_CLIENT_SECRET", e2eClientSecret,
		"HTTP_ADDR", addr,
		"SLACK_REDIRECT_URL", base + install.RedirectPath,
		"TOKEN_ENCRYPTION_KEY", encryptionKey(t),
	}, extra...)
	a := start(t, fake, dataDir, env...)
	return a, base
}

var addToSlack = regexp.MustCompile(`href="([^"]+)">Add to Slack<`)

// installIn does what a workspace admin does: opens the install page,
// clicks "Add to Slack", allows it in Slack and lands on the bot's
// redirect page.
func installIn(t *testing.T, fake *fakeslack.Server, base string, team fakeslack.Team) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body := fetch(t, c, base+install.InstallPath, http.StatusOK)
	m := addToSlack.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no Add to Slack link:\n%s", body)
	}
	fake.NextInstall(team)
	body = fetch(t, c, html.UnescapeString(m[1]), http.StatusOK)
	if !strings.Contains(body, "installed in "+team.Name) {
		t.Fatalf("install in %s: redirect page says:\n%s", team.ID, body)
	}
}

func fetch(t *testing.T, c *http.Client, u string, want int) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s: HTTP %d, want %d\n%s", u, res.StatusCode, want, b)
	}
	return string(b)
}

// postsIn returns the chat.postMessage calls made in the channel.
func postsIn(fake *fakeslack.Server, channel string) []fakeslack.Call {
	var out []fakeslack.Call
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Channel == channel {
			out = append(out, c)
		}
	}
	return out
}

// eventually polls cond every 20ms for up to 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The install flow end to end, on one Redis: two workspaces install the
// app through the pages; each one's requests are answered with its own
// token, a workspace without an installation gets no answer, language
// choices are per workspace, and an uninstalled workspace is forgotten.
func TestInstallEndToEnd(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	fake := fakeslack.New(fakeslack.Options{ClientID: e2eClientID, ClientSecret: e2eClientSecret})
	t.Cleanup(fake.Close)
	_, base := startMulti(t, fake, t.TempDir(), "REDIS_URL", srv.URL)
	st, err := store.OpenRedis(store.RedisOptions{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	one := fakeslack.Team{ID: "T0ONE00001", Name: "One Co"}
	two := fakeslack.Team{ID: "T0TWO00002", Name: "Two Co"}
	installIn(t, fake, base, one)
	installIn(t, fake, base, two)
	for _, team := range []string{one.ID, two.ID} {
		raw, err := st.Installation(ctx, store.InstallationID{TeamID: team})
		if err != nil {
			t.Fatalf("%s not saved: %v", team, err)
		}
		if strings.Contains(raw.BotToken, "xoxb") || raw.BotToken == "" {
			t.Errorf("%s's token is not encrypted at rest", team)
		}
	}

	// The fake's own workspace never installed the app (and there is no
	// SLACK_BOT_TOKEN): its message is acked, not answered. Replies in one
	// channel go in order, so One's answer proves it was handled.
	unknown := fake.SendMessage(fakeslack.Message{Channel: "C1", Text: bounce})
	fake.SendMessage(fakeslack.Message{Team: one.ID, Channel: "C1", Text: bounce})
	fake.SendMessage(fakeslack.Message{Team: two.ID, Channel: "C2", Text: bounce})
	wait(t, fake, 2, "chat.postMessage")
	if err := fake.WaitAcks(ctx, unknown); err != nil {
		t.Errorf("the uninstalled workspace's message was not acked: %v", err)
	}
	for ch, team := range map[string]string{"C1": one.ID, "C2": two.ID} {
		posts := postsIn(fake, ch)
		if len(posts) != 1 || posts[0].Team != team {
			t.Errorf("%s: %d posts (team %v), want one with %s's token", ch, len(posts), teams(posts), team)
		}
	}

	// A language choice is kept per workspace: the same user id in Two
	// chose nothing.
	fake.SendSlash(fakeslack.Slash{Team: one.ID, Text: "lang th"})
	eventually(t, "One's choice saved", func() bool { tag, _ := st.Language(ctx, one.ID, fakeslack.DefaultUser); return tag == "th" })
	if tag, _ := st.Language(ctx, two.ID, fakeslack.DefaultUser); tag != "" {
		t.Errorf("Two's user has One's choice %q", tag)
	}
	fake.SendHomeOpened(fakeslack.DefaultUser) // the fake's own team: nothing to publish
	if err := st.SetLanguage(ctx, two.ID, "U0TWO", "vi"); err != nil {
		t.Fatal(err)
	}

	// Uninstalled from One: its installation and choices go, Two keeps its.
	fake.SendUninstall(one.ID)
	eventually(t, "One forgotten", func() bool {
		_, err := st.Installation(ctx, store.InstallationID{TeamID: one.ID})
		tag, _ := st.Language(ctx, one.ID, fakeslack.DefaultUser)
		return errors.Is(err, store.ErrNotFound) && tag == ""
	})
	if tag, _ := st.Language(ctx, two.ID, "U0TWO"); tag != "vi" {
		t.Errorf("Two's choice lost with One's uninstall: %q", tag)
	}
	fake.SendMessage(fakeslack.Message{Team: one.ID, Channel: "C3", Text: bounce})
	fake.SendMessage(fakeslack.Message{Team: two.ID, Channel: "C3", Text: bounce})
	eventually(t, "Two answered in C3", func() bool { return len(postsIn(fake, "C3")) >= 1 })
	if posts := postsIn(fake, "C3"); len(posts) != 1 || posts[0].Team != two.ID {
		t.Errorf("C3 after One's uninstall: posts from %v, want only Two's", teams(posts))
	}
	// Two's bot token revoked: Two is forgotten too.
	fake.SendTokensRevoked(two.ID)
	eventually(t, "Two forgotten", func() bool {
		_, err := st.Installation(ctx, store.InstallationID{TeamID: two.ID})
		tag, _ := st.Language(ctx, two.ID, "U0TWO")
		return errors.Is(err, store.ErrNotFound) && tag == ""
	})
	if home := fake.Count("views.publish"); home != 0 {
		t.Errorf("views.publish called %d times for a workspace without an installation", home)
	}
	// Nothing was ever sent with a token the fake refused (another
	// workspace's, a revoked one).
	for _, c := range fake.Calls() {
		if c.Team == "" && c.Method != "apps.connections.open" && c.Method != "oauth.v2.access" && c.Method != "oauth.authorize" && c.Method != "response_url" {
			t.Errorf("%s called with a token the fake refused", c.Method)
		}
	}
}

func teams(calls []fakeslack.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Team)
	}
	return out
}

// Without REDIS_URL the installations live in DATA_DIR, tokens
// encrypted; with SLACK_BOT_TOKEN too, its workspace is served with it
// and installed ones with theirs.
func TestInstallEmbeddedWithBotToken(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{ClientID: e2eClientID, ClientSecret: e2eClientSecret})
	t.Cleanup(fake.Close)
	dir := t.TempDir()
	a, base := startMulti(t, fake, dir, "SLACK_BOT_TOKEN", "xoxb-1-2-0123456789abcdef")
	one := fakeslack.Team{ID: "T0ONE00001", Name: "One Co"}
	installIn(t, fake, base, one)
	fake.SendMessage(fakeslack.Message{Channel: "C1", Text: bounce})
	fake.SendMessage(fakeslack.Message{Team: one.ID, Channel: "C2", Text: bounce})
	wait(t, fake, 2, "chat.postMessage")
	for ch, team := range map[string]string{"C1": fakeslack.DefaultTeamID, "C2": one.ID} {
		if posts := postsIn(fake, ch); len(posts) != 1 || posts[0].Team != team {
			t.Errorf("%s: posts from %v, want one from %s", ch, teams(posts), team)
		}
	}
	a.stop()
	data, err := os.ReadFile(filepath.Join(dir, workspacesFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "xoxb-") {
		t.Error("a bot token is in the clear in " + workspacesFile)
	}
	if !strings.Contains(string(data), one.ID) {
		t.Errorf("%s holds no installation of %s", workspacesFile, one.ID)
	}
}

// An org-wide (Enterprise Grid) install serves every workspace of the
// org; their users' choices are kept per workspace, and removing the
// org's install forgets them all, and no other workspace's.
func TestOrgWideUninstallForgetsItsWorkspaces(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	fake := fakeslack.New(fakeslack.Options{ClientID: e2eClientID, ClientSecret: e2eClientSecret})
	t.Cleanup(fake.Close)
	_, base := startMulti(t, fake, t.TempDir(), "REDIS_URL", srv.URL)
	st, err := store.OpenRedis(store.RedisOptions{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	const org = "E0ORG00001"
	first := fakeslack.Team{ID: "T0ORGA0001", Name: "Org A", EnterpriseID: org, OrgWide: true}
	second := fakeslack.Team{ID: "T0ORGB0002", Name: "Org B", EnterpriseID: org, OrgWide: true}
	outside := fakeslack.Team{ID: "T0OUT00003", Name: "Outside Co"}
	fake.AddTeam(second)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	m := addToSlack.FindStringSubmatch(fetch(t, c, base+install.InstallPath, http.StatusOK))
	if m == nil {
		t.Fatal("no Add to Slack link")
	}
	fake.NextInstall(first) // an org admin installs it for the whole org
	if body := fetch(t, c, html.UnescapeString(m[1]), http.StatusOK); !strings.Contains(body, "installed in "+org) {
		t.Fatalf("org-wide install: redirect page says:\n%s", body)
	}
	if _, err := st.Installation(ctx, store.InstallationID{EnterpriseID: org}); err != nil {
		t.Fatalf("org-wide install not saved under the org: %v", err)
	}
	installIn(t, fake, base, outside)

	// Users of both workspaces of the org, and of the one outside it,
	// choose a language.
	for team, tag := range map[string]string{first.ID: "th", second.ID: "vi", outside.ID: "th"} {
		fake.SendSlash(fakeslack.Slash{Team: team, Text: "lang " + tag})
		eventually(t, team+"'s choice saved", func() bool {
			got, _ := st.Language(ctx, team, fakeslack.DefaultUser)
			return got == tag
		})
	}

	// The org removes the app: its install and both workspaces' choices
	// go; the workspace outside the org keeps its own.
	fake.SendUninstall(first.ID)
	eventually(t, "the org forgotten", func() bool {
		_, err := st.Installation(ctx, store.InstallationID{EnterpriseID: org})
		a, _ := st.Language(ctx, first.ID, fakeslack.DefaultUser)
		b, _ := st.Language(ctx, second.ID, fakeslack.DefaultUser)
		return errors.Is(err, store.ErrNotFound) && a == "" && b == ""
	})
	if got, _ := st.Language(ctx, outside.ID, fakeslack.DefaultUser); got != "th" {
		t.Errorf("the choice of a workspace outside the org: %q after the org's uninstall; want th", got)
	}
	if _, err := st.Installation(ctx, store.InstallationID{TeamID: outside.ID}); err != nil {
		t.Errorf("the install of a workspace outside the org: %v after the org's uninstall", err)
	}
}
