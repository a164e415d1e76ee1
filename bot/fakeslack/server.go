// Package fakeslack is a fake of the parts of Slack that package bot talks
// to: the Web API methods it calls, Socket Mode's websocket, file downloads
// and response URLs. It runs on an httptest server, records every call and
// every ack, and can rate limit, fail calls, redeliver envelopes (by hand,
// or unacked ones by itself as Slack does), ask for a reconnect, drop the
// socket, stall it (open but silent, as behind a NAT that lost the path)
// and refuse connections with too_many_websockets. Envelopes go to the open
// connections in turn, as Slack spreads them over an app's connections. With
// Options.SigningSecret it plays the Events API instead: every request is
// POSTed, signed, to the bot's request URL and sent again when it gets no 200
// (see http.go). It is safe for concurrent use and cheap enough to drive
// thousands of events a second.
//
// It also serves OAuth v2 for many workspaces: an authorize page that
// approves at once for the workspace set by NextInstall, oauth.v2.access
// (codes, and refresh tokens with Options.TokenLifetime), tokens that are
// good only for their workspace (each Call says whose token made it), and
// events, commands and actions from any workspace (the Team fields).
//
// Use:
//
//	fake := fakeslack.New(fakeslack.Options{})
//	defer fake.Close()
//	b, _ := bot.New(bot.Config{AppToken: "xapp-1", BotToken: "xoxb-1", APIURL: fake.URL()}, h)
//	go b.Run(ctx)
//	fake.WaitConnections(ctx, 1)
//	env := fake.SendMessage(fakeslack.Message{Channel: "C1", Text: "550 5.1.1"})
//	fake.WaitAcks(ctx, env)
//	calls, err := fake.WaitCalls(ctx, 1, "chat.postMessage")
//
// The fake accepts any token of the right kind (xapp- for
// apps.connections.open, xoxb- for the rest; made-up xoxb- tokens are
// Options.TeamID's), refuses the tokens it issued once revoked or
// expired, and never records tokens.
// Calls answered with 429 are counted by RateLimited, not recorded.
package fakeslack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Identities the fake uses unless Options say otherwise.
const (
	DefaultBotUserID = "UBOT0000001"
	DefaultBotID     = "BBOT0000001"
	DefaultTeamID    = "T0FAKE0001"
	DefaultAppID     = "A0FAKE0001"
	DefaultChannel   = "C0FAKE0001"
	DefaultUser      = "U0HUMAN001"
)

// Options configure a Server. The zero value is a fake without rate limits.
type Options struct {
	// RateLimitPerChannel, when positive, lets that many chat.postMessage,
	// chat.postEphemeral and chat.update calls per channel through in every
	// RateInterval (a token bucket); calls beyond get HTTP 429 with a
	// Retry-After header, as Slack does.
	RateLimitPerChannel int
	// RateInterval is the bucket's refill interval; 1s when zero.
	RateInterval time.Duration
	// RetryAfter is the wait announced in Retry-After, rounded up to whole
	// seconds (at least 1); RateInterval when zero.
	RetryAfter time.Duration
	// PingInterval is how often the websocket sends a PING, as Slack does;
	// 5s when zero, never when negative.
	PingInterval time.Duration
	// RedeliverAfter, when positive, sends an envelope that was written to
	// a socket and not acked within this time again, under a new envelope
	// id with retry_attempt one higher, up to 3 times, as Slack does; to
	// the next connection in turn, so a replica that died does not get it
	// again. With Lean, envelopes are kept until acked for it.
	RedeliverAfter time.Duration
	// DuplicateEvery, when positive, sends every Nth envelope (events,
	// slash commands and interactions alike) a second time at once, under
	// a new envelope id with retry_attempt 1, whether or not the first was
	// acked: as Slack does after an ack it did not get, and as a retrying
	// load balancer does. The copy goes to the next connection in turn.
	DuplicateEvery int
	// EchoBotMessages sends a message event back over the socket for every
	// chat.postMessage, as Slack does for a bot's own messages.
	EchoBotMessages bool
	// Lean keeps the fake's memory flat for load tools that send tens of
	// thousands of events: calls are recorded without Params, Body, Text
	// and Blocks (the other Call fields are kept), messages sent or posted
	// are not kept in channel history (AddMessage still keeps them, for
	// conversations.replies), and envelopes are kept only until acked,
	// and only for RedeliverAfter and DuplicateEvery.
	Lean bool
	// SigningSecret, when set, makes the fake deliver over HTTP instead of
	// the socket (see http.go): requests are POSTed to EventsURL (or the
	// URL given to SetEventsURL), signed with this secret.
	SigningSecret string
	EventsURL     string
	// HTTPTimeout is how long a POST may take before it counts as failed
	// and is sent again: 3s (Slack's) when zero.
	HTTPTimeout time.Duration
	// HTTPRetryWait is the wait before a failed POST is sent again; at
	// once when zero (Slack's first retry comes at once, later ones after
	// 1 and 5 minutes).
	HTTPRetryWait time.Duration
	// HTTPSenders is how many POSTs are in flight at once; 1 when zero,
	// which delivers requests in the order they were sent.
	HTTPSenders int
	// Identities; the Default* constants when empty.
	BotUserID, BotID, TeamID, AppID string
	// ClientID and ClientSecret, when set, are the only app credentials
	// oauth.v2.access accepts.
	ClientID, ClientSecret string
	// RedirectURL is where the authorize page sends the browser back when
	// the link names no redirect_uri (the app's configured one).
	RedirectURL string
	// TokenLifetime, when positive, turns token rotation on: bot tokens
	// from oauth.v2.access ("xoxe.xoxb-…") expire after it and come with a
	// single-use refresh token.
	TokenLifetime time.Duration
	// Logger receives the fake's own diagnostics; discarded when nil.
	Logger *slog.Logger
	// Now is the clock events are stamped with (their event_time);
	// time.Now when nil.
	Now func() time.Time
}

