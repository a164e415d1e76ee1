// Package bot connects the handlers to Slack: it receives Socket Mode
// envelopes, or in HTTP mode the Events API's signed requests
// (EventsHandler, http.go), through one intake (intake.go); reduces them to
// handlers.Request values, puts them in a work queue and then acks them;
// a bounded pool of workers takes them from the queue, calls the Handler
// and delivers the replies through the Web API. With a shared store the
// queue is on the server and a replica that dies leaves its requests to
// the others (docs/architecture.md); without one it is in memory.
//
// It is the only package that knows about socketmode. What it answers and
// what it ignores:
//
//   - slash commands → SourceSlash; message shortcuts with callback id
//     "explain_codes" → SourceShortcut; block_actions → SourceAction;
//     app_home_opened (Home tab) → SourceHome.
//   - message events: new messages (no subtype), thread_broadcast and
//     file_share (the text of snippet, .txt and .eml files is downloaded
//     and appended). In a DM → SourceDM; in a channel → SourceMessage, or
//     SourceMention when the text mentions the bot (Slack then sends an
//     app_mention too; whichever arrives first is answered, once).
//   - app_mention → SourceMention, with the thread parent's text.
//   - ignored: the bot's own messages; other bots' messages (bot_id set or
//     subtype bot_message) unless Config.ReplyToBots; edits
//     (message_changed), deletions, joins, topic changes and every other
//     subtype; edited mentions; every other event and interaction.
//
// Slack redelivers events it thinks were not acked: a request is queued
// once per event id (trigger id for commands and actions) within
// Config.EventTTL, and a message is answered once even when it arrives as
// both message and app_mention (keyed by channel and ts).
// The same reply is not posted twice in one thread within
// Config.DedupeWindow.
//
// Each request carries its workspace (handlers.Request.TeamID) and is
// answered with that workspace's token: the one bot token in
// single-workspace mode, or, with Config.Installations, the token the
// workspace's install saved (a workspace with none is acked and not
// answered). app_uninstalled and tokens_revoked forget the workspace:
// they are queued and acked like requests, and a worker carries them out
// (forget.go).
//
// Requests are handled in lanes, one per channel (one per user for the
// Home tab): replies to one channel are posted in order, and a channel that
// is rate limited (HTTP 429, retried after Retry-After) holds up only its
// own lane.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/store"
)

// Handler turns a request into replies. handlers.Router will implement it.
type Handler interface {
	Handle(ctx context.Context, req handlers.Request) []handlers.Reply
}

// HandlerFunc adapts a function to Handler. It helps to build a handler
// that needs the bot's Prefs:
//
//	var router *handlers.Router
//	b, err := bot.New(cfg, bot.HandlerFunc(func(ctx context.Context, r handlers.Request) []handlers.Reply {
//		return router.Handle(ctx, r)
//	}))
//	router = handlers.NewRouter(…, b.Prefs())
type HandlerFunc func(ctx context.Context, req handlers.Request) []handlers.Reply

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, req handlers.Request) []handlers.Reply {
	return f(ctx, req)
}

