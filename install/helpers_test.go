package install

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

const (
	clientID     = "1234.5678"
	clientSecret = "0123456789abcdef0123456789abcdef"
)

// rig is the install pages on loopback against the fake Slack, with a
// store and a clock the test controls.
type rig struct {
	fake  *fakeslack.Server
	st    store.Store
	clock *storetest.Clock
	in    *Installations
	srv   *httptest.Server
}

func newRig(t *testing.T, fopts fakeslack.Options) *rig {
	t.Helper()
	fopts.ClientID, fopts.ClientSecret = clientID, clientSecret
	fake := fakeslack.New(fopts)
	t.Cleanup(fake.Close)
	clock := storetest.NewClock()
	st, err := store.OpenEmbedded(store.EmbeddedOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	r := &rig{fake: fake, st: st, clock: clock}
	r.in = NewInstallations(st, mustSealer(t, newKey(t)), App{ClientID: clientID, ClientSecret: clientSecret, APIURL: fake.URL()},
		slog.New(slog.DiscardHandler), clock.Now)
	mux := http.NewServeMux()
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	Pages{Installations: r.in, States: st, RedirectURL: r.srv.URL + RedirectPath, AuthorizeURL: fake.AuthorizeURL(),
		Logger: slog.New(slog.DiscardHandler), Now: clock.Now}.Mount(mux)
	return r
}

// replicasOnRedis opens n Installations, each on its own connection to
// the Redis at url, as replicas of one app share its store; they seal with
// r's key, so each can read what another saved. Logs go to h.
func replicasOnRedis(t *testing.T, r *rig, url string, n int, h slog.Handler) []*Installations {
	t.Helper()
	var replicas []*Installations
	for range n {
		st, err := store.OpenRedis(store.RedisOptions{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		replicas = append(replicas, NewInstallations(st, r.in.seal, App{ClientID: clientID, ClientSecret: clientSecret, APIURL: r.fake.URL()},
			slog.New(h), r.clock.Now))
	}
	return replicas
}

// browser is a client with its own cookies that follows redirects unless
// told not to.
func browser(t *testing.T, follow bool) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

var addLink = regexp.MustCompile(`<a class="button" href="([^"]+)">Add to Slack</a>`)

// installLink opens the install page in the browser and returns the
// "Add to Slack" link and the state it carries.
func (r *rig) installLink(t *testing.T, c *http.Client) (link, state string) {
	t.Helper()
	code, body := get(t, c, r.srv.URL+InstallPath)
	if code != http.StatusOK {
		t.Fatalf("install page: HTTP %d\n%s", code, body)
	}
	m := addLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no Add to Slack link on the install page:\n%s", body)
	}
	link = html.UnescapeString(m[1])
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return link, u.Query().Get("state")
}

// approve visits the fake's authorize page for team without following its
// redirect, and returns the redirect (to the bot, with code and state).
func (r *rig) approve(t *testing.T, link string, team fakeslack.Team) string {
	t.Helper()
	r.fake.NextInstall(team)
	res, err := browser(t, false).Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("authorize page: HTTP %d", res.StatusCode)
	}
	return res.Header.Get("Location")
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantBody(t *testing.T, what string, code int, body string, wantCode int, wantText string) {
	t.Helper()
	if code != wantCode || !strings.Contains(body, wantText) {
		t.Errorf("%s: HTTP %d, want %d with %q:\n%s", what, code, wantCode, wantText, body)
	}
}
