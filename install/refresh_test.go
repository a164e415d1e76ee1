package install

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// refreshCounter is a RefreshObserver that counts "trigger/outcome".
type refreshCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *refreshCounter) TokenRefreshed(trigger, outcome string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[trigger+"/"+outcome]++
}

func (c *refreshCounter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

// The background refresh renews a rotating token once it is within the
// margin of its expiry, with no request asking for it, and saves it sealed.
func TestRefreshExpiring(t *testing.T) {
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	obs := &refreshCounter{}
	r.in.app.Observer = obs
	var logs bytes.Buffer
	r.in.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	first := installRotating(t, r)
	ctx := ctxT(t)

	if n, failed, err := r.in.RefreshExpiring(ctx); n != 0 || failed != 0 || err != nil {
		t.Fatalf("sweep right after the install: %d refreshed, %d failed, %v; want none", n, failed, err)
	}
	r.clock.Advance(lifetime - 3*time.Hour) // 3h left: outside the 2h margin
	if n, _, _ := r.in.RefreshExpiring(ctx); n != 0 {
		t.Fatalf("sweep 3h before expiry refreshed %d tokens", n)
	}
	r.clock.Advance(90 * time.Minute) // 1h30 left
	if n, failed, err := r.in.RefreshExpiring(ctx); n != 1 || failed != 0 || err != nil {
		t.Fatalf("sweep 1h30 before expiry: %d refreshed, %d failed, %v; want 1", n, failed, err)
	}
	if n := r.fake.TokensIssued(teamNew.ID); n != 2 {
		t.Errorf("%d tokens issued, want 2 (the install and the sweep's refresh)", n)
	}
	if got := obs.get(TriggerSweep + "/" + OutcomeOK); got != 1 {
		t.Errorf("sweep refreshes counted: %v", obs.n)
	}
	raw, err := r.st.Installation(ctx, first.ID())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw.BotToken, "xox") || strings.Contains(raw.RefreshToken, "xox") {
		t.Error("the refreshed tokens were saved in the clear")
	}
	if !raw.ExpiresAt.Equal(r.clock.Now().Add(lifetime)) {
		t.Errorf("saved expiry %v, want %v", raw.ExpiresAt, r.clock.Now().Add(lifetime))
	}
	// A request now uses the new token without refreshing again.
	inst, err := r.in.Find(ctx, "", teamNew.ID)
	if err != nil || inst.BotToken == first.BotToken {
		t.Fatalf("Find after the sweep: %v, new token: %v", err, inst.BotToken != first.BotToken)
	}
	if n, _, _ := r.in.RefreshExpiring(ctx); n != 0 || r.fake.TokensIssued(teamNew.ID) != 2 {
		t.Errorf("a second sweep refreshed %d fresh tokens", n)
	}

	// Failed at Slack: counted as an error, the old token kept.
	r.clock.Advance(lifetime - time.Hour)
	r.fake.FailNext("oauth.v2.access", "internal_error")
	if n, failed, _ := r.in.RefreshExpiring(ctx); n != 0 || failed != 0 {
		// The old token still works: stale() returns it without an error.
		t.Errorf("failed refresh with the token still valid: %d refreshed, %d failed; want 0, 0", n, failed)
	}
	if got := obs.get(TriggerSweep + "/" + OutcomeError); got != 1 {
		t.Errorf("failed sweep refreshes counted: %v", obs.n)
	}
	if !strings.Contains(logs.String(), "bot token refreshed") || !strings.Contains(logs.String(), "trigger=sweep") {
		t.Errorf("the sweep's refresh was not logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "xox") {
		t.Errorf("a token in the log:\n%s", logs.String())
	}
}

// Replicas sweeping at the same moment refresh each token once: the
// store's lock lets one refresh and the others find it fresh.
func TestRefreshExpiringAcrossReplicas(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	replicas := replicasOnRedis(t, r, srv.URL, 3, slog.DiscardHandler)
	r.in = replicas[0]
	installRotatingOn(t, r, replicas[0])
	r.clock.Advance(lifetime - time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, rep := range replicas {
		wg.Go(func() {
			n, failed, err := rep.RefreshExpiring(ctxT(t))
			if err != nil || failed != 0 {
				t.Errorf("sweep: %d failed, %v", failed, err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	if total != 1 || r.fake.TokensIssued(teamNew.ID) != 2 {
		t.Errorf("3 replicas sweeping at once refreshed %d times (%d tokens issued); want 1 (2)", total, r.fake.TokensIssued(teamNew.ID))
	}
}

// RunRefresher sweeps on its own, and returns once its context is done.
func TestRunRefresher(t *testing.T) {
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	installRotating(t, r)
	r.clock.Advance(lifetime - time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.in.RunRefresher(ctx, 20*time.Millisecond)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for r.fake.TokensIssued(teamNew.ID) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no refresh by the background sweep")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunRefresher did not return after its context was cancelled")
	}
	if n := r.fake.TokensIssued(teamNew.ID); n != 2 {
		t.Errorf("%d tokens issued; the sweep refreshed a fresh token again", n)
	}
}

// Removing an org-wide install forgets the choices of the org's
// workspaces that it served, and only theirs.
func TestUninstallOrgWide(t *testing.T) {
	r := newRig(t, fakeslack.Options{})
	ctx := ctxT(t)
	org := store.Installation{EnterpriseID: "E1", EnterpriseInstall: true, BotToken: "xoxb-org-0123456789"}
	if err := r.in.Save(ctx, org); err != nil {
		t.Fatal(err)
	}
	for team, ent := range map[string]string{"T1": "E1", "T2": "E1", "T3": "E2"} {
		if err := r.st.LinkTeam(ctx, ent, team); err != nil {
			t.Fatal(err)
		}
		if err := r.st.SetLanguage(ctx, team, "U1", "th"); err != nil {
			t.Fatal(err)
		}
	}
	if kept, err := r.in.Uninstall(ctx, org.ID(), r.clock.Now()); kept || err != nil {
		t.Fatalf("Uninstall: kept %v, %v", kept, err)
	}
	if _, err := r.in.Find(ctx, "E1", "T1"); err == nil {
		t.Error("the org is still installed")
	}
	for team, want := range map[string]string{"T1": "", "T2": "", "T3": "th"} {
		if tag, _ := r.st.Language(ctx, team, "U1"); tag != want {
			t.Errorf("%s's choice after E1's uninstall: %q, want %q", team, tag, want)
		}
	}
	if _, err := r.in.Uninstall(ctx, org.ID(), r.clock.Now()); err != nil {
		t.Errorf("a second uninstall of the org: %v", err)
	}
}
