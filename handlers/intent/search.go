package intent

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Index finds codes by what they mean, in the catalog's own texts in every
// language (titles weigh most, then meanings, then when each is seen) and
// in the synonym tables of data/<tag>.json. It is read-only once built and
// safe for concurrent use.
type Index struct {
	keys     []string               // catalog keys, one per document
	postings map[string][]posting   // term → documents holding it
	idf      map[string]float64     // term → inverse document frequency
	byKey    map[string]int         // catalog key → document
	texts    map[string][]fieldText // not kept after building
}

type posting struct {
	doc    int
	weight float64
}

type fieldText struct {
	text   string
	weight float64
}

// Match is a code found by meaning.
type Match struct {
	Key   string  // the catalog key: "552", "X.2.2"
	Score float64 // higher is better
}

// Field weights: a word in a code's title says more than one in its
// meaning, which says more than one in when it is seen.
const (
	weightTitle   = 3
	weightMeaning = 1.5
	weightWhen    = 0.5
	// weightSynonym is what a phrase of the synonym table adds to each
	// code it names, less for the codes named later.
	weightSynonym = 20
)

// NewIndex indexes the texts of every entry of cat in every language of
// langs.
func NewIndex(cat *catalog.Catalog, langs *locales.Bundle) *Index {
	ix := &Index{postings: map[string][]posting{}, idf: map[string]float64{}, byKey: map[string]int{}}
	for _, e := range cat.Entries() {
		if e.DeprecatedBy != "" {
			continue // its successor is found instead
		}
		doc := len(ix.keys)
		ix.keys = append(ix.keys, e.Key)
		ix.byKey[e.Key] = doc
		best := map[string]float64{}
		for _, l := range langs.Languages() {
			all, ok := l.Code(e.Key)
			if !ok {
				continue
			}
			texts := []locales.CodeText{all}
			for _, c := range e.UsedIn() {
				texts = append(texts, all.In(strconv.Itoa(int(c))))
			}
			for _, t := range texts {
				for _, f := range []fieldText{{t.Title, weightTitle}, {t.Meaning, weightMeaning}, {t.When, weightWhen}} {
					for _, term := range terms(newSpaced(f.text).content()) {
						best[term] = max(best[term], f.weight)
					}
				}
			}
		}
		for term, w := range best {
			ix.postings[term] = append(ix.postings[term], posting{doc: doc, weight: w})
		}
	}
	n := float64(len(ix.keys))
	for term, ps := range ix.postings {
		ix.idf[term] = math.Log(1 + n/float64(len(ps)))
	}
	return ix
}

// terms turns content words into index terms: Latin words without a plural
// "s", pairs of neighbouring words (Vietnamese writes a word as several
// syllables: "hộp thư"), and for Thai, which has no spaces, runs of three
// letters.
func terms(words []string) []string {
	var out []string
	prev := ""
	for _, w := range words {
		if hasThai(w) {
			r := []rune(w)
			if len(r) < 3 {
				out = append(out, w)
			}
			for i := 0; i+3 <= len(r); i++ {
				out = append(out, string(r[i:i+3]))
			}
			prev = ""
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out = append(out, w)
		if prev != "" {
			out = append(out, prev+" "+w)
		}
		prev = w
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// minCoverage is the share of a query's weight that a code's texts must
// match to be a result: "mailbox full" must find both words, or the more
// telling one.
const minCoverage = 0.75

// Search returns up to limit codes whose texts or synonyms match text,
// best first. Codes that score far below the best are left out, so a
// precise question gets a short answer.
func (ix *Index) Search(text string, limit int) []Match {
	s := newSpaced(Clean(text))
	scores := map[int]float64{}
	covered := map[int]float64{} // the query's weight a code's texts match
	named := map[int]bool{}      // codes a synonym names: matched in full
	for _, syn := range lex().synonyms {
		if !s.has(syn.phrase) {
			continue
		}
		for i, key := range syn.keys {
			if doc, ok := ix.byKey[key]; ok {
				scores[doc] += weightSynonym / (1 + 0.5*float64(i))
				named[doc] = true
			}
		}
	}
	qs := terms(s.content())
	// One word alone ("tiết", "version") matches too many texts in
	// passing; it must be in a code's title.
	single := len(qs) == 1
	total := 0.0
	for _, q := range qs {
		idf, ok := ix.idf[q]
		if !ok {
			idf = math.Log(1 + float64(len(ix.keys))) // unknown: as telling as the rarest
		}
		// A pair of words counts half: "thời tiết" (weather) is two
		// common syllables that mean nothing apart, so texts holding
		// both syllables but not the pair match only in part.
		share := idf
		if strings.Contains(q, " ") {
			share = idf / 2
		}
		total += share
		for _, p := range ix.postings[q] {
			if single && p.weight < weightTitle && !named[p.doc] {
				continue
			}
			scores[p.doc] += idf * p.weight
			covered[p.doc] += share
		}
	}
	var out []Match
	for doc, score := range scores {
		if named[doc] || total > 0 && covered[doc]/total >= minCoverage {
			out = append(out, Match{Key: ix.keys[doc], Score: math.Round(score*1000) / 1000})
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return ix.byKey[a.Key] - ix.byKey[b.Key]
	})
	for i := range out {
		if out[i].Score < out[0].Score*0.3 {
			out = out[:i]
			break
		}
	}
	return out[:min(len(out), limit)]
}
