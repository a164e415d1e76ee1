package catalog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// registryRow is one row of data/iana-enhanced.csv, the copy of the IANA
// "SMTP Enhanced Status Codes" registry's enumerated status codes.
type registryRow struct {
	Code       string
	SampleText string
	Basic      string // the registry's "associated basic status code" text
	Reference  string
}

var (
	replyInText = regexp.MustCompile(`\b[2-5][0-9][0-9]\b`)
	rfcInText   = regexp.MustCompile(`\bRFC ([0-9]+)\b`)
)

// replies returns the concrete reply codes the registry names for the row,
// in its order: "450, 550 (other 4XX or 5XX codes are allowed)" gives 450
// and 550, "Not given" and "5XX" give none.
func (r registryRow) replies() []string { return replyInText.FindAllString(r.Basic, -1) }

// rfcs returns the RFC numbers of the row's reference, in order.
func (r registryRow) rfcs(t *testing.T) []int {
	t.Helper()
	var out []int
	for _, m := range rfcInText.FindAllStringSubmatch(r.Reference, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			t.Fatalf("%s: reference %q: %v", r.Code, r.Reference, err)
		}
		out = append(out, n)
	}
	return out
}

func readRegistry(t *testing.T) []registryRow {
	t.Helper()
	b, err := dataFS.ReadFile("data/iana-enhanced.csv")
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("data/iana-enhanced.csv: %v", err)
	}
	header := []string{"code", "sample_text", "associated_basic_status_codes", "reference"}
	if len(records) == 0 || !slices.Equal(records[0], header) {
		t.Fatalf("data/iana-enhanced.csv: header is %q, want %q", records[0], header)
	}
	var rows []registryRow
	seen := map[string]bool{}
	for i, rec := range records[1:] {
		row := registryRow{Code: rec[0], SampleText: rec[1], Basic: rec[2], Reference: rec[3]}
		if seen[row.Code] {
			t.Errorf("data/iana-enhanced.csv line %d: %s listed twice", i+2, row.Code)
		}
		seen[row.Code] = true
		if row.Reference == "" {
			t.Errorf("data/iana-enhanced.csv line %d: %s has no reference", i+2, row.Code)
		}
		rows = append(rows, row)
	}
	return rows
}

func loadCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	// The files read on first use must load too.
	if err := c.ensureEntries(); err != nil {
		t.Fatal(err)
	}
	if err := c.ensureProviders(); err != nil {
		t.Fatal(err)
	}
	if err := c.ensureFacets(); err != nil {
		t.Fatal(err)
	}
	if c.reasonRules(); c.reasonsErr != nil {
		t.Fatal(c.reasonsErr)
	}
	return c
}

func enhancedEntries(c *Catalog) []*Entry {
	var out []*Entry
	for _, e := range c.Entries() {
		if e.Kind == KindEnhanced {
			out = append(out, e)
		}
	}
	return out
}

func refRFCs(e *Entry) []int {
	out := make([]int, len(e.Refs))
	out = out[:0]
	for _, r := range e.Refs {
		if r.RFC != 0 { // an Internet-Draft, which the registry names but refRFCs does not count
			out = append(out, r.RFC)
		}
	}
	return out
}

// subjectDetailOf splits "X.7.14" into 7 and 14.
func subjectDetailOf(t *testing.T, key string) (subject, detail int) {
	t.Helper()
	parts := strings.Split(key, ".")
	if len(parts) != 3 || parts[0] != "X" {
		t.Fatalf("%q is not of the form X.s.d", key)
	}
	s, err1 := strconv.Atoi(parts[1])
	d, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		t.Fatalf("%q is not of the form X.s.d", key)
	}
	return s, d
}

// TestRegistryMatchesCatalog checks that data/enhanced.json holds exactly the
// registry's codes, with the registry's sample text as title, its RFCs as
// references and its reply codes.
func TestRegistryMatchesCatalog(t *testing.T) {
	c := loadCatalog(t)
	rows := readRegistry(t)
	inRegistry := map[string]bool{}
	for _, row := range rows {
		inRegistry[row.Code] = true
		e, ok := c.ByKey(row.Code)
		if !ok || e.Kind != KindEnhanced {
			t.Errorf("%s is in the registry but not in data/enhanced.json", row.Code)
			continue
		}
		if e.Title != row.SampleText {
			t.Errorf("%s: title %q, registry sample text %q", row.Code, e.Title, row.SampleText)
		}
		if got, want := refRFCs(e), row.rfcs(t); !slices.Equal(got, want) {
			t.Errorf("%s: refs name RFCs %v, registry reference %q names %v", row.Code, got, row.Reference, want)
		}
		if got, want := e.Replies, row.replies(); !slices.Equal(got, want) {
			t.Errorf("%s: replies %q, registry says %q", row.Code, got, row.Basic)
		}
	}
	for _, e := range enhancedEntries(c) {
		if !inRegistry[e.Key] {
			t.Errorf("%s is in data/enhanced.json but not in the registry copy", e.Key)
		}
	}
}

