package install

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/store"
)

// Paths the handler serves; Slack's app configuration names the redirect.
const (
	InstallPath  = "/slack/install"
	RedirectPath = "/slack/oauth_redirect"
)

// stateCookie carries the state from the install page to the redirect in
// the browser that started the install.
const stateCookie = "smtpbot_oauth_state"

// DefaultAuthorizeURL is Slack's OAuth v2 consent page.
const DefaultAuthorizeURL = "https://slack.com/oauth/v2/authorize"

// BotScopes are the bot scopes the install asks for; manifest.yaml lists
// the same (a test checks).
var BotScopes = []string{
	"app_mentions:read", "channels:history", "groups:history", "im:history", "mpim:history",
	"chat:write", "commands", "files:read", "users:read",
}

// Pages configures the install and redirect pages.
type Pages struct {
	// Installations saves what oauth.v2.access returns.
	Installations *Installations
	// States records issued and used states; the same shared store.
	States store.Claimer
	// RedirectURL is sent as redirect_uri when set; it must then be one of
	// the app's redirect URLs. When empty Slack uses the app's only one.
	RedirectURL string
	// AuthorizeURL replaces DefaultAuthorizeURL (the fake Slack in tests).
	AuthorizeURL string
	// Logger: slog.Default() when nil. No token, code or state is logged.
	Logger *slog.Logger
	// Now is the clock for states; time.Now when nil.
	Now func() time.Time
}

type pages struct {
	cfg    Pages
	in     *Installations
	states *states
	log    *slog.Logger
}

// Handler serves GET InstallPath and GET RedirectPath; mount it on the
// HTTP_ADDR mux under both paths.
func (p Pages) Handler() http.Handler {
	if p.AuthorizeURL == "" {
		p.AuthorizeURL = DefaultAuthorizeURL
	}
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	pg := &pages{cfg: p, in: p.Installations, log: p.Logger,
		states: &states{st: p.States, seal: p.Installations.seal, now: p.Now}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+InstallPath, pg.install)
	mux.HandleFunc("GET "+RedirectPath, pg.redirect)
	return mux
}

// Mount registers the pages on mux (the one of HTTP_ADDR).
func (p Pages) Mount(mux *http.ServeMux) {
	h := p.Handler()
	mux.Handle(InstallPath, h)
	mux.Handle(RedirectPath, h)
}

// exchangeTimeout bounds the oauth.v2.access call and the save.
const exchangeTimeout = 15 * time.Second

func (pg *pages) install(w http.ResponseWriter, r *http.Request) {
	state, err := pg.states.issue(r.Context())
	if err != nil {
		pg.log.Error("install page: cannot record a state in the store", "error", err)
		pg.render(w, http.StatusServiceUnavailable, page{Title: "Try again in a moment",
			Message: "The bot cannot reach its store right now, so the install cannot start safely. Reload this page in a moment."})
		return
	}
	q := url.Values{
		"client_id": {pg.in.app.ClientID},
		"scope":     {strings.Join(BotScopes, ",")},
		"state":     {state},
	}
	if pg.cfg.RedirectURL != "" {
		q.Set("redirect_uri", pg.cfg.RedirectURL)
	}
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: state, Path: RedirectPath,
		MaxAge: int(StateTTL / time.Second), HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode, // Lax: sent on Slack's redirect back, a top-level GET
	})
	w.Header().Set("Cache-Control", "no-store")
	pg.render(w, http.StatusOK, page{Title: "Add smtpbot to Slack", AddURL: pg.cfg.AuthorizeURL + "?" + q.Encode()})
}

