package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/patrickmn/go-cache"
	"github.com/slack-go/slack"
	"go.etcd.io/bbolt"

	"github.com/smtpcodes/smtpbot/handlers"
)

// StoreFile is the name of the preference store inside Config.DataDir.
const StoreFile = "smtpbot.db"

var languagesBucket = []byte("languages")

// How long looked-up values are kept in memory.
const (
	savedTTL       = time.Hour
	localeTTL      = 12 * time.Hour
	localeErrorTTL = 5 * time.Minute // after a failed users.info
)

// prefs implements handlers.Prefs: saved choices in bbolt (or in memory
// without a DataDir), Slack locales from users.info, both cached.
type prefs struct {
	db      *bbolt.DB    // nil: memory only
	shared  *sharedLangs // non-nil: choices in Config.Store, db unused
	mem     sync.Map     // userID -> tag, when db is nil
	saved   *cache.Cache
	locales *cache.Cache
	api     *slack.Client
	log     *slog.Logger

	mu       sync.Mutex
	inflight map[string]*lookup // users.info calls under way, shared
	closed   bool
}

type lookup struct {
	done   chan struct{}
	locale string
}

var _ handlers.Prefs = (*prefs)(nil)

func openPrefs(dir string, api *slack.Client, log *slog.Logger) (*prefs, error) {
	p := &prefs{
		saved:    cache.New(savedTTL, 10*time.Minute),
		locales:  cache.New(localeTTL, 10*time.Minute),
		api:      api,
		log:      log,
		inflight: map[string]*lookup{},
	}
	if dir == "" {
		log.Warn("no data directory: language choices are kept in memory and lost on restart")
		return p, nil
	}
	file := filepath.Join(dir, StoreFile)
	db, err := openStore(dir, file)
	var bad corruptStore
	switch {
	case err == nil:
		p.db = db
		return p, nil
	case errors.Is(err, bbolt.ErrTimeout):
		// Not a broken file: another smtpbot holds it. Starting anyway
		// would hide a deployment mistake, so this one still stops.
		return nil, fmt.Errorf("open %s: locked; is another smtpbot running with this data directory?", file)
	case errors.As(err, &bad):
		// Keep the broken file for whoever wants to look at it or
		// recover it, and go on with a fresh one, so that choices made
		// from now on survive restarts and the next start is clean.
		aside := file + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
		if rerr := os.Rename(file, aside); rerr != nil {
			err = fmt.Errorf("%w; moving it aside failed: %w", err, rerr)
			break
		}
		db, rerr := openStore(dir, file)
		if rerr != nil {
			err = fmt.Errorf("%w; moved it to %s, but a fresh file failed too: %w", err, aside, rerr)
			break
		}
		log.Warn("the preferences file was corrupt: moved it aside and started a fresh one; "+
			"saved language choices start empty", "file", file, "moved_to", aside, "error", bad.err)
		p.db = db
		return p, nil
	}
	// bbolt's errors for the file are *fs.PathError, which name it again.
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == file {
		cause = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	attrs := []any{"file", file, "error", cause}
	if errors.Is(err, fs.ErrPermission) {
		attrs = append(attrs, "fix", "let the bot's user (UID 65532 in the Docker image) read and write "+
			"DATA_DIR, or point DATA_DIR at a folder it owns")
	}
	log.Warn("cannot use the preferences file: the bot runs on with language choices kept in memory, "+
		"lost on restart; the file is left as it is", attrs...)
	return p, nil
}

// corruptStore is a preferences file that bbolt opened as a file but
// could not read as a database.
type corruptStore struct{ err error }

func (c corruptStore) Error() string { return "corrupt preferences file: " + c.err.Error() }
func (c corruptStore) Unwrap() error { return c.err }

// openStore opens (or creates) the bbolt file and checks it whole: a small
// file is checked in milliseconds, and bbolt panics on a damaged page it
// meets later, in the middle of serving. A damaged file comes back as a
// corruptStore; a file that cannot be opened at all (permissions, a folder
// in its place) as the plain error.
func openStore(dir, file string) (db *bbolt.DB, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				_ = db.Close()
			}
			db, err = nil, corruptStore{fmt.Errorf("bbolt: %v", r)}
		}
	}()
	db, err = bbolt.Open(file, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrInvalid) || errors.Is(err, bbolt.ErrVersionMismatch) || errors.Is(err, bbolt.ErrChecksum) {
			return nil, corruptStore{err}
		}
		return nil, err
	}
	err = db.View(func(tx *bbolt.Tx) error {
		var first error
		for cerr := range tx.Check() { // read to the end: Check's goroutine sends them all
			if first == nil {
				first = cerr
			}
		}
		return first
	})
	if err != nil {
		_ = db.Close()
		return nil, corruptStore{err}
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(languagesBucket)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

func (p *prefs) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if p.db != nil {
		return p.db.Close()
	}
	return nil
}

