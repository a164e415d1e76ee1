package catalog

import (
	"encoding/json"
	"reflect"
	"slices"
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

// TestEntriesReadOnFirstUse checks that explaining a reply code reads no
// enhanced code and the reverse, and that Entries lists both files in
// their order.
func TestEntriesReadOnFirstUse(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if x := c.Explain(Query{Code: mustParse(t, "550")}); !x.Lead.Registered {
		t.Fatalf("550 not registered: %+v", x.Lead)
	}
	if c.replies.list == nil || c.enhanced.list != nil {
		t.Errorf("explaining 550 read %d reply and %d enhanced entries", len(c.replies.list), len(c.enhanced.list))
	}
	c, _ = Load()
	if x := c.Explain(Query{Code: mustParse(t, "5.1.1")}); !x.Lead.Registered {
		t.Fatalf("5.1.1 not registered: %+v", x.Lead)
	}
	if c.replies.list != nil || c.enhanced.list == nil {
		t.Errorf("explaining 5.1.1 read %d reply and %d enhanced entries", len(c.replies.list), len(c.enhanced.list))
	}
	var want []string
	for _, name := range []string{"data/replies.json", "data/enhanced.json"} {
		entries, err := readEntryFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			want = append(want, e.Key)
		}
	}
	var got []string
	for _, e := range c.Entries() {
		got = append(got, e.Key)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Entries lists %q, want %q", got, want)
	}
	for _, key := range []string{"550", "X.1.1"} {
		if e, ok := c.ByKey(key); !ok || e.Key != key {
			t.Errorf("ByKey(%s) = %v, %v", key, e, ok)
		}
	}
	for _, key := range []string{"", "X", "999", "X.99.99", "0550"} {
		if e, ok := c.ByKey(key); ok {
			t.Errorf("ByKey(%q) = %s", key, e.Key)
		}
	}
}
