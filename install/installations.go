package install

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/store"
)

// State is the part of the shared store this package uses: installations,
// the team's language choices (deleted on uninstall), claims (single-use
// states) and locks (one refresh of a token at a time).
type State interface {
	store.Installations
	store.Languages
	store.Claimer
	store.Locker
}

// Installations keeps the installations in the shared store with their
// tokens encrypted, and hands out a token that is good for a while yet:
// with token rotation on, a token that expires within RefreshMargin is
// refreshed first, by one replica at a time. Safe for concurrent use.
type Installations struct {
	st   State
	seal *Sealer
	app  App
	log  *slog.Logger
	now  func() time.Time

	// warned: when a failed refresh of each installation was last
	// warned about (warnFailed).
	mu     sync.Mutex
	warned map[store.InstallationID]time.Time
}

// App is the app's OAuth credentials and where to reach Slack.
type App struct {
	ClientID, ClientSecret string
	// APIURL replaces https://slack.com/api/ (the fake Slack in tests).
	APIURL string
	// HTTPClient calls oauth.v2.access; http.DefaultClient when nil.
	HTTPClient *http.Client
	// RefreshMargin: a rotating token that expires within it is refreshed
	// before use, and by the background refresh (RunRefresher). 2h when
	// zero, as Bolt does (tokens live 12h).
	RefreshMargin time.Duration
	// Observer counts token refreshes; none when nil.
	Observer RefreshObserver
}

