package handlers

import (
	"os"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// TestReasonTextsComplete: English has a title and a definition for every
// reason of the catalog, a title and a text for every action, and a line
// for every way a bounce can be hard or soft; package locales checks that
// every other language has what English has.
func TestReasonTextsComplete(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	var keys []string
	for _, r := range catalog.Reasons() {
		keys = append(keys, "reason."+string(r)+".title", "reason."+string(r)+".text")
	}
	variants := e.cat.ReasonVariants()
	if len(variants) == 0 {
		t.Error("no rule gives a variant; greylisting should")
	}
	for r, vs := range variants {
		for _, v := range vs {
			keys = append(keys, "reason."+string(r)+"."+v+".title", "reason."+string(r)+"."+v+".text")
		}
	}
	for _, a := range catalog.Actions() {
		keys = append(keys, "action."+string(a)+".title", "action."+string(a)+".text")
	}
	for _, s := range []catalog.Source{catalog.SourceWords, catalog.SourceProvider, catalog.SourceCode} {
		keys = append(keys, "reason.source."+string(s))
	}
	for _, b := range []catalog.Bounce{catalog.BounceHard, catalog.BounceSoft} {
		for _, basis := range []catalog.Basis{catalog.BasisReason, catalog.BasisWords, catalog.BasisClass} {
			// "final": a 4xx the sending server stopped retrying.
			for _, class := range []string{"4", "5", "final"} {
				// Words overrule the digit, or a reason hard by nature
				// under 4xx ("temporarily unavailable": soft words, 4);
				// the class only ever agrees with the digit.
				switch {
				case basis == catalog.BasisWords && b == catalog.BounceHard && class == "5",
					basis == catalog.BasisClass && (b == catalog.BounceHard) != (class == "5"):
					continue
				}
				keys = append(keys, "bounce.why."+string(b)+"."+string(basis)+"."+class)
			}
		}
	}
	keys = append(keys, "retry."+string(catalog.RetryByHand), "action.request_delisting.list", "heading.reason", "heading.action")
	// A bounce with no code: its card, and hard or soft from the reason
	// or the words, with no class to fall back on.
	keys = append(keys, "worded.title", "worded.title.delayed", "worded.hint", "heading.bounce_said", "reason.source.words_only",
		"bounce.why.soft.reason.nocode", "bounce.why.soft.words.nocode", "bounce.why.hard.words.nocode",
		"action.retry_later.text_nocode", "action.wait_server_retries.text_nocode",
		// An expiry's own why lines.
		"bounce.why.soft.expired.5", "bounce.why.soft.expired.final", "bounce.why.soft.expired.nocode",
		"action.retry_later.for.expired", "action.retry_later.for.expired.nocode")
	for _, k := range keys {
		if en.T(k) == k {
			t.Errorf("en has no text for %s", k)
		}
	}
}

// TestOutcomeOnlyOnFailures: a lookup is not a bounce and gets no reason;
// a failure read from a text gets one, and it decides who acts and whether
// the bounce is hard or soft.
func TestOutcomeOnlyOnFailures(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	code, _ := catalog.Parse("552 5.2.2")
	if x := e.Explain(en, code, ""); x.Outcome != nil || x.JSON().Reason != nil {
		t.Errorf("a lookup of 552 5.2.2 got a reason: %+v", x.Outcome)
	}
	r := e.ExplainText(en, "host mx.example.net said: 552 5.2.2 <a@example.net>: Mailbox full (in reply to RCPT TO command)")
	if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil {
		t.Fatalf("no reason for a full mailbox: %+v", r.Explanations)
	}
	x := r.Explanations[0]
	if x.Outcome.Reason != catalog.ReasonMailboxFull || x.Severity != catalog.SeveritySoft || x.Retry != catalog.RetryByHand || x.Actor != catalog.ActorRecipientSide {
		t.Errorf("552 5.2.2 mailbox full: reason %s, severity %s, retry %s, actor %s; want mailboxfull, soft, by_hand, recipient_side",
			x.Outcome.Reason, x.Severity, x.Retry, x.Actor)
	}
	j := x.JSON()
	if j.Reason == nil || j.Reason.ID != "mailboxfull" || j.Reason.Title == "" || j.Reason.Text == "" ||
		j.Action == nil || j.Action.Value != "retry_later" || j.Action.Text == "" || j.Severity != "soft" {
		t.Errorf("JSON: reason %+v action %+v severity %s", j.Reason, j.Action, j.Severity)
	}
}

// TestReasonLeadsTheCard: in Slack the reason and the next step come right
// after the header, before the server's words and the code's general
// explanation.
func TestReasonLeadsTheCard(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	r := e.ExplainText(en, "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org")
	if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil {
		t.Fatal("no reason for a blocklisted host")
	}
	blocks := explanationBlocks(&r.Explanations[0], renderOptions{mask: true})
	if len(blocks) < 3 {
		t.Fatalf("%d blocks", len(blocks))
	}
	s, ok := blocks[1].(*slack.SectionBlock)
	if !ok || !strings.Contains(s.Text.Text, en.T("reason.blocked.title")) ||
		!strings.Contains(s.Text.Text, en.T("action.request_delisting.title")) ||
		!strings.Contains(s.Text.Text, "https://check.spamhaus.org/") {
		t.Errorf("second block is not the reason and the delisting step: %#v", blocks[1])
	}
	meaning := -1
	for i, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok && strings.Contains(s.Text.Text, en.T("heading.meaning")) {
			meaning = i
		}
	}
	if meaning < 2 {
		t.Errorf("the code's meaning is at block %d, want it after the reason", meaning)
	}
}