// SavedLanguage returns the tag the user chose with "/smtp lang", or "".
func (p *prefs) SavedLanguage(ctx context.Context, userID string) string {
	if userID == "" {
		return ""
	}
	if p.shared != nil {
		return p.sharedLanguage(ctx, userID)
	}
	if v, ok := p.saved.Get(userID); ok {
		return v.(string)
	}
	var tag string
	if p.db == nil {
		if v, ok := p.mem.Load(userID); ok {
			tag = v.(string)
		}
	} else {
		err := p.db.View(func(tx *bbolt.Tx) error {
			if v := tx.Bucket(languagesBucket).Get([]byte(userID)); v != nil {
				tag = string(v)
			}
			return nil
		})
		if err != nil {
			p.log.Warn("cannot read saved language", "user", userID, "error", err)
			return ""
		}
	}
	p.saved.Set(userID, tag, cache.DefaultExpiration)
	return tag
}

// SaveLanguage remembers the user's choice across restarts; an empty tag
// forgets it.
func (p *prefs) SaveLanguage(ctx context.Context, userID, tag string) error {
	if userID == "" {
		return errors.New("save language: no user")
	}
	if p.shared != nil {
		return p.saveSharedLanguage(ctx, userID, tag)
	}
	if p.db == nil {
		if tag == "" {
			p.mem.Delete(userID)
		} else {
			p.mem.Store(userID, tag)
		}
	} else {
		err := p.db.Update(func(tx *bbolt.Tx) error {
			b := tx.Bucket(languagesBucket)
			if tag == "" {
				return b.Delete([]byte(userID))
			}
			return b.Put([]byte(userID), []byte(tag))
		})
		if err != nil {
			return fmt.Errorf("save language: %w", err)
		}
	}
	p.saved.Set(userID, tag, cache.DefaultExpiration)
	return nil
}

// SlackLocale returns the user's Slack locale ("en-US") from users.info,
// or "" when Slack does not say. Concurrent asks for one user share one
// call; answers are cached, failures briefly.
func (p *prefs) SlackLocale(ctx context.Context, userID string) string {
	if userID == "" {
		return ""
	}
	// Keyed by workspace too: a user id is unique within one only, and
	// users.info must be asked with that workspace's token.
	api, key := p.api, userID
	if ws := workspaceFrom(ctx); ws != nil {
		api, key = ws.api, ws.team+"/"+userID
	}
	if v, ok := p.locales.Get(key); ok {
		return v.(string)
	}
	p.mu.Lock()
	if l, ok := p.inflight[key]; ok {
		p.mu.Unlock()
		select {
		case <-l.done:
			return l.locale
		case <-ctx.Done():
			return ""
		}
	}
	l := &lookup{done: make(chan struct{})}
	p.inflight[key] = l
	p.mu.Unlock()

	ttl := time.Duration(cache.DefaultExpiration)
	u, err := api.GetUserInfoContext(ctx, userID, slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		p.log.Warn("cannot read user's locale", "method", "users.info", "user", userID, "error", err)
		ttl = localeErrorTTL
	} else {
		l.locale = u.Locale
	}
	if ctx.Err() == nil {
		p.locales.Set(key, l.locale, ttl)
	}
	p.mu.Lock()
	delete(p.inflight, key)
	p.mu.Unlock()
	close(l.done)
	return l.locale
}

// deleteAll forgets every choice in the preferences file (or memory), for
// the single workspace the app was removed from.
func (p *prefs) deleteAll() error {
	p.mem.Clear()
	if p.db != nil {
		err := p.db.Update(func(tx *bbolt.Tx) error {
			if err := tx.DeleteBucket(languagesBucket); err != nil && !errors.Is(err, bbolt.ErrBucketNotFound) {
				return err
			}
			_, err := tx.CreateBucket(languagesBucket)
			return err
		})
		if err != nil {
			return err
		}
	}
	// After the file: a read in between would cache the old choice again.
	p.saved.Flush()
	return nil
}
