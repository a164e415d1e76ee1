package bot

import (
	"testing"

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
