package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// TestHealthAndMetricsEndToEnd runs the built program with METRICS_ADDR
// against the fake Slack and a fixture DNS server, makes it answer every
// kind of request (with a 429, a redelivery, a diagnosis and a dropped
// socket on the way), scrapes /metrics and checks that each counter moved
// by what was done, that no label holds anything a user wrote, and that
// /healthz (and `smtpbot healthcheck`) turn 503 when Slack goes away.
func TestHealthAndMetricsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	bin := builtBot(t)
	fake := fakeslack.New(fakeslack.Options{RateLimitPerChannel: 1, RateInterval: 500 * time.Millisecond, RetryAfter: time.Second})
	t.Cleanup(fake.Close)
	dns := fixtureDNS(t)
	p := startBot(t, bin, fake, "METRICS_ADDR=127.0.0.1:0", "DIAGNOSE=auto", "DNS_RESOLVER="+dns.Addr)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := fake.WaitConnections(ctx, 1); err != nil {
		t.Fatalf("%v\n%s", err, p.stderr.String())
	}
	base := "http://" + logged(t, ctx, p.stderr, "serving health and metrics", "addr")

	eventuallyHealth(t, ctx, base, http.StatusOK, "ok")
	if out, err := exec.Command(bin, "healthcheck", "--url", base+"/healthz").CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("smtpbot healthcheck while healthy: %v %q", err, out)
	}

	// Two bounces in one channel: the second reply meets a 429. The first
	// is redelivered and must not be answered again.
	first := fake.SendMessage(fakeslack.Message{Channel: "C1", Text: bounce})
	fake.SendMessage(fakeslack.Message{Channel: "C1", Text: strings.Replace(bounce, "jane.doe", "john.roe", 2)})
	if err := fake.WaitAcks(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitAcks(ctx, fake.Resend(first)); err != nil {
		t.Fatal(err)
	}
	// A bounce whose DNS is checked at once (DIAGNOSE=auto): explanation
	// and checks, two posts.
	fake.SendMessage(fakeslack.Message{Channel: "C40", Text: fixtureBounce(t, "spf-fail.txt")})
	fake.SendSlash(fakeslack.Slash{Text: "550 5.1.1"})
	fake.SendHomeOpened(fakeslack.DefaultUser)
	if _, err := fake.WaitCalls(ctx, 4, "chat.postMessage"); err != nil {
		t.Fatalf("%v\n%s", err, p.stderr.String())
	}
	if _, err := fake.WaitCalls(ctx, 2, "response_url", "views.publish"); err != nil {
		t.Fatal(err)
	}
	fake.DropConnection()
	if err := fake.WaitConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
	eventuallyHealth(t, ctx, base, http.StatusOK, "ok")
	// The fake counts the new socket when it accepts it; the bot counts
	// the hello it reads from it a moment later.
	eventuallyCounted(t, ctx, base, "smtpbot_envelopes_received_total", map[string]string{"type": "hello"}, 2)

	fams := scrape(t, base)
	for _, c := range []struct {
		name   string
		labels map[string]string
		min    float64
		max    float64 // 0: no upper bound
	}{
		{"smtpbot_envelopes_received_total", map[string]string{"type": "events_api"}, 5, 0},
		{"smtpbot_envelopes_received_total", map[string]string{"type": "slash_commands"}, 1, 1},
		{"smtpbot_envelopes_received_total", map[string]string{"type": "hello"}, 2, 2},
		{"smtpbot_acks_total", nil, 6, 0},
		{"smtpbot_ack_latency_seconds", nil, 6, 0},
		{"smtpbot_replies_posted_total", map[string]string{"method": "chat.postMessage", "outcome": "ok"}, 4, 4},
		{"smtpbot_replies_posted_total", map[string]string{"method": "response_url", "outcome": "ok"}, 1, 1},
		{"smtpbot_replies_posted_total", map[string]string{"method": "views.publish", "outcome": "ok"}, 1, 1},
		{"smtpbot_rate_limited_total", nil, 1, 0},
		{"smtpbot_rate_limit_wait_seconds_total", nil, 1, 0},
		{"smtpbot_redeliveries_deduplicated_total", map[string]string{"kind": "event"}, 1, 1},
		{"smtpbot_reconnects_total", nil, 1, 1},
		{"smtpbot_handle_seconds", map[string]string{"source": "message"}, 3, 3},
		{"smtpbot_handle_seconds", map[string]string{"source": "slash"}, 1, 1},
		{"smtpbot_handle_seconds", map[string]string{"source": "home"}, 1, 1},
		// Extraction and rendering apart: each bounce in a channel is read
		// and rendered once; a code named on /smtp is only rendered.
		{"smtpbot_phase_seconds", map[string]string{"source": "message", "phase": "extract"}, 3, 3},
		{"smtpbot_phase_seconds", map[string]string{"source": "message", "phase": "render"}, 3, 3},
		{"smtpbot_phase_seconds", map[string]string{"source": "slash", "phase": "render"}, 1, 1},
		{"smtpbot_phase_seconds", map[string]string{"source": "slash", "phase": "extract"}, 0, 0},
		{"smtpbot_diagnosis_lookups_total", map[string]string{"check": "spf"}, 1, 0},
		{"smtpbot_diagnosis_seconds", nil, 1, 1},
		{"smtpbot_queue_depth", nil, 0, 0},
		{"smtpbot_requests_dropped_total", nil, 0, 0},
	} {
		got, ok := sum(fams[c.name], c.labels)
		switch {
		case !ok && c.min > 0:
			t.Errorf("%s%v: not exposed", c.name, c.labels)
		case got < c.min || c.max > 0 && got > c.max || c.min == 0 && c.max == 0 && got != 0:
			t.Errorf("%s%v = %v, want %v..%v", c.name, c.labels, got, c.min, c.max)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("the Go runtime's metrics are missing")
	}
	// Labels are fixed words (chat.postMessage, events_api): a channel or
	// user id (upper case first), an address (@), a token (-), a domain
	// with a hyphen or a sentence cannot pass.
	word := regexp.MustCompile(`^[a-z][a-zA-Z0-9_.]*$`)
	for name, f := range fams {
		if !strings.HasPrefix(name, "smtpbot_") {
			continue
		}
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if !word.MatchString(l.GetValue()) || strings.Contains(l.GetValue(), "example") {
					t.Errorf("%s has label %s=%q", name, l.GetName(), l.GetValue())
				}
			}
		}
	}

	// Slack goes away: /healthz says so within the reconnect attempts.
	fake.Close()
	eventuallyHealth(t, ctx, base, http.StatusServiceUnavailable, "not connected to Slack")
	out, err := exec.Command(bin, "healthcheck", "--url", base+"/healthz").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "not connected to Slack") {
		t.Errorf("smtpbot healthcheck without Slack: %v %q, want exit 1 with the reason", err, out)
	}

	p.terminate(t, 15*time.Second)
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("/healthz still answers after the bot exited")
	}
}

