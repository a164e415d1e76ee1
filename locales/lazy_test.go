package locales

import (
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// TestLazyTexts checks that code and provider texts are read on first use,
// once, safely from many goroutines, and that a file that does not parse is
// reported by LoadAll while lookups fall back to English.
func TestLazyTexts(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.json":        {Data: []byte(`{"language.name":"English"}`)},
		"en/replies.json":   {Data: []byte(`{"550":{"title":"Mailbox Unavailable"}}`)},
		"en/enhanced.json":  {Data: []byte(`{"X.1.1":{"title":"Bad destination mailbox address"}}`)},
		"en/providers.json": {Data: []byte(`{"gmail":{"title":"Gmail"}}`)},
		"fr/ui.json":        {Data: []byte(`{"language.name":"Français"}`)},
		"fr/replies.json":   {Data: []byte(`{"550":{"title":"Boîte indisponible"}}`)},
		"fr/enhanced.json":  {Data: []byte(`{}`)},
		"fr/providers.json": {Data: []byte(`{not json`)},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatalf("LoadFS read more than ui.json: %v", err)
	}
	fr, _ := b.Get("fr")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if c, ok := fr.Code("550"); !ok || c.Title != "Boîte indisponible" {
				t.Errorf("Code(550) = %+v, %v", c, ok)
			}
			if c, ok := fr.Code("X.1.1"); !ok || c.Title != "Bad destination mailbox address" {
				t.Errorf("Code(X.1.1) = %+v, %v; want the English text", c, ok)
			}
			if p, ok := fr.Provider("gmail"); !ok || p.Title != "Gmail" {
				t.Errorf("Provider(gmail) = %+v, %v; want the English text", p, ok)
			}
		})
	}
	wg.Wait()
	if err := b.LoadAll(); err == nil {
		t.Error("LoadAll did not report fr/providers.json")
	}
	fsys["fr/providers.json"] = &fstest.MapFile{Data: []byte(`{}`)}
	fsys["fr/contrasts.json"] = &fstest.MapFile{Data: []byte(`{"550 or 554":"x"}`)}
	b, err = LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.LoadAll(); err == nil {
		t.Error("LoadAll did not report a contrasts key not of the form \"550 vs 554\"")
	}
	delete(fsys, "fr/enhanced.json")
	if _, err := LoadFS(fsys); err == nil {
		t.Error("a language without enhanced.json loaded")
	}
}

// TestTopLevelString checks the quick read of a language's name and letters
// against a full decode of every ui.json.
func TestTopLevelString(t *testing.T) {
	b := load(t)
	for _, l := range b.Languages() {
		if l.Name != l.ui()["language.name"] || l.letters != l.ui()["language.letters"] {
			t.Errorf("%s: name %q and letters %q, the full decode says %q and %q",
				l.Tag, l.Name, l.letters, l.ui()["language.name"], l.ui()["language.letters"])
		}
	}
	tests := []struct{ data, want string }{
		{`{"a":"x \"k\": no","k" : "yes \u00e9"}`, "yes é"},
		{`{"k":"a\\"}`, `a\`},
		{`{"x":"\"k\":\"no\""}`, ""},
		{`{"k":1}`, ""},
		{`{"k":"unterminated`, ""},
		{`{}`, ""},
	}
	for _, tt := range tests {
		if got, _ := topLevelString([]byte(tt.data), "k"); got != tt.want {
			t.Errorf("topLevelString(%s) = %q, want %q", tt.data, got, tt.want)
		}
		// Read from a start of the data, the answer is the same or
		// not complete.
		for n := range len(tt.data) {
			if got, complete := topLevelString([]byte(tt.data[:n]), "k"); complete && got != tt.want {
				t.Errorf("topLevelString(%s) = %q, complete; the whole data says %q", tt.data[:n], got, tt.want)
			}
		}
	}
}

// TestNameAndLettersPastTheHead checks that a name and letters kept after
// the first headSize bytes of ui.json are still found.
func TestNameAndLettersPastTheHead(t *testing.T) {
	pad := `"a":"` + strings.Repeat("x", headSize) + `",`
	fsys := fstest.MapFS{
		"late.json":  {Data: []byte(`{` + pad + `"language.name":"Late","language.letters":"ă"}`)},
		"split.json": {Data: []byte(`{` + pad[:headSize-20] + `","language.name":"Split","language.letters":"` + strings.Repeat("ạ", 20) + `"}`)},
		"short.json": {Data: []byte(`{"language.name":"Short"}`)},
	}
	tests := []struct{ file, name, letters string }{
		{"late.json", "Late", "ă"},
		{"split.json", "Split", strings.Repeat("ạ", 20)},
		{"short.json", "Short", ""},
	}
	for _, tt := range tests {
		name, letters, err := nameAndLetters(fsys, tt.file)
		if err != nil || name != tt.name || letters != tt.letters {
			t.Errorf("%s: %q, %q, %v; want %q, %q", tt.file, name, letters, err, tt.name, tt.letters)
		}
	}
	if _, _, err := nameAndLetters(fsys, "missing.json"); err == nil {
		t.Error("a missing file gave no error")
	}
}

// TestLabelFilesReadInTurn checks that a label found in ui.json reads
// neither reasons.json nor diagnose.json, that labels in those files are
// found, and that a key in two of them is reported by LoadAll.
func TestLabelFilesReadInTurn(t *testing.T) {
	fsys := fstest.MapFS{
		"en/ui.json":        {Data: []byte(`{"language.name":"English","heading.fix":"How to fix it"}`)},
		"en/reasons.json":   {Data: []byte(`{"reason.x":"Reason"}`)},
		"en/diagnose.json":  {Data: []byte(`{"check.x":"Check {name}"}`)},
		"en/replies.json":   {Data: []byte(`{}`)},
		"en/enhanced.json":  {Data: []byte(`{}`)},
		"en/providers.json": {Data: []byte(`{}`)},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	en := b.Fallback()
	if got := en.T("heading.fix"); got != "How to fix it" {
		t.Errorf("T(heading.fix) = %q", got)
	}
	if en.files.labels[1].data != nil || en.files.labels[2].data != nil {
		t.Error("a label of ui.json read reasons.json or diagnose.json")
	}
	if got := en.T("check.x", "name", "SPF"); got != "Check SPF" {
		t.Errorf("T(check.x) = %q", got)
	}
	if got := en.T("reason.x"); got != "Reason" {
		t.Errorf("T(reason.x) = %q", got)
	}
	if err := b.LoadAll(); err != nil {
		t.Fatal(err)
	}
	if got := len(en.ui()); got != 4 {
		t.Errorf("ui() has %d labels, want the 4 of the three files", got)
	}

	fsys["en/reasons.json"] = &fstest.MapFile{Data: []byte(`{"heading.fix":"Fix"}`)}
	if b, err = LoadFS(fsys); err != nil {
		t.Fatal(err)
	}
	if err := b.LoadAll(); err == nil {
		t.Error("LoadAll did not report a key in both ui.json and reasons.json")
	}
	delete(fsys, "en/reasons.json")
	delete(fsys, "en/diagnose.json")
	if b, err = LoadFS(fsys); err != nil {
		t.Fatal(err)
	}
	if err := b.LoadAll(); err != nil || b.Fallback().T("heading.fix") != "How to fix it" {
		t.Errorf("without reasons.json and diagnose.json: %v", err)
	}
}
