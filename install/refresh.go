package install

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/store"
)

// RefreshObserver counts token refreshes (metrics.Metrics implements it).
type RefreshObserver interface {
	// TokenRefreshed is called once per refresh attempted: trigger is
	// TriggerSweep or TriggerRequest, outcome one of the Outcome values.
	TokenRefreshed(trigger, outcome string)
}

// What started a refresh, and how it ended, for RefreshObserver.
const (
	// TriggerSweep: the background refresh (RunRefresher).
	TriggerSweep = "sweep"
	// TriggerRequest: a request found its workspace's token close to expiry.
	TriggerRequest = "request"

	// OutcomeOK: a new token was issued and saved.
	OutcomeOK = "ok"
	// OutcomeError: no new token (Slack refused, or unreachable, or the
	// lock could not be had); the old one is used while it lasts.
	OutcomeError = "error"
	// OutcomeUnsaved: a new token was issued but could not be saved.
	OutcomeUnsaved = "unsaved"
	// OutcomeRefused: Slack refused the refresh token for good (it was
	// revoked, or is unknown to Slack); the workspace must reinstall the
	// app, and the token is not refreshed again until then.
	OutcomeRefused = "refused"
)

type noObserver struct{}

func (noObserver) TokenRefreshed(string, string) {}

// sweepBatch bounds the installations one sweep reads; the rest wait for
// the next sweep, soonest to expire first.
const sweepBatch = 500

// RefreshExpiring refreshes every rotating token that expires within
// RefreshMargin, whether or not a request needs it, each under the
// installation's lock in the store, so that replicas sweeping at once
// refresh each token once. It returns how many it refreshed and how many
// failed; the error is the store's, when it could not list them.
func (in *Installations) RefreshExpiring(ctx context.Context) (refreshed, failed int, err error) {
	due, err := in.st.Expiring(ctx, in.now().Add(in.app.RefreshMargin), sweepBatch)
	if err != nil {
		return 0, 0, err
	}
	for _, inst := range due {
		if ctx.Err() != nil {
			break
		}
		// A failure is logged by renew, at most once an hour per
		// installation: a sweep runs every minute.
		_, did, err := in.renew(ctx, inst, TriggerSweep)
		switch {
		case err != nil && ctx.Err() != nil:
			// Stopped while waiting for the lock: not a failure.
		case errors.Is(err, store.ErrNotFound):
			// Uninstalled since it was listed.
		case err != nil:
			failed++
		case did:
			refreshed++
		}
	}
	return refreshed, failed, nil
}

// RunRefresher calls RefreshExpiring about every interval (jittered by up
// to a tenth either way, so that replicas started together spread their
// sweeps) until ctx is done, then returns once the sweep under way, if
// any, has finished: a refresh Slack has answered is always saved.
func (in *Installations) RunRefresher(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	for {
		wait := every - every/10 + rand.N(every/5+1)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		refreshed, failed, err := in.RefreshExpiring(ctx)
		switch {
		case err != nil && !errors.Is(err, context.Canceled):
			in.log.Warn("background token refresh: cannot list the installations", "error", err)
		case refreshed > 0:
			in.log.Info("background token refresh", "refreshed", refreshed, "failed", failed)
		}
	}
}

// refusedForGood returns Slack's error when it refused the refresh token
// itself, which no retry can change: invalid_refresh_token (the method's
// own error for a refresh token it does not accept), token_revoked and
// token_expired, account_inactive (the workspace was deleted). Anything
// else (no answer, HTTP 5xx, ratelimited, internal_error, the app's
// credentials refused) may pass, or is the app's to fix for every
// workspace at once: the next sweep tries again.
func refusedForGood(err error) (string, bool) {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return "", false
	}
	switch se.Err {
	case "invalid_refresh_token", "token_revoked", "token_expired", "account_inactive":
		return se.Err, true
	}
	return "", false
}

// errRefused is why the token of an installation whose refresh token
// Slack refused is not refreshed.
func errRefused(inst store.Installation) error {
	return fmt.Errorf("its refresh token was refused by Slack (%s); reinstall the app in that workspace: %s",
		inst.RefreshRefused, InstallPath)
}

// refused records on the installation that Slack refused its refresh
// token for good, so that no replica asks again (Expiring leaves it out)
// until a reinstall saves a new record, and says once what to do. It
// writes only over the install it refreshed: token_revoked usually comes
// from an uninstall, whose deletion may have run meanwhile, and a
// reinstall since must stay as it is. Called under the installation's
// lock, with its tokens open.
func (in *Installations) refused(ctx context.Context, inst store.Installation, code string) {
	id := inst.ID()
	inst.RefreshRefused = code
	sealed, err := in.sealed(inst)
	saved := false
	if err == nil {
		saved, err = in.st.UpdateInstallation(ctx, sealed)
	}
	switch {
	case err != nil:
		in.log.Error("Slack refused the workspace's refresh token, and the refusal was not saved: the next refresh asks again",
			"team", id.TeamID, "enterprise", id.EnterpriseID, "refused", code, "error", err)
	case !saved:
		in.log.Info("Slack refused the refresh token of an installation removed or replaced since; left as it is",
			"team", id.TeamID, "enterprise", id.EnterpriseID, "refused", code)
	default:
		in.log.Error("Slack refused the workspace's refresh token: its bot token cannot be renewed and stops working when it expires; "+
			"not retried; reinstall the app in that workspace: "+InstallPath,
			"team", id.TeamID, "enterprise", id.EnterpriseID, "refused", code, "expires_at", inst.ExpiresAt)
	}
}

// warnEvery spaces the warnings about one installation whose refresh
// keeps failing: every sweep (every minute) tries again.
const warnEvery = time.Hour

// warnFailed warns about a refresh that failed and may work when tried
// again, unless this installation's last failure was warned about within
// warnEvery.
func (in *Installations) warnFailed(inst store.Installation, trigger string, err error) {
	id, now := inst.ID(), in.now()
	in.mu.Lock()
	last, seen := in.warned[id]
	if seen && now.Sub(last) < warnEvery {
		in.mu.Unlock()
		return
	}
	in.warned[id] = now
	in.mu.Unlock()
	in.log.Warn("bot token not refreshed; using it until it expires, and trying again (warned at most once an hour)",
		"team", id.TeamID, "enterprise", id.EnterpriseID, "trigger", trigger, "expires_at", inst.ExpiresAt, "error", err)
}
