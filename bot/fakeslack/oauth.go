package fakeslack

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Team is a workspace the fake serves besides its own (Options.TeamID):
// the app is installed in it through the OAuth pages, and its events carry
// its ids.
type Team struct {
	ID   string // "T…"
	Name string
	// EnterpriseID is the Enterprise Grid org the workspace belongs to.
	EnterpriseID string
	// BotUserID is the bot's user in the workspace; made up when empty.
	BotUserID string
	// Installer is the user who clicks "Allow"; DefaultUser when empty.
	Installer string
	// OrgWide makes the install an org-wide one of EnterpriseID's org
	// (Enterprise Grid): oauth.v2.access answers without a team, and the
	// workspace's events say is_enterprise_install.
	OrgWide bool
}

// grant is what the fake knows of one token it issued.
type grant struct {
	team, enterprise string
	expires          time.Time // zero: does not expire
	revoked          bool
}

// Denied is the error the fake's authorize page sends back after
// DenyNextInstall, as Slack does when the user clicks "Cancel".
const Denied = "access_denied"

// AuthorizeURL is the consent page to give the install pages (their
// AuthorizeURL): it approves at once, for the team of NextInstall.
func (s *Server) AuthorizeURL() string { return s.srv.URL + "/oauth/v2/authorize" }

// NextInstall sets the workspace the next visit of AuthorizeURL installs
// the app in, as if its user clicked "Allow" there.
func (s *Server) NextInstall(t Team) {
	if t.BotUserID == "" {
		t.BotUserID = "UB" + strings.TrimPrefix(t.ID, "T")
	}
	if t.Installer == "" {
		t.Installer = DefaultUser
	}
	s.stateMu.Lock()
	s.teams[t.ID] = t
	s.installing = t.ID
	s.stateMu.Unlock()
}

// AddTeam makes a workspace known to the fake without installing the app
// in it: a workspace of an org whose org-wide install serves it, whose
// events then carry the org's ids.
func (s *Server) AddTeam(t Team) {
	if t.BotUserID == "" {
		t.BotUserID = "UB" + strings.TrimPrefix(t.ID, "T")
	}
	s.stateMu.Lock()
	s.teams[t.ID] = t
	s.stateMu.Unlock()
}

