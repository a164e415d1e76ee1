package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// newToken returns a random value that identifies one hold of a lock, so
// that only its holder releases it.
func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: lock token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Waits between two attempts to take a lock held by another: short at
// first (a token refresh takes a fraction of a second), then longer.
const (
	lockPollMin = 10 * time.Millisecond
	lockPollMax = 250 * time.Millisecond
)

// waitFor calls try until it reports true or an error, or ctx is done.
func waitFor(ctx context.Context, try func() (bool, error)) error {
	wait := lockPollMin
	for {
		ok, err := try()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, lockPollMax)
	}
}