// Bot is a Slack app over Socket Mode, or over HTTP (the Events API) when
// configured with a signing secret and no app token. Create it with New,
// serve with Run.
type Bot struct {
	cfg  Config
	h    Handler
	log  *slog.Logger
	api  *slack.Client
	sm   *socketmode.Client // nil in HTTP mode
	gate *reconnectGate
	// events takes Slack's requests in HTTP mode; nil in socket mode.
	events *eventsHandler
	prefs  *prefs
	seen   *dedupe
	// status is the bot's health and the metrics' view of it.
	status *status

	// Set by auth.test before the event loop starts; empty without
	// SLACK_BOT_TOKEN (then each installation says its bot user).
	botUserID, botID, team string
	// apiOptions build the Web API client of each workspace's token.
	apiOptions []slack.Option

	pool *pool
	// queue holds the requests received and not yet answered: cfg.Store,
	// or ownQueue (in memory) without one. consumer is this replica's name
	// in it.
	queue    store.Queue
	ownQueue *store.Embedded
	consumer string
	qs       queueState
	// backlog counts the jobs queued and not done, with ownQueue.
	backlog atomic.Int64
	// postGate lets one reply at a time be posted of those a takeover can
	// neither check nor post twice harmlessly (see takeover.go).
	postGate sync.Mutex
	// late holds acks the socket writer could not take at once.
	late chan string
	// workCtx outlives Run's context by the shutdown grace, so that replies
	// in flight are still delivered.
	workCtx  context.Context
	stopWork context.CancelFunc

	started   atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// New checks the configuration and opens the preference store. It does not
// connect; Run does.
func New(cfg Config, h Handler) (*Bot, error) {
	if h == nil {
		return nil, errors.New("bot: nil Handler")
	}
	if err := validateConfigTokens(cfg); err != nil {
		return nil, err
	}
	if cfg.Installations != nil && cfg.Store == nil {
		// Choices are kept per workspace only in a store.Store.
		return nil, errors.New("bot: Installations need a Store")
	}
	cfg = cfg.withDefaults()
	log := cfg.Logger
	opts := []slack.Option{
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionHTTPClient(cfg.HTTPClient),
		slack.OptionLog(slogWriter{log: log, src: "slack"}),
	}
	if cfg.APIURL != "" {
		if !strings.HasSuffix(cfg.APIURL, "/") {
			cfg.APIURL += "/"
		}
		opts = append(opts, slack.OptionAPIURL(cfg.APIURL))
	}
	api := slack.New(cfg.BotToken, opts...)
	var p *prefs
	if cfg.Store != nil {
		p = newSharedPrefs(cfg.Store, api, log)
	} else {
		var err error
		if p, err = openPrefs(cfg.DataDir, api, log); err != nil {
			return nil, err
		}
	}
	gate := newReconnectGate(cfg.HTTPClient, cfg.ReconnectBackoff, log)
	b := &Bot{
		cfg:   cfg,
		h:     h,
		log:   log,
		api:   api,
		gate:  gate,
		prefs: p,
		seen:  newDedupe(cfg.EventTTL, cfg.DedupeWindow, cfg.Now).sharedIn(cfg.Store, log),
		late:  make(chan string, lateAcks),

		apiOptions: opts,
	}
	b.queue = cfg.Store
	if cfg.Store == nil {
		// Memory only: a queue for one process, whose clock is the bot's.
		own, err := store.OpenEmbedded(store.EmbeddedOptions{Now: cfg.Now})
		if err != nil {
			_ = p.close()
			return nil, err
		}
		b.queue, b.ownQueue = own, own
	}
	b.consumer = consumerName()
	if HTTPMode(cfg.AppToken, cfg.SigningSecret) {
		b.events = &eventsHandler{b: b, secret: cfg.SigningSecret, max: cfg.MaxBodyBytes, log: log}
	} else {
		b.sm = newSocketClient(cfg, opts, gate, log)
	}
	b.status = newStatus(cfg.Observer)
	b.seen.observedBy(cfg.Observer)
	b.workCtx, b.stopWork = context.WithCancel(context.Background())
	b.pool = newPool(cfg.Workers, cfg.MaxPending, b.runJob)
	return b, nil
}

// Prefs is the language preferences the bot keeps: choices saved in its
// store (bbolt under DataDir, cached), and Slack locales from users.info
// (cached).
func (b *Bot) Prefs() handlers.Prefs { return b.prefs }

// Close closes the preference store. Run closes it on return; Close is for
// a Bot that was never run, and may be called more than once.
func (b *Bot) Close() error {
	b.closeOnce.Do(func() {
		b.stopWork()
		b.closeErr = b.prefs.close()
		if b.ownQueue != nil {
			_ = b.ownQueue.Close()
		}
	})
	return b.closeErr
}

// Run learns who the bot is (auth.test), connects over Socket Mode (or, in
// HTTP mode, opens EventsHandler to Slack's requests) and serves until ctx
// is done. Then it stops taking envelopes, waits up to
// Config.ShutdownGrace for the replies in flight, closes the store and
// returns nil. It returns an error when the tokens are refused. A Bot runs
// once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("bot: Run called twice")
	}
	defer b.Close()
	if b.cfg.BotToken != "" {
		if err := b.whoAmI(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	b.pool.start()
	// The taker and the keeper serve both transports. The keeper goes on
	// through the drain, so that the jobs being finished are not taken
	// over meanwhile.
	takeCtx, stopTaker := context.WithCancel(ctx)
	defer stopTaker()
	go b.runTaker(takeCtx)
	keepCtx, stopKeeper := context.WithCancel(context.Background())
	defer stopKeeper()
	go b.runKeeper(keepCtx)
	if b.events != nil {
		// Over HTTP the bot is "connected" while it takes Slack's
		// requests: /healthz then depends on the workers alone.
		b.status.connected.Store(true)
		b.serveHTTP(ctx)
		stopTaker()
		b.drain()
		return nil
	}

	sockCtx, stopSock := context.WithCancel(ctx)
	sockDone := make(chan error, 1)
	go func() { sockDone <- b.runSocket(sockCtx) }()
	go b.runAcker(sockCtx)

	sockStopped, fatal := b.loop(sockCtx, sockDone)
	stopSock()
	stopTaker()
	if !sockStopped {
		<-sockDone
	}
	b.drain()
	return fatal
}

// loop reads the socketmode client's events until ctx is done or the
// socket gives up (then it returns true and the socket's error). It must
// stay fast: the client's channel is small and a slow reader stops it from
// answering Slack's pings.
func (b *Bot) loop(ctx context.Context, sockDone <-chan error) (bool, error) {
	for {
		select {
		case <-ctx.Done():
			return false, nil
		case err := <-sockDone:
			return true, err
		case evt := <-b.sm.Events:
			b.observeEvent(evt)
			b.onEvent(evt)
		}
	}
}

// whoAmI calls auth.test, retrying network errors, to learn the bot's user
// and bot ids (to ignore its own messages).
func (b *Bot) whoAmI(ctx context.Context) error {
	wait := 500 * time.Millisecond
	for {
		res, err := b.api.AuthTestContext(ctx)
		if err == nil {
			b.botUserID, b.botID, b.team = res.UserID, res.BotID, res.TeamID
			b.prefs.setTeam(res.TeamID)
			b.log.Info("authenticated", "team", res.Team, "bot_user", res.UserID, "bot_id", res.BotID)
			return nil
		}
		if fatalAuthError(err) {
			return fmt.Errorf("SLACK_BOT_TOKEN was refused by auth.test (%w); "+botTokenHelp, err)
		}
		b.log.Warn("auth.test failed; retrying", "error", err, "in", wait)
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// runSocket runs the socketmode client until ctx is done. The client
// reconnects by itself after a disconnect envelope, a dropped socket or a
// ping timeout, and retries failed connections with backoff; RunContext
// returns only when ctx is done or a connection is refused for good
// (invalid_auth, account_inactive, not_authed, token_revoked, HTTP 404).
// The loop here is a second line: anything else it retries with backoff.
func (b *Bot) runSocket(ctx context.Context) error {
	wait := time.Second
	for {
		start := time.Now()
		err := b.sm.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if fatalAuthError(err) {
			b.log.Error("socket mode connection refused", "error", err)
			return fmt.Errorf("SLACK_APP_TOKEN was refused by apps.connections.open (%w); "+appTokenHelp, err)
		}
		if time.Since(start) > time.Minute {
			wait = time.Second
		}
		b.log.Warn("socket mode stopped; reconnecting", "error", err, "in", wait)
		if !sleep(ctx, wait) {
			return nil
		}
		wait = min(2*wait, time.Minute)
	}
}

// fatalAuthError tells errors that retrying cannot fix.
func fatalAuthError(err error) bool {
	if err == nil {
		return false
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "invalid_auth", "account_inactive", "not_authed", "token_revoked", "not_allowed_token_type":
			return true
		}
	}
	switch err.Error() {
	case "invalid_auth", "account_inactive", "not_authed", "token_revoked", "not_allowed_token_type":
		return true
	}
	var sc slack.StatusCodeError
	return errors.As(err, &sc) && sc.Code == 404
}

// drain waits for the requests in flight, at most ShutdownGrace, then
// drops the rest and says how many.
func (b *Bot) drain() {
	b.status.stopping.Store(true)
	b.status.connected.Store(false)
	if n := b.inFlight(); n > 0 {
		b.log.Info("stopping; finishing the requests in flight", "requests", n, "shutdown_timeout", b.cfg.ShutdownGrace)
	}
	deadline := time.Now().Add(b.cfg.ShutdownGrace)
	if b.ownQueue != nil {
		// The in-memory queue ends with the process: every request it
		// holds was acked, so finish those the taker has not handed to a
		// worker yet too, before the pool closes to new work.
		for b.backlog.Load() > int64(b.pool.pendingCount()) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	left := b.pool.wait(time.Until(deadline))
	if b.ownQueue != nil {
		left = max(left, int(b.backlog.Load()))
	}
	if left == 0 {
		b.log.Info("stopped; all replies delivered")
	} else {
		b.log.Warn("stopped; requests still in flight at the shutdown timeout were dropped",
			"dropped", left, "shutdown_timeout", b.cfg.ShutdownGrace)
		for range left {
			b.cfg.Observer.Dropped("shutdown")
		}
	}
	b.stopWork()
	b.pool.stop(2 * time.Second)
}

// inFlight is how many acked requests this replica has yet to finish: its
// in-memory queue's backlog, or the jobs its workers hold from a shared
// queue (the rest of a shared queue is any replica's).
func (b *Bot) inFlight() int {
	if b.ownQueue != nil {
		return int(b.backlog.Load())
	}
	return b.pool.pendingCount()
}

// sleep waits d or until ctx is done; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
