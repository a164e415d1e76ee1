package install

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store"
)

var teamNew = fakeslack.Team{ID: "T0NEW00001", Name: "New Co", BotUserID: "UBNEW00001", Installer: "U0ADMIN001"}

// The whole flow: the page sets a cookie and links to Slack with a state;
// Slack sends the browser back with a code; the code is exchanged and the
// installation saved, its token sealed.
func TestInstallFlow(t *testing.T) {
	r := newRig(t, fakeslack.Options{})
	c := browser(t, true)
	link, state := r.installLink(t, c)
	u, _ := url.Parse(link)
	q := u.Query()
	if q.Get("client_id") != clientID || q.Get("redirect_uri") != r.srv.URL+RedirectPath || state == "" {
		t.Errorf("authorize link lacks client_id, redirect_uri or state: %s", link)
	}
	if got := strings.Split(q.Get("scope"), ","); !slices.Equal(got, BotScopes) {
		t.Errorf("scopes %v, want %v", got, BotScopes)
	}
	res, err := c.Get(r.srv.URL + InstallPath)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var ck *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == stateCookie {
			ck = k
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != RedirectPath || ck.MaxAge != 600 {
		t.Errorf("state cookie %+v: want HttpOnly, SameSite=Lax, Path=%s, Max-Age=600", ck, RedirectPath)
	}

	link, _ = r.installLink(t, c)
	r.fake.NextInstall(teamNew)
	code, body := get(t, c, link) // authorize → redirect → the bot
	wantBody(t, "redirect", code, body, http.StatusOK, "installed in New Co")
	if n := r.fake.Count("oauth.v2.access"); n != 1 {
		t.Fatalf("oauth.v2.access called %d times, want 1", n)
	}
	call := r.fake.Calls("oauth.v2.access")[0]
	if call.Params["client_id"] != clientID || call.Params["redirect_uri"] != r.srv.URL+RedirectPath {
		t.Errorf("oauth.v2.access params %v", call.Params)
	}

	inst, err := r.in.Find(ctxT(t), "", teamNew.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(inst.BotToken, "xoxb-") || inst.BotUserID != teamNew.BotUserID ||
		inst.InstallerUserID != teamNew.Installer || len(inst.Scopes) == 0 || inst.InstalledAt.IsZero() {
		t.Errorf("installation %+v", redact(inst))
	}
	if inst.RefreshToken != "" || !inst.ExpiresAt.IsZero() {
		t.Errorf("without rotation, no refresh token or expiry: %+v", redact(inst))
	}
	raw, err := r.st.Installation(ctxT(t), store.InstallationID{TeamID: teamNew.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw.BotToken, sealedPrefix) || strings.Contains(raw.BotToken, "xoxb") {
		t.Errorf("token saved in the clear")
	}
	// A workspace nobody installed is not found.
	if _, err := r.in.Find(ctxT(t), "", "T0OTHER001"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Find(other team) = %v, want ErrNotFound", err)
	}
}

func redact(in store.Installation) store.Installation {
	in.BotToken, in.RefreshToken = "(token)", "(refresh)"
	return in
}

// Every way a redirect can fail to prove it comes from an install started
// in this browser: a 400 page saying why, and nothing exchanged or saved.
func TestRedirectRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		// redirect returns the URL to visit and the browser to visit it
		// with, after whatever set-up the case needs.
		redirect func(t *testing.T, r *rig) (*http.Client, string)
		want     string
	}{
		{"missing state", func(t *testing.T, r *rig) (*http.Client, string) {
			c := browser(t, false)
			r.installLink(t, c)
			return c, r.srv.URL + RedirectPath + "?code=code.x"
		}, "no state parameter"},
		{"no cookie", func(t *testing.T, r *rig) (*http.Client, string) {
			link, _ := r.installLink(t, browser(t, false))
			return browser(t, false), r.approve(t, link, teamNew)
		}, "did not send back the cookie"},
		{"state of another browser", func(t *testing.T, r *rig) (*http.Client, string) {
			mine := browser(t, false)
			r.installLink(t, mine)
			link, _ := r.installLink(t, browser(t, false))
			return mine, r.approve(t, link, teamNew)
		}, "does not match this browser"},
		{"forged state", func(t *testing.T, r *rig) (*http.Client, string) {
			c := browser(t, false)
			forged := "bm9uY2Vub25jZW5vbmNl.1796461200.AAAA"
			u, _ := url.Parse(r.srv.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: stateCookie, Value: forged, Path: RedirectPath}})
			return c, r.srv.URL + RedirectPath + "?code=code.x&state=" + forged
		}, "not issued by this app"},
		{"expired", func(t *testing.T, r *rig) (*http.Client, string) {
			c := browser(t, false)
			link, _ := r.installLink(t, c)
			back := r.approve(t, link, teamNew)
			r.clock.Advance(StateTTL + 1e9)
			return c, back
		}, "expired"},
		{"cancelled in Slack", func(t *testing.T, r *rig) (*http.Client, string) {
			c := browser(t, false)
			_, state := r.installLink(t, c)
			return c, r.srv.URL + RedirectPath + "?error=access_denied&state=" + url.QueryEscape(state)
		}, "access_denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, fakeslack.Options{})
			c, u := tc.redirect(t, r)
			code, body := get(t, c, u)
			wantBody(t, tc.name, code, body, http.StatusBadRequest, tc.want)
			wantNothingInstalled(t, r)
		})
	}
}

