package handlers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// compareOptionsBuilt is compareOptions as it was, building every option's
// texts on each call.
func (rt *Router) compareOptionsBuilt(lang *locales.Lang, x *Explanation) []*slack.OptionBlockObject {
	var opts []*slack.OptionBlockObject
	for _, p := range x.Parts() {
		entry := p.Entry
		if entry == nil {
			continue
		}
		for _, key := range entry.Related {
			other := strings.Replace(key, "X", p.Code[:1], 1)
			oc, err := catalog.Parse(other)
			if err != nil || len(opts) == 10 {
				continue
			}
			label := truncateRunes(other+" "+rt.eng.title(lang, oc), 75)
			opts = append(opts, slack.NewOptionBlockObject(lang.Tag+"|"+p.Code+"|"+other,
				slack.NewTextBlockObject(slack.PlainTextType, label, false, false), nil))
		}
	}
	return opts
}

// TestCompareMenuKept: the compare menu built once per language and code
// is the menu built on each call, for every code of the catalog in every
// language and class, alone and with a reply or an enhanced code beside
// it, asked twice.
func TestCompareMenuKept(t *testing.T) {
	rt, _ := newRouter(t)
	var codes []catalog.Code
	for _, e := range rt.eng.Catalog().Entries() {
		for _, d := range []string{"2", "4", "5"} {
			for _, s := range []string{strings.Replace(e.Key, "X", d, 1), d + "50 " + strings.Replace(e.Key, "X", d, 1), e.Key + " " + d + ".1.1", e.Key + " " + d + ".7.1"} {
				if c, err := catalog.Parse(s); err == nil {
					codes = append(codes, c)
				}
			}
		}
	}
	if len(codes) < 100 {
		t.Fatalf("only %d codes", len(codes))
	}
	asJSON := func(opts []*slack.OptionBlockObject) string {
		b, err := json.Marshal(opts)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, lang := range rt.eng.Languages().Languages() {
		for _, c := range codes {
			x := rt.eng.Explain(lang, c, "")
			want := asJSON(rt.compareOptionsBuilt(lang, &x))
			for range 2 {
				if got := asJSON(rt.compareOptions(lang, &x)); got != want {
					t.Fatalf("%s %s: menu %s, built on each call %s", lang.Tag, c, got, want)
				}
			}
		}
	}
}
