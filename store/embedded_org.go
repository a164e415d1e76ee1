package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// LinkTeam implements Languages.
func (e *Embedded) LinkTeam(_ context.Context, enterprise, team string) error {
	if enterprise == "" || team == "" {
		return fmt.Errorf("%w: link team: empty enterprise or team", ErrInvalid)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return err
		}
		if e.orgTeams[enterprise] == nil {
			e.orgTeams[enterprise] = map[string]bool{}
		}
		e.orgTeams[enterprise][team] = true
		return nil
	}
	return e.update(func(tx *bbolt.Tx) error {
		b, err := tx.Bucket(orgBucket).CreateBucketIfNotExists([]byte(enterprise))
		if err != nil {
			return err
		}
		return b.Put([]byte(team), nil)
	})
}

// DeleteEnterpriseLanguages implements Languages: the linked teams'
// choices and the links go in one transaction.
func (e *Embedded) DeleteEnterpriseLanguages(_ context.Context, enterprise string) error {
	if enterprise == "" {
		return fmt.Errorf("%w: delete enterprise languages: empty enterprise", ErrInvalid)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return err
		}
		for team := range e.orgTeams[enterprise] {
			delete(e.langs, team)
		}
		delete(e.orgTeams, enterprise)
		return nil
	}
	return e.update(func(tx *bbolt.Tx) error {
		org := tx.Bucket(orgBucket).Bucket([]byte(enterprise))
		if org == nil {
			return nil
		}
		langs := tx.Bucket(langBucket)
		err := org.ForEach(func(team, _ []byte) error {
			if err := langs.DeleteBucket(team); err != nil && !errors.Is(err, bbolt.ErrBucketNotFound) {
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket(orgBucket).DeleteBucket([]byte(enterprise))
	})
}

// Expiring implements Installations. It reads every installation: an
// embedded store serves one process and holds few of them.
func (e *Embedded) Expiring(_ context.Context, before time.Time, max int) ([]Installation, error) {
	var raws [][]byte
	if e.db == nil {
		e.mu.Lock()
		if err := e.open(); err != nil {
			e.mu.Unlock()
			return nil, err
		}
		for _, raw := range e.installs {
			raws = append(raws, raw)
		}
		e.mu.Unlock()
	} else {
		err := e.view(func(tx *bbolt.Tx) error {
			return tx.Bucket(installBucket).ForEach(func(_, v []byte) error {
				raws = append(raws, append([]byte(nil), v...))
				return nil
			})
		})
		if err != nil {
			return nil, err
		}
	}
	var out []Installation
	for _, raw := range raws {
		inst, err := decodeInstallation(raw)
		if err != nil {
			return nil, err
		}
		if expiresBefore(inst, before) {
			out = append(out, inst)
		}
	}
	return soonest(out, max), nil
}

// expiresBefore tells a rotating token that expires before t, and that
// Slack has not refused to refresh.
func expiresBefore(inst Installation, t time.Time) bool {
	return inst.RefreshToken != "" && inst.RefreshRefused == "" && !inst.ExpiresAt.IsZero() && inst.ExpiresAt.Before(t)
}

// soonest sorts by expiry and keeps the first max (all when max <= 0).
func soonest(insts []Installation, max int) []Installation {
	slices.SortFunc(insts, func(a, b Installation) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	if max > 0 && len(insts) > max {
		insts = insts[:max]
	}
	return insts
}
