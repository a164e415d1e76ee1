package handlers

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// phaseLog is an Observer that keeps "source/phase" of every report.
type phaseLog struct {
	mu  sync.Mutex
	got []string
}

func (p *phaseLog) Phase(source, phase string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d < 0 {
		phase += "(negative)"
	}
	p.got = append(p.got, source+"/"+phase)
}

func (p *phaseLog) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	got := p.got
	p.got = nil
	return got
}

// The router reports extraction and rendering separately, once each per
// request that has them, by the request's source: a pasted bounce is
// read and rendered, a code named in a command only rendered, chatter in
// a channel only read, a button click only rendered again.
func TestRouterReportsPhases(t *testing.T) {
	obs := &phaseLog{}
	rt := NewRouter(engine(t), &mapPrefs{saved: map[string]string{}, locales: map[string]string{}},
		Options{DefaultLocale: "en", Observer: obs}, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	slash := rt.Handle(ctx, Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: "550 5.1.1", ResponseURL: "https://hooks.example/1"})
	lang := buttonValue(slash[0].Blocks, actionLang+":vi")
	for _, tc := range []struct {
		name string
		req  Request
		want []string
	}{
		{"code on /smtp", Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: "550 5.1.1"}, []string{"slash/render"}},
		{"bounce on /smtp", Request{Source: SourceSlash, UserID: "U1", ChannelID: "C1", Text: gmailBounce}, []string{"slash/extract", "slash/render"}},
		{"bounce in a DM", Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: gmailBounce}, []string{"dm/extract", "dm/render"}},
		{"bounce in a channel", Request{Source: SourceMessage, UserID: "U1", ChannelID: "C1", TS: "1.1", Text: gmailBounce}, []string{"message/extract", "message/render"}},
		{"chatter in a channel", Request{Source: SourceMessage, UserID: "U1", ChannelID: "C1", TS: "1.2", Text: "550 people came"}, []string{"message/extract"}},
		{"shortcut on a bounce", Request{Source: SourceShortcut, UserID: "U1", ChannelID: "C1", Text: gmailBounce}, []string{"shortcut/extract", "shortcut/render"}},
		{"language button", Request{Source: SourceAction, UserID: "U1", ChannelID: "C1",
			Action: &Action{ActionID: actionLang + ":vi", Value: lang, MessageTS: "1.1"}}, []string{"action/render"}},
	} {
		obs.take()
		if rs := rt.Handle(ctx, tc.req); len(rs) == 0 && tc.name != "chatter in a channel" {
			t.Errorf("%s: no reply", tc.name)
		}
		if got := obs.take(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: phases %v, want %v", tc.name, got, tc.want)
		}
	}
}
