package catalog

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestReadEntriesMatchesJSON decodes the entry files both ways: Load must
// take its fast path on each and read it as encoding/json does.
func TestReadEntriesMatchesJSON(t *testing.T) {
	for _, name := range []string{"data/replies.json", "data/enhanced.json"} {
		b, err := dataFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var std []*Entry
		if err := json.Unmarshal(b, &std); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fast, ok := readEntries(b)
		if !ok {
			t.Errorf("%s: not read on the fast path, so every run decodes it slowly: write null, numbers and other keys as the other entries do", name)
			continue
		}
		if !reflect.DeepEqual(fast, std) {
			t.Errorf("%s: read differently from encoding/json", name)
		}
	}
}

// FuzzReadEntries holds the entries' reader to encoding/json's reading:
// the same entries, or none.
func FuzzReadEntries(f *testing.F) {
	f.Add(`[{"code": "550", "title": "T", "refs": [{"rfc": 5321, "section": "4.2.3"}, {"draft": "d", "with": ["5.6.7"]}], "steps": ["sender"], "retry": "by_hand", "enhanced": ["5.1.1"], "related": ["551"]}]`)
	f.Add(`[{"code": "X.2.2", "classes": {"4": {"steps": []}, "5": {"steps": ["sender", "recipient_side"], "soft": true}}, "replies": ["552"], "deprecated_by": "X.1.1"}]`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, in string) {
		fast, ok := readEntries([]byte(in))
		if !ok {
			return // encoding/json reads it instead
		}
		var std []*Entry
		if err := json.Unmarshal([]byte(in), &std); err != nil || !reflect.DeepEqual(fast, std) {
			t.Fatalf("read %q as %+v, encoding/json as %+v (%v)", in, fast, std, err)
		}
	})
}