// serveAuthorize is the consent page: it redirects to redirect_uri (or
// Options.RedirectURL) with a fresh code for the team of NextInstall and
// the state it was given, as Slack does once the user allows the install.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.record(Call{Method: "oauth.authorize", Time: time.Now(), Params: map[string]string{
		"client_id": q.Get("client_id"), "scope": q.Get("scope"), "redirect_uri": q.Get("redirect_uri"),
	}})
	s.stateMu.Lock()
	target := or(q.Get("redirect_uri"), s.opts.RedirectURL)
	s.stateMu.Unlock()
	if target == "" {
		http.Error(w, "no redirect_uri and no Options.RedirectURL", http.StatusBadRequest)
		return
	}
	if s.opts.ClientID != "" && q.Get("client_id") != s.opts.ClientID {
		http.Error(w, "invalid client_id", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	s.stateMu.Lock()
	team := s.installing
	s.stateMu.Unlock()
	if team == "" {
		back.Set("error", Denied)
	} else {
		code := s.newID("code.")
		s.stateMu.Lock()
		s.codes[code] = team
		s.stateMu.Unlock()
		back.Set("code", code)
	}
	http.Redirect(w, r, target+"?"+back.Encode(), http.StatusFound)
}

// oauthAccess answers oauth.v2.access: a code from the authorize page, or
// a refresh token (grant_type=refresh_token), for a new bot token. Codes
// and refresh tokens are single use.
func (s *Server) oauthAccess(w http.ResponseWriter, c Call) {
	if s.opts.ClientID != "" && (c.Params["client_id"] != s.opts.ClientID || c.Params["client_secret"] != s.opts.ClientSecret) {
		apiError(w, "invalid_client_id")
		return
	}
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	var team string
	if c.Params["grant_type"] == "refresh_token" {
		t, ok := s.refresh[c.Params["refresh_token"]]
		if !ok {
			apiError(w, "invalid_refresh_token")
			return
		}
		delete(s.refresh, c.Params["refresh_token"])
		team = t
	} else {
		t, ok := s.codes[c.Params["code"]]
		if !ok {
			apiError(w, "invalid_code")
			return
		}
		delete(s.codes, c.Params["code"])
		team = t
		if s.installing == team {
			s.installing = ""
		}
	}
	t := s.teams[team]
	g := grant{team: t.ID, enterprise: t.EnterpriseID}
	res := map[string]any{
		"ok": true, "token_type": "bot", "scope": c.Params["scope"],
		"bot_user_id": t.BotUserID, "app_id": s.opts.AppID,
		"team":       map[string]any{"id": t.ID, "name": or(t.Name, t.ID)},
		"enterprise": nil, "is_enterprise_install": false,
		"authed_user": map[string]any{"id": t.Installer},
	}
	if t.EnterpriseID != "" {
		res["enterprise"] = map[string]any{"id": t.EnterpriseID, "name": t.EnterpriseID}
	}
	if t.OrgWide && t.EnterpriseID != "" {
		// As Slack answers an org-wide install: the org, no workspace.
		res["team"], res["is_enterprise_install"] = nil, true
	}
	prefix := "xoxb-"
	if s.opts.TokenLifetime > 0 {
		prefix = "xoxe.xoxb-"
		g.expires = time.Now().Add(s.opts.TokenLifetime)
		refresh := s.newID("xoxe-1-")
		s.refresh[refresh] = team
		res["refresh_token"] = refresh
		res["expires_in"] = int(s.opts.TokenLifetime / time.Second)
	}
	token := fmt.Sprintf("%s%s-%s", prefix, team, s.newID(""))
	s.grants[token] = g
	res["access_token"] = token
	if res["scope"] == "" {
		res["scope"] = "chat:write,commands"
	}
	s.issued[team]++
	writeJSON(w, res)
}

// checkToken tells the team a bot token belongs to, or the error Slack
// gives for it. Tokens the fake did not issue are the default team's, so
// that tests can make up any "xoxb-…" token.
func (s *Server) checkToken(token string) (team, errCode string) {
	s.stateMu.Lock()
	g, ok := s.grants[token]
	s.stateMu.Unlock()
	switch {
	case !ok && strings.HasPrefix(token, "xoxb-"):
		return s.opts.TeamID, ""
	case !ok:
		return "", "invalid_auth"
	case g.revoked:
		return "", "token_revoked"
	case !g.expires.IsZero() && time.Now().After(g.expires):
		return "", "token_expired"
	}
	return g.team, ""
}

// TokensIssued returns how many bot tokens oauth.v2.access issued for the
// team (installs and refreshes).
func (s *Server) TokensIssued(team string) int {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.issued[team]
}

// SendUninstall revokes the team's tokens and sends app_uninstalled for it,
// as Slack does when the app is removed from a workspace.
func (s *Server) SendUninstall(team string) string {
	s.revoke(team)
	return s.sendEventFor(team, map[string]any{"type": "app_uninstalled"})
}

// SendTokensRevoked revokes the team's tokens and sends tokens_revoked
// naming the bot's user, as Slack does when its token is revoked.
func (s *Server) SendTokensRevoked(team string) string {
	s.revoke(team)
	return s.sendEventFor(team, map[string]any{"type": "tokens_revoked",
		"tokens": map[string]any{"bot": []string{s.botUserFor(team)}}})
}

func (s *Server) revoke(team string) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	for tok, g := range s.grants {
		if g.team == team {
			g.revoked = true
			s.grants[tok] = g
		}
	}
	for tok, t := range s.refresh {
		if t == team {
			delete(s.refresh, tok)
		}
	}
}

// teamOf returns the team's ids for payloads: its own when it was
// installed through NextInstall, the fake's own otherwise.
func (s *Server) teamOf(id string) Team {
	if id == "" || id == s.opts.TeamID {
		return Team{ID: s.opts.TeamID, BotUserID: s.opts.BotUserID}
	}
	s.stateMu.Lock()
	t, ok := s.teams[id]
	s.stateMu.Unlock()
	if !ok {
		t = Team{ID: id, BotUserID: "UB" + strings.TrimPrefix(id, "T")}
	}
	return t
}

func (s *Server) botUserFor(team string) string { return s.teamOf(team).BotUserID }

// enterpriseOrNil is the "enterprise_id" of a payload.
func enterpriseOrNil(t Team) any {
	if t.EnterpriseID == "" {
		return nil
	}
	return t.EnterpriseID
}

// oauthRecord is an oauth.v2.access call as recorded: its secrets (the
// client secret, the code, the refresh token) replaced by "(set)".
func oauthRecord(c Call) Call {
	params := make(map[string]string, len(c.Params))
	for k, v := range c.Params {
		switch k {
		case "client_secret", "code", "refresh_token":
			v = "(set)"
		}
		params[k] = v
	}
	c.Params = params
	return c
}

// SetRedirectURL changes Options.RedirectURL: where the authorize page
// sends the browser when the link names no redirect_uri.
func (s *Server) SetRedirectURL(u string) {
	s.stateMu.Lock()
	s.opts.RedirectURL = u
	s.stateMu.Unlock()
}
