package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/bbolt"
)

// Embedded is the store of a single process, with nothing to run beside
// it: language choices and installations in a bbolt file (or in memory
// when no file is given), claims and locks in memory. Claims and locks need
// not survive a restart: a claim guards against redeliveries that come
// within minutes, and a lock's holder is this process.
//
// Only one process may open a file at a time; a second waits up to a second
// for bbolt's file lock, then fails.
type Embedded struct {
	db  *bbolt.DB // nil: memory only
	now func() time.Time

	mu        sync.Mutex
	closed    bool
	langs     map[string]map[string]string // team → user → tag, without db
	installs  map[string][]byte            // InstallationID.key() → JSON, without db
	orgTeams  map[string]map[string]bool   // enterprise → linked teams, without db
	claims    map[string]time.Time         // key → expiry
	locks     map[string]heldLock
	lastSweep time.Time
	q         *memQueue // made on first use
}

type heldLock struct {
	token   string
	expires time.Time
}

// Buckets of the embedded file. The bot's older preferences file has a
// single bucket "languages" of user → tag; ReadBoltLanguages reads it.
var (
	langBucket    = []byte("store.languages")     // team → (user → tag)
	installBucket = []byte("store.installations") // InstallationID.key() → JSON
	orgBucket     = []byte("store.enterprises")   // enterprise → (team → "")
)

// sweepEvery is how often (by the store's clock) expired claims and locks
// are dropped from memory.
const sweepEvery = time.Minute

// EmbeddedOptions configures OpenEmbedded.
type EmbeddedOptions struct {
	// Path is the bbolt file; its folder is created. Empty: everything in
	// memory, lost when the process ends.
	Path string
	// Now is the clock for claim and lock expiry; time.Now when nil.
	Now func() time.Time
}

// OpenEmbedded opens (or creates) the file at opts.Path, or an in-memory
// store when the path is empty.
func OpenEmbedded(opts EmbeddedOptions) (*Embedded, error) {
	e := &Embedded{
		now:    opts.Now,
		claims: map[string]time.Time{},
		locks:  map[string]heldLock{},
	}
	if e.now == nil {
		e.now = time.Now
	}
	if opts.Path == "" {
		e.langs = map[string]map[string]string{}
		e.installs = map[string][]byte{}
		e.orgTeams = map[string]map[string]bool{}
		return e, nil
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := bbolt.Open(opts.Path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("store: open %s: locked; is another smtpbot running with this file?", opts.Path)
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{langBucket, installBucket, orgBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: prepare %s: %w", opts.Path, err)
	}
	e.db = db
	return e, nil
}

var _ Store = (*Embedded)(nil)

// Close closes the file. Later calls return nil.
func (e *Embedded) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	if e.db != nil {
		return e.db.Close()
	}
	return nil
}

// open is checked first by every method, under e.mu.
func (e *Embedded) open() error {
	if e.closed {
		return ErrClosed
	}
	return nil
}

// update runs fn in a bbolt write transaction, or under e.mu alone without
// a file. The caller must not hold e.mu.
func (e *Embedded) view(fn func(tx *bbolt.Tx) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return err
	}
	if err := e.db.View(fn); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

func (e *Embedded) update(fn func(tx *bbolt.Tx) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return err
	}
	if err := e.db.Update(fn); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// Language implements Languages.
func (e *Embedded) Language(_ context.Context, team, user string) (string, error) {
	if team == "" || user == "" {
		return "", fmt.Errorf("%w: language: empty team or user", ErrInvalid)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return "", err
		}
		return e.langs[team][user], nil
	}
	var tag string
	err := e.view(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(langBucket).Bucket([]byte(team)); b != nil {
			tag = string(b.Get([]byte(user)))
		}
		return nil
	})
	return tag, err
}

// SetLanguage implements Languages.
func (e *Embedded) SetLanguage(ctx context.Context, team, user, tag string) error {
	if tag == "" {
		return e.DeleteLanguage(ctx, team, user)
	}
	if team == "" || user == "" {
		return fmt.Errorf("%w: set language: empty team or user", ErrInvalid)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return err
		}
		if e.langs[team] == nil {
			e.langs[team] = map[string]string{}
		}
		e.langs[team][user] = tag
		return nil
	}
	return e.update(func(tx *bbolt.Tx) error {
		b, err := tx.Bucket(langBucket).CreateBucketIfNotExists([]byte(team))
		if err != nil {
			return err
		}
		return b.Put([]byte(user), []byte(tag))
	})
}

// DeleteLanguage implements Languages.
func (e *Embedded) DeleteLanguage(_ context.Context, team, user string) error {
	if team == "" || user == "" {
		return fmt.Errorf("%w: delete language: empty team or user", ErrInvalid)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return err
		}
		delete(e.langs[team], user)
		return nil
	}
	return e.update(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(langBucket).Bucket([]byte(team)); b != nil {
			return b.Delete([]byte(user))
		}
		return nil
	})
}

// DeleteTeamLanguages implements Languages.
func (e *Embedded) DeleteTeamLanguages(_ context.Context, team string) error {
	if team == "" {
		return fmt.Errorf("%w: delete team languages: empty team", ErrInvalid)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return err
		}
		delete(e.langs, team)
		return nil
	}
	return e.update(func(tx *bbolt.Tx) error {
		err := tx.Bucket(langBucket).DeleteBucket([]byte(team))
		if errors.Is(err, bbolt.ErrBucketNotFound) {
			return nil
		}
		return err
	})
}