// secure tells whether the browser reached the bot over HTTPS (directly
// or through a proxy that says so), for the cookie's Secure flag.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (pg *pages) redirect(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()
	// The cookie has done its job whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: RedirectPath, MaxAge: -1,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
	if e := q.Get("error"); e != "" {
		pg.log.Info("install cancelled in Slack", "error", e)
		pg.render(w, http.StatusBadRequest, page{Title: "Not installed",
			Message: "Slack did not install the app (" + e + "). Nothing was saved. You can start again from the install page.",
			Retry:   true})
		return
	}
	c, cerr := r.Cookie(stateCookie)
	cookie := ""
	if cerr == nil {
		cookie = c.Value
	}
	if err := pg.states.consume(r.Context(), q.Get("state"), cookie, cerr == nil); err != nil {
		if isStateError(err) {
			pg.log.Info("install redirect refused", "why", err.Error())
			pg.render(w, http.StatusBadRequest, page{Title: "Not installed", Message: err.Error() + " Nothing was saved.", Retry: true})
			return
		}
		pg.log.Error("install redirect: cannot check the state in the store", "error", err)
		pg.render(w, http.StatusServiceUnavailable, page{Title: "Try again in a moment",
			Message: "The bot cannot reach its store right now. Nothing was saved. Start again from the install page in a moment.", Retry: true})
		return
	}
	code := q.Get("code")
	if code == "" {
		pg.render(w, http.StatusBadRequest, page{Title: "Not installed",
			Message: "The link from Slack has no code to exchange. Nothing was saved.", Retry: true})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), exchangeTimeout)
	defer cancel()
	inst, res, err := pg.exchange(ctx, code)
	if err != nil {
		pg.log.Warn("install failed", "error", err)
		pg.render(w, http.StatusBadGateway, page{Title: "Not installed",
			Message: "Slack did not complete the install: " + safeError(err) + ". Nothing was saved.", Retry: true})
		return
	}
	if err := pg.in.Save(ctx, inst); err != nil {
		pg.log.Error("install: cannot save the installation", "team", inst.TeamID, "enterprise", inst.EnterpriseID, "error", err)
		pg.render(w, http.StatusServiceUnavailable, page{Title: "Not installed",
			Message: "Slack installed the app, but the bot could not save it. Start again from the install page in a moment.", Retry: true})
		return
	}
	pg.log.Info("installed", "team", inst.TeamID, "enterprise", inst.EnterpriseID,
		"enterprise_install", inst.EnterpriseInstall, "installer", inst.InstallerUserID,
		"scopes", len(inst.Scopes), "rotating", inst.RefreshToken != "")
	name := res.Team.Name
	if inst.EnterpriseInstall {
		name = res.Enterprise.Name
	}
	open := "https://slack.com/app_redirect?" + url.Values{"app": {res.AppID}, "team": {inst.TeamID}}.Encode()
	pg.render(w, http.StatusOK, page{Title: "Installed",
		Message: "smtpbot is installed in " + or(name, "your workspace") + ". Paste a bounce in a channel it is in, or type /smtp help.",
		OpenURL: open})
}

// exchange trades the code for the installation.
func (pg *pages) exchange(ctx context.Context, code string) (store.Installation, *slack.OAuthV2Response, error) {
	res, err := slack.GetOAuthV2ResponseContext(ctx, pg.in.app.HTTPClient, pg.in.app.ClientID, pg.in.app.ClientSecret,
		code, pg.cfg.RedirectURL, pg.in.oauthOptions()...)
	if err != nil {
		return store.Installation{}, nil, err
	}
	if res.AccessToken == "" || res.TokenType != "bot" {
		return store.Installation{}, nil, errors.New("oauth.v2.access returned no bot token")
	}
	inst := store.Installation{
		EnterpriseID:      res.Enterprise.ID,
		TeamID:            res.Team.ID,
		EnterpriseInstall: res.IsEnterpriseInstall,
		BotToken:          res.AccessToken,
		BotUserID:         res.BotUserID,
		InstallerUserID:   res.AuthedUser.ID,
		RefreshToken:      res.RefreshToken,
		InstalledAt:       pg.cfg.Now().UTC(),
	}
	for _, s := range strings.Split(res.Scope, ",") {
		if s = strings.TrimSpace(s); s != "" {
			inst.Scopes = append(inst.Scopes, s)
		}
	}
	if res.ExpiresIn > 0 {
		inst.ExpiresAt = pg.cfg.Now().Add(time.Duration(res.ExpiresIn) * time.Second).UTC()
	}
	if inst.TeamID == "" && !inst.EnterpriseInstall {
		return store.Installation{}, nil, errors.New("oauth.v2.access named no workspace")
	}
	return inst, res, nil
}

// safeError is an error for the page: Slack's error code, never a URL or
// a value from the request.
func safeError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return "HTTP " + sc.Status
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Slack did not answer in time"
	}
	return "Slack could not be reached"
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type page struct {
	Title, Message  string
	AddURL, OpenURL string
	Retry           bool
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · smtpbot</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
a.button{display:inline-block;padding:.6rem 1.2rem;background:#4a154b;color:#fff;border-radius:6px;text-decoration:none}</style>
</head><body>
<h1>{{.Title}}</h1>
{{if .AddURL}}<p>smtpbot explains SMTP reply codes and bounces in Slack, in English, Vietnamese and Thai.</p>
<p><a class="button" href="{{.AddURL}}">Add to Slack</a></p>
<p><small>The link is good for 10 minutes, in this browser.</small></p>{{end}}
{{if .Message}}<p>{{.Message}}</p>{{end}}
{{if .OpenURL}}<p><a class="button" href="{{.OpenURL}}">Open Slack</a></p>{{end}}
{{if .Retry}}<p><a href="` + InstallPath + `">Back to the install page</a></p>{{end}}
</body></html>
`))

func (pg *pages) render(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	if err := pageTmpl.Execute(w, p); err != nil {
		pg.log.Warn("install page not written", "error", err)
	}
}
