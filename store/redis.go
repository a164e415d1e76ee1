package store

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the shared store: every replica of the bot that points at the
// same server (Redis 7+ or Valkey 7+; standalone, behind Sentinel, or a
// Cluster) sees the same languages, installations, claims and locks.
//
// Keys, all under RedisOptions.KeyPrefix (default "smtpbot:"):
//
//	{T:<team>}:lang       hash user → tag, the team's language choices
//	{T:<team>}:install    JSON of the workspace's installation
//	{E:<enterprise>}:install  JSON of an org-wide installation
//	{E:<enterprise>}:teams    set of the teams served through the org-wide
//	                      install (LinkTeam), whose choices go with it
//	install-expiry        sorted set of installation keys (T:<team>,
//	                      E:<enterprise>) with a rotating token, scored by
//	                      expiry in Unix milliseconds (Expiring)
//	claim:<key>           "1" with the claim's ttl (SET NX PX)
//	lock:<name>           the holder's random token with the lock's ttl
//	{queue}:…             the work queue (see queue_redis.go)
//
// Every command touches one key (a write of an installation and its
// entry in install-expiry are two commands, sent together), so each works in a Redis Cluster whatever
// slot its key hashes to. The braces are a hash tag all the same: a team's
// keys share one slot, so a later change can read or delete them together
// in one MULTI or script (in a Cluster, all keys of such a command must be
// in one slot). Claims and locks carry no tag on purpose, so that the
// dedupe load spreads over every node.
type Redis struct {
	c      redis.UniversalClient
	prefix string
	// groupReady: the queue's consumer group is known to exist.
	groupReady atomic.Bool
}

// RedisOptions says which server to use. URL is required; Addrs,
// SentinelMaster and Cluster choose Sentinel or Cluster.
type RedisOptions struct {
	// URL is redis://[user:password@]host:port[/db] or rediss://… (TLS),
	// as REDIS_URL. Its user, password, database and TLS apply to every
	// mode; its host is the server, the first Sentinel, or the first
	// Cluster node.
	URL string
	// Addrs are more host:port addresses (REDIS_ADDRS): the other
	// Sentinels with SentinelMaster, the other seed nodes with Cluster.
	Addrs []string
	// SentinelMaster is the primary's name that the Sentinels watch
	// (REDIS_SENTINEL_MASTER); it turns Sentinel mode on.
	SentinelMaster string
	// SentinelPassword authenticates to the Sentinels themselves
	// (REDIS_SENTINEL_PASSWORD), when they ask for one.
	SentinelPassword string
	// Cluster connects to a Redis Cluster (REDIS_CLUSTER=true).
	Cluster bool
	// KeyPrefix starts every key; "smtpbot:" when empty. Replicas of one
	// bot must share it; two bots on one server must not.
	KeyPrefix string
	// Timeout bounds dialing and each read or write: a store that does
	// not answer within it counts as unavailable, and the bot goes on
	// without it. 1s when zero.
	Timeout time.Duration
}

// OpenRedis builds a client from opts. It does not connect: the client
// connects on first use and reconnects by itself after the server went
// away. Call Ping to check the server at start-up.
func OpenRedis(opts RedisOptions) (*Redis, error) {
	uo, err := opts.universal()
	if err != nil {
		return nil, err
	}
	prefix := opts.KeyPrefix
	if prefix == "" {
		prefix = "smtpbot:"
	}
	return &Redis{c: redis.NewUniversalClient(uo), prefix: prefix}, nil
}

