package diagnose

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var keyShape = regexp.MustCompile(`^(lookup|mx|null_mx|a|spf|dmarc|dkim|ptr|fcrdns|dnsbl|mta_sts|tls_rpt|summary)\.[a-z_]+$`)

// TestMessageKeysListed fails when the code uses a message key that
// MessageKeys does not list (so no renderer test would check its texts),
// or lists one the code no longer uses.
func TestMessageKeysListed(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "messages.go" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && keyShape.MatchString(s) {
					used[s] = true
				}
			}
			return true
		})
	}
	listed := map[string]bool{}
	for _, k := range MessageKeys {
		listed[k] = true
		if !used[k] {
			t.Errorf("MessageKeys lists %s, which the code never uses", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(used)) {
		if !listed[k] {
			t.Errorf("the code uses %s, which MessageKeys does not list", k)
		}
	}
}