// Call is one request the fake answered.
type Call struct {
	// Method is the Web API method ("chat.postMessage"), "response_url" for
	// a post to a response URL, or "files.download" for a url_private GET.
	Method string
	Time   time.Time
	// Params holds the form values, or the top-level fields of a JSON body
	// (strings as they are, other values as JSON). The token is left out.
	Params map[string]string
	// Body is the raw body of a JSON request (views.publish, response_url).
	Body []byte
	// Team is the workspace of the token the call was made with ("" for
	// calls without a bot token). The token itself is never recorded.
	Team string
	// Common fields, lifted from Params or the body. The TS of a
	// chat.postMessage is the one the fake gave the new message.
	Channel, ThreadTS, TS, User, Text string
	Blocks                            json.RawMessage
	// Response URL posts only.
	ResponseURL     string
	EnvelopeID      string // the envelope the response URL was made for
	ResponseType    string
	ReplaceOriginal bool
}

// Ack is an acknowledgement the fake received on the websocket.
type Ack struct {
	EnvelopeID string
	Time       time.Time
	// SentAt is when the envelope was written to the socket (zero for
	// envelopes the fake did not send).
	SentAt  time.Time
	Payload json.RawMessage
}

// Server is a running fake. Create it with New and stop it with Close.
type Server struct {
	opts Options
	log  *slog.Logger
	srv  *httptest.Server

	seq  atomic.Int64 // ids, timestamps
	sent atomic.Int64 // first deliveries, for DuplicateEvery

	// calls and acks
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever calls/acks/conns change
	calls    []Call
	counts   map[string]int
	acks     []Ack
	acked    map[string]bool
	sentAt   map[string]time.Time
	limited  []Call
	failNext map[string][]string

	// socket
	out     chan frame // envelopes waiting for a connection
	retry   chan frame // envelopes a dead connection could not write
	connMu  sync.Mutex
	conns   map[*wsConn]struct{}
	order   []*wsConn // connections taking envelopes, in turn
	turn    int
	opened  int
	refused int
	replay  map[string]replayable // envelope id -> what Resend needs
	replayQ []string
	// redelivered: first envelope id -> the ids it was sent again under
	redelivered map[string][]string
	// refuse: connections still to refuse with too_many_websockets
	refuse atomic.Int64
	// stallNext: the next frame written is the last before a stall
	stallNext atomic.Bool
	stopping  chan struct{}
	closeOne  sync.Once

	// HTTP delivery (Options.SigningSecret)
	httpc       *http.Client
	posts       chan httpReq
	eventsURL   atomic.Pointer[string]
	failedPosts int

	// state served by the API
	stateMu sync.Mutex
	users   map[string]User
	files   map[string]File
	threads map[string][]histMsg // channel + "/" + thread root ts
	buckets map[string]*bucket
	// OAuth: workspaces, codes, refresh tokens and the tokens issued.
	teams      map[string]Team
	installing string            // the team the authorize page installs in next
	codes      map[string]string // code -> team
	refresh    map[string]string // refresh token -> team
	grants     map[string]grant  // bot token -> what it is good for
	issued     map[string]int    // team -> tokens issued
}