// universal turns opts into go-redis's options for any of the three modes.
func (opts RedisOptions) universal() (*redis.UniversalOptions, error) {
	if opts.URL == "" {
		return nil, fmt.Errorf("%w: REDIS_URL is empty", ErrInvalid)
	}
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		// Never quote the URL: it may hold a password.
		return nil, fmt.Errorf("%w: REDIS_URL must look like redis://[user:password@]host:port[/db] or rediss://…", ErrInvalid)
	}
	o, err := redis.ParseURL(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: REDIS_URL: %s", ErrInvalid, redactURLError(err, u))
	}
	if opts.SentinelMaster != "" && opts.Cluster {
		return nil, fmt.Errorf("%w: REDIS_SENTINEL_MASTER and REDIS_CLUSTER exclude each other", ErrInvalid)
	}
	if opts.Cluster && o.DB != 0 {
		return nil, fmt.Errorf("%w: REDIS_URL names database %d, but a Redis Cluster has only database 0", ErrInvalid, o.DB)
	}
	if len(opts.Addrs) > 0 && opts.SentinelMaster == "" && !opts.Cluster {
		return nil, fmt.Errorf("%w: REDIS_ADDRS lists more servers: set REDIS_SENTINEL_MASTER (they are Sentinels) or REDIS_CLUSTER=true (they are Cluster nodes)", ErrInvalid)
	}
	for _, a := range opts.Addrs {
		if a == "" || !strings.Contains(a, ":") {
			return nil, fmt.Errorf("%w: REDIS_ADDRS: %q is not host:port", ErrInvalid, a)
		}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	var tlsConf *tls.Config
	if o.TLSConfig != nil {
		tlsConf = o.TLSConfig
		// With several hosts, ParseURL's ServerName (the URL's host) is
		// wrong for the others: let each connection use its own.
		if len(opts.Addrs) > 0 {
			tlsConf = tlsConf.Clone()
			tlsConf.ServerName = ""
		}
	}
	return &redis.UniversalOptions{
		Addrs:            append([]string{o.Addr}, opts.Addrs...),
		MasterName:       opts.SentinelMaster,
		IsClusterMode:    opts.Cluster,
		Username:         o.Username,
		Password:         o.Password,
		SentinelPassword: opts.SentinelPassword,
		DB:               o.DB,
		TLSConfig:        tlsConf,
		DialTimeout:      timeout,
		ReadTimeout:      timeout,
		WriteTimeout:     timeout,
		// One retry of a command, one dial per attempt (go-redis dials
		// 5 times, 100ms apart, by default): with the server down a call
		// fails in milliseconds and the bot answers without the store
		// rather than seconds later.
		MaxRetries:         1,
		DialerRetries:      1,
		DialerRetryTimeout: 50 * time.Millisecond,
		// The bot's own names in CLIENT LIST, for whoever runs the server.
		ClientName: "smtpbot",
	}, nil
}

// redactURLError drops the password from go-redis's parse errors, which
// may quote the URL.
func redactURLError(err error, u *url.URL) string {
	msg := err.Error()
	if p, ok := u.User.Password(); ok && p != "" {
		// Both as written (percent-encoded) and decoded.
		if _, raw, ok := strings.Cut(u.User.String(), ":"); ok && raw != "" {
			msg = strings.ReplaceAll(msg, raw, "xxxxx")
		}
		msg = strings.ReplaceAll(msg, p, "xxxxx")
	}
	return msg
}

var _ Store = (*Redis)(nil)

// Ping checks that the server answers.
func (r *Redis) Ping(ctx context.Context) error {
	return r.wrap("ping", r.c.Ping(ctx).Err())
}

// Close closes the client's connections.
func (r *Redis) Close() error {
	err := r.c.Close()
	if errors.Is(err, redis.ErrClosed) {
		return nil
	}
	return err
}

// wrap marks a failure as ErrUnavailable (or ErrClosed) and says which
// operation failed; redis.Nil is not a failure and never reaches it.
func (r *Redis) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.ErrClosed):
		return fmt.Errorf("store: %s: %w", op, ErrClosed)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("store: %s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("store: redis %s: %w: %w", op, ErrUnavailable, err)
}

func (r *Redis) teamKey(team, kind string) string {
	return r.prefix + "{" + InstallationID{TeamID: team}.key() + "}:" + kind
}

func (r *Redis) installKey(id InstallationID) string {
	return r.prefix + "{" + id.key() + "}:install"
}

// Language implements Languages.
func (r *Redis) Language(ctx context.Context, team, user string) (string, error) {
	if team == "" || user == "" {
		return "", fmt.Errorf("%w: language: empty team or user", ErrInvalid)
	}
	tag, err := r.c.HGet(ctx, r.teamKey(team, "lang"), user).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return tag, r.wrap("language", err)
}

