// Package storetest is the conformance suite every store.Store
// implementation runs (Exercise), and the helpers it needs: a real
// redis-server started on a free loopback port, and a clock tests move by
// hand.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// Harness tells Exercise how to get stores of one implementation.
type Harness struct {
	// Open returns a new, empty store; Exercise closes it.
	Open func(t *testing.T) store.Store
	// Another returns a second store sharing s's data, as another replica
	// would; nil when the implementation is not shared (then the
	// replica cases are skipped).
	Another func(t *testing.T, s store.Store) store.Store
	// Reopen closes s and opens its data again, as after a restart; nil
	// when nothing outlives the process (memory only).
	Reopen func(t *testing.T, s store.Store) store.Store
	// TTL is the lifetime Exercise gives claims and locks that must
	// expire; Pass makes at least d go by for the store. With an injected
	// clock they are long and Pass moves the clock; against a server, whose
	// clock a test cannot move, they are short and Pass sleeps.
	TTL  time.Duration
	Pass func(d time.Duration)
}

// Exercise runs the whole contract of store.Store against h's stores.
func Exercise(t *testing.T, h Harness) {
	t.Run("Languages", func(t *testing.T) { languages(t, h) })
	t.Run("EnterpriseLanguages", func(t *testing.T) { enterpriseLanguages(t, h) })
	t.Run("Installations", func(t *testing.T) { installations(t, h) })
	t.Run("UninstallBefore", func(t *testing.T) { uninstallBefore(t, h) })
	t.Run("UpdateInstallation", func(t *testing.T) { updateInstallation(t, h) })
	t.Run("Expiring", func(t *testing.T) { expiring(t, h) })
	t.Run("Claim", func(t *testing.T) { claim(t, h) })
	t.Run("Lock", func(t *testing.T) { lock(t, h) })
	t.Run("Queue", func(t *testing.T) { queue(t, h) })
	t.Run("Reopen", func(t *testing.T) { reopen(t, h) })
	t.Run("Close", func(t *testing.T) { closed(t, h) })
	t.Run("Invalid", func(t *testing.T) { invalid(t, h) })
}