// TestProviderListDelisting: a provider's own block list (Microsoft's
// "banned sender", Outlook.com's S3150) names no public list, so the next
// step sends the sender to the provider's steps on the card, in every
// language, rather than to "find which blocklist lists your IP".
func TestProviderListDelisting(t *testing.T) {
	e := engine(t)
	for _, text := range []string{
		"550 5.7.511 Access denied, banned sender[192.0.2.7]. To request removal from this list please forward this message to delist@microsoft.com.",
		"550 5.7.1 Unfortunately, messages from [192.0.2.8] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
	} {
		for _, l := range e.Languages().Languages() {
			tag := l.Tag
			r := e.ExplainText(l, text)
			if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil || r.Explanations[0].Provider == nil {
				t.Fatalf("%s %q: no reason or no provider", tag, text)
			}
			x := &r.Explanations[0]
			want := l.T("action.request_delisting.provider")
			if x.Outcome.ActionText != want || x.Provider.Fix == "" {
				t.Errorf("%s %q: next step %q, want %q", tag, text, x.Outcome.ActionText, want)
			}
		}
	}
}

// TestGaveUpCardHasNoRetryFix: the fix of a 4.x.x assumes the sending
// server still retries ("let the queue retry"); on a report's final 4.x.x
// it has given up, so the card leaves that fix out, in Slack and in text,
// and keeps it for a live deferral. A message that expired under a
// permanent code is no case of that code's fix either ("For 5.1.1, remove
// the address"), while an expiry code's own fix holds.
func TestGaveUpCardHasNoRetryFix(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	const report = "Final-Recipient: rfc822; a@example.net\nAction: %s\nStatus: 4.2.2\n" +
		"Diagnostic-Code: smtp; 452 4.2.2 <a@example.net>: Mailbox is full\n"
	for _, tt := range []struct {
		name, text string
		fix        bool
	}{
		{"final 4.2.2", strings.ReplaceAll(report, "%s", "failed"), false},
		{"delayed 4.2.2", strings.ReplaceAll(report, "%s", "delayed"), true},
		{"550 expired", "550 Message expired: delivery time exceeded after repeated deferrals", false},
		{"550 5.4.7 expired", "550 5.4.7 Delivery time expired", true},
	} {
		r := e.ExplainText(en, tt.text)
		if len(r.Explanations) == 0 {
			t.Fatalf("%s: nothing explained", tt.name)
		}
		x := &r.Explanations[0]
		inBlocks := false
		for _, b := range explanationBlocks(x, renderOptions{mask: true}) {
			if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil && strings.Contains(s.Text.Text, en.T("heading.fix")) {
				inBlocks = true
			}
		}
		var text strings.Builder
		if err := WriteReport(&text, r); err != nil {
			t.Fatal(err)
		}
		inText := strings.Contains(text.String(), en.T("heading.fix"))
		if inBlocks != tt.fix || inText != tt.fix {
			t.Errorf("%s: fix in blocks %v, in text %v; want %v", tt.name, inBlocks, inText, tt.fix)
		}
	}
}