// SetLanguage implements Languages.
func (r *Redis) SetLanguage(ctx context.Context, team, user, tag string) error {
	if tag == "" {
		return r.DeleteLanguage(ctx, team, user)
	}
	if team == "" || user == "" {
		return fmt.Errorf("%w: set language: empty team or user", ErrInvalid)
	}
	return r.wrap("set language", r.c.HSet(ctx, r.teamKey(team, "lang"), user, tag).Err())
}

// DeleteLanguage implements Languages.
func (r *Redis) DeleteLanguage(ctx context.Context, team, user string) error {
	if team == "" || user == "" {
		return fmt.Errorf("%w: delete language: empty team or user", ErrInvalid)
	}
	return r.wrap("delete language", r.c.HDel(ctx, r.teamKey(team, "lang"), user).Err())
}

// DeleteTeamLanguages implements Languages.
func (r *Redis) DeleteTeamLanguages(ctx context.Context, team string) error {
	if team == "" {
		return fmt.Errorf("%w: delete team languages: empty team", ErrInvalid)
	}
	return r.wrap("delete team languages", r.c.Unlink(ctx, r.teamKey(team, "lang")).Err())
}

// Installation implements Installations.
func (r *Redis) Installation(ctx context.Context, id InstallationID) (Installation, error) {
	if id.key() == "" {
		return Installation{}, fmt.Errorf("%w: installation: empty id", ErrInvalid)
	}
	raw, err := r.c.Get(ctx, r.installKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Installation{}, ErrNotFound
	}
	if err != nil {
		return Installation{}, r.wrap("installation", err)
	}
	return decodeInstallation(raw)
}

// PutInstallation implements Installations.
func (r *Redis) PutInstallation(ctx context.Context, inst Installation) error {
	id := inst.ID()
	if id.key() == "" {
		return fmt.Errorf("%w: put installation: no team or enterprise id", ErrInvalid)
	}
	raw, err := json.Marshal(inst)
	if err != nil {
		return fmt.Errorf("store: put installation: %w", err)
	}
	// Two keys in two slots (under Cluster): one pipeline, not one
	// transaction. A crash between them leaves an index entry for a record
	// that changed, which Expiring checks against the record itself.
	_, err = r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.installKey(id), raw, 0)
		r.index(ctx, p, inst)
		return nil
	})
	return r.wrap("put installation", err)
}

// index adds the installation to install-expiry when its token is one a
// background refresh must renew, and takes it out otherwise.
func (r *Redis) index(ctx context.Context, p redis.Cmdable, inst Installation) {
	id := inst.ID()
	if expiresBefore(inst, maxTime) {
		p.ZAdd(ctx, r.expiryKey(), redis.Z{Score: float64(inst.ExpiresAt.UnixMilli()), Member: id.key()})
	} else {
		p.ZRem(ctx, r.expiryKey(), id.key())
	}
}

// casAttempts bounds the reads of a record that keeps changing under a
// conditional write: each lost race means another write went through.
const casAttempts = 10

// ifRecord runs write in a MULTI when decide, given the installation's
// record as it is now (nil: none), says so: the key is WATCHed, so the
// transaction fails if the record changes between the read and the
// write, and then it is read and decided again. A script would have to
// read the record's JSON time in Lua; WATCH lets Go decide with the
// same decoding as every read. The key is one, so this works in a
// Cluster too.
func (r *Redis) ifRecord(ctx context.Context, key string, decide func(raw []byte) bool,
	write func(p redis.Pipeliner)) (bool, error) {
	var done bool
	for range casAttempts {
		err := r.c.Watch(ctx, func(tx *redis.Tx) error {
			raw, err := tx.Get(ctx, key).Bytes()
			if errors.Is(err, redis.Nil) {
				raw, err = nil, nil
			}
			if err != nil {
				return err
			}
			if done = decide(raw); !done {
				return nil
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				write(p)
				return nil
			})
			return err
		}, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return done, err
		}
	}
	return false, fmt.Errorf("the record changed under %d attempts in a row", casAttempts)
}

