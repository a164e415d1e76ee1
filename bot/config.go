package bot

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// Config configures a Bot. It needs the bot token, and either the app
// token (socket mode) or the signing secret (HTTP mode).
type Config struct {
	// AppToken is the app-level token (xapp-…) that opens Socket Mode
	// connections (SLACK_APP_TOKEN).
	AppToken string
	// SigningSecret, with no AppToken, puts the bot in HTTP mode
	// (SLACK_SIGNING_SECRET): Slack POSTs its requests to EventsHandler,
	// which checks they are signed with this secret.
	SigningSecret string
	// MaxBodyBytes caps one request body in HTTP mode; a larger one is
	// refused with 413. DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
	// BotToken is the bot token (xoxb-…) for the Web API (SLACK_BOT_TOKEN).
	// It may be empty when Installations is set.
	BotToken string
	// Installations, when set, makes the bot serve every workspace the app
	// was installed in through the OAuth pages: each request is answered
	// with its workspace's token, the bot token (if any) answers its own
	// workspace, and a request from a workspace with neither is acked and
	// dropped. app_uninstalled and tokens_revoked forget the workspace
	// (queued like a request, so that a replica's death does not lose them).
	Installations Installations
	// APIURL replaces Slack's Web API base (https://slack.com/api/), e.g.
	// with fakeslack.Server.URL(). A missing final slash is added.
	APIURL string
	// DataDir holds the store of language preferences (smtpbot.db). When
	// empty, preferences live in memory only and are lost on restart.
	DataDir string
	// Store, when set, is the state shared by every replica (REDIS_URL):
	// language choices (per the bot's team), the redelivery dedupe and the
	// thread dedupe window live there instead of in DataDir and memory.
	// The caller opens and closes it. When it cannot be reached the bot
	// answers on: a redelivery may then be answered twice (logged once per
	// outage), a choice cannot be saved (the user is told).
	Store store.Store
	// ReplyToBots answers messages posted by other bots and integrations
	// (bounce forwarders often are). The bot never answers itself.
	ReplyToBots bool
	// DedupeWindow: the same reply is not posted twice in one thread within
	// it. 5m when zero; negative turns the check off.
	DedupeWindow time.Duration
	// EventTTL is how long event ids (and channel+ts of messages) are
	// remembered to drop redeliveries. 10m when zero, longer than Slack's
	// retries (about 5 minutes).
	EventTTL time.Duration
	// MaxFileBytes caps the text read from one message: its text and its
	// snippets and text files together. What lies past it is not
	// downloaded, and the reply says what was cut. 256 KiB when zero.
	MaxFileBytes int64
	// Workers is how many requests are handled at once. 16 when zero.
	Workers int
	// MaxPending caps the requests queued or running in a bot without a
	// shared Store; beyond it new requests are dropped (acked) with a
	// warning rather than stalling the socket. A shared Store keeps the
	// backlog on its server. 10000 when zero.
	MaxPending int
	// ShutdownGrace bounds how long Run waits for replies in flight once its
	// context is done (SHUTDOWN_TIMEOUT); what is still unfinished then is
	// dropped and counted in the log. 10s when zero.
	ShutdownGrace time.Duration
	// PingTimeout is how long the socket may go without a ping from Slack
	// before it is taken for dead and replaced: a NAT or proxy that drops
	// the path leaves the TCP connection open but silent, and only this
	// timer notices. Slack pings regularly, well within it. 30s when zero
	// (slack-go's default).
	PingTimeout time.Duration
	// ReadLimit caps the size of one websocket message from Slack;
	// a larger one closes the connection (slack-go then reconnects).
	// DefaultReadLimit when zero; negative lifts the cap.
	ReadLimit int64
	// ReconnectBackoff is the first wait before reconnecting after Slack
	// refused a connection (too_many_websockets from apps.connections.open,
	// or a socket closed before or just after its hello). It doubles with
	// every refusal in a row up to maxReconnectBackoff, with jitter. 1s
	// when zero.
	ReconnectBackoff time.Duration
	// Logger receives the bot's logs; slog.Default() when nil. Tokens are
	// never logged.
	Logger *slog.Logger
	// HTTPClient is used for every Web API call, file download and response
	// URL. When nil, a shared client keeps up to 64 idle connections per
	// host.
	HTTPClient *http.Client
	// Now is the clock for the reply dedupe window; time.Now when nil.
	Now func() time.Time
	// Observer is told what the bot does (package metrics implements it);
	// nil observes nothing.
	Observer Observer
	// TakeoverAfter is how long a request held by a replica may go without
	// a sign of life from it (replicas touch their jobs every quarter of
	// it) before another replica takes it over: after a replica dies, its
	// requests are answered this much later. Longer than a pause of a
	// live replica (a GC, a store failover). 5s when zero.
	TakeoverAfter time.Duration
}

