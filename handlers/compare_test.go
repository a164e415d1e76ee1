package handlers

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

func checkProse(t *testing.T, tag, where, s string) {
	t.Helper()
	if strings.Contains(s, "{") || strings.Contains(s, "}") {
		t.Errorf("%s: unfilled blank in %q", where, s)
	}
	if w := locales.DoubledWord(tag, s); w != "" {
		t.Errorf("%s: doubled word %q in %q", where, w, s)
	}
}

// TestEveryPairReadsWell compares a third of all pairs of catalog codes,
// reply with reply, enhanced with enhanced and mixed, in every language: no unfilled blank, no doubled word, and two codes of one class
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
		for i, a := range codes {
			for j, b := range codes {
				if (i+j)%3 != 0 {
					continue // a deterministic third of the pairs meets every kind and class
				}
				c := e.Compare(l, a, b)
				where := l.Tag + " " + a.String() + " vs " + b.String()
				checkProse(t, l.Tag, where+" title", c.Title)
				checkProse(t, l.Tag, where+" summary", c.Summary)
				for _, d := range c.Differences {
					checkProse(t, l.Tag, where+" difference", d)
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
		all, ok := en.Code(entry.Key)
		for _, c := range entry.UsedIn() {
			text := all.In(classDigit(c))
			if !ok || text.Title == "" || text.Meaning == "" || text.When == "" || len(text.Fix) == 0 {
				t.Errorf("%s in class %d: English text incomplete: %+v", entry.Key, c, text)
			}
		}
	}
}
