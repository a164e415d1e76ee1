package handlers

import (
	"regexp"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
)

var doubledWord = regexp.MustCompile(`(?i)\b(\p{L}+)\s+(\p{L}+)\b`)

func checkProse(t *testing.T, where, s string, spaced bool) {
	t.Helper()
	if strings.Contains(s, "{") || strings.Contains(s, "}") {
		t.Errorf("%s: unfilled blank in %q", where, s)
	}
	if !spaced {
		return
	}
	for _, m := range doubledWord.FindAllStringSubmatch(s, -1) {
		if strings.EqualFold(m[1], m[2]) {
			t.Errorf("%s: doubled word %q in %q", where, m[1], s)
		}
	}
}

// TestEveryPairReadsWell compares every reply code with every other, and a
// spread of enhanced codes with each other and with replies, in every
// language: no unfilled blank, no doubled word, and two codes of one class
// are never told apart by their class.
func TestEveryPairReadsWell(t *testing.T) {
	e := engine(t)
	var codes []catalog.Code
	for _, entry := range e.Catalog().Entries() {
		key := entry.Key
		if entry.Kind == catalog.KindEnhanced {
			key = "5" + key[1:]
		}
		c, err := catalog.Parse(key)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	for _, l := range e.Languages().Languages() {
		spaced := l.Tag != "th"
		for i, a := range codes {
			for j, b := range codes {
				if j%3 != i%3 && a.Enhanced.IsZero() != b.Enhanced.IsZero() {
					continue // a third of the mixed pairs is plenty
				}
				c := e.Compare(l, a, b)
				where := l.Tag + " " + a.String() + " vs " + b.String()
				checkProse(t, where+" title", c.Title, spaced)
				checkProse(t, where+" summary", c.Summary, spaced)
				for _, d := range c.Differences {
					checkProse(t, where+" difference", d, spaced)
				}
				if a.Class() == b.Class() && a != b {
					if n := strings.Count(c.Summary, c.A.ClassText); n > 1 {
						t.Errorf("%s: summary names the shared class %d times: %q", where, n, c.Summary)
					}
					for _, d := range c.Differences {
						if strings.Contains(d, c.A.ClassText) && strings.Contains(d, c.B.ClassText) && c.A.ClassText == c.B.ClassText {
							t.Errorf("%s: a difference names the same class on both sides: %q", where, d)
						}
					}
				}
				if a == b && (!c.Same || len(c.Differences) != 0) {
					t.Errorf("%s: comparing a code with itself must say so", where)
				}
				if len(c.LearnMore) > maxLearnMore {
					t.Errorf("%s: %d related comparisons", where, len(c.LearnMore))
				}
			}
		}
	}
}

func TestCompareShape(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	a, _ := catalog.Parse("214")
	b, _ := catalog.Parse("556")
	c := e.Compare(en, a, b)
	if !strings.HasPrefix(c.Title, "SMTP 214 ") || !strings.Contains(c.Title, " vs 556 ") {
		t.Errorf("title = %q", c.Title)
	}
	if len(c.Differences) < 3 {
		t.Errorf("214 vs 556 differ in class, meaning, retry and actor; got %q", c.Differences)
	}
	if len(c.WhenToUse) != 2 {
		t.Errorf("when to use = %q", c.WhenToUse)
	}
	if len(c.LearnMore) == 0 {
		t.Error("no related comparisons for 214 vs 556")
	}
}

func TestEnglishCoversCatalog(t *testing.T) {
	e := engine(t)
	en := e.Languages().Fallback()
	for _, entry := range e.Catalog().Entries() {
		text, ok := en.Code(entry.Key)
		if !ok || text.Title == "" || text.Meaning == "" || text.When == "" || text.Fix == "" {
			t.Errorf("%s: English text incomplete: %+v", entry.Key, text)
		}
	}
}
