package extract

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// plainFieldName and plainContentStart are fieldName and contentStart as
// first written, a test of each class of byte in turn: the fast versions
// must agree with them on every line.
func plainFieldName(content string) (string, int, bool) {
	if content == "" || !ascii.IsAlpha(content[0]) {
		return "", 0, false
	}
	for i := 1; i < len(content) && i < 64; i++ {
		c := content[i]
		switch {
		case c == ':':
			v := i + 1
			for v < len(content) && isBlank(content[v]) {
				v++
			}
			return content[:i], v, true
		case ascii.IsAlnum(c) || c == '-' || c == '_':
		default:
			return "", 0, false
		}
	}
	return "", 0, false
}

func plainContentStart(line string) (indent, content int, command, serverLine bool) {
	for indent < len(line) && isBlank(line[indent]) {
		indent++
	}
	c := indent
	for c < len(line) && line[c] == '>' {
		if strings.HasPrefix(line[c:], ">>>") {
			return indent, c, true, false
		}
		c++
		for c < len(line) && isBlank(line[c]) {
			c++
		}
	}
	rest := line[c:]
	switch {
	case strings.HasPrefix(rest, "->"), strings.HasPrefix(rest, "~>"):
		return indent, c, true, false
	case strings.HasPrefix(rest, "<<<"), strings.HasPrefix(rest, "<-"), strings.HasPrefix(rest, "<~"), strings.HasPrefix(rest, "<**"):
		c++
		for c < len(line) && (line[c] == '<' || line[c] == '-' || line[c] == '~' || line[c] == '*') {
			c++
		}
		for c < len(line) && isBlank(line[c]) {
			c++
		}
		return indent, c, false, true
	}
	return indent, c, false, false
}

var lineStartSeeds = []string{
	"", "Status: 5.1.1", "X-Postfix-Queue-ID:  4F2A", "Status:", "a:", "9: no", "Diagnostic-Code smtp",
	strings.Repeat("a", 63) + ":", strings.Repeat("a", 64) + ":", "Re_ply-To:x",
	">>> RCPT TO:<a@example.com>", "> > 550 5.1.1", " -> RCPT TO:<a>", "~> DATA", "<<< 550 5.1.1 no",
	"<- 250 ok", "<~ 250 ok", "<** 550 no", "<* 550", "<< 550", "<", "-", "~", "  <-  250",
}

func TestLineStartAgrees(t *testing.T) {
	for _, s := range lineStartSeeds {
		checkLineStart(t, s)
	}
}

func FuzzLineStart(f *testing.F) {
	for _, s := range lineStartSeeds {
		f.Add(s)
	}
	f.Fuzz(checkLineStart)
}

func checkLineStart(t *testing.T, s string) {
	n1, v1, ok1 := fieldName(s)
	n2, v2, ok2 := plainFieldName(s)
	if n1 != n2 || v1 != v2 || ok1 != ok2 {
		t.Errorf("fieldName(%q) = %q, %d, %v; want %q, %d, %v", s, n1, v1, ok1, n2, v2, ok2)
	}
	i1, c1, cmd1, srv1 := contentStart(s)
	i2, c2, cmd2, srv2 := plainContentStart(s)
	if i1 != i2 || c1 != c2 || cmd1 != cmd2 || srv1 != srv2 {
		t.Errorf("contentStart(%q) = %d, %d, %v, %v; want %d, %d, %v, %v", s, i1, c1, cmd1, srv1, i2, c2, cmd2, srv2)
	}
}
