package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Reconnect pacing. Slack allows 10 Socket Mode connections per app; past
// that it refuses new ones with too_many_websockets, either as the error of
// apps.connections.open or as {"type":"disconnect","reason":
// "too_many_websockets"} in place of the hello. slack-go reconnects at once
// after a disconnect message (and never shows it to its user), so a refused
// app would reconnect in a hot loop, adding to the very load that got it
// refused.
const (
	// maxReconnectBackoff caps the wait between refused connections.
	maxReconnectBackoff = 2 * time.Minute
	// healthyConnection: a connection that ends sooner than this after it
	// was opened counts as refused. Slack keeps a healthy connection for
	// hours and warns before it recycles one; a connection that ends within
	// seconds was refused (or the path to Slack is failing), and
	// reconnecting at once cannot help.
	healthyConnection = 30 * time.Second
)

// httpDoer is the HTTP client slack-go accepts (slack.OptionHTTPClient).
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// reconnectGate paces Socket Mode connections from inside slack-go's own
// client. Every connection begins with apps.connections.open, so the gate
// wraps the HTTP client of the Socket Mode client and makes that call wait
// when the previous connection was refused: its open failed, or its socket
// ended less than healthyConnection after the open. The wait doubles with
// each refusal in a row, from Config.ReconnectBackoff to
// maxReconnectBackoff, with jitter so that replicas refused together do not
// come back together. A connection that lasted resets it.
//
// Other Web API calls pass straight through.
type reconnectGate struct {
	next    httpDoer
	base    time.Duration
	max     time.Duration
	healthy time.Duration
	log     *slog.Logger
	now     func() time.Time
	randN   func(n int64) int64

	mu         sync.Mutex
	refusals   int       // refusals in a row
	openedAt   time.Time // last successful apps.connections.open
	openFailed string    // the last open's error, "" when it succeeded
}

func newReconnectGate(next httpDoer, base time.Duration, log *slog.Logger) *reconnectGate {
	return &reconnectGate{
		next: next, base: base, max: maxReconnectBackoff, healthy: healthyConnection,
		log: log, now: time.Now, randN: rand.Int64N,
	}
}

// Do implements httpDoer.
func (g *reconnectGate) Do(req *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(req.URL.Path, "/apps.connections.open") {
		return g.next.Do(req)
	}
	if d := g.before(); d > 0 && !sleep(req.Context(), d) {
		return nil, req.Context().Err()
	}
	resp, err := g.next.Do(req)
	g.after(resp, err)
	return resp, err
}

// before decides how long the coming apps.connections.open waits.
func (g *reconnectGate) before() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	var why string
	var lasted time.Duration
	switch {
	case g.openFailed != "":
		why = "apps.connections.open failed: " + g.openFailed
	case g.openedAt.IsZero():
		return 0 // the first connection
	default:
		lasted = g.now().Sub(g.openedAt)
		if lasted >= g.healthy {
			g.refusals = 0
			return 0
		}
		// slack-go does not pass on why: Slack's disconnect message
		// (too_many_websockets in place of the hello) stays inside it.
		why = "the connection ended soon after it opened: Slack refuses connections past 10 per app " +
			"(too_many_websockets), or the path to Slack is failing"
	}
	d := backoff(g.base, g.max, g.refusals, g.randN)
	g.refusals++
	attrs := []any{"reason", why, "refusals_in_a_row", g.refusals, "in", d.Round(time.Millisecond)}
	if lasted > 0 {
		attrs = append(attrs, "lasted", lasted.Round(time.Millisecond))
	}
	g.log.Warn("socket mode connection refused or cut short; waiting before the next", attrs...)
	return d
}

// after records how apps.connections.open went. It reads the (small) body
// to learn Slack's error, and gives slack-go an identical one.
func (g *reconnectGate) after(resp *http.Response, err error) {
	failed := ""
	switch {
	case err != nil:
		failed = err.Error()
	case resp.StatusCode != http.StatusOK:
		failed = resp.Status
	default:
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		var r struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		switch {
		case rerr != nil:
			failed = rerr.Error()
		case json.Unmarshal(body, &r) != nil:
			failed = "unreadable answer"
		case !r.OK:
			failed = fmt.Sprintf("%q", r.Error)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.openFailed = failed
	if failed == "" {
		g.openedAt = g.now()
	}
}

// backoff is the wait before the attempt after n refusals in a row: base
// doubled n times, capped at limit, then drawn from its upper half ("equal
// jitter": never less than half, so the pacing holds, and spread over a
// half so that clients refused together spread out).
func backoff(base, limit time.Duration, n int, randN func(int64) int64) time.Duration {
	d := limit
	if n < 32 {
		if e := base << n; e > 0 && e < limit {
			d = e
		}
	}
	half := d / 2
	return half + time.Duration(randN(int64(d-half)+1))
}
