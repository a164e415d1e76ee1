package catalog

import "testing"

// TestClassifyWords: a bounce with no code gets a verdict only from words
// a rule recognises, with the next step of a bounce, or of a 4xx in a
// delay warning, and hard or soft only where the reason or words say.
func TestClassifyWords(t *testing.T) {
	c := loadCatalog(t)
	tests := []struct {
		text    string
		delayed bool
		ok      bool
		reason  Reason
		action  Action
		bounce  Bounce
	}{
		// A timeout a bounce reports: the server retried and gave up.
		{"<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection timed out", false, true, ReasonExpired, ActionRetryLater, BounceSoft},
		// The same in a delay warning: still retried.
		{"<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection timed out", true, true, ReasonNetworkError, ActionWaitServerRetries, BounceSoft},
		{"jdoe@example.net retry timeout exceeded", false, true, ReasonExpired, ActionRetryLater, BounceSoft},
		{"Sorry your message to jdoe@example.com cannot be delivered. This account has been disabled or discontinued.", false, true, ReasonSuspend, ActionContactRecipient, BounceHard},
		{"User's mailbox is full: <jdoe@example.net>", false, true, ReasonMailboxFull, ActionRetryLater, BounceSoft},
		{"This person's account is exceeding their quota.", false, true, ReasonMailboxFull, ActionRetryLater, BounceSoft},
		// A delay warning's "will be retried": still in the queue.
		{"Message will be retried for 2 more day(s)", true, true, ReasonExpired, ActionWaitServerRetries, BounceSoft},
		{"<a@example.com>: Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again", false, true, ReasonNetworkError, ActionRetryLater, BounceSoft},
		// A class decides spam's hard or soft; with no class, neither.
		{"Message rejected as spam by Content Filtering", false, true, ReasonSpamDetected, ActionReviewContent, ""},
		// qmail-send's own words for a domain that does not resolve (its
		// bounce format's example, and qmail-remote's).
		{"<god@heaven.af.mil>: Sorry, I couldn't find any host by that name.", false, true, ReasonHostUnknown, ActionRemoveAddress, BounceHard},
		// Nothing a rule knows: no verdict.
		{"Unable to deliver mail.", false, false, "", "", ""},
	}
	for _, tt := range tests {
		v, ok := c.ClassifyWords(tt.text, c.DetectBlocklist(tt.text), tt.delayed)
		if ok != tt.ok || v.Reason != tt.reason || v.Action != tt.action || v.Bounce != tt.bounce {
			t.Errorf("%q (delayed %v): %v %s %s %q; want %v %s %s %q", tt.text, tt.delayed, ok, v.Reason, v.Action, v.Bounce, tt.ok, tt.reason, tt.action, tt.bounce)
		}
	}
	// An expiry a delay warning names has not happened yet.
	if v, ok := c.ClassifyWords("jdoe@example.net retry timeout exceeded", nil, true); !ok || v.Reason != ReasonExpired || v.Variant != VariantDelayed {
		t.Errorf("a delay warning's expiry: %+v, %v; want expired, delayed", v, ok)
	}
	// A blocklist the words name: its delisting.
	text := "<a@example.com>: Client host [192.0.2.1] blocked using zen.spamhaus.org"
	if v, ok := c.ClassifyWords(text, c.DetectBlocklist(text), false); !ok || v.Action != ActionRequestDelisting || v.Blocklist == nil {
		t.Errorf("%q: %+v, %v; want request_delisting with the list", text, v, ok)
	}
}
