package handlers

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// TestLanguageClickRendersTheSameCard: a language button renders the card
// again from its value alone, so that value must carry everything the card
// depends on beyond the codes (the blocklist the bounce names, the
// provider, each reply's command and final status). For every bounce of the
// test corpora, the card a click shows in Vietnamese is the card the same
// paste gets in Vietnamese.
func TestLanguageClickRendersTheSameCard(t *testing.T) {
	rt, _ := newRouter(t)
	ctx := context.Background()
	en, _ := rt.eng.Languages().Get("en")
	vi, _ := rt.eng.Languages().Get("vi")
	var files []string
	for _, dir := range []string{"testdata/paste", "../catalog/extract/testdata/bounces"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		if err != nil || len(m) == 0 {
			t.Fatalf("no bounces in %s: %v", dir, err)
		}
		files = append(files, m...)
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		first := rt.renderReport(en, state{Shareable: true}, rt.eng.ExplainText(en, text))
		value := buttonValue(first.blocks, actionLang+":vi")
		if value == "" {
			continue // no codes, so no card and no buttons
		}
		clicked := rt.Handle(ctx, Request{Source: SourceAction, UserID: "U1", ChannelID: "C1", ResponseURL: "https://hooks.example/1",
			Action: &Action{ActionID: actionLang + ":vi", Value: value, MessageTS: "1.1", Ephemeral: true}})
		if len(clicked) != 1 {
			t.Fatalf("%s: the click got %d replies", name, len(clicked))
		}
		want := rt.renderReport(vi, state{Shareable: true}, rt.eng.ExplainText(vi, text))
		if got, w := blocksJSON(t, clicked[0]), blocksJSON(t, Reply{Blocks: want.blocks}); got != w {
			at := 0
			for at < min(len(got), len(w)) && got[at] == w[at] {
				at++
			}
			from := max(0, at-120)
			t.Errorf("%s: the card after a click differs from the card of the same paste at byte %d:\n got: …%s\nwant: …%s",
				name, at, got[from:min(len(got), at+200)], w[from:min(len(w), at+200)])
		}
	}
}

// buttonValue returns the value of the button id in blocks, or "".
func buttonValue(blocks []slack.Block, id string) string {
	for _, b := range blocks {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok && btn.ActionID == id {
					return btn.Value
				}
			}
		}
	}
	return ""
}

// TestRelang: the value relang derives for another language is the value
// encode gives for it, for states small and large enough to be cut, and it
// declines tags it cannot swap in place.
func TestRelang(t *testing.T) {
	long := strings.Repeat("550 5.1.1 <bob@example.com>: Recipient address rejected ", 12)
	states := []state{
		{Codes: []string{"550"}},
		{Codes: []string{"550 5.1.1", "4.4.7"}, Texts: []string{long, "expired"}, Roles: []string{"failure", "failure"},
			Provider: "gmail", Finals: "10", Commands: "R-", Shareable: true},
		{Compare: true, Codes: []string{"214", "556"}},
		{Codes: []string{"550"}, Check: &checkPlan{Recipient: "example.com", IP: "192.0.2.1", Lists: []string{"zen"}, Needs: 3}},
	}
	var many state
	for i := range 40 {
		many.Codes = append(many.Codes, "5.1."+strconv.Itoa(i))
		many.Texts = append(many.Texts, long)
		many.Roles = append(many.Roles, "failure")
		many.Finals += "1"
		many.Commands += "D"
	}
	states = append(states, many)
	for i, st := range states {
		for _, pair := range [][2]string{{"en", "vi"}, {"vi", "th"}, {"th", "en"}, {"pt-BR", "zh-TW"}} {
			from, to := st, st
			from.Lang, to.Lang = pair[0], pair[1]
			got, ok := relang(from.encode(), pair[0], pair[1])
			if want := to.encode(); !ok || got != want {
				t.Errorf("state %d, %s to %s: relang = %q, %v; encode gives %q", i, pair[0], pair[1], got, ok, want)
			}
		}
		st.Lang = "en"
		enc := st.encode()
		for _, to := range []string{"fil", "e", "v\"", "<>", ""} {
			if got, ok := relang(enc, "en", to); ok {
				t.Errorf("state %d: relang to %q = %q, want it declined", i, to, got)
			}
		}
		if got, ok := relang(enc, "vi", "th"); ok {
			t.Errorf("state %d: relang from a language enc is not in = %q, want it declined", i, got)
		}
	}
}

// TestEncodeKeepsWordedVerdicts: a bounce's words are cut, then dropped,
// to fit a button, but the verdicts read from them are kept.
func TestEncodeKeepsWordedVerdicts(t *testing.T) {
	st := state{Lang: "en", WordedDelayed: true}
	for range maxWorded {
		st.Worded = append(st.Worded, wordedState{Text: strings.Repeat("connect to mx: Connection timed out ", 14),
			Reason: "networkerror", Action: "wait_server_retries", Actor: "sender_admin", Bounce: "soft", Basis: "reason"})
	}
	enc := st.encode()
	if len(enc) > maxButtonValue {
		t.Fatalf("%d bytes, more than a button holds", len(enc))
	}
	var got state
	if err := json.Unmarshal([]byte(enc), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Worded) != maxWorded || !got.WordedDelayed {
		t.Fatalf("got %d failures, delayed %v", len(got.Worded), got.WordedDelayed)
	}
	for _, w := range got.Worded {
		if w.Reason != "networkerror" || w.Action != "wait_server_retries" || len(w.Text) >= 500 {
			t.Errorf("failure kept as %+v", w)
		}
	}
}
