package handlers

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/diagnose/dnstest"
)

// diagnoseRouter is a router whose checks run against the diagnose
// package's zone fixtures on loopback.
func diagnoseRouter(t *testing.T, mode DiagnoseMode) *Router {
	t.Helper()
	zone, err := os.ReadFile(filepath.Join("..", "diagnose", "testdata", "zones", "fixtures.zone"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := dnstest.Start(string(zone))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	d, err := diagnose.New(diagnose.Config{Resolver: srv.Addr})
	if err != nil {
		t.Fatal(err)
	}
	return NewRouter(engine(t), &mapPrefs{saved: map[string]string{}, locales: map[string]string{}},
		Options{DefaultLocale: "en", MaskAddresses: true, Diagnoser: d, Diagnose: mode}, slog.New(slog.DiscardHandler))
}

func bounceFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "diagnose", "testdata", "bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func blocksJSON(t *testing.T, r Reply) string {
	t.Helper()
	b, err := json.Marshal(r.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseCheckCommand(t *testing.T) {
	for _, tt := range []struct {
		text string
		verb Verb
		args string
	}{
		{"check example.com", VerbCheck, "example.com"},
		{"DNS example.com 192.0.2.4 lang:vi", VerbCheck, "example.com 192.0.2.4"},
		{"check", VerbCheck, ""},
	} {
		c := ParseCommand(tt.text)
		if c.Verb != tt.verb || tt.verb == VerbCheck && c.Text != tt.args {
			t.Errorf("ParseCommand(%q) = %s %q, want %s %q", tt.text, c.Verb, c.Text, tt.verb, tt.args)
		}
	}
}

// "Check DNS" shows under a bounce that has something to check, and only
// there; DIAGNOSE=auto follows the explanation with the checks instead.
func TestCheckDNSButton(t *testing.T) {
	rt := diagnoseRouter(t, DiagnoseButton)
	paste := func(text string) Reply {
		rs := rt.Handle(context.Background(), Request{Source: SourceMessage, ChannelID: "C1", TS: "1.1", Text: text})
		if len(rs) != 1 {
			t.Fatalf("%d replies to a paste", len(rs))
		}
		return rs[0]
	}
	if r := paste(bounceFixture(t, "no-ptr.txt")); !strings.Contains(blocksJSON(t, r), actionDiagnose) || r.Then != nil {
		t.Errorf("no-ptr bounce: want the button and nothing more:\n%s", blocksJSON(t, r))
	}
	unknownUser := "<jo@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <jo@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)"
	if r := paste(unknownUser); strings.Contains(blocksJSON(t, r), actionDiagnose) {
		t.Errorf("an unknown user needs no DNS check, yet the button shows")
	}
	auto := diagnoseRouter(t, DiagnoseAuto)
	rs := auto.Handle(context.Background(), Request{Source: SourceMessage, ChannelID: "C1", TS: "1.1", Text: bounceFixture(t, "no-ptr.txt")})
	if len(rs) != 1 || rs[0].Then == nil || strings.Contains(blocksJSON(t, rs[0]), actionDiagnose) {
		t.Fatalf("auto: want one reply without the button and with a follow-up")
	}
	next := rs[0].Then(context.Background())
	if len(next) != 1 || next[0].Delivery != "" || !strings.Contains(next[0].Text, "The sending IP 192.0.2.66 has no reverse DNS") {
		t.Errorf("auto follow-up = %+v", next)
	}
	// Under a bounce that names no sender, the summary gives the command
	// that works wherever the bounce was pasted: the slash command.
	rs = auto.Handle(context.Background(), Request{Source: SourceMessage, ChannelID: "C1", TS: "1.2", Text: bounceFixture(t, "no-sender.txt")})
	if len(rs) != 1 || rs[0].Then == nil {
		t.Fatalf("auto, no sender: want one reply with a follow-up")
	}
	if next := rs[0].Then(context.Background()); len(next) != 1 || !strings.Contains(next[0].Text, "run /smtp check DOMAIN 192.0.2.4") {
		t.Errorf("auto follow-up, no sender = %+v", next)
	}
}

// "/smtp check" says how many records it checks, then replaces that
// through the response URL; "check" in a DM or a mention does the same
// with the message the bot posted. A target that is not one gets the usage.
func TestCheckCommand(t *testing.T) {
	rt := diagnoseRouter(t, DiagnoseButton)
	rs := rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", ResponseURL: "https://hooks.example/1", Text: "check nullmx.test"})
	if len(rs) != 1 || rs[0].Then == nil || !strings.Contains(rs[0].Text, "Checking 6 records…") {
		t.Fatalf("slash: %+v", rs)
	}
	next := rs[0].Then(context.Background())
	if len(next) != 1 || next[0].Delivery != DeliverReplace || !strings.Contains(next[0].Text, "nullmx.test publishes a null MX") {
		t.Errorf("slash follow-up = %+v", next)
	}
	// In a DM and a mention alike: the message the bot posts is replaced
	// (the bot knows its ts; the handler asks only for a replacement).
	for _, src := range []Source{SourceDM, SourceMention} {
		rs = rt.Handle(context.Background(), Request{Source: src, UserID: "U1", ChannelID: "D1", TS: "1.1", Text: "check spf-omit.test 192.0.2.4"})
		if len(rs) != 1 || rs[0].Then == nil || !strings.Contains(rs[0].Text, "Checking 11 records…") {
			t.Fatalf("%s: %+v", src, rs)
		}
		next := rs[0].Then(context.Background())
		if len(next) != 1 || next[0].Delivery != DeliverReplace || !strings.Contains(next[0].Text, "SPF for spf-omit.test does not include the sending IP 192.0.2.4") {
			t.Errorf("%s follow-up = %+v", src, next)
		}
	}
	rs = rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", Text: "check not_a_domain"})
	if len(rs) != 1 || !strings.Contains(rs[0].Text, `"not_a_domain" is not a domain or an IP address`) {
		t.Errorf("bad target: %+v", rs)
	}
	rs = rt.Handle(context.Background(), Request{Source: SourceSlash, UserID: "U1", Text: "check"})
	if len(rs) != 1 || !strings.Contains(rs[0].Text, "Give a domain, an IP address or both") {
		t.Errorf("check alone: %+v", rs)
	}
}