// Where to get the tokens, for the errors New returns.
const (
	appTokenHelp = "SLACK_APP_TOKEN must be an app-level token starting with \"xapp-\": " +
		"create one at api.slack.com/apps → your app → Basic Information → App-Level Tokens, " +
		"with the connections:write scope"
	botTokenHelp = "SLACK_BOT_TOKEN must be a bot token starting with \"xoxb-\": " +
		"copy the Bot User OAuth Token from api.slack.com/apps → your app → OAuth & Permissions"
)

// minTokenLen is far below any real token (an xoxb- token is about 55
// characters, an xapp- token about 95) and above anything typed by hand as a
// stand-in, such as "xoxb-test".
const minTokenLen = 20

// ValidateTokens checks the tokens' shape without ever quoting them, naming
// the variable to fix and where to get its value. The placeholders of
// .env.example ("xoxb-...") and tokens too short to be real are refused like
// a missing token: otherwise an unedited copy of .env.example starts and
// retries auth.test forever.
func ValidateTokens(appToken, botToken string) error {
	return errors.Join(ValidateAppToken(appToken), validateBotToken(botToken))
}

// validateConfigTokens is ValidateCredentials, with the bot token optional
// when the bot serves installations.
func validateConfigTokens(cfg Config) error {
	if cfg.Installations != nil && cfg.BotToken == "" {
		if HTTPMode(cfg.AppToken, cfg.SigningSecret) {
			return validateSigningSecret(cfg.SigningSecret)
		}
		return ValidateAppToken(cfg.AppToken)
	}
	return ValidateCredentials(cfg.AppToken, cfg.BotToken, cfg.SigningSecret)
}

// ValidateAppToken is ValidateTokens for SLACK_APP_TOKEN alone, for a bot
// that serves installations and has no SLACK_BOT_TOKEN.
func ValidateAppToken(appToken string) error {
	var errs []error
	switch {
	case appToken == "":
		errs = append(errs, errors.New("SLACK_APP_TOKEN is empty; "+appTokenHelp))
	case strings.HasPrefix(appToken, "xoxb-"):
		errs = append(errs, errors.New("SLACK_APP_TOKEN holds a bot token (xoxb-…); are the two tokens swapped? "+appTokenHelp))
	case !strings.HasPrefix(appToken, "xapp-"):
		errs = append(errs, errors.New(appTokenHelp))
	case isPlaceholder(appToken):
		errs = append(errs, errors.New("SLACK_APP_TOKEN still holds the example value of .env.example, not a token; "+appTokenHelp))
	case len(appToken) < minTokenLen:
		errs = append(errs, errors.New("SLACK_APP_TOKEN is too short to be a real token; "+appTokenHelp))
	}
	return errors.Join(errs...)
}

func validateBotToken(botToken string) error {
	var errs []error
	switch {
	case botToken == "":
		errs = append(errs, errors.New("SLACK_BOT_TOKEN is empty; "+botTokenHelp))
	case strings.HasPrefix(botToken, "xapp-"):
		errs = append(errs, errors.New("SLACK_BOT_TOKEN holds an app-level token (xapp-…); are the two tokens swapped? "+botTokenHelp))
	case strings.HasPrefix(botToken, "xoxp-"):
		errs = append(errs, errors.New("SLACK_BOT_TOKEN holds a user token (xoxp-…); "+botTokenHelp))
	case !strings.HasPrefix(botToken, "xoxb-"):
		errs = append(errs, errors.New(botTokenHelp))
	case isPlaceholder(botToken):
		errs = append(errs, errors.New("SLACK_BOT_TOKEN still holds the example value of .env.example, not a token; "+botTokenHelp))
	case len(botToken) < minTokenLen:
		errs = append(errs, errors.New("SLACK_BOT_TOKEN is too short to be a real token; "+botTokenHelp))
	}
	return errors.Join(errs...)
}

// isPlaceholder reports a token written as an example: with an ellipsis
// ("xoxb-...", "xapp-1-…") or angle brackets ("xoxb-<token>"), none of which
// a Slack token contains.
func isPlaceholder(token string) bool {
	return strings.Contains(token, "...") || strings.ContainsAny(token, "…<>")
}

func (c Config) withDefaults() Config {
	if c.DedupeWindow == 0 {
		c.DedupeWindow = 5 * time.Minute
	}
	if c.EventTTL <= 0 {
		c.EventTTL = 10 * time.Minute
	}
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = 256 << 10
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.MaxPending <= 0 {
		c.MaxPending = 10000
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 10 * time.Second
	}
	if c.PingTimeout <= 0 {
		c.PingTimeout = 30 * time.Second
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.ReadLimit == 0 {
		c.ReadLimit = DefaultReadLimit
	}
	if c.ReconnectBackoff <= 0 {
		c.ReconnectBackoff = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.HTTPClient == nil {
		c.HTTPClient = newHTTPClient()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Observer == nil {
		c.Observer = nopObserver{}
	}
	if c.TakeoverAfter <= 0 {
		c.TakeoverAfter = 5 * time.Second
	}
	return c
}

// newHTTPClient shares connections between the workers: the default
// transport keeps only 2 idle connections per host, so a burst of replies
// would open and close connections to slack.com.
func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}