// TestRegistryCoverage checks that no registered code is missing: the
// registry numbers the details of each subject from 0 without gaps.
func TestRegistryCoverage(t *testing.T) {
	lastDetail := map[int]int{0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30}
	want := map[string]bool{}
	for s, last := range lastDetail {
		for d := 0; d <= last; d++ {
			if s == 0 && d > 0 {
				break
			}
			want["X."+strconv.Itoa(s)+"."+strconv.Itoa(d)] = true
		}
	}
	rows := readRegistry(t)
	got := map[string]bool{}
	for _, row := range rows {
		got[row.Code] = true
		if !want[row.Code] {
			t.Errorf("registry copy has %s, which is not a registered code", row.Code)
		}
	}
	for code := range want {
		if !got[code] {
			t.Errorf("registry copy lacks %s", code)
		}
	}
	if len(rows) != 81 {
		t.Errorf("registry copy has %d rows, want 81", len(rows))
	}
}

// TestRegistryNotorious pins the entries that copies of the registry found
// in the wild most often get wrong.
func TestRegistryNotorious(t *testing.T) {
	c := loadCatalog(t)
	rows := map[string]registryRow{}
	for _, row := range readRegistry(t) {
		rows[row.Code] = row
	}
	tests := []struct {
		code         string
		title        string
		rfc          int
		replies      []string
		deprecatedBy string
	}{
		// RFC 4468 first used X.7.8 for "trust relationship required";
		// RFC 5248 moved that meaning to X.7.14.
		{code: "X.7.8", title: "Authentication credentials invalid", rfc: 4954, replies: []string{"535", "554"}},
		{code: "X.7.14", title: "Trust relationship required", rfc: 5248, replies: []string{"535", "554"}},
		// RFC 6531 registered X.6.10 as a duplicate of X.6.8.
		{code: "X.6.8", title: "UTF-8 string reply is required, but not permitted by the SMTP client", rfc: 6531, replies: []string{"252", "553", "550"}},
		{code: "X.6.10", title: "", rfc: 6531, deprecatedBy: "X.6.8"},
		{code: "X.1.10", title: "Recipient address has null MX", rfc: 7505, replies: []string{"556"}},
		{code: "X.7.27", title: "Sender address has null MX", rfc: 7505, replies: []string{"550"}},
		{code: "X.7.29", title: "ARC validation failure", rfc: 8617, replies: []string{"550"}},
		{code: "X.7.30", title: "REQUIRETLS support required", rfc: 8689, replies: []string{"550"}},
		{code: "X.5.6", title: "Authentication Exchange line is too long", rfc: 4954, replies: []string{"500"}},
		{code: "X.3.6", title: "Requested priority was changed", rfc: 6710, replies: []string{"250", "251"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			row, ok := rows[tt.code]
			if !ok {
				t.Fatalf("%s missing from the registry copy", tt.code)
			}
			if row.SampleText != tt.title {
				t.Errorf("registry copy: sample text %q, want %q", row.SampleText, tt.title)
			}
			e, ok := c.ByKey(tt.code)
			if !ok {
				t.Fatalf("%s missing from data/enhanced.json", tt.code)
			}
			if e.Title != tt.title {
				t.Errorf("title %q, want %q", e.Title, tt.title)
			}
			if len(e.Refs) == 0 || e.Refs[0].RFC != tt.rfc {
				t.Errorf("refs %v, want RFC %d first", e.Refs, tt.rfc)
			}
			if !slices.Equal(e.Replies, tt.replies) {
				t.Errorf("replies %q, want %q", e.Replies, tt.replies)
			}
			if e.DeprecatedBy != tt.deprecatedBy {
				t.Errorf("deprecated_by %q, want %q", e.DeprecatedBy, tt.deprecatedBy)
			}
		})
	}
	// X.6.10 is the only deprecated code.
	for _, e := range enhancedEntries(c) {
		if e.DeprecatedBy != "" && e.Key != "X.6.10" {
			t.Errorf("%s: deprecated_by %q, but only X.6.10 is deprecated", e.Key, e.DeprecatedBy)
		}
	}
}

