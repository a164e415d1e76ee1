package bot

import (
	"context"
	"errors"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/store"
)

// Installations gives the bot token of each workspace the app is
// installed in, for a bot serving many (Config.Installations).
// install.Installations implements it.
type Installations interface {
	// Find returns the installation a request from the workspace (team,
	// in its Enterprise Grid org when enterpriseID is set) is answered
	// with, its bot token decrypted and fresh. An error wraps
	// store.ErrNotFound when the app is not installed there.
	Find(ctx context.Context, enterpriseID, teamID string) (store.Installation, error)
	// Uninstall forgets the installation and the workspace's language
	// choices, for an uninstall that happened at at. An installation
	// saved at at or later is a reinstall: it is kept, with the choices,
	// and kept is true.
	Uninstall(ctx context.Context, id store.InstallationID, at time.Time) (kept bool, err error)
}

// workspace is who answers one request: the Web API client holding the
// token of the workspace the request came from, and the bot's user there.
// It travels in the job's context, so that every call made for the
// request (files, thread parent, users.info, the replies) uses that token
// and no other, without each function taking it as an argument.
type workspace struct {
	team      string // the key of language choices
	api       *slack.Client
	botUserID string
	// orgWide: answered through the org-wide install of enterprise, whose
	// removal forgets the team's choices too (store.Languages.LinkTeam).
	enterprise string
	orgWide    bool
}

type workspaceKey struct{}

func withWorkspace(ctx context.Context, ws *workspace) context.Context {
	return context.WithValue(ctx, workspaceKey{}, ws)
}

func workspaceFrom(ctx context.Context) *workspace {
	ws, _ := ctx.Value(workspaceKey{}).(*workspace)
	return ws
}

// apiFor is the client for the request being handled in ctx: its
// workspace's, or the bot's own (SLACK_BOT_TOKEN) outside a request and in
// single-workspace mode.
func (b *Bot) apiFor(ctx context.Context) *slack.Client {
	if ws := workspaceFrom(ctx); ws != nil {
		return ws.api
	}
	return b.api
}

// errNotInstalled: the request came from a workspace the app has no
// installation for; it is acked and dropped, never answered with another
// workspace's token.
var errNotInstalled = errors.New("no installation for the workspace")

// findTimeout bounds the lookup of a workspace's token, a refresh
// included.
const findTimeout = 20 * time.Second

// workspaceFor picks the token a request is answered with. With
// SLACK_BOT_TOKEN alone every request is the bot's own workspace's (as
// before there were installations). With installations, the bot token
// answers its own workspace (from auth.test) and an installation answers
// every other; a workspace with neither is errNotInstalled.
func (b *Bot) workspaceFor(ctx context.Context, req handlers.Request) (*workspace, error) {
	if b.cfg.Installations == nil || (b.cfg.BotToken != "" && (req.TeamID == "" || req.TeamID == b.team)) {
		return &workspace{team: b.team, api: b.api, botUserID: b.botUserID}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, findTimeout)
	defer cancel()
	inst, err := b.cfg.Installations.Find(ctx, req.EnterpriseID, req.TeamID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotInstalled
	}
	if err != nil {
		return nil, err
	}
	team := req.TeamID
	if team == "" {
		team = inst.EnterpriseID
	}
	return &workspace{team: team, api: slack.New(inst.BotToken, b.apiOptions...), botUserID: inst.BotUserID,
		enterprise: inst.EnterpriseID, orgWide: inst.EnterpriseInstall}, nil
}

// origin is the workspace an event came from, as the event says it.
type origin struct {
	team, enterprise string
	// botUser is the bot's user in that workspace, from the event's
	// authorization; the bot's own messages are from it.
	botUser string
	// orgWide: the event was delivered for an org-wide install.
	orgWide bool
}

// eventOrigin reads the workspace of an Events API event: the
// installation it was delivered for (its authorization), else the
// envelope's team. In a channel shared with another organization the
// envelope may name the other side's team; the authorization names ours.
func eventOrigin(ev slackevents.EventsAPIEvent, cb *slackevents.EventsAPICallbackEvent) origin {
	o := origin{team: ev.TeamID, enterprise: ev.EnterpriseID}
	for _, a := range cb.Authorizations {
		if !a.IsBot {
			continue
		}
		o.botUser, o.orgWide = a.UserID, a.IsEnterpriseInstall
		if a.TeamID != "" || a.EnterpriseID != "" {
			o.team, o.enterprise = a.TeamID, a.EnterpriseID
		}
		break
	}
	return o
}

// notAnswered logs a request the bot will not answer: its workspace has
// no installation (uninstalled, or never installed), or its token could
// not be had.
func (b *Bot) notAnswered(t task, err error) {
	if errors.Is(err, errNotInstalled) {
		b.log.Warn("request from a workspace without an installation; acked, not answered",
			"team", t.Req.TeamID, "enterprise", t.Req.EnterpriseID, "source", t.Req.Source, "envelope_id", t.Envelope)
		return
	}
	b.log.Error("cannot get the workspace's token; request not answered",
		"team", t.Req.TeamID, "enterprise", t.Req.EnterpriseID, "source", t.Req.Source, "envelope_id", t.Envelope, "error", err)
}

// selfIn is the bot's own user in the workspace of the request in ctx,
// for telling its own messages apart.
func selfIn(ctx context.Context) origin {
	if ws := workspaceFrom(ctx); ws != nil {
		return origin{botUser: ws.botUserID}
	}
	return origin{}
}
