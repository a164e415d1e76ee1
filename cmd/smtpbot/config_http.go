package main

import (
	"errors"
	"fmt"
	"net"
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
func transportConfig(getenv func(string) string, appToken, botToken string) (httpSettings, error) {
	h := httpSettings{
		Addr:          strings.TrimSpace(getenv("HTTP_ADDR")),
		SigningSecret: strings.TrimSpace(getenv("SLACK_SIGNING_SECRET")),
	}
	errs := []error{bot.ValidateCredentials(appToken, botToken, h.SigningSecret)}
	if appToken == "" && h.SigningSecret == "" {
		errs = append(errs, errors.New("for HTTP mode (the Events API) instead of socket mode, leave SLACK_APP_TOKEN "+
			"empty and set SLACK_SIGNING_SECRET and HTTP_ADDR"))
	}
	if bot.HTTPMode(appToken, h.SigningSecret) && h.Addr == "" {
		errs = append(errs, errors.New("SLACK_SIGNING_SECRET is set without SLACK_APP_TOKEN (HTTP mode) but HTTP_ADDR is empty; "+
			"set HTTP_ADDR to the address Slack's requests reach, e.g. :3000 (the request URL is then https://your.host/slack/events)"))
	}
	if h.Addr != "" {
		if _, port, err := net.SplitHostPort(h.Addr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("HTTP_ADDR: %q is not an address like :3000 or 127.0.0.1:3000", h.Addr))
		}
	}
	return h, errors.Join(errs...)
}