// TestEnhancedSortedAndLinked checks that data/enhanced.json is in subject
// and detail order and that every code it points to exists.
func TestEnhancedSortedAndLinked(t *testing.T) {
	c := loadCatalog(t)
	entries := enhancedEntries(c)
	if len(entries) == 0 {
		t.Fatal("data/enhanced.json is empty")
	}
	prevS, prevD := -1, -1
	for _, e := range entries {
		s, d := subjectDetailOf(t, e.Key)
		if s < prevS || (s == prevS && d <= prevD) {
			t.Errorf("%s comes after X.%d.%d: sort by subject, then detail", e.Key, prevS, prevD)
		}
		prevS, prevD = s, d

		if n := len(e.Related); n < 2 || n > 4 {
			t.Errorf("%s: %d related codes, want 2 to 4", e.Key, n)
		}
		seen := map[string]bool{}
		for _, r := range e.Related {
			if r == e.Key {
				t.Errorf("%s: related to itself", e.Key)
			}
			if seen[r] {
				t.Errorf("%s: related %s listed twice", e.Key, r)
			}
			seen[r] = true
			if o, ok := c.ByKey(r); !ok || o.Kind != KindEnhanced {
				t.Errorf("%s: related %q is not an enhanced code of the catalog", e.Key, r)
			}
		}
		if e.DeprecatedBy != "" {
			o, ok := c.ByKey(e.DeprecatedBy)
			switch {
			case !ok || o.Kind != KindEnhanced:
				t.Errorf("%s: deprecated_by %q is not an enhanced code of the catalog", e.Key, e.DeprecatedBy)
			case o == e:
				t.Errorf("%s: deprecated by itself", e.Key)
			case o.DeprecatedBy != "":
				t.Errorf("%s: deprecated_by %s, which is deprecated too", e.Key, o.Key)
			}
		}
		for _, r := range e.Replies {
			if _, err := ParseReply(r); err != nil {
				t.Errorf("%s: reply %q: %v", e.Key, r, err)
			}
		}
		if len(e.Enhanced) != 0 {
			t.Errorf("%s: an enhanced code lists enhanced codes %q", e.Key, e.Enhanced)
		}
	}
}

// TestEnhancedActorsAndRetry checks the closed vocabularies.
func TestEnhancedActorsAndRetry(t *testing.T) {
	actors := []Actor{ActorNobody, ActorSender, ActorSenderAdmin, ActorRecipientSide}
	retries := []Retry{"", RetryNone, RetryContinue, RetryLater, RetryAfterFix}
	for _, e := range enhancedEntries(loadCatalog(t)) {
		if !slices.Contains(actors, e.Actor) {
			t.Errorf("%s: actor %q is not one of %q", e.Key, e.Actor, actors)
		}
		if !slices.Contains(retries, e.Retry) {
			t.Errorf("%s: retry %q is not one of %q", e.Key, e.Retry, retries)
		}
	}
}

// codeText mirrors locales.CodeText; the catalog does not depend on locales.
type codeText struct {
	Title   string              `json:"title"`
	Meaning string              `json:"meaning"`
	When    string              `json:"when"`
	Fix     steps               `json:"fix"`
	Classes map[string]codeText `json:"classes"`
}

// in returns the texts shown for class: the class's own, else the shared.
func (t codeText) in(class string) codeText {
	c := t.Classes[class]
	out := t
	out.Classes = nil
	if c.Title != "" {
		out.Title = c.Title
	}
	if c.Meaning != "" {
		out.Meaning = c.Meaning
	}
	if c.When != "" {
		out.When = c.When
	}
	if len(c.Fix) > 0 {
		out.Fix = c.Fix
	}
	return out
}

// steps mirrors locales.Steps: a string is one step.
type steps []string

func (s *steps) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = steps{one}
		return nil
	}
	var many []string
	err := json.Unmarshal(b, &many)
	*s = many
	return err
}