// UpdateInstallation implements Installations with WATCH/MULTI (ifRecord).
func (r *Redis) UpdateInstallation(ctx context.Context, inst Installation) (bool, error) {
	id := inst.ID()
	if id.key() == "" {
		return false, fmt.Errorf("%w: update installation: no team or enterprise id", ErrInvalid)
	}
	raw, err := json.Marshal(inst)
	if err != nil {
		return false, fmt.Errorf("store: update installation: %w", err)
	}
	key := r.installKey(id)
	saved, err := r.ifRecord(ctx, key,
		func(old []byte) bool { return sameInstall(old, inst) },
		func(p redis.Pipeliner) { p.Set(ctx, key, raw, 0) })
	if err != nil || !saved {
		return false, r.wrap("update installation", err)
	}
	// Another slot under Cluster: after the record, as PutInstallation.
	_, err = r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		r.index(ctx, p, inst)
		return nil
	})
	return true, r.wrap("update installation", err)
}

// maxTime is later than any token's expiry.
var maxTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func (r *Redis) expiryKey() string { return r.prefix + "install-expiry" }

// DeleteInstallation implements Installations with WATCH/MULTI
// (ifRecord), then takes the installation out of install-expiry (another
// slot under Cluster). A reinstall saved between the two commands loses
// its entry there until its next save; its token is still refreshed when
// a request uses it.
func (r *Redis) DeleteInstallation(ctx context.Context, id InstallationID, t time.Time) (bool, error) {
	if id.key() == "" {
		return false, fmt.Errorf("%w: delete installation: empty id", ErrInvalid)
	}
	key := r.installKey(id)
	kept := false
	_, err := r.ifRecord(ctx, key,
		func(raw []byte) bool { kept = savedSince(raw, t); return !kept },
		func(p redis.Pipeliner) { p.Del(ctx, key) })
	if err != nil {
		return false, r.wrap("delete installation", err)
	}
	if kept {
		return true, nil
	}
	return false, r.wrap("delete installation", r.c.ZRem(ctx, r.expiryKey(), id.key()).Err())
}

// Claim implements Claimer with SET key 1 NX PX ttl: the server decides
// which caller is first, atomically, whichever replica asks.
func (r *Redis) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if key == "" || ttl <= 0 {
		return false, fmt.Errorf("%w: claim: empty key or ttl not positive", ErrInvalid)
	}
	ok, err := r.c.SetNX(ctx, r.prefix+"claim:"+key, "1", ttl).Result()
	if err != nil {
		return true, r.wrap("claim", err)
	}
	return ok, nil
}

// unlockScript deletes the lock only when it still holds the caller's
// token: after the ttl another holder may have it.
var unlockScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0
`)

// Lock implements Locker with SET name token NX PX ttl, released by
// unlockScript. It is the single-server lock (not Redlock): with Sentinel
// or Cluster a failover in the middle of a hold may let a second holder
// in, which is harmless for what the bot locks (a token refresh done twice
// yields a token that still works).
func (r *Redis) Lock(ctx context.Context, name string, ttl time.Duration) (Unlock, error) {
	if name == "" || ttl <= 0 {
		return nil, fmt.Errorf("%w: lock: empty name or ttl not positive", ErrInvalid)
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	key := r.prefix + "lock:" + name
	err = waitFor(ctx, func() (bool, error) {
		ok, err := r.c.SetNX(ctx, key, token, ttl).Result()
		if err != nil && ctx.Err() != nil {
			return false, ctx.Err()
		}
		return ok, r.wrap("lock", err)
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		n, err := unlockScript.Run(ctx, r.c, []string{key}, token).Int()
		if err != nil {
			return r.wrap("unlock", err)
		}
		if n == 0 {
			return ErrLockLost
		}
		return nil
	}, nil
}

// Validate reports what is wrong with opts, as OpenRedis would, without
// building a client; the error never quotes a password.
func (opts RedisOptions) Validate() error {
	_, err := opts.universal()
	return err
}

// Mode names the kind of deployment opts point at, for logs: "standalone",
// "sentinel" or "cluster".
func (opts RedisOptions) Mode() string {
	switch {
	case opts.SentinelMaster != "":
		return "sentinel"
	case opts.Cluster:
		return "cluster"
	}
	return "standalone"
}