// NewInstallations keeps installations in st, sealing tokens with seal.
// now is the clock for token expiry (time.Now when nil).
func NewInstallations(st State, seal *Sealer, app App, log *slog.Logger, now func() time.Time) *Installations {
	if app.HTTPClient == nil {
		app.HTTPClient = http.DefaultClient
	}
	if app.RefreshMargin <= 0 {
		app.RefreshMargin = 2 * time.Hour
	}
	if app.Observer == nil {
		app.Observer = noObserver{}
	}
	if app.APIURL != "" && !strings.HasSuffix(app.APIURL, "/") {
		app.APIURL += "/"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Installations{st: st, seal: seal, app: app, log: log, now: now, warned: map[store.InstallationID]time.Time{}}
}

func (in *Installations) oauthOptions() []slack.OAuthOption {
	if in.app.APIURL == "" {
		return nil
	}
	return []slack.OAuthOption{slack.OAuthOptionAPIURL(in.app.APIURL)}
}

// aad binds a sealed token to its installation.
func aad(id store.InstallationID) string { return id.EnterpriseID + "/" + id.TeamID }

// Save seals the tokens and saves the installation.
func (in *Installations) Save(ctx context.Context, inst store.Installation) error {
	sealed, err := in.sealed(inst)
	if err != nil {
		return err
	}
	return in.st.PutInstallation(ctx, sealed)
}

// sealed is inst with its tokens encrypted, as it is stored.
func (in *Installations) sealed(inst store.Installation) (store.Installation, error) {
	id := inst.ID()
	var err error
	if inst.BotToken, err = in.seal.Seal(inst.BotToken, aad(id)); err != nil {
		return inst, err
	}
	if inst.RefreshToken, err = in.seal.Seal(inst.RefreshToken, aad(id)); err != nil {
		return inst, err
	}
	return inst, nil
}

// load reads an installation and opens its tokens.
func (in *Installations) load(ctx context.Context, id store.InstallationID) (store.Installation, error) {
	inst, err := in.st.Installation(ctx, id)
	if err != nil {
		return inst, err
	}
	if inst.BotToken, err = in.seal.Open(inst.BotToken, aad(id)); err != nil {
		return store.Installation{}, err
	}
	if inst.RefreshToken, err = in.seal.Open(inst.RefreshToken, aad(id)); err != nil {
		return store.Installation{}, err
	}
	return inst, nil
}

// Find returns the installation a request from the workspace is answered
// with: the workspace's own (team, within its org when there is one), or
// else the org-wide install of its Enterprise Grid org. Its bot token is
// decrypted and, with rotation on, good for at least RefreshMargin (or
// until its expiry when the refresh failed). An error wraps
// store.ErrNotFound when the app is not installed there.
func (in *Installations) Find(ctx context.Context, enterpriseID, teamID string) (store.Installation, error) {
	var ids []store.InstallationID
	if teamID != "" {
		ids = append(ids, store.InstallationID{EnterpriseID: enterpriseID, TeamID: teamID})
	}
	if enterpriseID != "" {
		ids = append(ids, store.InstallationID{EnterpriseID: enterpriseID})
	}
	if len(ids) == 0 {
		return store.Installation{}, fmt.Errorf("install: a request without a team or an org: %w", store.ErrNotFound)
	}
	for _, id := range ids {
		inst, err := in.load(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return inst, err
		}
		return in.fresh(ctx, inst)
	}
	return store.Installation{}, fmt.Errorf("install: no installation for team %q (org %q): %w", teamID, enterpriseID, store.ErrNotFound)
}

// needsRefresh tells a rotating token close to its expiry.
func (in *Installations) needsRefresh(inst store.Installation) bool {
	return inst.RefreshToken != "" && !inst.ExpiresAt.IsZero() &&
		inst.ExpiresAt.Sub(in.now()) < in.app.RefreshMargin
}

// refreshLockTTL bounds one refresh (one oauth.v2.access call and one
// write); a replica that dies holding the lock holds up the others no
// longer.
const refreshLockTTL = 30 * time.Second

// fresh refreshes inst's token when it is close to expiry, before a
// request uses it.
func (in *Installations) fresh(ctx context.Context, inst store.Installation) (store.Installation, error) {
	if !in.needsRefresh(inst) {
		return inst, nil
	}
	if inst.RefreshRefused != "" {
		return in.stale(inst, errRefused(inst))
	}
	inst, _, err := in.renew(ctx, inst, TriggerRequest)
	return inst, err
}

// renew refreshes inst's token under the store's lock of the installation.
// One replica refreshes; the others wait for the lock, then read the token
// it saved: Slack invalidates a refresh token once used, so two refreshes
// at once would leave one replica with a token that no longer works. It
// returns the installation with its tokens open, and whether this call
// refreshed it (false when another replica did meanwhile, or when the
// refresh failed and the old token still works).
func (in *Installations) renew(ctx context.Context, inst store.Installation, trigger string) (store.Installation, bool, error) {
	id := inst.ID()
	unlock, err := in.st.Lock(ctx, "token-refresh:"+aad(id), refreshLockTTL)
	if err != nil {
		err = fmt.Errorf("lock for a token refresh: %w", err)
		if ctx.Err() == nil { // a wait cut short by a shutdown is no failed refresh
			in.app.Observer.TokenRefreshed(trigger, OutcomeError)
			in.warnFailed(inst, trigger, err)
		}
		inst, err = in.stale(inst, err)
		return inst, false, err
	}
	defer func() {
		if err := unlock(context.WithoutCancel(ctx)); err != nil {
			in.log.Warn("token refresh lock not released cleanly", "team", id.TeamID, "enterprise", id.EnterpriseID, "error", err)
		}
	}()
	// Another replica may have refreshed it while this one waited, or
	// found its refresh token refused.
	listed := inst
	if inst, err = in.load(ctx, id); err != nil {
		if !errors.Is(err, store.ErrNotFound) { // not found: removed meanwhile
			in.warnFailed(listed, trigger, err)
		}
		return inst, false, err
	}
	if !in.needsRefresh(inst) {
		return inst, false, nil
	}
	if inst.RefreshRefused != "" {
		inst, err = in.stale(inst, errRefused(inst))
		return inst, false, err
	}
	// Once Slack has the refresh token it is spent: the call and the save
	// of its answer are not cut short by a shutdown, only by the lock's
	// ttl.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshLockTTL)
	defer cancel()
	res, err := slack.RefreshOAuthV2TokenContext(rctx, in.app.HTTPClient, in.app.ClientID, in.app.ClientSecret,
		inst.RefreshToken, in.oauthOptions()...)
	if err != nil {
		if code, ok := refusedForGood(err); ok {
			in.app.Observer.TokenRefreshed(trigger, OutcomeRefused)
			in.refused(rctx, inst, code)
		} else {
			in.app.Observer.TokenRefreshed(trigger, OutcomeError)
			in.warnFailed(inst, trigger, err)
		}
		inst, err = in.stale(inst, fmt.Errorf("oauth.v2.access (refresh): %w", err))
		return inst, false, err
	}
	inst.BotToken = res.AccessToken
	if res.RefreshToken != "" {
		inst.RefreshToken = res.RefreshToken
	}
	inst.ExpiresAt = in.now().Add(time.Duration(res.ExpiresIn) * time.Second)
	// Saved only over the install it refreshed: an uninstall or a
	// reinstall while Slack answered must not be undone.
	sealed, err := in.sealed(inst)
	saved := false
	if err == nil {
		saved, err = in.st.UpdateInstallation(rctx, sealed)
	}
	if err != nil {
		// The new token works; the saved refresh token is spent. Say so:
		// the next refresh will fail and the workspace must reinstall.
		in.app.Observer.TokenRefreshed(trigger, OutcomeUnsaved)
		in.log.Error("refreshed token not saved; the workspace may have to reinstall the app once it expires",
			"team", id.TeamID, "enterprise", id.EnterpriseID, "error", err)
		return inst, true, nil
	}
	if !saved {
		in.app.Observer.TokenRefreshed(trigger, OutcomeOK)
		in.log.Info("bot token refreshed for an installation removed or replaced meanwhile; not saved",
			"team", id.TeamID, "enterprise", id.EnterpriseID, "trigger", trigger)
		return inst, true, nil
	}
	in.app.Observer.TokenRefreshed(trigger, OutcomeOK)
	in.mu.Lock()
	delete(in.warned, id) // a failure after this one is news again
	in.mu.Unlock()
	in.log.Info("bot token refreshed", "team", id.TeamID, "enterprise", id.EnterpriseID,
		"expires_at", inst.ExpiresAt, "trigger", trigger)
	return inst, true, nil
}

// stale is what a failed refresh leaves: the old token while it works,
// an error once it has expired. The failure is logged where it happened.
func (in *Installations) stale(inst store.Installation, err error) (store.Installation, error) {
	if in.now().Before(inst.ExpiresAt) {
		return inst, nil
	}
	return store.Installation{}, fmt.Errorf("install: the bot token of team %q expired and was not refreshed: %w", inst.TeamID, err)
}

// Uninstall forgets an installation and the language choices made under
// it, for an uninstall that happened at at: a workspace's users' choices,
// or for an org-wide install (id.TeamID empty) those of every workspace
// of the org it served. An installation saved at at or later is a
// reinstall, which it keeps with the choices (kept is true): the uninstall
// came late (redelivered, or taken over from a replica that died). Package
// bot calls it on app_uninstalled, and on tokens_revoked for the bot's
// token; it may be called again for the same uninstall, which deletes
// nothing more.
func (in *Installations) Uninstall(ctx context.Context, id store.InstallationID, at time.Time) (kept bool, err error) {
	kept, err = in.st.DeleteInstallation(ctx, id, at)
	if err != nil || kept {
		return kept, err
	}
	if id.TeamID != "" {
		return false, in.st.DeleteTeamLanguages(ctx, id.TeamID)
	}
	return false, in.st.DeleteEnterpriseLanguages(ctx, id.EnterpriseID)
}