// readEnglishTexts reads one of the English code text files of package
// locales, rejecting fields a CodeText does not have.
func readEnglishTexts(t *testing.T, name string) map[string]codeText {
	t.Helper()
	b, err := os.ReadFile("../locales/data/en/" + name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var texts map[string]codeText
	if err := dec.Decode(&texts); err != nil {
		t.Fatalf("locales/data/en/%s: %v", name, err)
	}
	return texts
}

// smallWords may stay lower case inside a Title Case title.
var smallWords = []string{"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}

// TestEnglishEnhancedTexts checks that every enhanced code has complete,
// plain English texts, and that no text is left for a code the catalog lacks.
func TestEnglishEnhancedTexts(t *testing.T) {
	texts := readEnglishTexts(t, "enhanced.json")
	entries := enhancedEntries(loadCatalog(t))
	keys := map[string]bool{}
	for _, e := range entries {
		keys[e.Key] = true
		txt, ok := texts[e.Key]
		if !ok {
			t.Errorf("%s has no English text", e.Key)
			continue
		}
		for class := range txt.Classes {
			if _, ok := e.Classes[class]; !ok {
				t.Errorf("%s has English texts for class %s, which data/enhanced.json does not list", e.Key, class)
			}
		}
		for _, c := range e.UsedIn() {
			f, _ := e.In(c)
			checkEnglishText(t, e.Key+" in class "+strconv.Itoa(int(c)), txt.in(strconv.Itoa(int(c))), len(f.Steps))
		}
	}
	for k := range texts {
		if !keys[k] {
			t.Errorf("English text for %s, which the catalog does not have", k)
		}
	}
}

// checkEnglishText checks the texts shown for one code in one class: each
// present, plain, a sentence, not the title again, and a fix of as many
// steps as the catalog names parties for.
func checkEnglishText(t *testing.T, where string, txt codeText, steps int) {
	t.Helper()
	if len(txt.Fix) != steps {
		t.Errorf("%s: fix has %d steps, data names the party of %d", where, len(txt.Fix), steps)
	}
	fields := []struct{ name, s string }{{"title", txt.Title}, {"meaning", txt.Meaning}, {"when", txt.When}}
	for i, step := range txt.Fix {
		fields = append(fields, struct{ name, s string }{"fix step " + strconv.Itoa(i+1), step})
	}
	for _, f := range fields {
		if problem := plainTextProblem(f.s); problem != "" {
			t.Errorf("%s %s: %s: %q", where, f.name, problem, f.s)
		}
		if f.name != "title" {
			if !strings.HasSuffix(f.s, ".") {
				t.Errorf("%s %s: does not end with a full stop: %q", where, f.name, f.s)
			}
			if strings.EqualFold(strings.TrimSuffix(f.s, "."), txt.Title) {
				t.Errorf("%s %s: only repeats the title", where, f.name)
			}
		}
	}
	if strings.HasSuffix(txt.Title, ".") {
		t.Errorf("%s title: ends with a full stop: %q", where, txt.Title)
	}
	for _, w := range strings.Fields(txt.Title) {
		r := []rune(w)[0]
		if unicode.IsLower(r) && !slices.Contains(smallWords, w) {
			t.Errorf("%s title: %q is not in Title Case", where, txt.Title)
			break
		}
	}
	if first, _, _ := strings.Cut(txt.When, " "); strings.EqualFold(first, "when") {
		t.Errorf("%s when: is shown under its own heading, so it must not start with %q", where, first)
	}
}

// plainTextProblem reports why s is not fit to show: empty, a placeholder,
// a doubled word, or markup.
func plainTextProblem(s string) string {
	if strings.TrimSpace(s) == "" {
		return "empty"
	}
	if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		return "stray spaces"
	}
	for _, p := range []string{"TODO", "TBD", "FIXME", "...", "\u2026"} {
		if strings.Contains(s, p) {
			return "placeholder " + p
		}
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return "non-ASCII or control character"
		}
		if strings.ContainsRune("*`~<>|#", r) {
			return "markup character " + string(r)
		}
	}
	// Words in a row, unless punctuation parts them: "the the" is caught,
	// "... mailbox. Mailbox ..." is not.
	words := strings.Fields(strings.ToLower(s))
	for i := 1; i < len(words); i++ {
		prev := words[i-1]
		if strings.TrimRightFunc(prev, unicode.IsPunct) != prev {
			continue
		}
		if strings.TrimLeftFunc(prev, unicode.IsPunct) == strings.TrimFunc(words[i], unicode.IsPunct) {
			return "doubled word " + words[i]
		}
	}
	return ""
}
