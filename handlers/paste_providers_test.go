package handlers

import (
	"fmt"
	"os"
	"testing"
)

// TestEachReplyItsProvider: a message to a Gmail and a Yahoo recipient
// bounces with both replies; each is explained with its own provider's
// meanings, not the one the whole bounce names most, and the recipient
// whose server no provider runs gets none.
func TestEachReplyItsProvider(t *testing.T) {
	text, err := os.ReadFile("testdata/multi-provider.eml")
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t)
	r := e.ExplainText(e.Languages().Fallback(), string(text))
	want := map[string]string{"550 5.1.1": "gmail", "554 5.7.9": "yahoo", "4.4.1": ""}
	for _, x := range r.Explanations {
		w, ok := want[x.Code.String()]
		if !ok {
			continue
		}
		delete(want, x.Code.String())
		got := ""
		if x.Provider != nil {
			got = x.Provider.ID
		}
		if got != w {
			t.Errorf("%s: provider %q, want %q", x.Code, got, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("codes not explained: %v", want)
	}
}

// TestClickKeepsEachReplysProvider: a language or share button renders the
// bounce about several recipients again from its state, each reply with
// the provider, blocklist and recipients it had.
func TestClickKeepsEachReplysProvider(t *testing.T) {
	text, err := os.ReadFile("testdata/multi-provider.eml")
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t)
	r := e.ExplainText(e.Languages().Fallback(), string(text))
	var st state
	st.fromReport(r, false)
	st, err = decodeState(st.encode())
	if err != nil {
		t.Fatal(err)
	}
	xs, _ := e.explanations(st)
	if len(xs) != len(r.Explanations) {
		t.Fatalf("%d explanations after a click, %d before", len(xs), len(r.Explanations))
	}
	for i := range xs {
		before, after := r.Explanations[i].Provider, xs[i].Provider
		if (before == nil) != (after == nil) || before != nil && before.ID != after.ID {
			t.Errorf("%s: provider %v after a click, %v before", xs[i].Code, after, before)
		}
		if fmt.Sprint(xs[i].Recipients) != fmt.Sprint(r.Explanations[i].Recipients) {
			t.Errorf("%s: recipients %v after a click, %v before", xs[i].Code, xs[i].Recipients, r.Explanations[i].Recipients)
		}
	}
}

// TestRecipientsLabel: a card about one recipient says "Recipient", one
// about several a server refused alike "Recipients".
func TestRecipientsLabel(t *testing.T) {
	one := Explanation{Recipients: []string{"a@example.com"}}
	two := Explanation{Recipients: []string{"a@example.com", "b@example.com"}}
	if one.recipientsKey() != "heading.recipient" || two.recipientsKey() != "heading.recipients" {
		t.Errorf("keys %q, %q", one.recipientsKey(), two.recipientsKey())
	}
}

// TestNamedProviderForSeveral: a question that names the provider ("gmail
// bounced these") gives it to every reply of a bounce about several
// recipients whose text names none, as it does to a single reply.
func TestNamedProviderForSeveral(t *testing.T) {
	e := engine(t)
	text := "<a@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n" +
		"<b@example.com>: host mx.example.com[192.0.2.1] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)\n"
	gmail, _ := e.cat.Provider("gmail")
	r := e.ExplainTextNamed(e.Languages().Fallback(), text, gmail)
	if len(r.Explanations) < 2 {
		t.Fatalf("%d explanations", len(r.Explanations))
	}
	for _, x := range r.Explanations {
		if x.Provider == nil || x.Provider.ID != "gmail" {
			t.Errorf("%s: provider %v, want the named gmail", x.Code, x.Provider)
		}
	}
}
