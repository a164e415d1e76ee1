package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/internal/hostile"
)

// TestExplainLongStdin pipes 12 MB into explain: the reply before the
// filler is explained, and stderr says what was read, in the chosen
// language, while --json output stays JSON.
func TestExplainLongStdin(t *testing.T) {
	in := "host mx.example.net said: 550 5.1.1 user unknown (in reply to RCPT TO command)\n" +
		strings.Repeat("AAAA", 3<<20-20)
	out, errOut, code := call(t, in, nil, "explain", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !json.Valid([]byte(out)) || !strings.Contains(out, "5.1.1") {
		t.Errorf("stdout = %.200s", out)
	}
	if !strings.Contains(errOut, "I read the first 4 MB of 12 MB") {
		t.Errorf("stderr = %q", errOut)
	}
	_, errOut, _ = call(t, in, nil, "explain", "--lang", "th")
	if !strings.Contains(errOut, "บอทอ่านเฉพาะ 4 MB แรกจากทั้งหมด 12 MB") {
		t.Errorf("stderr in Thai = %q", errOut)
	}
	_, errOut, _ = call(t, "550 5.1.1 user unknown\n", nil, "explain")
	if errOut != "" {
		t.Errorf("stderr for a short input = %q", errOut)
	}
	// A 9 MB returned attachment before the text part: its base64 is
	// left out as it is read, the text is reached, nothing is cut.
	out, errOut, code = call(t, hostile.AttachmentFirst(9<<20), nil, "explain", "--json")
	if code != 0 || !strings.Contains(out, "5.1.1") || errOut != "" {
		t.Errorf("attachment first: exit %d, stderr %q, stdout %.200s", code, errOut, out)
	}
}

// TestReadInput checks the bound, the size of a regular file, and that a
// cut never splits a character.
func TestReadInput(t *testing.T) {
	text, cut, err := readInput(strings.NewReader("550 ก"), 5)
	if err != nil || text != "550 " || cut != (handlers.Cut{Read: 4, Total: 7}) {
		t.Errorf("split Thai letter: %q %+v %v", text, cut, err)
	}
	// 200 KB of base64 lines, then a code: the run past its first 64 KB
	// is left out, the limit counts what is kept, and nothing is cut.
	b64 := strings.Repeat(strings.Repeat("QUJD", 19)+"\n", 200<<10/77)
	text, cut, err = readInput(strings.NewReader(b64+"550 5.1.1 user unknown\n"), 100<<10)
	if err != nil || !strings.HasSuffix(text, "550 5.1.1 user unknown\n") || len(text) > 70<<10 || cut.Cut() {
		t.Errorf("base64 first: %d bytes kept, ending %q, %+v %v", len(text), text[max(0, len(text)-30):], cut, err)
	}
	text, cut, err = readInput(strings.NewReader("550 5.1.1"), 100)
	if err != nil || text != "550 5.1.1" || cut.Cut() {
		t.Errorf("short input: %q %+v %v", text, cut, err)
	}
	path := filepath.Join(t.TempDir(), "bounce.eml")
	if err := os.WriteFile(path, []byte(strings.Repeat("ก", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	text, cut, err = readInput(f, 100)
	if err != nil || !utf8.ValidString(text) || len(text) != 99 || cut != (handlers.Cut{Read: 99, Total: 3000}) {
		t.Errorf("file: %d bytes %+v %v", len(text), cut, err)
	}
}
