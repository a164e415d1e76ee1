package bot

import (
	"context"
	"errors"
	"time"

	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/store"
)

// forgetOrder is what app_uninstalled, and tokens_revoked for the bot's
// token, ask: forget the workspace (or the org, for an org-wide install)
// as it was when the event happened. It goes through the work queue like
// any request, so that the ack Slack gets means it is queued: a replica
// that dies after the ack leaves it to another, which carries it out.
// Carrying it out twice (a takeover after a deletion that went through)
// deletes nothing more: every step is a deletion that may find nothing.
// Carrying it out late (a redelivery, a takeover, a backlog) after the
// workspace installed the app again leaves the new installation alone.
type forgetOrder struct {
	Team       string `json:"team,omitempty"`
	Enterprise string `json:"enterprise,omitempty"`
	OrgWide    bool   `json:"org_wide,omitempty"`
	// Event is app_uninstalled or tokens_revoked, for the log.
	Event string `json:"event"`
	// EventTime is the event's event_time (Unix seconds) from the
	// envelope: only an installation saved before it is removed. 0 in an
	// order queued by a version that did not record it.
	EventTime int64 `json:"event_time,omitempty"`
}

// forgetTask is the queued task of an uninstall event from o, that
// happened at eventTime (Unix seconds).
func forgetTask(o origin, event string, eventTime int64, env string) task {
	return task{Envelope: env,
		Req: handlers.Request{TeamID: o.team, EnterpriseID: o.enterprise},
		Forget: &forgetOrder{Team: o.team, Enterprise: o.enterprise, OrgWide: o.orgWide, Event: event,
			EventTime: eventTime}}
}

// happened is the time the uninstall is compared with the installation's:
// the end of the second Slack stamped the event with, since event_time
// counts whole seconds and the install to remove may have been saved
// within that second. A reinstall comes later than that: a person takes
// longer than a second to install an app after removing it. An order
// without a time removes what is there now.
func (f forgetOrder) happened() time.Time {
	if f.EventTime <= 0 {
		return time.Now()
	}
	return time.Unix(f.EventTime+1, 0)
}

// forgets reports whether the request is an uninstall: it is queued even
// when the in-memory backlog is full, being cheap and not to be lost.
func (bt *batch) forgets() bool {
	for _, t := range bt.tasks {
		if t.Forget != nil {
			return true
		}
	}
	return false
}

// Waits between attempts of an uninstall whose store calls failed: the
// store may be failing over.
const (
	forgetRetryMin = 500 * time.Millisecond
	forgetRetryMax = 10 * time.Second
)

// forget carries out an uninstall on a worker: the installation and its
// users' language choices are deleted (an org-wide install's, with the
// choices of every workspace it served). Failed calls are retried until
// ctx (the job's timeout) is done. It reports false when the bot is
// shutting down before the uninstall was carried out: the job must then
// stay in the queue, for another replica (or this one's restart) to take
// over.
func (b *Bot) forget(ctx context.Context, f forgetOrder, env string) bool {
	id := store.InstallationID{EnterpriseID: f.Enterprise, TeamID: f.Team}
	if f.OrgWide {
		id.TeamID = ""
	}
	own := b.cfg.BotToken != "" && f.Team == b.team && !f.OrgWide
	wait := forgetRetryMin
	var kept bool
	for {
		var err error
		kept, err = b.forgetOnce(ctx, f, id, own)
		if err == nil {
			break
		}
		if errors.Is(err, store.ErrInvalid) {
			// An event without a team or an org: retrying cannot help.
			b.log.Error("workspace not forgotten", "event", f.Event, "envelope_id", env, "error", err)
			return true
		}
		if b.workCtx.Err() != nil {
			b.log.Warn("shutting down before the workspace was forgotten; left in the queue for another replica",
				"event", f.Event, "team", f.Team, "enterprise", f.Enterprise, "envelope_id", env, "error", err)
			return false
		}
		if !sleep(ctx, wait) {
			b.log.Error("workspace not forgotten", "event", f.Event, "team", f.Team, "enterprise", f.Enterprise,
				"envelope_id", env, "error", err)
			return true
		}
		b.log.Warn("workspace not forgotten yet; retrying", "event", f.Event, "team", f.Team,
			"enterprise", f.Enterprise, "in", wait, "error", err)
		wait = min(2*wait, forgetRetryMax)
	}
	if kept {
		b.log.Info("workspace installed the app again since it removed it: its installation and language choices are kept",
			"event", f.Event, "team", f.Team, "enterprise", f.Enterprise, "org_wide", f.OrgWide, "envelope_id", env)
		return true
	}
	b.prefs.forgetTeam(f.Team)
	if own {
		b.log.Error("the app was removed from the workspace of SLACK_BOT_TOKEN: the token no longer works; "+
			"its users' language choices were deleted", "event", f.Event, "team", f.Team)
		return true
	}
	b.log.Info("workspace forgotten: installation and language choices deleted", "event", f.Event,
		"team", f.Team, "enterprise", f.Enterprise, "org_wide", f.OrgWide)
	return true
}

// forgetOnce makes one attempt at the deletions. kept reports an
// installation saved since the uninstall, left in place with its choices.
func (b *Bot) forgetOnce(ctx context.Context, f forgetOrder, id store.InstallationID, own bool) (kept bool, err error) {
	switch {
	case b.cfg.Installations != nil && !own:
		return b.cfg.Installations.Uninstall(ctx, id, f.happened())
	case b.cfg.Store != nil && f.Team != "":
		return false, b.cfg.Store.DeleteTeamLanguages(ctx, f.Team)
	case own:
		// Single workspace on DATA_DIR: every saved choice is its.
		return false, b.prefs.deleteAll()
	}
	return false, nil
}
