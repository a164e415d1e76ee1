package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/smtpcodes/smtpbot/bot"
)

// httpSettings are the HTTP listener's variables (documented in
// .env.example).
type httpSettings struct {
	// Addr is HTTP_ADDR: where the one HTTP listener takes requests
	// (Slack's, in HTTP mode; the install pages). Empty: no listener.
	Addr string
	// SigningSecret is SLACK_SIGNING_SECRET: with no SLACK_APP_TOKEN it
	// puts the bot in HTTP mode.
	SigningSecret string
}

// httpMode reports whether Slack's requests come over HTTP rather than the
// socket.
func (c config) httpMode() bool { return bot.HTTPMode(c.AppToken, c.HTTP.SigningSecret) }

// transportConfig reads HTTP_ADDR and SLACK_SIGNING_SECRET and checks the
// credentials of the transport they choose: socket mode with
// SLACK_APP_TOKEN, HTTP mode with SLACK_SIGNING_SECRET and HTTP_ADDR and no
// app token.
func transportConfig(getenv func(string) string, appToken, botToken string, installs bool) (httpSettings, error) {
	h := httpSettings{
		Addr:          strings.TrimSpace(getenv("HTTP_ADDR")),
		SigningSecret: strings.TrimSpace(getenv("SLACK_SIGNING_SECRET")),
	}
	var errs []error
	switch {
	case installs && botToken == "" && bot.HTTPMode(appToken, h.SigningSecret):
		// Many workspaces over HTTP: each workspace's token comes from its
		// install.
		errs = append(errs, bot.ValidateSigningSecret(h.SigningSecret))
	case installs && botToken == "":
		errs = append(errs, bot.ValidateAppToken(appToken))
	case botToken == "" && appToken != "":
		errs = append(errs, fmt.Errorf("%w\n(or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, HTTP_ADDR and TOKEN_ENCRYPTION_KEY to install the app in many workspaces instead; see README.md)",
			bot.ValidateCredentials(appToken, botToken, h.SigningSecret)))
	default:
		errs = append(errs, bot.ValidateCredentials(appToken, botToken, h.SigningSecret))
	}
	if appToken == "" && h.SigningSecret == "" {
		errs = append(errs, errors.New("for HTTP mode (the Events API) instead of socket mode, leave SLACK_APP_TOKEN "+
			"empty and set SLACK_SIGNING_SECRET and HTTP_ADDR"))
	}
	if bot.HTTPMode(appToken, h.SigningSecret) && h.Addr == "" {
		errs = append(errs, errors.New("SLACK_SIGNING_SECRET is set without SLACK_APP_TOKEN (HTTP mode) but HTTP_ADDR is empty; "+
			"set HTTP_ADDR to the address Slack's requests reach, e.g. :3000 (the request URL is then https://your.host/slack/events)"))
	}
	return h, errors.Join(errs...)
}