// TestDelistingInTheListsWords: each blocklist ends a listing its own way,
// so the next step is the list's own procedure, and a list that has shut
// down makes the recipient's side act.
func TestDelistingInTheListsWords(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	tests := []struct {
		text, want string
		actor      catalog.Actor
	}{
		// SpamCop delists by itself once reports stop: nobody to ask.
		{"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net", "let the listing expire", catalog.ActorSenderAdmin},
		// Spamhaus: its lookup page, and what an unlisted IP means.
		{"550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "public DNS resolvers", catalog.ActorSenderAdmin},
		// SORBS has shut down: the recipient's server must stop asking it.
		{"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using dnsbl.sorbs.net", "SORBS is gone", catalog.ActorRecipientSide},
	}
	for _, tt := range tests {
		r := e.ExplainText(en, tt.text)
		if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil {
			t.Errorf("%q: no reason", tt.text)
			continue
		}
		o := r.Explanations[0].Outcome
		if !strings.Contains(o.ActionText, tt.want) || o.Actor != tt.actor {
			t.Errorf("%q: next step %q by %s, want one saying %q by %s", tt.text, o.ActionText, o.Actor, tt.want, tt.actor)
		}
	}
}

// TestReasonSurvivesButtons: a language switch re-renders from the button's
// state and keeps the reason, including one that depends on the code being
// a DSN's final status.
func TestReasonSurvivesButtons(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	text := "Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 4.4.1\nDiagnostic-Code: smtp; connect to mx.example.net[192.0.2.1]:25: Connection timed out\n"
	r := e.ExplainText(en, text)
	if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil || r.Explanations[0].Outcome.Reason != catalog.ReasonExpired {
		t.Fatalf("a final 4.4.1 timeout: %+v", r.Explanations)
	}
	var st state
	st.fromReport(r, true)
	back, err := decodeState(st.encode())
	if err != nil {
		t.Fatal(err)
	}
	back.Lang = "vi"
	xs, _ := e.explanations(back)
	if len(xs) == 0 || xs[0].Outcome == nil || xs[0].Outcome.Reason != catalog.ReasonExpired || xs[0].Lang.Tag != "vi" {
		t.Errorf("after a language switch: %+v", xs)
	}
	// The same words in a live deferral are a network error, still retried.
	live := e.ExplainText(en, "May  7 12:55:01 mail postfix/smtp[23114]: 4F3A2B5501: to=<ops@example.net>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.44]:25: Connection timed out)")
	if len(live.Explanations) == 0 || live.Explanations[0].Outcome == nil || live.Explanations[0].Outcome.Reason != catalog.ReasonNetworkError {
		t.Errorf("a deferred 4.4.1 timeout: %+v", live.Explanations)
	}
}

// TestCommandSurvivesButtons: "User unknown" in reply to end of DATA is a
// filter's refusal, and a bare "Access denied" at MAIL FROM refuses the
// sender; both stay so when a button re-renders the card. The same words
// at RCPT TO are an unknown user.
func TestCommandSurvivesButtons(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	data := "<jdoe@example.ne.jp>: host mx.example.ne.jp[192.0.2.1] said: 550\n    : User unknown (in reply to end of DATA command)\n"
	r := e.ExplainText(en, data)
	if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil || r.Explanations[0].Outcome.Reason != catalog.ReasonFiltered {
		t.Fatalf("user unknown at DATA: %+v", r.Explanations)
	}
	var st state
	st.fromReport(r, true)
	back, err := decodeState(st.encode())
	if err != nil {
		t.Fatal(err)
	}
	back.Lang = "th"
	xs, _ := e.explanations(back)
	if len(xs) == 0 || xs[0].Outcome == nil || xs[0].Outcome.Reason != catalog.ReasonFiltered {
		t.Errorf("after a language switch: %+v", xs)
	}
	rcpt := e.ExplainText(en, "<jdoe@example.ne.jp>: host mx.example.ne.jp[192.0.2.1] said: 550\n    : User unknown (in reply to RCPT TO command)\n")
	if len(rcpt.Explanations) == 0 || rcpt.Explanations[0].Outcome == nil || rcpt.Explanations[0].Outcome.Reason != catalog.ReasonUserUnknown {
		t.Errorf("user unknown at RCPT TO: %+v", rcpt.Explanations)
	}
	// "Access denied" at MAIL FROM refuses the sender, after a switch too.
	mail := e.ExplainText(en, "<jdoe@example.com>: host mx.example.com[192.0.2.1] said: 550 5.7.1\n    Access denied (in reply to MAIL FROM command)\n")
	if len(mail.Explanations) == 0 || mail.Explanations[0].Outcome == nil || mail.Explanations[0].Outcome.Reason != catalog.ReasonRejected {
		t.Fatalf("access denied at MAIL FROM: %+v", mail.Explanations)
	}
	st = state{}
	st.fromReport(mail, true)
	if back, err = decodeState(st.encode()); err != nil {
		t.Fatal(err)
	}
	back.Lang = "vi"
	if xs, _ := e.explanations(back); len(xs) == 0 || xs[0].Outcome == nil || xs[0].Outcome.Reason != catalog.ReasonRejected {
		t.Errorf("access denied at MAIL FROM, after a language switch: %+v", xs)
	}
}

// TestEveryFailureHasReason: whatever the text, every failure finding gets
// a reason and every other finding none.
func TestEveryFailureHasReason(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for _, name := range []string{"gmail_user_unknown", "office365_ndr", "postfix_deferred", "yahoo_deferred", "spamhaus_blocked"} {
		b, err := os.ReadFile("testdata/paste/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		r := e.ExplainText(en, string(b))
		for _, x := range r.Explanations {
			failure := x.Role == extract.RoleFailure && x.Class >= catalog.ClassTransientNegative
			if failure != (x.Outcome != nil) {
				t.Errorf("%s: %s (%s) has outcome %v", name, x.Code, x.Role, x.Outcome != nil)
			}
		}
	}
}

// TestDelayWarning: a DSN whose Action is "delayed" says the message is
// still queued. The card must not say it expired or bounced, in any
// language, and keeps saying so when a button re-renders it; the same
// status with "Action: failed" is the bounce.
func TestDelayWarning(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	report := func(action string) string {
		return "Final-Recipient: rfc822; a@example.net\nAction: " + action +
			"\nStatus: 4.4.1\nDiagnostic-Code: smtp; connect to mx.example.net[192.0.2.1]:25: Connection timed out\n"
	}
	check := func(t *testing.T, x Explanation, delayed bool) {
		t.Helper()
		if x.Outcome == nil || x.Outcome.Reason != catalog.ReasonExpired {
			t.Fatalf("outcome %+v", x.Outcome)
		}
		gotDelayed := x.Severity == catalog.SeverityDelayed
		if gotDelayed != delayed {
			t.Errorf("%s: severity %s", x.Lang.Tag, x.Severity)
		}
		title, why := x.Lang.T("reason.expired.delayed.title"), x.Lang.T("bounce.why.delayed")
		if (x.Outcome.ReasonTitle == title) != delayed || (x.Outcome.Why == why) != delayed {
			t.Errorf("%s, delayed %v: reason %q, why %q", x.Lang.Tag, delayed, x.Outcome.ReasonTitle, x.Outcome.Why)
		}
	}
	for _, tt := range []struct {
		action  string
		delayed bool
	}{{"delayed", true}, {"failed", false}} {
		t.Run(tt.action, func(t *testing.T) {
			r := e.ExplainText(en, report(tt.action))
			if len(r.Explanations) != 1 {
				t.Fatalf("explanations %+v", r.Explanations)
			}
			check(t, r.Explanations[0], tt.delayed)
			var st state
			st.fromReport(r, true)
			for _, tag := range []string{"vi", "th"} {
				back, err := decodeState(st.encode())
				if err != nil {
					t.Fatal(err)
				}
				back.Lang = tag
				xs, _ := e.explanations(back)
				if len(xs) != 1 {
					t.Fatalf("%s: %+v", tag, xs)
				}
				check(t, xs[0], tt.delayed)
			}
		})
	}
}

// TestGreylisting: a greylisting deferral needs nothing fixed. It was read
// as 4.7.1's "Security refusal" with "Fix your sending setup"; its words
// now say it is greylisting and the next step is to wait, in every
// language and in the JSON.
func TestGreylisting(t *testing.T) {
	e := engine(t)
	text := "  bob@example.com\n    host mx1.example.com [192.0.2.10]\n" +
		"    SMTP error from remote mail server after RCPT TO:<bob@example.com>:\n" +
		"    451 4.7.1 Greylisted, please try again later\n"
	for _, l := range e.Languages().Languages() {
		r := e.ExplainText(l, text)
		if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil {
			t.Fatalf("%s: %+v", l.Tag, r.Explanations)
		}
		o := r.Explanations[0].Outcome
		if o.Reason != catalog.ReasonUndefined || o.Variant != "greylisting" || o.Action != catalog.ActionWaitServerRetries ||
			o.ReasonTitle != l.T("reason.undefined.greylisting.title") || o.Bounce != catalog.BounceSoft {
			t.Errorf("%s: %+v", l.Tag, o)
		}
		if j := r.JSON().Findings[0].Reason; j == nil || j.Variant != "greylisting" {
			t.Errorf("%s: JSON reason %+v", l.Tag, j)
		}
	}
}

// TestExpiryDoesNotClearByItself: an expiry is soft, but its cause
// outlasted every retry, so its why line and its next step say a new
// attempt needs the cause gone, at every stage it is read at.
func TestExpiryDoesNotClearByItself(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for text, key := range map[string]string{
		"Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 451 4.4.7 delivery time expired\n": "bounce.why.soft.expired.final",
		"Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.4.7\nDiagnostic-Code: smtp; 554 5.4.7 delivery time expired\n": "bounce.why.soft.expired.5",
	} {
		r := e.ExplainText(en, text)
		if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil {
			t.Fatalf("%q: no verdict", text)
		}
		if o := r.Explanations[0].Outcome; o.Reason != catalog.ReasonExpired || o.Why != en.T(key) ||
			o.ActionText != en.T("action.retry_later.for.expired") {
			t.Errorf("%q: %s, %q, %q; want expired, %q, the expiry's retry", text, o.Reason, o.Why, o.ActionText, en.T(key))
		}
	}
}

// TestReasonOwnStepInEitherClass: a policy refusal and poor reputation
// have steps of their own, not the DNS-and-SPF list of "fix your sending
// setup"; after a 4xx those steps say the server keeps retrying, after a
// 5xx they do not.
func TestReasonOwnStepInEitherClass(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for _, c := range []struct {
		text   string
		reason catalog.Reason
		key    string
	}{
		{"451 4.7.1 Message rejected due to local policy", catalog.ReasonPolicyViolation, "action.fix_sending_config.for.policyviolation.transient"},
		{"554 5.7.1 Message rejected due to local policy", catalog.ReasonPolicyViolation, "action.fix_sending_config.for.policyviolation"},
		{"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints", catalog.ReasonBadReputation, "action.fix_sending_config.for.badreputation.transient"},
		{"554 5.7.1 Messages from 192.0.2.1 refused due to user complaints and poor reputation", catalog.ReasonBadReputation, "action.fix_sending_config.for.badreputation"},
	} {
		r := e.ExplainText(en, c.text)
		if len(r.Explanations) == 0 || r.Explanations[0].Outcome == nil {
			t.Fatalf("%q: no verdict", c.text)
		}
		if o := r.Explanations[0].Outcome; o.Reason != c.reason || o.ActionText != en.T(c.key) {
			t.Errorf("%q: %s, %q; want %s, %s", c.text, o.Reason, o.ActionText, c.reason, c.key)
		}
	}
}
