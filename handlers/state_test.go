package handlers

import (
	"context"
	"os"
	"path/filepath"
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
