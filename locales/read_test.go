package locales

import (
	"encoding/json"
	"io/fs"
	"path"
	"reflect"
	"testing"
)

// TestReadFastMatchesJSON decodes every language file both ways: the
// reader used at run time must take each file on its fast path and read it
// as encoding/json does.
func TestReadFastMatchesJSON(t *testing.T) {
	names, err := fs.Glob(dataFS, "data/*/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no language files: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(dataFS, name)
		if err != nil {
			t.Fatal(err)
		}
		var fast, std any
		switch path.Base(name) {
		case "ui.json", "reasons.json", "diagnose.json", "contrasts.json":
			fast, std = new(map[string]string), new(map[string]string)
		case "replies.json", "enhanced.json":
			fast, std = new(map[string]CodeText), new(map[string]CodeText)
		case "providers.json":
			fast, std = new(map[string]ProviderText), new(map[string]ProviderText)
		default:
			t.Errorf("%s: a file this test does not know: add its shape here", name)
			continue
		}
		if err := json.Unmarshal(data, std); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !readFast(data, fast) {
			t.Errorf("%s: not read on the fast path, so every run decodes it slowly: write null, numbers and other keys as the other files do", name)
			continue
		}
		if !reflect.DeepEqual(fast, std) {
			t.Errorf("%s: read differently from encoding/json", name)
		}
	}
}

// FuzzReadCodeTexts holds the code texts' reader to encoding/json's
// reading: the same result, or none.
func FuzzReadCodeTexts(f *testing.F) {
	f.Add(`{"550": {"title": "T", "meaning": "M", "when": "W", "fix": "F"}}`)
	f.Add(`{"X.1.1": {"title": "T", "fix": ["a", "b"], "classes": {"4": {"meaning": "m\u00e9", "fix": []}}}}`)
	f.Add(`{"gmail/5.7.26": {"title": "T", "meaning": "M", "fix": "F"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		var codes map[string]CodeText
		if readFast([]byte(in), &codes) {
			var std map[string]CodeText
			if err := json.Unmarshal([]byte(in), &std); err != nil || !reflect.DeepEqual(codes, std) {
				t.Fatalf("read %q as %+v, encoding/json as %+v (%v)", in, codes, std, err)
			}
		}
		var provs map[string]ProviderText
		if readFast([]byte(in), &provs) {
			var std map[string]ProviderText
			if err := json.Unmarshal([]byte(in), &std); err != nil || !reflect.DeepEqual(provs, std) {
				t.Fatalf("read %q as %+v, encoding/json as %+v (%v)", in, provs, std, err)
			}
		}
	})
}
