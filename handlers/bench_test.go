package handlers

import (
	"context"
	"log/slog"
	"os"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// The handler benchmarks answer once before the timed loop: package
// locales decodes each text file on first use, a start-up cost that
// BenchmarkLoadLocales measures and that a timed loop of a few thousand
// answers would otherwise spread over each of them. They measure steady
// state.

// BenchmarkExplainRender explains 550 5.1.1 and renders it as Block Kit:
// the work of one /smtp answer after parsing.
func BenchmarkExplainRender(b *testing.B) {
	e := engine(b)
	lang := e.Languages().Fallback()
	code, _ := catalog.Parse("550 5.1.1")
	render := func() {
		x := e.Explain(lang, code, "")
		_ = explanationBlocks(&x, renderOptions{mask: true})
	}
	render()
	b.ReportAllocs()
	for b.Loop() {
		render()
	}
}

// BenchmarkCompare builds and renders a comparison.
func BenchmarkCompare(b *testing.B) {
	e := engine(b)
	lang := e.Languages().Fallback()
	a, _ := catalog.Parse("214")
	c, _ := catalog.Parse("556")
	compare := func() {
		cmp := e.Compare(lang, a, c)
		_ = comparisonBlocks(&cmp)
	}
	compare()
	b.ReportAllocs()
	for b.Loop() {
		compare()
	}
}

// BenchmarkPasteReply answers a pasted 3 KB Gmail bounce in a channel:
// extraction, explanation and the whole Block Kit message with buttons.
func BenchmarkPasteReply(b *testing.B) {
	text, err := os.ReadFile("testdata/paste/gmail_user_unknown.txt")
	if err != nil {
		b.Fatal(err)
	}
	rt := NewRouter(engine(b), nil, Options{MaskAddresses: true}, slog.New(slog.DiscardHandler))
	req := Request{Source: SourceMessage, ChannelID: "C1", TS: "1.1", Text: string(text)}
	rt.Handle(context.Background(), req)
	b.ReportAllocs()
	for b.Loop() {
		if rs := rt.Handle(context.Background(), req); len(rs) != 1 {
			b.Fatal("no reply")
		}
	}
}

// BenchmarkLoadLocales reads every language, as start-up does.
func BenchmarkLoadLocales(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := locales.Load(); err != nil {
			b.Fatal(err)
		}
	}
}
