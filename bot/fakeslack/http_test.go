package fakeslack_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

const secret = "8f742231b10e8888abcd99aa55cc85a5"

// seen is what a request URL got.
type seen struct {
	retry, reason, ctype string
	body                 string
	verified             error
}

// Over HTTP the fake signs as Slack does (slack-go's verifier accepts it),
// sends each kind in Slack's body shape, and sends a request that got no
// 200 again, 3 times at most, with X-Slack-Retry-Num and -Reason.
func TestHTTPDeliverySignedAndRetried(t *testing.T) {
	var mu sync.Mutex
	var got []seen
	status := http.StatusInternalServerError
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s := seen{retry: r.Header.Get("X-Slack-Retry-Num"), reason: r.Header.Get("X-Slack-Retry-Reason"),
			ctype: r.Header.Get("Content-Type"), body: string(body)}
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		s.verified = err
		mu.Lock()
		got = append(got, s)
		code := status
		mu.Unlock()
		w.WriteHeader(code)
	}))
	defer srv.Close()
	f := fakeslack.New(fakeslack.Options{SigningSecret: secret, EventsURL: srv.URL})
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	id := f.SendMessage(fakeslack.Message{Text: "550"})
	for f.FailedPosts() < 4 {
		if ctx.Err() != nil {
			t.Fatalf("%d failed posts, want 4 (the first and 3 retries)", f.FailedPosts())
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // no fifth
	mu.Lock()
	var retries []string
	for _, s := range got {
		retries = append(retries, s.retry+"/"+s.reason)
		if s.verified != nil {
			t.Errorf("slack-go's verifier refused the fake's signature: %v", s.verified)
		}
	}
	status = http.StatusOK
	got = nil
	mu.Unlock()
	if j := strings.Join(retries, " "); j != "/ 1/http_error 2/http_error 3/http_error" {
		t.Errorf("deliveries: %q", j)
	}
	if f.Acked(id) || len(f.Redeliveries(id)) != 3 {
		t.Errorf("acked %v, redelivered as %v", f.Acked(id), f.Redeliveries(id))
	}

	ids := []string{
		f.SendSlash(fakeslack.Slash{Text: "550 5.1.1"}),
		f.SendAction(fakeslack.Action{ActionID: "a", Value: "v"}),
	}
	if err := f.WaitAcks(ctx, ids...); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	slash, action := got[0], got[1]
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(slash.body))
	req.Header.Set("Content-Type", slash.ctype)
	cmd, err := slack.SlashCommandParse(req)
	if err != nil || cmd.Command != "/smtp" || cmd.Text != "550 5.1.1" || cmd.ResponseURL != f.ResponseURLFor(ids[0]) || cmd.TriggerID == "" {
		t.Errorf("slash command body %q parsed as %+v, %v", slash.body, cmd, err)
	}
	if action.ctype != "application/x-www-form-urlencoded" || !strings.HasPrefix(action.body, "payload=") {
		t.Errorf("interaction body: %s %q", action.ctype, action.body)
	}
}
