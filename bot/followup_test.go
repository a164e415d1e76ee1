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

// A follow-up that replaces a message the bot posted, in a DM or a thread
// ("check example.com": "Checking 6 records…", then the checks), updates
// that message by the ts chat.postMessage returned.
func TestFollowUpReplacesAPostedMessage(t *testing.T) {
	t.Parallel()
	hs := start(t, fakeslack.Options{}, nil)
	f := hs.fake
	f.SendMessage(fakeslack.Message{Channel: "D51", ChannelType: "im", Text: "slow check example.com"})
	f.SendMention(fakeslack.Message{Channel: "C51", Text: "<@" + f.BotUserID() + "> slow check example.com"})
	updates, err := f.WaitCalls(waitCtx(t), 2, "chat.update")
	if err != nil {
		t.Fatal(err)
	}
	posts := f.Calls("chat.postMessage")
	for _, u := range updates {
		var progress *fakeslack.Call
		for i, p := range posts {
			if p.Channel == u.Channel {
				progress = &posts[i]
			}
		}
		if progress == nil || progress.Text != "checking…" {
			t.Fatalf("no progress posted in %s before its update; posts: %+v", u.Channel, posts)
		}
		if u.Text != "checked" || u.TS == "" || u.TS != progress.TS {
			t.Errorf("update in %s = %q at ts %q, want \"checked\" replacing the progress at ts %q", u.Channel, u.Text, u.TS, progress.TS)
		}
	}
}
