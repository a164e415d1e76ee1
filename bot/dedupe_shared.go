package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// sharedDedupe claims keys in the shared store, so that of all the
// replicas one answers a redelivered request, and one posts a reply in a
// thread within the window.
type sharedDedupe struct {
	st  store.Claimer
	log *slog.Logger
	// down is true from a failed claim to the next that works: the
	// outage is logged once when it starts and once when it ends, not on
	// every request.
	down atomic.Bool
	// failures counts the claims that failed open.
	failures atomic.Int64
	obs      Observer
}

// sharedIn makes d claim keys in st instead of remembering them in memory;
// a nil st leaves d as it is.
func (d *dedupe) sharedIn(st store.Claimer, log *slog.Logger) *dedupe {
	if st != nil {
		d.shared = &sharedDedupe{st: st, log: log}
	}
	return d
}

// claim reports whether key is first, failing open: with the store
// unreachable every key is first, and the request is answered (twice at
// worst) rather than dropped.
func (s *sharedDedupe) claim(kind, key string, ttl time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	first, err := s.st.Claim(ctx, kind+":"+key, ttl)
	if err != nil {
		s.failures.Add(1)
		if s.obs != nil {
			s.obs.StoreFailed("claim")
		}
		if s.down.CompareAndSwap(false, true) {
			s.log.Warn("shared store unreachable: answering without dedupe, so a redelivered request may be answered twice",
				"error", err)
		}
		return true
	}
	if s.down.CompareAndSwap(true, false) {
		s.log.Info("shared store reachable again: dedupe restored", "failed_claims", s.failures.Load())
	}
	return first
}
