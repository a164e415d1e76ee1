package install

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

const lifetime = 12 * time.Hour

// installRotating installs teamNew through the pages with token rotation
// on, and returns the installation as saved.
func installRotating(t *testing.T, r *rig) store.Installation {
	t.Helper()
	c := browser(t, true)
	link, _ := r.installLink(t, c)
	r.fake.NextInstall(teamNew)
	if code, body := get(t, c, link); code != http.StatusOK {
		t.Fatalf("install: HTTP %d\n%s", code, body)
	}
	inst, err := r.in.Find(ctxT(t), "", teamNew.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(inst.BotToken, "xoxe.xoxb-") || !strings.HasPrefix(inst.RefreshToken, "xoxe-") ||
		!inst.ExpiresAt.Equal(r.clock.Now().Add(lifetime)) {
		t.Fatalf("rotating install saved as %+v (expires %v)", redact(inst), inst.ExpiresAt)
	}
	return inst
}

// Replicas sharing a Redis server ask for a token about to expire at the
// same moment: one refreshes it (Slack spends a refresh token on first
// use), the others wait for the lock and take the token it saved.
func TestRefreshOnceAcrossReplicas(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	replicas := replicasOnRedis(t, r, srv.URL, 3, slog.DiscardHandler)
	// Install through the pages of the first replica's store.
	r.in = replicas[0]
	first := installRotatingOn(t, r, replicas[0])

	// Well before expiry: no refresh.
	r.clock.Advance(lifetime - 3*time.Hour)
	if inst, err := replicas[1].Find(ctxT(t), "", teamNew.ID); err != nil || inst.BotToken != first.BotToken {
		t.Fatalf("Find 3h before expiry: %v, token changed: %v", err, inst.BotToken != first.BotToken)
	}
	if n := r.fake.TokensIssued(teamNew.ID); n != 1 {
		t.Fatalf("%d tokens issued before the margin, want 1", n)
	}

	// Inside the 2h margin: 3 replicas × 4 requests at once.
	r.clock.Advance(90 * time.Minute)
	var wg sync.WaitGroup
	tokens := make(chan string, 12)
	for _, rep := range replicas {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inst, err := rep.Find(ctxT(t), "", teamNew.ID)
				if err != nil {
					t.Error(err)
					return
				}
				tokens <- inst.BotToken
			}()
		}
	}
	wg.Wait()
	close(tokens)
	seen := map[string]bool{}
	for tok := range tokens {
		seen[tok] = true
	}
	if n := r.fake.TokensIssued(teamNew.ID); n != 2 {
		t.Errorf("%d tokens issued in all, want 2 (the install and one refresh)", n)
	}
	if len(seen) != 1 || seen[first.BotToken] {
		t.Errorf("replicas got %d distinct tokens (old one among them: %v), want the one new token", len(seen), seen[first.BotToken])
	}
	after, err := replicas[2].Find(ctxT(t), "", teamNew.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ExpiresAt.Equal(r.clock.Now().Add(lifetime)) || after.RefreshToken == first.RefreshToken {
		t.Errorf("refreshed installation: expires %v (want %v), refresh token replaced: %v",
			after.ExpiresAt, r.clock.Now().Add(lifetime), after.RefreshToken != first.RefreshToken)
	}
}

// installRotatingOn installs through pages whose installations are in's.
func installRotatingOn(t *testing.T, r *rig, in *Installations) store.Installation {
	t.Helper()
	mux := http.NewServeMux()
	Pages{Installations: in, States: in.st, AuthorizeURL: r.fake.AuthorizeURL(), Logger: slog.New(slog.DiscardHandler), Now: r.clock.Now}.Mount(mux)
	r.srv.Config.Handler = mux
	// The fake sends the browser to its RedirectURL when the link has no
	// redirect_uri, as Slack uses the app's configured one.
	r.fake.SetRedirectURL(r.srv.URL + RedirectPath)
	return installRotating(t, r)
}

