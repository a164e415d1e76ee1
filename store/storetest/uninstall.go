package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// uninstall calls DeleteInstallation and checks what it says it kept.
func uninstall(t *testing.T, s store.Store, id store.InstallationID, at time.Time, wantKept bool) {
	t.Helper()
	kept, err := s.DeleteInstallation(context.Background(), id, at)
	if err != nil || kept != wantKept {
		t.Fatalf("DeleteInstallation(%+v, %v) = kept %v, %v; want kept %v", id, at, kept, err, wantKept)
	}
}

// An uninstall removes only what existed when it happened: an event
// redelivered, or a job taken over, after the workspace installed the app
// again must leave the new installation alone.
func uninstallBefore(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	in := sample("T1") // installed at 09:00
	id := in.ID()
	must(t, s.PutInstallation(ctx, in))

	uninstall(t, s, id, in.InstalledAt.Add(-time.Second), true) // an uninstall before this install
	wantInstall(t, s, id, in)
	uninstall(t, s, id, in.InstalledAt, true) // at the same instant: the install is kept
	wantInstall(t, s, id, in)
	uninstall(t, s, id, in.InstalledAt.Add(time.Second), false) // after it: removed
	wantNoInstall(t, s, id)
	uninstall(t, s, id, in.InstalledAt.Add(time.Second), false) // none left: no error

	// A record saved before InstalledAt was recorded is older than any
	// uninstall.
	old := sample("T2")
	old.InstalledAt = time.Time{}
	must(t, s.PutInstallation(ctx, old))
	uninstall(t, s, old.ID(), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false)
	wantNoInstall(t, s, old.ID())

	// An org-wide install, by the org's id.
	org := sample("")
	org.EnterpriseInstall = true
	must(t, s.PutInstallation(ctx, org))
	uninstall(t, s, org.ID(), org.InstalledAt.Add(-time.Minute), true)
	uninstall(t, s, org.ID(), org.InstalledAt.Add(time.Minute), false)
	wantNoInstall(t, s, org.ID())

	// A reinstall racing the uninstall of the install before it is never
	// removed, whichever comes first, on this replica or another.
	other := s
	if h.Another != nil {
		other = h.Another(t, s)
		defer other.Close()
	}
	for round := range 30 {
		before := sample("T3")
		before.InstalledAt = before.InstalledAt.Add(time.Duration(round) * time.Hour)
		must(t, s.PutInstallation(ctx, before))
		after := before
		after.BotToken = "xoxb-reinstalled"
		after.InstalledAt = before.InstalledAt.Add(2 * time.Second)
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := other.DeleteInstallation(ctx, before.ID(), before.InstalledAt.Add(time.Second)); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if err := s.PutInstallation(ctx, after); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		got, err := s.Installation(ctx, after.ID())
		if err != nil || !got.InstalledAt.Equal(after.InstalledAt) {
			t.Fatalf("round %d: the reinstall racing an older uninstall: %v, installed at %v; want it kept", round, err, got.InstalledAt)
		}
	}
}

// UpdateInstallation writes over the install it was read from, and only
// that one: never over a reinstall, never bringing back a removed one.
func updateInstallation(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	update := func(inst store.Installation, want bool) {
		t.Helper()
		saved, err := s.UpdateInstallation(ctx, inst)
		if err != nil || saved != want {
			t.Fatalf("UpdateInstallation = saved %v, %v; want %v", saved, err, want)
		}
	}
	in := sample("T1")
	update(in, false) // nothing saved yet: not created
	wantNoInstall(t, s, in.ID())

	must(t, s.PutInstallation(ctx, in))
	marked := in
	marked.RefreshRefused = "invalid_refresh_token"
	update(marked, true)
	wantInstall(t, s, in.ID(), marked)

	// Reinstalled since it was read: the reinstall stays.
	re := in
	re.BotToken, re.InstalledAt = "xoxb-reinstalled", in.InstalledAt.Add(time.Hour)
	must(t, s.PutInstallation(ctx, re))
	update(marked, false)
	wantInstall(t, s, in.ID(), re)

	// Removed since: stays removed.
	uninstall(t, s, in.ID(), re.InstalledAt.Add(time.Second), false)
	update(re, false)
	wantNoInstall(t, s, in.ID())
}