// Installation implements Installations.
func (e *Embedded) Installation(_ context.Context, id InstallationID) (Installation, error) {
	k := id.key()
	if k == "" {
		return Installation{}, fmt.Errorf("%w: installation: empty id", ErrInvalid)
	}
	var raw []byte
	if e.db == nil {
		e.mu.Lock()
		if err := e.open(); err != nil {
			e.mu.Unlock()
			return Installation{}, err
		}
		raw = e.installs[k]
		e.mu.Unlock()
	} else {
		err := e.view(func(tx *bbolt.Tx) error {
			if v := tx.Bucket(installBucket).Get([]byte(k)); v != nil {
				raw = append([]byte(nil), v...) // v is valid only inside the transaction
			}
			return nil
		})
		if err != nil {
			return Installation{}, err
		}
	}
	return decodeInstallation(raw)
}

// PutInstallation implements Installations.
func (e *Embedded) PutInstallation(_ context.Context, inst Installation) error {
	k := inst.ID().key()
	if k == "" {
		return fmt.Errorf("%w: put installation: no team or enterprise id", ErrInvalid)
	}
	raw, err := json.Marshal(inst)
	if err != nil {
		return fmt.Errorf("store: put installation: %w", err)
	}
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return err
		}
		e.installs[k] = raw
		return nil
	}
	return e.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(installBucket).Put([]byte(k), raw)
	})
}

// UpdateInstallation implements Installations: the check and the write
// are one transaction (or under e.mu).
func (e *Embedded) UpdateInstallation(_ context.Context, inst Installation) (bool, error) {
	k := inst.ID().key()
	if k == "" {
		return false, fmt.Errorf("%w: update installation: no team or enterprise id", ErrInvalid)
	}
	raw, err := json.Marshal(inst)
	if err != nil {
		return false, fmt.Errorf("store: update installation: %w", err)
	}
	saved := false
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return false, err
		}
		if saved = sameInstall(e.installs[k], inst); saved {
			e.installs[k] = raw
		}
		return saved, nil
	}
	err = e.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(installBucket)
		if saved = sameInstall(b.Get([]byte(k)), inst); !saved {
			return nil
		}
		return b.Put([]byte(k), raw)
	})
	return saved && err == nil, err
}

// DeleteInstallation implements Installations: the check and the deletion
// are one transaction (or under e.mu).
func (e *Embedded) DeleteInstallation(_ context.Context, id InstallationID, t time.Time) (bool, error) {
	k := id.key()
	if k == "" {
		return false, fmt.Errorf("%w: delete installation: empty id", ErrInvalid)
	}
	kept := false
	if e.db == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return false, err
		}
		if kept = savedSince(e.installs[k], t); !kept {
			delete(e.installs, k)
		}
		return kept, nil
	}
	err := e.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(installBucket)
		if kept = savedSince(b.Get([]byte(k)), t); kept {
			return nil
		}
		return b.Delete([]byte(k))
	})
	return kept && err == nil, err
}

func decodeInstallation(raw []byte) (Installation, error) {
	if raw == nil {
		return Installation{}, ErrNotFound
	}
	var inst Installation
	if err := json.Unmarshal(raw, &inst); err != nil {
		return Installation{}, fmt.Errorf("store: installation: %w", err)
	}
	return inst, nil
}

// Claim implements Claimer, in memory.
func (e *Embedded) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	if key == "" || ttl <= 0 {
		return false, fmt.Errorf("%w: claim: empty key or ttl not positive", ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.open(); err != nil {
		return true, err
	}
	now := e.now()
	e.sweep(now)
	if exp, ok := e.claims[key]; ok && now.Before(exp) {
		return false, nil
	}
	e.claims[key] = now.Add(ttl)
	return true, nil
}

// sweep drops expired claims and locks, at most once per sweepEvery, so
// that memory follows the traffic of the last minutes. Under e.mu.
func (e *Embedded) sweep(now time.Time) {
	if now.Sub(e.lastSweep) < sweepEvery {
		return
	}
	e.lastSweep = now
	for k, exp := range e.claims {
		if !now.Before(exp) {
			delete(e.claims, k)
		}
	}
	for k, l := range e.locks {
		if !now.Before(l.expires) {
			delete(e.locks, k)
		}
	}
}

// Lock implements Locker, in memory.
func (e *Embedded) Lock(ctx context.Context, name string, ttl time.Duration) (Unlock, error) {
	if name == "" || ttl <= 0 {
		return nil, fmt.Errorf("%w: lock: empty name or ttl not positive", ErrInvalid)
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	try := func() (bool, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if err := e.open(); err != nil {
			return false, err
		}
		now := e.now()
		if l, ok := e.locks[name]; ok && now.Before(l.expires) {
			return false, nil
		}
		e.locks[name] = heldLock{token: token, expires: now.Add(ttl)}
		return true, nil
	}
	if err := waitFor(ctx, try); err != nil {
		return nil, err
	}
	return func(context.Context) error {
		e.mu.Lock()
		defer e.mu.Unlock()
		l, ok := e.locks[name]
		if !ok || l.token != token || !e.now().Before(l.expires) {
			return ErrLockLost
		}
		delete(e.locks, name)
		return nil
	}, nil
}
