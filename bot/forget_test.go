package bot_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/install"
	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// installs is bot.Installations on a store, without encryption. With
// stuck set, Uninstall hangs until its context ends, as on a replica that
// dies in the middle of it.
type installs struct {
	st         store.Store
	stuck      bool
	uninstalls atomic.Int32
}

func (in *installs) Find(ctx context.Context, enterpriseID, teamID string) (store.Installation, error) {
	return in.st.Installation(ctx, store.InstallationID{EnterpriseID: enterpriseID, TeamID: teamID})
}

func (in *installs) Uninstall(ctx context.Context, id store.InstallationID, at time.Time) (bool, error) {
	in.uninstalls.Add(1)
	if in.stuck {
		<-ctx.Done()
		return false, ctx.Err()
	}
	kept, err := in.st.DeleteInstallation(ctx, id, at)
	if err != nil || kept {
		return kept, err
	}
	return false, in.st.DeleteTeamLanguages(ctx, id.TeamID)
}

// runMulti runs a multi-workspace bot on the shared store until the
// returned stop is called.
func runMulti(t *testing.T, fake *fakeslack.Server, st store.Store, in bot.Installations) (stop func()) {
	t.Helper()
	b, err := bot.New(bot.Config{
		AppToken: appToken, APIURL: fake.URL(), Store: st, Installations: in,
		Logger: slog.New(slog.DiscardHandler), ReconnectBackoff: 10 * time.Millisecond,
		TakeoverAfter: 200 * time.Millisecond, ShutdownGrace: 100 * time.Millisecond,
	}, newTestHandler())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return stop
}

// An uninstall Slack has the ack of is carried out even when the replica
// that acked it stops before it could: it waits in the work queue like
// any request, and another replica takes it over.
func TestUninstallSurvivesTheReplicaThatAckedIt(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	shared, err := store.OpenEmbedded(store.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	ctx := waitCtx(t)
	const team = "T0GONE0001"
	inst := store.Installation{TeamID: team, BotToken: "xoxb-gone", BotUserID: "UBGONE"}
	if err := shared.PutInstallation(ctx, inst); err != nil {
		t.Fatal(err)
	}
	if err := shared.SetLanguage(ctx, team, "U1", "th"); err != nil {
		t.Fatal(err)
	}

	// The first replica acks app_uninstalled, then stops in the middle of
	// carrying it out.
	dying := &installs{st: shared, stuck: true}
	stopDying := runMulti(t, fake, shared, dying)
	if err := fake.WaitConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	env := fake.SendUninstall(team)
	if err := fake.WaitAcks(ctx, env); err != nil {
		t.Fatal(err)
	}
	for dying.uninstalls.Load() == 0 {
		if ctx.Err() != nil {
			t.Fatal("the first replica never started the uninstall")
		}
		time.Sleep(5 * time.Millisecond)
	}
	stopDying()
	if _, err := shared.Installation(ctx, store.InstallationID{TeamID: team}); err != nil {
		t.Fatalf("the installation is gone before any replica carried out the uninstall: %v", err)
	}

	// Another replica, with no new delivery from Slack, forgets the
	// workspace.
	survivor := &installs{st: shared}
	runMulti(t, fake, shared, survivor)
	for {
		_, err := shared.Installation(ctx, store.InstallationID{TeamID: team})
		tag, _ := shared.Language(ctx, team, "U1")
		if errors.Is(err, store.ErrNotFound) && tag == "" {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the acked uninstall was lost with the replica that acked it: installation %v, choice %q", err, tag)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := survivor.uninstalls.Load(); n != 1 {
		t.Errorf("the surviving replica carried out the uninstall %d times; want 1", n)
	}

	// Slack redelivers the same event (its ack was late): acked, nothing
	// more is deleted, and a reinstall made since is kept.
	if err := shared.PutInstallation(ctx, inst); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitAcks(ctx, fake.Resend(env)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // time to carry it out, were it queued again
	if n := survivor.uninstalls.Load(); n != 1 {
		t.Errorf("a redelivered app_uninstalled was carried out again (%d uninstalls)", n)
	}
	if _, err := shared.Installation(ctx, store.InstallationID{TeamID: team}); err != nil {
		t.Errorf("the reinstall was deleted by the redelivered uninstall: %v", err)
	}
}

// counted is the real installations, counting the uninstalls carried out.
type counted struct {
	*install.Installations
	done atomic.Int32
}

func (c *counted) Uninstall(ctx context.Context, id store.InstallationID, at time.Time) (bool, error) {
	defer c.done.Add(1)
	return c.Installations.Uninstall(ctx, id, at)
}

// A workspace removes the app and installs it again seconds later; then
// Slack's app_uninstalled comes once more, past the window in which the
// bot drops redeliveries (or with its key lost). The uninstall happened
// before the reinstall: the new installation, and the choice made since,
// stay.
func TestUninstallRedeliveredAfterReinstall(t *testing.T) {
	clock := storetest.NewClock() // events, installs and the queue's dedupe window
	fake := fakeslack.New(fakeslack.Options{Now: clock.Now})
	t.Cleanup(fake.Close)
	shared, err := store.OpenEmbedded(store.EmbeddedOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	sealer, err := install.NewSealer(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	in := &counted{Installations: install.NewInstallations(shared, sealer, install.App{APIURL: fake.URL()},
		slog.New(slog.DiscardHandler), clock.Now)}
	ctx := waitCtx(t)
	const team = "T0BACK0001"
	installed := func(token string) {
		t.Helper()
		if err := in.Save(ctx, store.Installation{TeamID: team, BotToken: token, BotUserID: "UBBACK0001", InstalledAt: clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	chose := func(tag string) {
		t.Helper()
		if err := shared.SetLanguage(ctx, team, "U1", tag); err != nil {
			t.Fatal(err)
		}
	}
	uninstalled := func(n int32) {
		t.Helper()
		for in.done.Load() < n {
			if ctx.Err() != nil {
				t.Fatalf("%d uninstalls carried out; want %d", in.done.Load(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	installed("xoxb-first")
	chose("th")
	clock.Advance(time.Hour)

	runMulti(t, fake, shared, in)
	if err := fake.WaitConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	env := fake.SendUninstall(team)
	uninstalled(1)
	if _, err := shared.Installation(ctx, store.InstallationID{TeamID: team}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("installation after app_uninstalled: %v; want it gone", err)
	}
	if tag, _ := shared.Language(ctx, team, "U1"); tag != "" {
		t.Fatalf("choice after app_uninstalled: %q; want it gone", tag)
	}

	clock.Advance(5 * time.Second)
	installed("xoxb-again")
	chose("vi")
	clock.Advance(11 * time.Minute) // past EventTTL: not dropped as a redelivery
	if err := fake.WaitAcks(ctx, fake.Resend(env)); err != nil {
		t.Fatal(err)
	}
	uninstalled(2)
	got, err := in.Find(ctx, "", team)
	if err != nil || got.BotToken != "xoxb-again" {
		t.Errorf("the reinstall after app_uninstalled came again: %v (token %q); want it kept", err, got.BotToken)
	}
	if tag, _ := shared.Language(ctx, team, "U1"); tag != "vi" {
		t.Errorf("the choice made since the reinstall: %q; want vi", tag)
	}
}
