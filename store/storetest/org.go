package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// An org-wide (Enterprise Grid) install serves many workspaces; their
// choices are kept per team and go when the org's install goes.
func enterpriseLanguages(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	must(t, s.DeleteEnterpriseLanguages(ctx, "E1")) // an org never linked: no error

	must(t, s.LinkTeam(ctx, "E1", "T1"))
	must(t, s.LinkTeam(ctx, "E1", "T2"))
	must(t, s.LinkTeam(ctx, "E1", "T2")) // again: no error
	must(t, s.LinkTeam(ctx, "E2", "T3"))
	must(t, s.SetLanguage(ctx, "T1", "U1", "vi"))
	must(t, s.SetLanguage(ctx, "T2", "U1", "th"))
	must(t, s.SetLanguage(ctx, "T2", "U2", "vi"))
	must(t, s.SetLanguage(ctx, "T3", "U1", "th")) // another org's workspace
	must(t, s.SetLanguage(ctx, "T4", "U1", "en")) // a workspace outside any org
	other := s
	if h.Another != nil {
		other = h.Another(t, s)
		defer other.Close()
	}

	// Another replica forgets the org: every linked team's choices go.
	must(t, other.DeleteEnterpriseLanguages(ctx, "E1"))
	wantLang(t, s, "T1", "U1", "")
	wantLang(t, s, "T2", "U1", "")
	wantLang(t, s, "T2", "U2", "")
	wantLang(t, s, "T3", "U1", "th")
	wantLang(t, s, "T4", "U1", "en")
	must(t, s.DeleteEnterpriseLanguages(ctx, "E1")) // redelivered: no error

	// The links went too: a workspace of the old org that chooses again
	// (served by its own install now) keeps its choice when the org's
	// deletion is repeated.
	must(t, s.SetLanguage(ctx, "T1", "U1", "th"))
	must(t, s.DeleteEnterpriseLanguages(ctx, "E1"))
	wantLang(t, s, "T1", "U1", "th")

	// A reinstalled org links its teams again.
	must(t, s.LinkTeam(ctx, "E1", "T1"))
	must(t, s.DeleteEnterpriseLanguages(ctx, "E1"))
	wantLang(t, s, "T1", "U1", "")

	if h.Reopen != nil {
		s2 := h.Open(t)
		must(t, s2.LinkTeam(ctx, "E9", "T9"))
		must(t, s2.SetLanguage(ctx, "T9", "U1", "vi"))
		s2 = h.Reopen(t, s2)
		defer s2.Close()
		must(t, s2.DeleteEnterpriseLanguages(ctx, "E9")) // the link outlived the restart
		wantLang(t, s2, "T9", "U1", "")
	}
}

// Expiring lists the rotating tokens a background refresh must renew.
func expiring(t *testing.T, h Harness) {
	ctx := context.Background()
	s := open(t, h)
	base := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	at := func(team string, expires time.Time) store.Installation {
		in := sample(team)
		in.ExpiresAt = expires
		return in
	}
	soon := at("T1", base.Add(30*time.Minute))
	sooner := at("T2", base.Add(10*time.Minute))
	later := at("T3", base.Add(5*time.Hour))
	fixed := at("T4", time.Time{}) // no rotation
	fixed.RefreshToken = ""
	org := at("", base.Add(20*time.Minute))
	org.EnterpriseInstall = true
	org.EnterpriseID = "E7"
	for _, in := range []store.Installation{soon, sooner, later, fixed, org} {
		must(t, s.PutInstallation(ctx, in))
	}
	wantExpiring := func(s store.Store, before time.Time, max int, want ...store.Installation) {
		t.Helper()
		got, err := s.Expiring(ctx, before, max)
		if err != nil {
			t.Fatalf("Expiring(%v): %v", before, err)
		}
		var g, w []store.InstallationID
		for _, in := range got {
			g = append(g, in.ID())
		}
		for _, in := range want {
			w = append(w, in.ID())
		}
		if len(g) != len(w) {
			t.Fatalf("Expiring(%v, %d) = %+v; want %+v", before.Sub(base), max, g, w)
		}
		for i := range g {
			if g[i] != w[i] || got[i].RefreshToken != want[i].RefreshToken {
				t.Fatalf("Expiring(%v, %d) = %+v; want %+v (soonest first, as saved)", before.Sub(base), max, g, w)
			}
		}
	}
	wantExpiring(s, base, 0)
	wantExpiring(s, base.Add(time.Hour), 0, sooner, org, soon)
	wantExpiring(s, base.Add(time.Hour), 2, sooner, org)
	wantExpiring(s, base.Add(24*time.Hour), 0, sooner, org, soon, later)

	// Refreshed (saved with a later expiry), turned off, or deleted: gone
	// from the list.
	soon.ExpiresAt = base.Add(12 * time.Hour)
	must(t, s.PutInstallation(ctx, soon))
	sooner.RefreshToken, sooner.ExpiresAt = "", time.Time{}
	must(t, s.PutInstallation(ctx, sooner))
	uninstall(t, s, org.ID(), base, false)
	wantExpiring(s, base.Add(time.Hour), 0)

	// Refused by Slack for good: not listed, until a reinstall saves the
	// workspace again.
	refused := later
	refused.RefreshRefused = "invalid_refresh_token"
	if saved, err := s.UpdateInstallation(ctx, refused); !saved || err != nil {
		t.Fatalf("UpdateInstallation of the install as read: saved %v, %v", saved, err)
	}
	wantExpiring(s, base.Add(13*time.Hour), 0, soon)
	reinstalled := later
	reinstalled.InstalledAt = later.InstalledAt.Add(time.Hour)
	must(t, s.PutInstallation(ctx, reinstalled))
	if h.Another != nil {
		other := h.Another(t, s)
		defer other.Close()
		wantExpiring(other, base.Add(13*time.Hour), 0, later, soon)
	}
}
