package metrics

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/handlers"
)

// Metrics is what the bot, the router and the diagnoser report to.
var (
	_ bot.Observer      = (*Metrics)(nil)
	_ handlers.Observer = (*Metrics)(nil)
	_ diagnose.Observer = (*Metrics)(nil)
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestHealthz(t *testing.T) {
	m := New()
	why := ""
	h := Handler(m, HealthFunc(func() string { return why }))
	if code, body := get(t, h, "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("healthy: %d %q", code, body)
	}
	why = "not connected to Slack"
	if code, body := get(t, h, "/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, why) {
		t.Errorf("unhealthy: %d %q, want 503 with the reason", code, body)
	}
}

func TestMetricsExposed(t *testing.T) {
	m := New()
	depth := 3
	m.QueueDepth(func() int { return depth })
	m.EnvelopeReceived("events_api")
	m.EnvelopeReceived("events_api")
	m.Acked(2 * time.Millisecond)
	m.Deduplicated("event")
	m.Handled("dm", time.Millisecond)
	m.Phase("message", handlers.PhaseExtract, time.Millisecond)
	m.Phase("message", handlers.PhaseRender, time.Millisecond)
	m.Phase("message", handlers.PhaseRender, time.Millisecond)
	m.ReplyPosted("chat.postMessage", "ok")
	m.RateLimited(1500 * time.Millisecond)
	m.Dropped("queue_full")
	m.Reconnected()
	m.StoreFailed("claim")
	m.JobTakenOver()
	m.ReplyRepeated()
	m.TokenRefreshed("sweep", "ok")
	m.Lookup("spf", "timeout")
	m.Diagnosed(40 * time.Millisecond)
	code, body := get(t, Handler(m, HealthFunc(func() string { return "" })), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		`smtpbot_envelopes_received_total{type="events_api"} 2`,
		`smtpbot_acks_total 1`,
		`smtpbot_ack_latency_seconds_count 1`,
		`smtpbot_redeliveries_deduplicated_total{kind="event"} 1`,
		`smtpbot_handle_seconds_count{source="dm"} 1`,
		`smtpbot_phase_seconds_count{phase="extract",source="message"} 1`,
		`smtpbot_phase_seconds_count{phase="render",source="message"} 2`,
		`smtpbot_replies_posted_total{method="chat.postMessage",outcome="ok"} 1`,
		`smtpbot_rate_limited_total 1`,
		`smtpbot_rate_limit_wait_seconds_total 1.5`,
		`smtpbot_requests_dropped_total{reason="queue_full"} 1`,
		`smtpbot_reconnects_total 1`,
		`smtpbot_store_failures_total{op="claim"} 1`,
		`smtpbot_jobs_taken_over_total 1`,
		`smtpbot_replies_repeated_total 1`,
		`smtpbot_token_refreshes_total{outcome="ok",trigger="sweep"} 1`,
		`smtpbot_queue_depth 3`,
		`smtpbot_diagnosis_lookups_total{check="spf",outcome="timeout"} 1`,
		`smtpbot_diagnosis_seconds_count 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestServeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addr, err := Serve(ctx, "127.0.0.1:0", New(), HealthFunc(func() string { return "" }), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr.String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(b) != "ok\n" {
		t.Errorf("GET /healthz = %d %q", resp.StatusCode, b)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := http.Get("http://" + addr.String() + "/healthz"); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("the server still answers after its context ended")
}

func TestServeBadAddress(t *testing.T) {
	_, err := Serve(context.Background(), "not an address", New(), HealthFunc(func() string { return "" }), slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Errorf("err = %v, want one naming METRICS_ADDR", err)
	}
}
