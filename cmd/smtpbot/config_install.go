package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/smtpcodes/smtpbot/install"
)

// installSettings turn on multi-workspace mode: the OAuth install pages on
// HTTP_ADDR and a token per workspace. Every variable is in .env.example.
type installSettings struct {
	ClientID, ClientSecret string
	// RedirectURL is SLACK_REDIRECT_URL, sent as redirect_uri when set.
	RedirectURL string
	// AuthorizeURL is Slack's consent page; beside SLACK_API_URL when
	// that is set (…/api/ → …/oauth/v2/authorize), as on slack.com.
	AuthorizeURL string
	// Sealer encrypts tokens at rest (TOKEN_ENCRYPTION_KEY); the key itself
	// is not kept here.
	Sealer *install.Sealer
	// RefreshEvery is how often the background refresh looks for rotating
	// tokens that expire within RefreshMargin (TOKEN_REFRESH_INTERVAL,
	// TOKEN_REFRESH_MARGIN).
	RefreshEvery, RefreshMargin time.Duration
}

// maxRefreshMargin keeps TOKEN_REFRESH_MARGIN under half of the 12 hours
// a rotating token lives: with a margin as long as the token's life, every
// sweep would refresh every token.
const maxRefreshMargin = 6 * time.Hour

// on tells multi-workspace mode: SLACK_CLIENT_ID is set.
func (s installSettings) on() bool { return s.ClientID != "" }

// Where to find the app's credentials, for errors.
const clientHelp = "copy it from api.slack.com/apps → your app → Basic Information → App Credentials"

// loadInstallSettings reads SLACK_CLIENT_ID and the variables multi-
// workspace mode needs with it. Without SLACK_CLIENT_ID it returns the
// zero settings, or an error when a variable that only it uses is set.
func loadInstallSettings(getenv func(string) string, httpAddr string) (installSettings, error) {
	s := installSettings{
		ClientID:     strings.TrimSpace(getenv("SLACK_CLIENT_ID")),
		ClientSecret: strings.TrimSpace(getenv("SLACK_CLIENT_SECRET")),
		RedirectURL:  strings.TrimSpace(getenv("SLACK_REDIRECT_URL")),
	}
	if api := strings.TrimSpace(getenv("SLACK_API_URL")); api != "" {
		if base, ok := strings.CutSuffix(strings.TrimSuffix(api, "/"), "/api"); ok {
			s.AuthorizeURL = base + "/oauth/v2/authorize"
		}
	}
	key := getenv("TOKEN_ENCRYPTION_KEY")
	if !s.on() {
		if s.ClientSecret != "" || s.RedirectURL != "" {
			return s, errors.New("SLACK_CLIENT_SECRET or SLACK_REDIRECT_URL is set without SLACK_CLIENT_ID; " +
				"set SLACK_CLIENT_ID too to install the app in many workspaces (" + clientHelp + "), or unset them")
		}
		return s, nil
	}
	var errs []error
	if s.ClientSecret == "" {
		errs = append(errs, errors.New("SLACK_CLIENT_SECRET is empty; SLACK_CLIENT_ID turns on installs in many workspaces, which need the secret too: "+clientHelp))
	}
	if httpAddr == "" {
		errs = append(errs, errors.New("HTTP_ADDR is empty; SLACK_CLIENT_ID turns on installs in many workspaces, "+
			"whose pages (/slack/install, /slack/oauth_redirect) are served there: set it to an address like :3000"))
	}
	if s.RedirectURL != "" {
		u, err := url.Parse(s.RedirectURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("SLACK_REDIRECT_URL: %q is not a URL like https://bot.example.com%s", s.RedirectURL, install.RedirectPath))
		}
	}
	var err error
	if s.RefreshEvery, err = parseDuration(getenv, "TOKEN_REFRESH_INTERVAL", time.Minute); err == nil && s.RefreshEvery <= 0 {
		err = fmt.Errorf("TOKEN_REFRESH_INTERVAL: %q must be a positive duration like 1m", getenv("TOKEN_REFRESH_INTERVAL"))
	}
	if err != nil {
		errs = append(errs, err)
	}
	if s.RefreshMargin, err = parseDuration(getenv, "TOKEN_REFRESH_MARGIN", 2*time.Hour); err == nil &&
		(s.RefreshMargin <= 0 || s.RefreshMargin > maxRefreshMargin) {
		err = fmt.Errorf("TOKEN_REFRESH_MARGIN: %q must be a positive duration of at most 6h (Slack's rotating tokens live 12h), like 2h",
			getenv("TOKEN_REFRESH_MARGIN"))
	}
	if err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(key) == "" {
		errs = append(errs, errors.New("TOKEN_ENCRYPTION_KEY is empty; installs in many workspaces keep each workspace's token encrypted with it: "+install.KeyHelp))
	} else {
		if s.Sealer, err = install.NewSealer(key); err != nil {
			errs = append(errs, err)
		}
	}
	return s, errors.Join(errs...)
}

// checkHTTPAddr checks HTTP_ADDR's shape (host:port, host optional).
func checkHTTPAddr(addr string) error {
	if addr == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return fmt.Errorf("HTTP_ADDR: %q is not an address like :3000 or 127.0.0.1:3000", addr)
	}
	return nil
}
