package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/patrickmn/go-cache"
	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/store"
)

// storeTimeout bounds one call to the shared store on a request's path:
// past it the bot answers without the store.
const storeTimeout = 2 * time.Second

// sharedLangs keeps language choices in the shared store (Config.Store),
// where every replica reads the same choice. Choices are kept per team: the
// bot's own, from auth.test, until requests carry theirs.
type sharedLangs struct {
	st   store.Languages
	team atomic.Pointer[string]
}

// newSharedPrefs is openPrefs for a bot with a shared store: no bbolt
// file (replicas on one host would fight over its lock).
func newSharedPrefs(st store.Languages, api *slack.Client, log *slog.Logger) *prefs {
	return &prefs{
		shared:   &sharedLangs{st: st},
		saved:    cache.New(savedTTL, 10*time.Minute),
		locales:  cache.New(localeTTL, 10*time.Minute),
		api:      api,
		log:      log,
		inflight: map[string]*lookup{},
	}
}

// setTeam records the bot's workspace once auth.test said it.
func (p *prefs) setTeam(team string) {
	if p.shared != nil && team != "" {
		p.shared.team.Store(&team)
	}
}

func (s *sharedLangs) teamID() string {
	if t := s.team.Load(); t != nil {
		return *t
	}
	return ""
}

// sharedLanguage reads the choice from the store each time (another
// replica may have changed it), keeping the answer as a fallback: with the
// store unreachable the last choice read is used, or none.
func (p *prefs) sharedLanguage(ctx context.Context, userID string) string {
	team := p.teamFor(ctx)
	if team == "" {
		return ""
	}
	key := team + "/" + userID
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	tag, err := p.shared.st.Language(ctx, team, userID)
	if err != nil {
		p.log.Warn("cannot read a saved language from the shared store; using the last one read", "user", userID, "error", err)
		if v, ok := p.saved.Get(key); ok {
			return v.(string)
		}
		return ""
	}
	p.saved.Set(key, tag, cache.DefaultExpiration)
	return tag
}

// saveSharedLanguage saves the choice in the store; an error reaches the
// user ("could not save"), so no choice is lost in silence.
func (p *prefs) saveSharedLanguage(ctx context.Context, userID, tag string) error {
	team := p.teamFor(ctx)
	if team == "" {
		return errors.New("save language: the bot's workspace is not known yet")
	}
	ws := workspaceFrom(ctx)
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if ws != nil && ws.orgWide && ws.enterprise != "" {
		// Linked first: a choice the org's uninstall could not find would
		// outlive it.
		if err := p.shared.st.LinkTeam(ctx, ws.enterprise, team); err != nil {
			return err
		}
	}
	if err := p.shared.st.SetLanguage(ctx, team, userID, tag); err != nil {
		return err
	}
	p.saved.Set(team+"/"+userID, tag, cache.DefaultExpiration)
	return nil
}

// teamFor is the workspace whose choices a request reads: the request's
// own (in its context), else the bot's from auth.test.
func (p *prefs) teamFor(ctx context.Context) string {
	if ws := workspaceFrom(ctx); ws != nil && ws.team != "" {
		return ws.team
	}
	return p.shared.teamID()
}

// forgetTeam drops what is cached of a workspace the app was removed
// from, after its choices were deleted from the store.
func (p *prefs) forgetTeam(team string) {
	if team == "" {
		return
	}
	for _, c := range []*cache.Cache{p.saved, p.locales} {
		for k := range c.Items() {
			if strings.HasPrefix(k, team+"/") {
				c.Delete(k)
			}
		}
	}
}