func wantNothingInstalled(t *testing.T, r *rig) {
	t.Helper()
	if n := r.fake.Count("oauth.v2.access"); n != 0 {
		t.Errorf("oauth.v2.access called %d times, want none", n)
	}
	if _, err := r.st.Installation(ctxT(t), store.InstallationID{TeamID: teamNew.ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an installation was saved (%v)", err)
	}
}

// A redirect replayed (the same link and cookie, a second time) is
// refused: the state is single use.
func TestRedirectReplayed(t *testing.T) {
	r := newRig(t, fakeslack.Options{})
	c := browser(t, false)
	link, _ := r.installLink(t, c)
	back := r.approve(t, link, teamNew)
	code, body := get(t, c, back)
	wantBody(t, "first visit", code, body, http.StatusOK, "installed in New Co")
	if _, err := r.st.DeleteInstallation(ctxT(t), store.InstallationID{TeamID: teamNew.ID}, r.clock.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	c.Jar.SetCookies(mustURL(t, r.srv.URL), []*http.Cookie{{Name: stateCookie, Value: url.Values(mustURL(t, back).Query()).Get("state"), Path: RedirectPath}})
	code, body = get(t, c, back)
	wantBody(t, "replay", code, body, http.StatusBadRequest, "already used")
	if n := r.fake.Count("oauth.v2.access"); n != 1 {
		t.Errorf("oauth.v2.access called %d times, want 1 (the replay exchanges nothing)", n)
	}
	if _, err := r.st.Installation(ctxT(t), store.InstallationID{TeamID: teamNew.ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the replay saved an installation (%v)", err)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A code Slack refuses leaves nothing saved, and the page says Slack's
// error, never the code.
func TestExchangeRefused(t *testing.T) {
	r := newRig(t, fakeslack.Options{})
	c := browser(t, false)
	_, state := r.installLink(t, c)
	code, body := get(t, c, r.srv.URL+RedirectPath+"?code=code.notissued&state="+url.QueryEscape(state))
	wantBody(t, "bad code", code, body, http.StatusBadGateway, "invalid_code")
	if strings.Contains(body, "code.notissued") {
		t.Error("the page quotes the code")
	}
	if _, err := r.st.Installation(ctxT(t), store.InstallationID{TeamID: teamNew.ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an installation was saved (%v)", err)
	}
}

// The install asks for the scopes the manifest declares.
func TestScopesMatchManifest(t *testing.T) {
	data, err := os.ReadFile("../manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var scopes []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "bot:":
			in = true
		case in && strings.HasPrefix(trimmed, "- "):
			s, _, _ := strings.Cut(strings.TrimPrefix(trimmed, "- "), "#")
			scopes = append(scopes, strings.TrimSpace(s))
		case in:
			in = false
		}
	}
	if !slices.Equal(scopes, BotScopes) {
		t.Errorf("manifest.yaml bot scopes %v, BotScopes %v", scopes, BotScopes)
	}
}
