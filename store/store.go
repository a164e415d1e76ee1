package store

import (
	"context"
	"errors"
	"time"
)

// Store is the state smtpbot keeps beyond one request. Every method is safe
// for concurrent use, by goroutines of one process and (for the shared
// implementations) by several processes at once. Implementations:
// Embedded (a bbolt file, or memory only) and Redis (Redis 7+ or Valkey 7+,
// standalone, Sentinel or Cluster). TestStore runs the same conformance
// suite (Exercise) against each.
//
// A method that cannot reach the backing store returns an error that
// wraps ErrUnavailable; the caller decides whether to go on without it.
type Store interface {
	Languages
	Claimer
	Installations
	Locker
	Queue

	// Close releases the store's files or connections. Calls after Close
	// fail; Close itself may be called more than once.
	Close() error
}

// Languages keeps the language each user chose ("/smtp lang"), per
// workspace: user ids are unique only within a team.
type Languages interface {
	// Language returns the tag the user chose, or "" and a nil error when
	// they chose none.
	Language(ctx context.Context, team, user string) (string, error)
	// SetLanguage saves the user's choice until it is replaced or
	// deleted; it survives restarts of the bot. An empty tag deletes it.
	SetLanguage(ctx context.Context, team, user, tag string) error
	// DeleteLanguage forgets the user's choice; deleting a choice that
	// does not exist is not an error.
	DeleteLanguage(ctx context.Context, team, user string) error
	// DeleteTeamLanguages forgets every choice made in the team, for a
	// workspace that uninstalled the app.
	DeleteTeamLanguages(ctx context.Context, team string) error
	// LinkTeam records that the team is served through the org-wide
	// install of the Enterprise Grid org enterprise, so that
	// DeleteEnterpriseLanguages forgets the team's choices with the org.
	// Choices stay keyed by team (user ids are per workspace); the link is
	// what finds them. Linking again is not an error.
	LinkTeam(ctx context.Context, enterprise, team string) error
	// DeleteEnterpriseLanguages forgets the choices of every team linked
	// to the org, and the links, for an org-wide install that was removed.
	// Deleting again, or for an org without links, is not an error.
	DeleteEnterpriseLanguages(ctx context.Context, enterprise string) error
}

// Claimer gives at-most-once handling of a request that may arrive more
// than once (a redelivered event, a retried slash command, the same reply
// in one thread) and on more than one replica.
type Claimer interface {
	// Claim reports first == true to exactly one of all the callers that
	// claim key within ttl of the first claim, across every process
	// sharing the store, and false to the others. After ttl the key may
	// be claimed again. ttl must be positive.
	//
	// When the store cannot be reached Claim returns first == true with an
	// error wrapping ErrUnavailable: the bot then answers (a duplicate at
	// worst) rather than go silent, and logs and counts the error.
	Claim(ctx context.Context, key string, ttl time.Duration) (first bool, err error)
}

// Installations keeps one Installation per workspace, or per Enterprise
// Grid organization for an org-wide install.
type Installations interface {
	// Installation returns the installation with the id, or an error
	// wrapping ErrNotFound.
	Installation(ctx context.Context, id InstallationID) (Installation, error)
	// PutInstallation saves inst under inst.ID(), replacing what was
	// there.
	PutInstallation(ctx context.Context, inst Installation) error
	// UpdateInstallation saves inst under inst.ID() only when the
	// installation saved there has inst's InstalledAt: the install inst
	// was read from, neither removed nor replaced by a reinstall since.
	// The check and the write are one atomic step. It reports whether inst
	// was saved.
	UpdateInstallation(ctx context.Context, inst Installation) (saved bool, err error)
	// DeleteInstallation removes the installation when it was installed
	// before t (InstalledAt before t, or unknown: a record saved before
	// InstalledAt was recorded counts as older than any t), for an
	// uninstall that happened at t. The check and the deletion are one
	// atomic step, so that a reinstall saved meanwhile is never removed.
	// It reports kept == true when it left an installation from t or
	// later in place; deleting one that does not exist is not an error
	// (kept is false).
	DeleteInstallation(ctx context.Context, id InstallationID, t time.Time) (kept bool, err error)
	// Expiring returns the installations with a rotating token
	// (RefreshToken set, RefreshRefused empty) whose ExpiresAt is before
	// t, soonest first, at most max of them: the ones a background refresh
	// must renew.
	Expiring(ctx context.Context, before time.Time, max int) ([]Installation, error)
}

