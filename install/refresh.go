package install

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
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
		_, did, err := in.renew(ctx, inst, TriggerSweep)
		switch {
		case err != nil && ctx.Err() != nil:
			// Stopped while waiting for the lock: not a failure.
		case err != nil:
			failed++
			id := inst.ID()
			in.log.Warn("background token refresh failed", "team", id.TeamID, "enterprise", id.EnterpriseID, "error", err)
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
		case refreshed > 0 || failed > 0:
			in.log.Info("background token refresh", "refreshed", refreshed, "failed", failed)
		}
	}
}