// New starts a fake Slack.
func New(opts Options) *Server {
	if opts.RateInterval <= 0 {
		opts.RateInterval = time.Second
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = opts.RateInterval
	}
	if opts.PingInterval == 0 {
		opts.PingInterval = 5 * time.Second
	}
	opts.BotUserID = or(opts.BotUserID, DefaultBotUserID)
	opts.BotID = or(opts.BotID, DefaultBotID)
	opts.TeamID = or(opts.TeamID, DefaultTeamID)
	opts.AppID = or(opts.AppID, DefaultAppID)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:        opts,
		log:         log,
		changed:     make(chan struct{}),
		counts:      map[string]int{},
		acked:       map[string]bool{},
		sentAt:      map[string]time.Time{},
		failNext:    map[string][]string{},
		out:         make(chan frame, 8192),
		retry:       make(chan frame, 1024),
		conns:       map[*wsConn]struct{}{},
		replay:      map[string]replayable{},
		redelivered: map[string][]string{},
		stopping:    make(chan struct{}),
		users:       map[string]User{},
		files:       map[string]File{},
		threads:     map[string][]histMsg{},
		buckets:     map[string]*bucket{},
		teams:       map[string]Team{},
		codes:       map[string]string{},
		refresh:     map[string]string{},
		grants:      map[string]grant{},
		issued:      map[string]int{},
	}
	s.seq.Store(100)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/files/", s.serveFile)
	mux.HandleFunc("/response/", s.serveResponseURL)
	mux.HandleFunc("/oauth/v2/authorize", s.serveAuthorize)
	s.srv = httptest.NewServer(mux)
	go s.dispatch()
	if opts.SigningSecret != "" {
		s.SetEventsURL(opts.EventsURL)
		s.startHTTP()
	}
	return s
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// URL is the Web API base to give the bot (its APIURL): it ends in "/api/".
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// BotUserID is the user id auth.test reports for the bot.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// BotID is the bot id auth.test reports.
func (s *Server) BotID() string { return s.opts.BotID }

// ResponseURLFor is the response URL the fake put in the envelope with the
// given id (slash commands, shortcuts, actions).
func (s *Server) ResponseURLFor(envelopeID string) string {
	return s.srv.URL + "/response/" + envelopeID
}

// Close drops every connection and stops the server.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		close(s.stopping)
		s.DropConnection()
		s.srv.Close()
	})
}

// Reset forgets the recorded calls and acks (not users, files or threads),
// for a load tool that runs in rounds.
func (s *Server) Reset() {
	s.mu.Lock()
	s.calls = nil
	s.counts = map[string]int{}
	s.acks = nil
	s.acked = map[string]bool{}
	s.limited = nil
	s.redelivered = map[string][]string{}
	s.notifyLocked()
	s.mu.Unlock()
}

// FailNext makes the next call of method answer {"ok":false,"error":code}.
// Calls queue up: FailNext twice fails the next two calls.
func (s *Server) FailNext(method, code string) {
	s.mu.Lock()
	s.failNext[method] = append(s.failNext[method], code)
	s.mu.Unlock()
}

func (s *Server) takeFailure(method string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failNext[method]
	if len(q) == 0 {
		return ""
	}
	s.failNext[method] = q[1:]
	return q[0]
}

// notifyLocked wakes the waiters; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) record(c Call) {
	if s.opts.Lean {
		c.Params, c.Body, c.Text, c.Blocks = nil, nil, "", nil
	}
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.counts[c.Method]++
	s.notifyLocked()
	s.mu.Unlock()
}

