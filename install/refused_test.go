package install

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// logLines is a slog.Handler that keeps every record, for tests that
// count what was logged.
type logLines struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (l *logLines) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logLines) WithGroup(string) slog.Handler            { return l }

func (l *logLines) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r.Clone())
	return nil
}

// at returns the messages logged at level.
func (l *logLines) at(level slog.Level) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.recs {
		if r.Level == level {
			out = append(out, r.Message)
		}
	}
	return out
}

// spendRefreshToken uses the installation's refresh token once, as a
// refresh whose answer was never saved does: Slack then refuses the one
// saved (invalid_refresh_token) on every later use.
func spendRefreshToken(t *testing.T, r *rig, in *Installations) {
	t.Helper()
	inst, err := in.load(ctxT(t), store.InstallationID{TeamID: teamNew.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := slack.RefreshOAuthV2TokenContext(ctxT(t), http.DefaultClient, clientID, clientSecret, inst.RefreshToken,
		slack.OAuthOptionAPIURL(r.fake.URL())); err != nil {
		t.Fatal(err)
	}
}

// A refresh token Slack refuses for good is reported once, at Error with
// what to do, and not offered to Slack again, by a sweep or a request,
// until the workspace installs the app again.
func TestRefreshRefusedOnce(t *testing.T) {
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	obs := &refreshCounter{}
	r.in.app.Observer = obs
	logs := &logLines{}
	r.in.log = slog.New(logs)
	first := installRotating(t, r)
	ctx := ctxT(t)
	spendRefreshToken(t, r, r.in)
	asked := r.fake.Count("oauth.v2.access")

	r.clock.Advance(lifetime - 90*time.Minute) // inside the 2h margin
	for range 10 {                             // ten sweeps, a minute apart
		if n, failed, err := r.in.RefreshExpiring(ctx); n != 0 || failed != 0 || err != nil {
			t.Fatalf("sweep: %d refreshed, %d failed, %v; want none (the old token is still good)", n, failed, err)
		}
		r.clock.Advance(time.Minute)
	}
	if n := r.fake.Count("oauth.v2.access") - asked; n != 1 {
		t.Errorf("Slack was asked %d times to refresh a refresh token it refused; want once", n)
	}
	errs := logs.at(slog.LevelError)
	if len(errs) != 1 || !strings.Contains(errs[0], "reinstall the app in that workspace: "+InstallPath) {
		t.Errorf("errors logged: %q; want one that says to reinstall at %s", errs, InstallPath)
	}
	if warns := logs.at(slog.LevelWarn); len(warns) != 0 {
		t.Errorf("warnings logged: %q; want none", warns)
	}
	if got := obs.get(TriggerSweep + "/" + OutcomeRefused); got != 1 || len(obs.n) != 1 {
		t.Errorf("refreshes counted: %v; want sweep/refused once", obs.n)
	}

	// A request uses the old token while it lasts, then says why there is
	// none; neither asks Slack.
	if inst, err := r.in.Find(ctx, "", teamNew.ID); err != nil || inst.BotToken != first.BotToken {
		t.Errorf("Find before expiry: %v (old token: %v)", err, inst.BotToken == first.BotToken)
	}
	r.clock.Advance(2 * time.Hour)
	if _, err := r.in.Find(ctx, "", teamNew.ID); err == nil || !strings.Contains(err.Error(), "reinstall") {
		t.Errorf("Find after expiry: %v; want an error that says to reinstall", err)
	}
	if n := r.fake.Count("oauth.v2.access") - asked; n != 1 {
		t.Errorf("requests asked Slack %d more times", n-1)
	}

	// Reinstalled: its new refresh token is refreshed again.
	installRotating(t, r)
	r.clock.Advance(lifetime - time.Hour)
	if n, failed, err := r.in.RefreshExpiring(ctx); n != 1 || failed != 0 || err != nil {
		t.Errorf("sweep after the reinstall: %d refreshed, %d failed, %v; want 1", n, failed, err)
	}
	if errs := logs.at(slog.LevelError); len(errs) != 1 {
		t.Errorf("errors logged: %q; want only the refusal before the reinstall", errs)
	}
}

// Replicas sweeping at once: Slack is asked once, and one of them logs
// the refusal.
func TestRefreshRefusedOnceAcrossReplicas(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	logs := &logLines{}
	replicas := replicasOnRedis(t, r, srv.URL, 3, logs)
	r.in = replicas[0]
	installRotatingOn(t, r, replicas[0])
	spendRefreshToken(t, r, replicas[0])
	asked := r.fake.Count("oauth.v2.access")
	r.clock.Advance(lifetime - time.Hour)
	for range 3 { // three rounds of sweeps, all replicas at once
		var wg sync.WaitGroup
		for _, rep := range replicas {
			wg.Go(func() {
				if _, _, err := rep.RefreshExpiring(ctxT(t)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		r.clock.Advance(time.Minute)
	}
	if n := r.fake.Count("oauth.v2.access") - asked; n != 1 {
		t.Errorf("Slack was asked %d times; want once", n)
	}
	if errs, warns := logs.at(slog.LevelError), logs.at(slog.LevelWarn); len(errs) != 1 || len(warns) != 0 {
		t.Errorf("logged %d errors (%q) and %d warnings (%q); want one error", len(errs), errs, len(warns), warns)
	}
}

// A refresh that keeps failing for a while (Slack's ratelimited, its
// internal_error, no answer) is tried again by every sweep, and warned
// about at most once an hour.
func TestRefreshFailingWarnsHourly(t *testing.T) {
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	obs := &refreshCounter{}
	r.in.app.Observer = obs
	logs := &logLines{}
	r.in.log = slog.New(logs)
	installRotating(t, r)
	ctx := ctxT(t)
	asked := r.fake.Count("oauth.v2.access")
	sweepFailing := func(code string) {
		t.Helper()
		r.fake.FailNext("oauth.v2.access", code)
		if n, _, err := r.in.RefreshExpiring(ctx); n != 0 || err != nil {
			t.Fatalf("sweep with Slack answering %s: %d refreshed, %v", code, n, err)
		}
		r.clock.Advance(time.Minute)
	}

	r.clock.Advance(lifetime - 110*time.Minute)
	for i := range 10 {
		sweepFailing([]string{"ratelimited", "internal_error"}[i%2])
	}
	if n := r.fake.Count("oauth.v2.access") - asked; n != 10 {
		t.Errorf("Slack asked %d times in 10 failing sweeps; want 10 (every sweep tries again)", n)
	}
	if warns := logs.at(slog.LevelWarn); len(warns) != 1 {
		t.Errorf("%d warnings in 10 failing sweeps within 10 minutes: %q; want 1", len(warns), warns)
	}
	r.clock.Advance(time.Hour)
	sweepFailing("internal_error")
	if warns := logs.at(slog.LevelWarn); len(warns) != 2 {
		t.Errorf("%d warnings once an hour had passed; want 2", len(warns))
	}
	if n, _, _ := r.in.RefreshExpiring(ctx); n != 1 {
		t.Errorf("sweep once Slack answers: %d refreshed; want 1", n)
	}
	if errs := logs.at(slog.LevelError); len(errs) != 0 {
		t.Errorf("errors logged for failures that pass: %q", errs)
	}
	if got := obs.get(TriggerSweep + "/" + OutcomeError); got != 11 {
		t.Errorf("failed refreshes counted: %v; want 11 errors", obs.n)
	}
}

// hookedTransport runs before ahead of each request it carries.
type hookedTransport struct {
	before func()
	next   http.RoundTripper
}

func (h hookedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h.before()
	return h.next.RoundTrip(req)
}

// A refresh whose answer arrives after the workspace uninstalled the app
// does not bring the installation back, and one that arrives after a
// reinstall does not overwrite the reinstall's tokens.
func TestRefreshKeepsWhatHappenedMeanwhile(t *testing.T) {
	for _, meanwhile := range []string{"uninstall", "reinstall"} {
		t.Run(meanwhile, func(t *testing.T) {
			r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
			first := installRotating(t, r)
			ctx := ctxT(t)
			id := first.ID()
			var once sync.Once
			var reinstalled store.Installation
			r.in.app.HTTPClient = &http.Client{Transport: hookedTransport{next: http.DefaultTransport, before: func() {
				once.Do(func() {
					r.clock.Advance(time.Second)
					if meanwhile == "uninstall" {
						if _, err := r.st.DeleteInstallation(ctx, id, r.clock.Now()); err != nil {
							t.Error(err)
						}
						return
					}
					reinstalled = first
					reinstalled.BotToken, reinstalled.RefreshToken = "xoxe.xoxb-reinstalled", "xoxe-reinstalled"
					reinstalled.InstalledAt = r.clock.Now()
					reinstalled.ExpiresAt = r.clock.Now().Add(lifetime)
					if err := r.in.Save(ctx, reinstalled); err != nil {
						t.Error(err)
					}
				})
			}}}
			r.clock.Advance(lifetime - 90*time.Minute) // inside the 2h margin
			if refreshed, failed, err := r.in.RefreshExpiring(ctx); err != nil || refreshed != 1 || failed != 0 {
				t.Fatalf("sweep: %d refreshed, %d failed, %v", refreshed, failed, err)
			}
			got, err := r.in.load(ctx, id)
			switch meanwhile {
			case "uninstall":
				if err == nil {
					t.Errorf("the refresh brought back the uninstalled installation: %+v", redact(got))
				}
			case "reinstall":
				if err != nil || got.BotToken != reinstalled.BotToken || got.RefreshToken != reinstalled.RefreshToken {
					t.Errorf("the refresh overwrote the reinstall: %+v, %v", redact(got), err)
				}
			}
		})
	}
}
