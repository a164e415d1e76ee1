package handlers

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// BenchmarkCorpusPerEmail times each email of the shared corpus on its own,
// through Extract (reading the codes) and through ExplainText (the path
// users get: extraction, provider and blocklist detection, reasons and the
// explanations in English), and reports the median and the 90th percentile
// per email, the figures comparable with another parser's per-email time.
// It is skipped without the corpus.
func BenchmarkCorpusPerEmail(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir(), "emails", "*.eml"))
	if len(files) == 0 {
		b.Skip("no corpus beside the checkout (set SMTPBOT_CORPUS)")
	}
	var texts []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	e := engine(b)
	en := e.Languages().Fallback()
	for _, step := range []struct {
		name string
		run  func(string)
	}{
		{"Extract", func(t string) { extract.Extract(t) }},
		{"ExplainText", func(t string) { e.ExplainText(en, t) }},
	} {
		b.Run(step.name, func(b *testing.B) {
			per := make([][]time.Duration, len(texts))
			for b.Loop() {
				for i, t := range texts {
					start := time.Now()
					step.run(t)
					per[i] = append(per[i], time.Since(start))
				}
			}
			// Each email's own median over the rounds, then the median
			// and 90th percentile over the emails.
			meds := make([]float64, len(texts))
			for i, ds := range per {
				slices.Sort(ds)
				meds[i] = float64(ds[len(ds)/2].Nanoseconds()) / 1e3
			}
			slices.Sort(meds)
			b.ReportMetric(meds[len(meds)/2], "µs/email-p50")
			b.ReportMetric(meds[len(meds)*9/10], "µs/email-p90")
		})
	}
}