// logged waits for the JSON log line with msg and returns its attribute.
func logged(t *testing.T, ctx context.Context, stderr *syncBuffer, msg, attr string) string {
	t.Helper()
	for ctx.Err() == nil {
		for line := range strings.Lines(stderr.String()) {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
				if v, ok := rec[attr].(string); ok {
					return v
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no log line %q with %s:\n%s", msg, attr, stderr.String())
	return ""
}

// eventuallyHealth polls /healthz until it answers status with a body
// that contains want.
func eventuallyHealth(t *testing.T, ctx context.Context, base string, status int, want string) {
	t.Helper()
	var last string
	for ctx.Err() == nil {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = resp.Status + " " + string(b)
			if resp.StatusCode == status && strings.Contains(string(b), want) {
				return
			}
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/healthz never answered %d %q; last: %s", status, want, last)
}

// eventuallyCounted waits until the samples of name with labels add up to
// at least want.
func eventuallyCounted(t *testing.T, ctx context.Context, base, name string, labels map[string]string, want float64) {
	t.Helper()
	var got float64
	for ctx.Err() == nil {
		if got, _ = sum(scrape(t, base)[name], labels); got >= want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s%v stayed at %v, want %v", name, labels, got, want)
}

// scrape reads /metrics with Prometheus's own text parser.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %v %v", resp.Status, err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return fams
}

// sum adds up the samples of a family whose labels include want: a
// counter's or gauge's value, a histogram's count.
func sum(f *dto.MetricFamily, want map[string]string) (float64, bool) {
	if f == nil {
		return 0, false
	}
	var total float64
	found := false
next:
	for _, m := range f.Metric {
		for k, v := range want {
			match := false
			for _, l := range m.Label {
				match = match || l.GetName() == k && l.GetValue() == v
			}
			if !match {
				continue next
			}
		}
		found = true
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		}
	}
	return total, found
}