func open(t *testing.T, h Harness) store.Store {
	t.Helper()
	s := h.Open(t)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func wantLang(t *testing.T, s store.Store, team, user, want string) {
	t.Helper()
	got, err := s.Language(context.Background(), team, user)
	if err != nil || got != want {
		t.Errorf("Language(%s, %s) = %q, %v; want %q, nil", team, user, got, err, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func languages(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	wantLang(t, s, "T1", "U1", "") // never chosen: "" and no error

	must(t, s.SetLanguage(ctx, "T1", "U1", "vi"))
	must(t, s.SetLanguage(ctx, "T1", "U2", "th"))
	// A user id is unique only within its team.
	must(t, s.SetLanguage(ctx, "T2", "U1", "en"))
	wantLang(t, s, "T1", "U1", "vi")
	wantLang(t, s, "T1", "U2", "th")
	wantLang(t, s, "T2", "U1", "en")

	must(t, s.SetLanguage(ctx, "T1", "U1", "th")) // replaced
	wantLang(t, s, "T1", "U1", "th")

	must(t, s.DeleteLanguage(ctx, "T1", "U1"))
	wantLang(t, s, "T1", "U1", "")
	wantLang(t, s, "T1", "U2", "th")
	must(t, s.DeleteLanguage(ctx, "T1", "U1")) // deleting again is no error
	must(t, s.DeleteLanguage(ctx, "T9", "U9")) // nor a team never seen

	must(t, s.SetLanguage(ctx, "T1", "U2", "")) // an empty tag deletes
	wantLang(t, s, "T1", "U2", "")

	must(t, s.SetLanguage(ctx, "T1", "U3", "vi"))
	must(t, s.SetLanguage(ctx, "T1", "U4", "th"))
	must(t, s.DeleteTeamLanguages(ctx, "T1"))
	wantLang(t, s, "T1", "U3", "")
	wantLang(t, s, "T1", "U4", "")
	wantLang(t, s, "T2", "U1", "en") // another team's choices stay
	must(t, s.DeleteTeamLanguages(ctx, "T1"))
	must(t, s.SetLanguage(ctx, "T1", "U3", "en")) // the team may choose again
	wantLang(t, s, "T1", "U3", "en")

	if h.Another != nil {
		other := h.Another(t, s)
		defer other.Close()
		wantLang(t, other, "T1", "U3", "en")
		must(t, other.SetLanguage(ctx, "T1", "U3", "vi"))
		wantLang(t, s, "T1", "U3", "vi")
	}
}

// sample is an installation with every field set.
func sample(team string) store.Installation {
	return store.Installation{
		EnterpriseID:    "E1",
		TeamID:          team,
		BotToken:        "xoxe.xoxb-1-" + team,
		BotUserID:       "U0BOT",
		BotID:           "B0BOT",
		Scopes:          []string{"app_mentions:read", "chat:write", "commands"},
		InstallerUserID: "U0ADMIN",
		RefreshToken:    "xoxe-1-refresh-" + team,
		ExpiresAt:       time.Date(2026, 12, 5, 21, 0, 0, 0, time.UTC),
		InstalledAt:     time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC),
	}
}

func wantInstall(t *testing.T, s store.Store, id store.InstallationID, want store.Installation) {
	t.Helper()
	got, err := s.Installation(context.Background(), id)
	if err != nil {
		t.Errorf("Installation(%+v): %v", id, err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Installation(%+v) =\n%+v\nwant\n%+v", id, got, want)
	}
}

func wantNoInstall(t *testing.T, s store.Store, id store.InstallationID) {
	t.Helper()
	_, err := s.Installation(context.Background(), id)
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Installation(%+v) error = %v; want ErrNotFound", id, err)
	}
}

func installations(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	t1 := store.InstallationID{EnterpriseID: "E1", TeamID: "T1"}
	wantNoInstall(t, s, t1)

	in := sample("T1")
	must(t, s.PutInstallation(ctx, in))
	wantInstall(t, s, t1, in)
	// Looked up by team alone (a workspace outside any org, or a request
	// that carried no enterprise id).
	wantInstall(t, s, store.InstallationID{TeamID: "T1"}, in)

	// An org-wide install is kept under the org, apart from the workspace.
	org := sample("")
	org.EnterpriseInstall = true
	org.BotToken = "xoxb-org"
	must(t, s.PutInstallation(ctx, org))
	wantInstall(t, s, store.InstallationID{EnterpriseID: "E1"}, org)
	wantInstall(t, s, t1, in)

	// A reinstall (or a refreshed token) replaces the whole record.
	in2 := in
	in2.BotToken, in2.RefreshToken, in2.Scopes = "xoxb-new", "", []string{"chat:write"}
	in2.ExpiresAt = time.Time{}
	must(t, s.PutInstallation(ctx, in2))
	wantInstall(t, s, t1, in2)

	uninstall(t, s, t1, time.Now(), false)
	wantNoInstall(t, s, t1)
	wantInstall(t, s, store.InstallationID{EnterpriseID: "E1"}, org)
	uninstall(t, s, t1, time.Now(), false) // again: no error

	if h.Another != nil {
		other := h.Another(t, s)
		defer other.Close()
		wantInstall(t, other, store.InstallationID{EnterpriseID: "E1"}, org)
	}
}

func claim(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	first := func(s store.Store, key string) bool {
		t.Helper()
		ok, err := s.Claim(ctx, key, h.TTL)
		if err != nil {
			t.Fatalf("Claim(%s): %v", key, err)
		}
		return ok
	}
	if !first(s, "event/Ev1") {
		t.Fatal("first claim of a key: not first")
	}
	if first(s, "event/Ev1") {
		t.Fatal("second claim of a key within its ttl: first")
	}
	if !first(s, "event/Ev2") {
		t.Fatal("another key: not first")
	}

	h.Pass(h.TTL + h.TTL/2)
	if !first(s, "event/Ev1") {
		t.Fatal("claim after the ttl passed: not first")
	}
	if first(s, "event/Ev1") {
		t.Fatal("claim again within the new ttl: first")
	}

	// Of many callers at once (and many replicas, when shared), exactly
	// one is first.
	stores := []store.Store{s}
	if h.Another != nil {
		for range 2 {
			o := h.Another(t, s)
			defer o.Close()
			stores = append(stores, o)
		}
	}
	for round := range 20 {
		key := "trigger/" + string(rune('a'+round))
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Go(func() {
				ok, err := stores[i%len(stores)].Claim(ctx, key, time.Hour)
				if err != nil {
					t.Error(err)
				}
				if ok {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if n := firsts.Load(); n != 1 {
			t.Fatalf("round %d: %d of 12 concurrent claims were first; want 1", round, n)
		}
	}
}

func lock(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	short := func() context.Context {
		c, cancel := context.WithTimeout(ctx, 60*time.Millisecond)
		t.Cleanup(cancel)
		return c
	}
	other := s
	if h.Another != nil {
		other = h.Another(t, s)
		defer other.Close()
	}

	unlock, err := s.Lock(ctx, "refresh/T1", time.Hour)
	must(t, err)
	// Held: another caller waits until its context is done.
	if _, err := other.Lock(short(), "refresh/T1", time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock of a held lock: %v; want context.DeadlineExceeded", err)
	}
	// Another name is another lock.
	u2, err := other.Lock(short(), "refresh/T2", time.Hour)
	must(t, err)
	must(t, u2(ctx))

	// A waiter gets the lock once it is released.
	got := make(chan error, 1)
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		u, err := other.Lock(wctx, "refresh/T1", time.Hour)
		if err == nil {
			err = u(ctx)
		}
		got <- err
	}()
	time.Sleep(30 * time.Millisecond) // let the waiter find the lock held (it must wait either way)
	must(t, unlock(ctx))
	must(t, <-got)

	// A holder that outlives its ttl loses the lock to the next, and its
	// late unlock leaves the new holder's lock alone.
	late, err := s.Lock(ctx, "refresh/T3", h.TTL)
	must(t, err)
	h.Pass(h.TTL + h.TTL/2)
	next, err := other.Lock(short(), "refresh/T3", time.Hour)
	if err != nil {
		t.Fatalf("Lock after the holder's ttl passed: %v", err)
	}
	if err := late(ctx); !errors.Is(err, store.ErrLockLost) {
		t.Fatalf("unlock after the ttl passed and another took the lock: %v; want ErrLockLost", err)
	}
	if _, err := s.Lock(short(), "refresh/T3", time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a late unlock released the new holder's lock: Lock = %v", err)
	}
	must(t, next(ctx))

	// Mutual exclusion: never two holders at once.
	var inside, overlaps atomic.Int32
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			st := s
			if i%2 == 1 {
				st = other
			}
			for range 5 {
				u, err := st.Lock(ctx, "refresh/T4", time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if inside.Add(1) > 1 {
					overlaps.Add(1)
				}
				time.Sleep(time.Millisecond)
				inside.Add(-1)
				if err := u(ctx); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := overlaps.Load(); n > 0 {
		t.Fatalf("%d times two holders held one lock", n)
	}
}

func reopen(t *testing.T, h Harness) {
	if h.Reopen == nil {
		t.Skip("nothing outlives this store")
	}
	ctx := context.Background()
	s := h.Open(t)
	must(t, s.SetLanguage(ctx, "T1", "U1", "vi"))
	must(t, s.SetLanguage(ctx, "T2", "U1", "th"))
	in := sample("T1")
	must(t, s.PutInstallation(ctx, in))
	s = h.Reopen(t, s)
	defer s.Close()
	wantLang(t, s, "T1", "U1", "vi")
	wantLang(t, s, "T2", "U1", "th")
	wantInstall(t, s, in.ID(), in)
}

func closed(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.Open(t)
	must(t, s.Close())
	must(t, s.Close()) // twice: no error
	checks := map[string]error{}
	_, checks["Language"] = s.Language(ctx, "T1", "U1")
	checks["SetLanguage"] = s.SetLanguage(ctx, "T1", "U1", "vi")
	_, checks["Installation"] = s.Installation(ctx, store.InstallationID{TeamID: "T1"})
	checks["PutInstallation"] = s.PutInstallation(ctx, sample("T1"))
	_, checks["Lock"] = s.Lock(ctx, "x", time.Second)
	first, err := s.Claim(ctx, "x", time.Second)
	checks["Claim"] = err
	if !first {
		t.Error("Claim on a closed store: first = false; a failing store must answer first (fail open)")
	}
	for op, err := range checks {
		if !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close: %v; want ErrClosed", op, err)
		}
	}
}

func invalid(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	checks := map[string]error{}
	_, checks["Language no team"] = s.Language(ctx, "", "U1")
	_, checks["Language no user"] = s.Language(ctx, "T1", "")
	checks["SetLanguage no user"] = s.SetLanguage(ctx, "T1", "", "vi")
	checks["DeleteTeamLanguages no team"] = s.DeleteTeamLanguages(ctx, "")
	checks["LinkTeam no enterprise"] = s.LinkTeam(ctx, "", "T1")
	checks["LinkTeam no team"] = s.LinkTeam(ctx, "E1", "")
	checks["DeleteEnterpriseLanguages no enterprise"] = s.DeleteEnterpriseLanguages(ctx, "")
	_, checks["Installation no id"] = s.Installation(ctx, store.InstallationID{})
	checks["PutInstallation no id"] = s.PutInstallation(ctx, store.Installation{BotToken: "xoxb-1"})
	_, checks["DeleteInstallation no id"] = s.DeleteInstallation(ctx, store.InstallationID{}, time.Now())
	_, checks["UpdateInstallation no id"] = s.UpdateInstallation(ctx, store.Installation{BotToken: "xoxb-1"})
	_, checks["Claim no key"] = s.Claim(ctx, "", time.Second)
	_, checks["Claim no ttl"] = s.Claim(ctx, "k", 0)
	_, checks["Lock no name"] = s.Lock(ctx, "", time.Second)
	_, checks["Lock no ttl"] = s.Lock(ctx, "n", 0)
	for op, err := range checks {
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", op, err)
		}
	}
}
