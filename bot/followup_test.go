package bot_test

import (
	"testing"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// A reply's Then runs once the reply is delivered, and its replies go to
// the same message; a panic in a follow-up is contained.
func TestFollowUpReplacesTheSameMessage(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	ts := f.NextTS()
	f.SendAction(fakeslack.Action{ActionID: "then", Value: "x", Channel: "C50", MessageTS: ts})
	calls, err := f.WaitCalls(waitCtx(t), 2, "chat.update")
	if err != nil {
		t.Fatal(err)
	}
	if calls[0].Text != "action: then=x" || calls[1].Text != "done" {
		t.Errorf("updates %q, %q; want the progress, then the result", calls[0].Text, calls[1].Text)
	}
	for _, c := range calls {
		if c.Channel != "C50" || c.TS != ts {
			t.Errorf("update went to %s/%s, want C50/%s", c.Channel, c.TS, ts)
		}
	}
	// The bot still answers after the panicking follow-up.
	f.SendAction(fakeslack.Action{ActionID: "after", Value: "y", Channel: "C50", MessageTS: ts})
	if _, err := f.WaitCalls(waitCtx(t), 3, "chat.update"); err != nil {
		t.Fatal(err)
	}
}
