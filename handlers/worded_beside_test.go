package handlers

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestWordedBesideEverySurface: a bounce reports one recipient with a code
// and another in words alone ("retry timeout exceeded"); every surface
// shows both, and a language button keeps the second.
func TestWordedBesideEverySurface(t *testing.T) {
	text, err := os.ReadFile("testdata/paste/exim_worded_beside.txt")
	if err != nil {
		t.Fatal(err)
	}
	rt, _ := newRouter(t)
	ctx := context.Background()
	en := rt.eng.Languages().Fallback()
	vi, _ := rt.eng.Languages().Get("vi")
	title := en.T("worded.beside.title")
	reqs := map[string]Request{
		"channel":  {Source: SourceMessage, UserID: "U1", ChannelID: "C1", Text: string(text)},
		"slash":    {Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: string(text), ResponseURL: "https://hooks.example/1"},
		"mention":  {Source: SourceMention, UserID: "U1", ChannelID: "C1", Text: "<@UBOT> " + string(text)},
		"dm":       {Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: string(text)},
		"shortcut": {Source: SourceShortcut, UserID: "U1", ChannelID: "C1", Text: string(text), ResponseURL: "https://hooks.example/2"},
	}
	for name, req := range reqs {
		rs := rt.Handle(ctx, req)
		got := rendered(t, rs)
		if !strings.Contains(got, title) || !strings.Contains(got, "retry timeout exceeded") || !strings.Contains(got, "550 5.1.1") {
			t.Errorf("%s: want the coded failure and the worded one beside it, got %s", name, got)
			continue
		}
		if name != "slash" {
			continue
		}
		v := buttonValue(rs[0].Blocks, actionLang+":vi")
		clicked := rendered(t, rt.Handle(ctx, Request{Source: SourceAction, UserID: "U1", ChannelID: "C1", ResponseURL: "https://hooks.example/3",
			Action: &Action{ActionID: actionLang + ":vi", Value: v, MessageTS: "2.2", Ephemeral: true}}))
		if !strings.Contains(clicked, vi.T("worded.beside.title")) || !strings.Contains(clicked, vi.T("reason.expired.title")) {
			t.Errorf("after the language button, want the worded failure in Vietnamese, got %s", clicked)
		}
	}
	r := rt.eng.ExplainText(en, string(text))
	if len(r.Beside) != 1 || r.Beside[0].Outcome.Reason != "expired" {
		t.Fatalf("Beside = %+v, want one expired failure", r.Beside)
	}
	if j := r.JSON(); len(j.Worded) != 1 || j.Worded[0].Reason.ID != "expired" {
		t.Errorf("JSON worded = %+v", j.Worded)
	}
}
