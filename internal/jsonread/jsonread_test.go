package jsonread

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// sample has a field of every kind the reader reads.
type sample struct {
	S    string            `json:"s"`
	N    int               `json:"n"`
	B    bool              `json:"b"`
	L    []string          `json:"l"`
	M    map[string]string `json:"m"`
	Kids []*sample         `json:"kids"`
}

// readSample decodes a sample as the data files' decoders do: a key it does
// not know, or a key given twice, makes it give up.
func readSample(r *Reader) *sample {
	out := &sample{}
	seen := map[string]bool{}
	r.Object(func(key string) {
		if seen[key] {
			r.Fail()
			return
		}
		seen[key] = true
		switch key {
		case "s":
			out.S = r.String()
		case "n":
			out.N = r.Int()
		case "b":
			out.B = r.Bool()
		case "l":
			out.L = r.Strings()
		case "m":
			out.M = r.StringMap()
		case "kids":
			out.Kids = []*sample{}
			r.Array(func() { out.Kids = append(out.Kids, readSample(r)) })
		default:
			r.Fail()
		}
	})
	return out
}

func decodeSample(s string) (*sample, error) {
	r := NewReader(s)
	v := readSample(r)
	return v, r.End()
}

func TestReaderReads(t *testing.T) {
	tests := []struct {
		name, in string
		want     *sample
	}{
		{"empty object", `{}`, &sample{}},
		{"every kind", ` {"s": "a", "n": 5321, "b": true, "l": ["x", "y"], "m": {"k": "v"}} `,
			&sample{S: "a", N: 5321, B: true, L: []string{"x", "y"}, M: map[string]string{"k": "v"}}},
		{"empty array and object", `{"l": [], "m": {}, "kids": []}`, &sample{L: []string{}, M: map[string]string{}, Kids: []*sample{}}},
		{"nested", `{"kids": [{"s": "a"}, {"n": -7, "b": false}]}`, &sample{Kids: []*sample{{S: "a"}, {N: -7}}}},
		{"escapes", `{"s": "a\"b\\c\/d\b\f\n\r\t\u00e9\u0E01"}`, &sample{S: "a\"b\\c/d\b\f\n\r\téก"}},
		{"surrogate pair", `{"s": "\ud83d\ude00"}`, &sample{S: "😀"}},
		{"lone surrogate", `{"s": "\ud83dx\ud83d\u0041"}`, &sample{S: "\uFFFDx\uFFFDA"}},
		{"UTF-8 as is", `{"s": "Tiếng Việt ภาษาไทย"}`, &sample{S: "Tiếng Việt ภาษาไทย"}},
		{"zero", `{"n": 0}`, &sample{}},
		{"white space", "{\t\"s\"\r\n:\n\"a\" ,\"n\" : 1 }", &sample{S: "a", N: 1}},
	}
	for _, tt := range tests {
		got, err := decodeSample(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
		var std *sample
		if err := json.Unmarshal([]byte(tt.in), &std); err != nil || !reflect.DeepEqual(got, std) {
			t.Errorf("%s: encoding/json reads %+v (%v)", tt.name, std, err)
		}
	}
}

// The reader gives up on what is not JSON, and on JSON it does not read.
func TestReaderGivesUp(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ``},
		{"not an object", `[]`},
		{"unclosed", `{"s": "a"`},
		{"unclosed string", `{"s": "a}`},
		{"trailing comma", `{"s": "a",}`},
		{"missing colon", `{"s" "a"}`},
		{"missing comma", `{"s": "a" "n": 1}`},
		{"after the value", `{} {}`},
		{"control character", "{\"s\": \"a\tb\"}"},
		{"bad escape", `{"s": "\x"}`},
		{"quote escape", `{"s": "\'"}`},
		{"short \\u", `{"s": "\u12"}`},
		{"bad hex", `{"s": "\u12g4"}`},
		{"escape at the end", `{"s": "\`},
		{"invalid UTF-8", "{\"s\": \"\xff\"}"},
		{"invalid UTF-8 after an escape", "{\"s\": \"\\n\xff\"}"},
		{"null", `{"s": null}`},
		{"fraction", `{"n": 1.5}`},
		{"exponent", `{"n": 1e3}`},
		{"leading zero", `{"n": 05}`},
		{"minus alone", `{"n": -}`},
		{"big number", `{"n": 1234567890}`},
		{"number then letters", `{"n": 12ab}`},
		{"string for a number", `{"n": "1"}`},
		{"truthy", `{"b": tru}`},
		{"true then letters", `{"b": truex}`},
		{"number in a list", `{"l": [1]}`},
		{"unknown key", `{"x": "a"}`},
		{"key in another case", `{"S": "a"}`},
		{"key twice", `{"s": "a", "s": "b"}`},
		{"key not a string", `{s: "a"}`},
	}
	for _, tt := range tests {
		if got, err := decodeSample(tt.in); err == nil {
			t.Errorf("%s: read %q as %+v", tt.name, tt.in, got)
		}
	}
}

func TestStringMap(t *testing.T) {
	r := NewReader(`{"a": "1", "b": "x\ny", "a": "2"}`)
	got := r.StringMap()
	if err := r.End(); err != nil {
		t.Fatal(err)
	}
	// A key given twice keeps its last value, as encoding/json keeps it.
	if want := map[string]string{"a": "2", "b": "x\ny"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if r := NewReader(`{"a": 1}`); r.StringMap() != nil || r.End() == nil {
		t.Error("a number read as a string")
	}
}

// TestStringsShareInput checks that a string without escapes is a part of
// the input, not a copy: that is what makes the reader cheap.
func TestStringsShareInput(t *testing.T) {
	in := strings.Repeat(" ", 8) + `"value"`
	var r Reader
	if allocs := testing.AllocsPerRun(10, func() {
		r = Reader{s: in}
		if r.String() != "value" {
			t.Fatal("not read")
		}
	}); allocs != 0 {
		t.Errorf("reading a string allocates %v times", allocs)
	}
}

// FuzzReader holds the reader to its promise: whatever it reads,
// encoding/json reads the same; where encoding/json fails, so does it.
func FuzzReader(f *testing.F) {
	for _, s := range []string{`{}`, `{"s": "a\u00e9\ud83d\ude00", "n": -12, "b": true, "l": ["x"], "m": {"k": "v"}, "kids": [{"s": ""}]}`,
		`{"m": {"a": "1", "a": "2"}}`, `{"s": "\ud800\u0041"}`, `{"n": 0}`, "{\"s\": \"ก\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		// Where the reader gives up, encoding/json reads the input instead.
		if got, err := decodeSample(in); err == nil {
			var std *sample
			if err := json.Unmarshal([]byte(in), &std); err != nil {
				t.Fatalf("read %q, which encoding/json refuses: %v", in, err)
			}
			if !reflect.DeepEqual(got, std) {
				t.Fatalf("read %q as %+v, encoding/json as %+v", in, got, std)
			}
		}
		r := NewReader(in)
		if m := r.StringMap(); r.End() == nil {
			var std map[string]string
			if err := json.Unmarshal([]byte(in), &std); err != nil || !reflect.DeepEqual(m, std) {
				t.Fatalf("StringMap read %q as %q, encoding/json as %q (%v)", in, m, std, err)
			}
		}
	})
}
