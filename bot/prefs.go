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
	db      *bbolt.DB // nil: memory only
	mem     sync.Map  // userID -> tag, when db is nil
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
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	file := filepath.Join(dir, StoreFile)
	db, err := bbolt.Open(file, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: locked; is another smtpbot running with this data directory?", file)
		}
		// bbolt's own errors for the file (a *fs.PathError) already say
		// "open FILE: ..."; naming the file again doubled it.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("preference store: %w", err)
		}
		return nil, fmt.Errorf("preference store %s: %w", file, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(languagesBucket)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("prepare %s: %w", file, err)
	}
	p.db = db
	return p, nil
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
func (p *prefs) SavedLanguage(_ context.Context, userID string) string {
	if userID == "" {
		return ""
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
func (p *prefs) SaveLanguage(_ context.Context, userID, tag string) error {
	if userID == "" {
		return errors.New("save language: no user")
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
	if v, ok := p.locales.Get(userID); ok {
		return v.(string)
	}
	p.mu.Lock()
	if l, ok := p.inflight[userID]; ok {
		p.mu.Unlock()
		select {
		case <-l.done:
			return l.locale
		case <-ctx.Done():
			return ""
		}
	}
	l := &lookup{done: make(chan struct{})}
	p.inflight[userID] = l
	p.mu.Unlock()

	ttl := time.Duration(cache.DefaultExpiration)
	u, err := p.api.GetUserInfoContext(ctx, userID, slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		p.log.Warn("cannot read user's locale", "method", "users.info", "user", userID, "error", err)
		ttl = localeErrorTTL
	} else {
		l.locale = u.Locale
	}
	if ctx.Err() == nil {
		p.locales.Set(userID, l.locale, ttl)
	}
	p.mu.Lock()
	delete(p.inflight, userID)
	p.mu.Unlock()
	close(l.done)
	return l.locale
}