// Locker serializes work that one process at a time must do across every
// process sharing the store, such as refreshing a rotating token.
type Locker interface {
	// Lock waits until it holds the lock name, or ctx is done (then it
	// returns ctx's error). The lock is held until the returned Unlock is
	// called or ttl has passed, whichever is first: a holder that dies
	// cannot block the others for longer than ttl. Work under the lock must
	// finish well within ttl.
	Lock(ctx context.Context, name string, ttl time.Duration) (Unlock, error)
}

// Unlock releases a lock taken by Lock. It releases only the caller's own
// hold: when ttl has passed and another process holds the lock now, Unlock
// leaves it alone and returns ErrLockLost (the work done under it may have
// overlapped another's).
type Unlock func(ctx context.Context) error

// Errors the implementations wrap; test with errors.Is.
var (
	// ErrNotFound: no such installation.
	ErrNotFound = errors.New("store: not found")
	// ErrUnavailable: the backing store could not be reached or failed.
	ErrUnavailable = errors.New("store: unavailable")
	// ErrLockLost: the lock expired and was taken by another holder before
	// Unlock.
	ErrLockLost = errors.New("store: lock expired before unlock")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store: closed")
	// ErrInvalid: an argument the contract forbids (an empty id, a ttl
	// that is not positive).
	ErrInvalid = errors.New("store: invalid argument")
)

// InstallationID names an installation: a workspace (TeamID, with its
// EnterpriseID when it belongs to an Enterprise Grid org), or a whole org
// for an org-wide install (EnterpriseID only, TeamID empty), as Slack's
// Bolt frameworks key them.
type InstallationID struct {
	EnterpriseID string
	TeamID       string
}

// key is the id as one string: the team when there is one, else the org.
// "" when both are empty.
func (id InstallationID) key() string {
	if id.TeamID != "" {
		return "T:" + id.TeamID
	}
	if id.EnterpriseID != "" {
		return "E:" + id.EnterpriseID
	}
	return ""
}

// Installation is what the OAuth v2 install of the app into a workspace (or
// org) returned. Tokens are stored as given: encrypting them at rest is the
// caller's job.
type Installation struct {
	EnterpriseID string `json:"enterprise_id,omitempty"`
	// TeamID is empty for an org-wide install.
	TeamID string `json:"team_id,omitempty"`
	// EnterpriseInstall is true for an org-wide install.
	EnterpriseInstall bool `json:"enterprise_install,omitempty"`

	BotToken  string   `json:"bot_token"`
	BotUserID string   `json:"bot_user_id"`
	BotID     string   `json:"bot_id,omitempty"`
	Scopes    []string `json:"scopes,omitempty"`
	// InstallerUserID is the user who installed the app.
	InstallerUserID string `json:"installer_user_id,omitempty"`

	// RefreshToken and ExpiresAt are set when token rotation is on: the
	// bot token must be refreshed before ExpiresAt.
	RefreshToken string    `json:"refresh_token,omitempty"`
	ExpiresAt    time.Time `json:"expires_at,omitzero"`
	// RefreshRefused is the error Slack gave when it refused RefreshToken
	// for good (invalid_refresh_token, token_revoked, …): the token is not
	// refreshed again, by any replica, until a reinstall saves a new
	// record without it.
	RefreshRefused string `json:"refresh_refused,omitempty"`

	// InstalledAt is when the workspace installed the app (the OAuth
	// redirect saved it); a token refresh keeps it. An uninstall removes
	// only an installation from before it (DeleteInstallation).
	InstalledAt time.Time `json:"installed_at,omitzero"`
}

// savedSince tells a record of an installation from t or later, which an
// uninstall that happened at t must keep. A record without InstalledAt
// (saved before it was recorded), or one that cannot be read, is older
// than any t; no record is none to keep.
func savedSince(raw []byte, t time.Time) bool {
	if raw == nil {
		return false
	}
	inst, err := decodeInstallation(raw)
	return err == nil && !inst.InstalledAt.Before(t)
}

// sameInstall tells whether raw is the record of the install inst was
// read from (UpdateInstallation).
func sameInstall(raw []byte, inst Installation) bool {
	if raw == nil {
		return false
	}
	old, err := decodeInstallation(raw)
	return err == nil && old.InstalledAt.Equal(inst.InstalledAt)
}

// ID is the id the installation is saved under.
func (in Installation) ID() InstallationID {
	if in.EnterpriseInstall {
		return InstallationID{EnterpriseID: in.EnterpriseID}
	}
	return InstallationID{EnterpriseID: in.EnterpriseID, TeamID: in.TeamID}
}