// A refresh that fails for a while (Slack's internal_error: "likely due
// to a transient issue") leaves the old token in use until it expires;
// after that the workspace has no token and Find says so, until a refresh
// works again.
func TestRefreshFails(t *testing.T) {
	r := newRig(t, fakeslack.Options{TokenLifetime: lifetime})
	first := installRotating(t, r)
	r.clock.Advance(lifetime - time.Hour)
	r.fake.FailNext("oauth.v2.access", "internal_error")
	inst, err := r.in.Find(ctxT(t), "", teamNew.ID)
	if err != nil || inst.BotToken != first.BotToken {
		t.Fatalf("Find with a failed refresh before expiry = %v (same token: %v), want the old token", err, inst.BotToken == first.BotToken)
	}
	r.clock.Advance(2 * time.Hour)
	r.fake.FailNext("oauth.v2.access", "internal_error")
	if _, err := r.in.Find(ctxT(t), "", teamNew.ID); err == nil || strings.Contains(err.Error(), "xox") {
		t.Fatalf("Find after expiry with a failed refresh = %v, want an error without a token in it", err)
	}
	// The next attempt works again.
	inst, err = r.in.Find(ctxT(t), "", teamNew.ID)
	if err != nil || inst.BotToken == first.BotToken {
		t.Fatalf("Find once Slack refreshes again = %v, new token: %v", err, inst.BotToken != first.BotToken)
	}
}

// Uninstall forgets the installation and the team's choices, and no other
// team's.
func TestUninstall(t *testing.T) {
	r := newRig(t, fakeslack.Options{})
	ctx := ctxT(t)
	for _, team := range []string{"T1", "T2"} {
		if err := r.in.Save(ctx, store.Installation{TeamID: team, BotToken: "xoxb-" + team + "-0123456789", BotUserID: "UB" + team}); err != nil {
			t.Fatal(err)
		}
		if err := r.st.SetLanguage(ctx, team, "U1", "th"); err != nil {
			t.Fatal(err)
		}
	}
	if kept, err := r.in.Uninstall(ctx, store.InstallationID{TeamID: "T1"}, r.clock.Now()); kept || err != nil {
		t.Fatalf("Uninstall: kept %v, %v", kept, err)
	}
	if _, err := r.in.Find(ctx, "", "T1"); err == nil {
		t.Error("T1 still installed")
	}
	if tag, _ := r.st.Language(ctx, "T1", "U1"); tag != "" {
		t.Errorf("T1's choice kept: %q", tag)
	}
	if _, err := r.in.Find(ctx, "", "T2"); err != nil {
		t.Errorf("T2 lost: %v", err)
	}
	if tag, _ := r.st.Language(ctx, "T2", "U1"); tag != "th" {
		t.Errorf("T2's choice lost: %q", tag)
	}

	// T1 installs again; the uninstall of before comes once more (a
	// redelivery, a takeover): the reinstall and its choices stay.
	uninstalledAt := r.clock.Now()
	r.clock.Advance(5 * time.Second)
	if err := r.in.Save(ctx, store.Installation{TeamID: "T1", BotToken: "xoxb-T1-again-0123", BotUserID: "UBT1", InstalledAt: r.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := r.st.SetLanguage(ctx, "T1", "U1", "vi"); err != nil {
		t.Fatal(err)
	}
	if kept, err := r.in.Uninstall(ctx, store.InstallationID{TeamID: "T1"}, uninstalledAt); !kept || err != nil {
		t.Fatalf("the uninstall of before, once more: kept %v, %v; want the reinstall kept", kept, err)
	}
	if inst, err := r.in.Find(ctx, "", "T1"); err != nil || inst.BotToken != "xoxb-T1-again-0123" {
		t.Errorf("T1's reinstall after the uninstall came again: %v", err)
	}
	if tag, _ := r.st.Language(ctx, "T1", "U1"); tag != "vi" {
		t.Errorf("T1's choice made since the reinstall: %q; want vi", tag)
	}
}

// An org-wide install answers every workspace of the org that has none
// of its own.
func TestFindOrgWide(t *testing.T) {
	r := newRig(t, fakeslack.Options{})
	ctx := ctxT(t)
	if err := r.in.Save(ctx, store.Installation{EnterpriseID: "E1", EnterpriseInstall: true, BotToken: "xoxb-org-0123456789"}); err != nil {
		t.Fatal(err)
	}
	if err := r.in.Save(ctx, store.Installation{EnterpriseID: "E1", TeamID: "T9", BotToken: "xoxb-t9-0123456789"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ent, team, want string }{
		{"E1", "T1", "xoxb-org-0123456789"},
		{"E1", "T9", "xoxb-t9-0123456789"},
		{"E1", "", "xoxb-org-0123456789"},
	} {
		inst, err := r.in.Find(ctx, tc.ent, tc.team)
		if err != nil || inst.BotToken != tc.want {
			t.Errorf("Find(%s, %s) = %v, right token: %v", tc.ent, tc.team, err, inst.BotToken == tc.want)
		}
	}
	if _, err := r.in.Find(ctx, "E2", "T1"); err == nil {
		t.Error("a workspace of another org found the org-wide install")
	}
}
