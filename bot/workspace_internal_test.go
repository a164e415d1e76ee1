package bot

import (
	"log/slog"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

func TestEventOrigin(t *testing.T) {
	for _, tc := range []struct {
		name string
		ev   slackevents.EventsAPIEvent
		auth []slack.EventAuthorization
		want origin
	}{
		{"envelope only", slackevents.EventsAPIEvent{TeamID: "T1", EnterpriseID: "E1"}, nil,
			origin{team: "T1", enterprise: "E1"}},
		// In a channel shared with another org the envelope names the other
		// side; the bot's authorization names the installation.
		{"shared channel", slackevents.EventsAPIEvent{TeamID: "TOTHER"},
			[]slack.EventAuthorization{{TeamID: "T1", UserID: "UB1", IsBot: true}},
			origin{team: "T1", botUser: "UB1"}},
		{"org-wide install", slackevents.EventsAPIEvent{TeamID: "T1", EnterpriseID: "E1"},
			[]slack.EventAuthorization{{EnterpriseID: "E1", TeamID: "T1", UserID: "UB1", IsBot: true, IsEnterpriseInstall: true}},
			origin{team: "T1", enterprise: "E1", botUser: "UB1", orgWide: true}},
		{"a user's authorization is not the bot's", slackevents.EventsAPIEvent{TeamID: "T1"},
			[]slack.EventAuthorization{{TeamID: "T2", UserID: "U9"}},
			origin{team: "T1"}},
	} {
		got := eventOrigin(tc.ev, &slackevents.EventsAPICallbackEvent{Authorizations: tc.auth})
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// The time of an uninstall comes from event_time, in the outer payload of
// an event over HTTP as over the socket (both decode it with slackevents).
func TestUninstallEventTime(t *testing.T) {
	body := []byte(`{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback",
		"event_id":"Ev1","event_time":1764928800,"event":{"type":"app_uninstalled"},
		"authorizations":[{"team_id":"T1","user_id":"UB1","is_bot":true}]}`)
	evt, _, _, err := decodeHTTP("application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	b := &Bot{log: slog.New(slog.DiscardHandler)}
	bt := b.dispatch(evt, "env1")
	if len(bt.tasks) != 1 || bt.tasks[0].Forget == nil {
		t.Fatalf("app_uninstalled over HTTP: tasks %+v; want one uninstall", bt.tasks)
	}
	f := *bt.tasks[0].Forget
	if f.EventTime != 1764928800 || f.Team != "T1" {
		t.Errorf("uninstall order %+v; want team T1 at event_time 1764928800", f)
	}
	// Slack counts whole seconds: an install saved within that second is
	// the one removed.
	if got, want := f.happened(), time.Unix(1764928801, 0); !got.Equal(want) {
		t.Errorf("happened() = %v; want %v", got, want)
	}
}
