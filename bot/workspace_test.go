package bot_test

import (
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/handlers"
)

// Every kind of request carries the workspace it came from.
func TestRequestsCarryTheirWorkspace(t *testing.T) {
	hs := start(t, fakeslack.Options{}, nil)
	hs.fake.SendSlash(fakeslack.Slash{Text: "550"})
	hs.fake.SendAction(fakeslack.Action{ActionID: "a", Value: "v"})
	hs.fake.SendShortcut(fakeslack.Shortcut{Message: fakeslack.Message{Text: "550"}})
	hs.fake.SendHomeOpened("")
	hs.fake.SendMention(fakeslack.Message{Text: "<@" + hs.fake.BotUserID() + "> 550", TS: "1700000000.000001"})
	deadline := time.Now().Add(10 * time.Second)
	for {
		hs.h.mu.Lock()
		reqs := append([]handlers.Request(nil), hs.h.reqs...)
		hs.h.mu.Unlock()
		if len(reqs) == 5 {
			for _, r := range reqs {
				if r.TeamID != fakeslack.DefaultTeamID {
					t.Errorf("%s request has TeamID %q, want %q", r.Source, r.TeamID, fakeslack.DefaultTeamID)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests handled, want 5", len(reqs))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// With one workspace and its choices in DATA_DIR, app_uninstalled deletes
// them: every saved choice was that workspace's.
func TestUninstallForgetsChoicesSingleWorkspace(t *testing.T) {
	hs := start(t, fakeslack.Options{}, nil)
	ctx := waitCtx(t)
	for _, u := range []string{"U1", "U2"} {
		if err := hs.bot.Prefs().SaveLanguage(ctx, u, "th"); err != nil {
			t.Fatal(err)
		}
	}
	hs.waitAcks(hs.fake.SendUninstall(fakeslack.DefaultTeamID))
	deadline := time.Now().Add(10 * time.Second)
	for hs.bot.Prefs().SavedLanguage(ctx, "U1") != "" || hs.bot.Prefs().SavedLanguage(ctx, "U2") != "" {
		if time.Now().After(deadline) {
			t.Fatal("choices kept after app_uninstalled")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
