package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/smtpcodes/smtpbot/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := LoadEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// golden compares got with testdata/golden/NAME, or rewrites it with -update.
// Golden files make every change to a rendered text visible in review.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handlers -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./handlers -update and review the diff\n--- got ---\n%s", path, got)
	}
}

// explainCases cover registered, unregistered, paired, deprecated and
// overridden codes.
var explainCases = []string{
	"214", "421", "450", "550", "552", "556", "559",
	"2.1.5", "4.2.2", "5.1.1", "5.6.10", "5.7.8", "5.7.999",
	"550 5.1.1", "451 4.4.1",
	// The same enhanced code in each class it is used in, one shown in a
	// class it is not used in, and the cases issue 7 names.
	"4.1.1", "5.2.2", "5.4.1", "4.7.0", "2.7.0", "5.7.0", "2.1.0", "4.1.5",
	"552 5.3.4", "550 5.7.26", "5.9.1",
	// Codes whose texts differ by class where RFC 3463 and practice part:
	// Postfix defers an unknown domain as 4.1.2, greylisting is 4.7.1, and
	// an SPF temperror is not a permerror.
	"4.1.2", "4.7.1", "4.7.24", "5.7.24",
	// Replies to commands: AUTH's or STARTTLS's 454 is retried by a mail
	// server, not by a mail app; ETRN's 458 bounces nothing.
	"454 4.7.0", "458 4.5.0",
	// Postfix bounces a permanent DNS error as 5.4.3, a code RFC 3463
	// registers only as a transient one.
	"5.4.3",
}

func TestExplainGolden(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		for _, in := range explainCases {
			code, err := catalog.Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			x := e.Explain(l, code, "")
			var buf bytes.Buffer
			if err := WriteExplanation(&buf, &x); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(l.Tag, "explain_"+fileName(in)+".txt"), buf.Bytes())
		}
	}
}

// compareCases: different classes, the same class, the same subject, a
// reply with its own enhanced code, and a code with itself.
var compareCases = [][2]string{
	{"214", "556"}, {"211", "556"}, {"421", "450"}, {"550", "551"},
	{"5.1.1", "5.1.2"}, {"550", "5.1.1"}, {"5.7.26", "4.7.0"}, {"550", "550"},
	{"550", "554"}, {"4.2.2", "5.2.2"}, {"452", "552"},
	// Sent at the same steps, in another order: the cause tells them apart.
	{"550", "553"},
	// One enhanced code in two classes that mean different things in
	// practice: Microsoft's 5.4.1 is not a permanent 4.4.1.
	{"5.4.1", "4.4.1"},
}

func TestCompareGolden(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		for _, pair := range compareCases {
			a, _ := catalog.Parse(pair[0])
			b, _ := catalog.Parse(pair[1])
			c := e.Compare(l, a, b)
			var buf bytes.Buffer
			if err := WriteComparison(&buf, &c); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(l.Tag, "compare_"+fileName(pair[0])+"_"+fileName(pair[1])+".txt"), buf.Bytes())
		}
	}
}

// TestPasteGolden explains every bounce under testdata/paste, as text in
// every language and as JSON in English.
func TestPasteGolden(t *testing.T) {
	e := engine(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "paste", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no bounces under testdata/paste")
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		for _, l := range e.Languages().Languages() {
			r := e.ExplainText(l, string(text))
			var buf bytes.Buffer
			if err := WriteReport(&buf, r); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(l.Tag, "paste_"+name+".txt"), buf.Bytes())
			if l.Tag == "en" {
				j, _ := json.MarshalIndent(r.JSON(), "", "  ")
				golden(t, filepath.Join(l.Tag, "paste_"+name+".json"), append(j, '\n'))
			}
		}
	}
}

// lookupCases are texts that are only a code, asked about: no bounce
// confidence, no roles, and a note when the classes differ.
var lookupCases = []string{"421", "450 5.1.1", "334", "550 4.1.1"}

func TestLookupGolden(t *testing.T) {
	e := engine(t)
	for _, l := range e.Languages().Languages() {
		for _, in := range lookupCases {
			r := e.ExplainText(l, in)
			var buf bytes.Buffer
			if err := WriteReport(&buf, r); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(l.Tag, "lookup_"+fileName(in)+".txt"), buf.Bytes())
			if l.Tag == "en" {
				j, _ := json.MarshalIndent(r.JSON(), "", "  ")
				golden(t, filepath.Join(l.Tag, "lookup_"+fileName(in)+".json"), append(j, '\n'))
			}
		}
	}
}

func fileName(code string) string { return strings.NewReplacer(" ", "_", ".", "-").Replace(code) }

// TestSlackGolden shows the Slack side of the same answers: the Block Kit
// blocks a direct message gets for each bounce under testdata/paste and
// for each comparison, in English, as JSON under testdata/golden/slack.
// A change to what Slack shows, or to its layout, is then visible in the
// diff as a change to the text files is.
func TestSlackGolden(t *testing.T) {
	rt, _ := newRouter(t)
	answer := func(name, text string) {
		t.Helper()
		rs := rt.Handle(context.Background(), Request{Source: SourceDM, UserID: "U1", ChannelID: "D1", Text: text})
		if len(rs) == 0 {
			t.Fatalf("%s: no reply", name)
		}
		var out []json.RawMessage
		for _, r := range rs {
			j, err := json.MarshalIndent(slack.Blocks{BlockSet: r.Blocks}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, j)
		}
		j, _ := json.MarshalIndent(out, "", "  ")
		golden(t, filepath.Join("slack", name+".json"), append(j, '\n'))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "paste", "*.txt"))
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		answer("paste_"+strings.TrimSuffix(filepath.Base(f), ".txt"), string(text))
	}
	for _, pair := range compareCases {
		answer("compare_"+fileName(pair[0])+"_"+fileName(pair[1]), pair[0]+" vs "+pair[1])
	}
}
