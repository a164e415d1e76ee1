package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/bounces")

// goldenExtraction is the golden form of an Extraction: codes as text, so
// that a diff reads like a bounce.
type goldenExtraction struct {
	Confidence float64         `json:"confidence"`
	Findings   []goldenFinding `json:"findings"`
}

type goldenFinding struct {
	Code       string `json:"code"`
	Role       Role   `json:"role"`
	ServerText string `json:"server_text"`
	Command    string `json:"command,omitempty"`
	Delayed    bool   `json:"delayed,omitempty"`
}

func toGolden(ex Extraction) []byte {
	g := goldenExtraction{Confidence: ex.Confidence, Findings: []goldenFinding{}}
	for _, f := range ex.Findings {
		g.Findings = append(g.Findings, goldenFinding{Code: f.Code.String(), Role: f.Role, ServerText: f.ServerText, Command: f.Command, Delayed: f.Delayed})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestBounces runs Extract over the bounces of testdata/bounces and compares
// the result with each one's .golden file. Run with -update to rewrite them
// after a deliberate change, and read the diff.
func TestBounces(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bounces", "*.txt"))
	if err != nil || len(files) < 15 {
		t.Fatalf("want at least 15 fixtures, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := toGolden(Extract(string(raw)))
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n got:\n%s\nwant:\n%s", f, golden, got, want)
			}
		})
	}
}