func (s *Server) countLocked(methods []string) int {
	if len(methods) == 0 {
		return len(s.calls)
	}
	n := 0
	for _, m := range methods {
		n += s.counts[m]
	}
	return n
}

func (s *Server) callsLocked(methods []string) []Call {
	if len(methods) == 0 {
		return append([]Call(nil), s.calls...)
	}
	var out []Call
	for _, c := range s.calls {
		for _, m := range methods {
			if c.Method == m {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Calls returns the recorded calls of the given methods (all calls when
// none are given), oldest first.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(methods)
}

// CallsAfter returns the calls of any method recorded after the first n,
// oldest first, and how many there are in all: a load tool polls with it
// without copying every call each time. Reset starts the count again.
func (s *Server) CallsAfter(n int) ([]Call, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n = min(max(n, 0), len(s.calls))
	return append([]Call(nil), s.calls[n:]...), len(s.calls)
}

// Count returns how many calls of the given methods (of all methods when
// none are given) were recorded; cheaper than len(Calls()).
func (s *Server) Count(methods ...string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.countLocked(methods)
}

// RateLimited returns how many calls got a 429.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.limited)
}

// LimitedCalls returns the calls that got a 429, oldest first. They are
// not among Calls: those are the calls that were answered.
func (s *Server) LimitedCalls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.limited...)
}

func (s *Server) recordLimited(c Call) {
	if s.opts.Lean {
		c.Params, c.Body, c.Text, c.Blocks = nil, nil, "", nil
	}
	s.mu.Lock()
	s.limited = append(s.limited, c)
	s.mu.Unlock()
}

// wait blocks until cond (called with s.mu held) is true or ctx is done.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitCalls waits until at least n calls of the given methods (of any method
// when none are given) were recorded and returns those calls. On timeout it
// returns what there is with the context's error.
func (s *Server) WaitCalls(ctx context.Context, n int, methods ...string) ([]Call, error) {
	err := s.wait(ctx, func() bool { return s.countLocked(methods) >= n })
	calls := s.Calls(methods...)
	if err != nil {
		return calls, fmt.Errorf("waiting for %d calls of %v, have %d: %w", n, methods, len(calls), err)
	}
	return calls, nil
}

// Acks returns the acks received so far, oldest first.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// Acked reports whether the envelope was acked.
func (s *Server) Acked(envelopeID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acked[envelopeID]
}

// WaitAcks waits until every given envelope was acked. Reset while waiting
// may leave it waiting for acks that were already counted.
func (s *Server) WaitAcks(ctx context.Context, envelopeIDs ...string) error {
	// Acks are not taken back, so each check resumes where the last one
	// stopped: waiting for n envelopes costs O(n), not O(n²).
	i := 0
	err := s.wait(ctx, func() bool {
		for i < len(envelopeIDs) && s.acked[envelopeIDs[i]] {
			i++
		}
		return i == len(envelopeIDs)
	})
	if err != nil {
		var missing []string
		s.mu.Lock()
		for _, id := range envelopeIDs[i:] {
			if !s.acked[id] && len(missing) < 20 {
				missing = append(missing, id)
			}
		}
		s.mu.Unlock()
		return fmt.Errorf("envelopes not acked (first %d shown): %s: %w", len(missing), strings.Join(missing, ", "), err)
	}
	return nil
}

// Unacked returns the envelopes written to a socket and not acked yet (a
// load tool may Resend them, as Slack would).
func (s *Server) Unacked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.sentAt))
	for id := range s.sentAt {
		ids = append(ids, id)
	}
	return ids
}

// Connections returns how many websocket connections were opened so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened
}

// WaitConnections waits until n websocket connections were opened in all.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	if err := s.wait(ctx, func() bool { return s.opened >= n }); err != nil {
		return fmt.Errorf("waiting for connection %d: %w", n, err)
	}
	return nil
}

// next returns a fresh number for ids and timestamps.
func (s *Server) next() int64 { return s.seq.Add(1) }

// NextTS returns a fresh message timestamp ("1700000000.000123").
func (s *Server) NextTS() string {
	n := s.next()
	return fmt.Sprintf("%d.%06d", 1700000000+n/1000000, n%1000000)
}

func (s *Server) newID(prefix string) string {
	return fmt.Sprintf("%s%010d", prefix, s.next())
}
