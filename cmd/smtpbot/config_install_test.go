package main

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Multi-workspace mode refuses to start without what it needs, naming each
// variable and how to get its value; the key is never quoted.
func TestInstallConfigRefused(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	good := map[string]string{
		"SLACK_APP_TOKEN": goodAppToken, "SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "abcdef0123456789",
		"HTTP_ADDR": "127.0.0.1:0", "TOKEN_ENCRYPTION_KEY": key,
	}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"no key", with("TOKEN_ENCRYPTION_KEY", ""), []string{"TOKEN_ENCRYPTION_KEY is empty", "openssl rand -base64 32"}},
		{"short key", with("TOKEN_ENCRYPTION_KEY", "c2hvcnQ="), []string{"TOKEN_ENCRYPTION_KEY holds 5 bytes, not 32", "openssl rand -base64 32"}},
		{"key not base64", with("TOKEN_ENCRYPTION_KEY", "my secret key!"), []string{"TOKEN_ENCRYPTION_KEY is not base64"}},
		{"no secret", with("SLACK_CLIENT_SECRET", ""), []string{"SLACK_CLIENT_SECRET is empty", "App Credentials"}},
		{"no listener", with("HTTP_ADDR", ""), []string{"HTTP_ADDR is empty", "/slack/install"}},
		{"bad listener", with("HTTP_ADDR", "3000"), []string{`HTTP_ADDR: "3000" is not an address like :3000`}},
		{"bad redirect", with("SLACK_REDIRECT_URL", "bot.example.com/slack/oauth_redirect"), []string{"SLACK_REDIRECT_URL"}},
		{"secret without id", with("SLACK_CLIENT_ID", "", "SLACK_BOT_TOKEN", goodBotToken), []string{"SLACK_CLIENT_SECRET or SLACK_REDIRECT_URL is set without SLACK_CLIENT_ID"}},
		{"bad bot token beside", with("SLACK_BOT_TOKEN", "xoxb-..."), []string{"SLACK_BOT_TOKEN still holds the example value"}},
		{"neither mode", map[string]string{"SLACK_APP_TOKEN": goodAppToken}, []string{"SLACK_BOT_TOKEN is empty", "SLACK_CLIENT_ID"}},
		{"refresh interval zero", with("TOKEN_REFRESH_INTERVAL", "0s"), []string{`TOKEN_REFRESH_INTERVAL: "0s" must be a positive duration`}},
		{"refresh interval not a duration", with("TOKEN_REFRESH_INTERVAL", "1 minute"), []string{`TOKEN_REFRESH_INTERVAL: "1 minute" is not a duration`}},
		// A margin as long as a token's life would refresh every token at
		// every sweep.
		{"refresh margin too long", with("TOKEN_REFRESH_MARGIN", "12h"), []string{`TOKEN_REFRESH_MARGIN: "12h" must be a positive duration of at most 6h`}},
		{"refresh margin zero", with("TOKEN_REFRESH_MARGIN", "0"), []string{`TOKEN_REFRESH_MARGIN: "0" must be a positive duration`}},
	} {
		tc.env["DATA_DIR"] = t.TempDir()
		_, errOut, code := call(t, "", tc.env, "--env-file", "testdata/empty.env")
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", tc.name, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: error lacks %q:\n%s", tc.name, w, errOut)
			}
		}
		if k := tc.env["TOKEN_ENCRYPTION_KEY"]; k != "" && strings.Contains(errOut, k) {
			t.Errorf("%s: the error quotes TOKEN_ENCRYPTION_KEY", tc.name)
		}
	}
}

// The authorize page sits beside SLACK_API_URL, as on slack.com.
func TestAuthorizeURLBesideAPI(t *testing.T) {
	env := map[string]string{
		"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2", "TOKEN_ENCRYPTION_KEY": base64.StdEncoding.EncodeToString(make([]byte, 32)),
		"SLACK_API_URL": "http://127.0.0.1:9/api/",
	}
	s, err := loadInstallSettings(func(k string) string { return env[k] }, ":3000")
	if err != nil {
		t.Fatal(err)
	}
	if s.AuthorizeURL != "http://127.0.0.1:9/oauth/v2/authorize" {
		t.Errorf("AuthorizeURL = %q", s.AuthorizeURL)
	}
	delete(env, "SLACK_API_URL")
	if s, _ = loadInstallSettings(func(k string) string { return env[k] }, ":3000"); s.AuthorizeURL != "" {
		t.Errorf("without SLACK_API_URL, AuthorizeURL = %q, want Slack's (empty)", s.AuthorizeURL)
	}
}
