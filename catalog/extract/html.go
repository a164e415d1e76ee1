package extract

import (
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// stripHTML turns an HTML part into text good enough to scan: tags go, block
// tags become line breaks (so a reply at the start of a paragraph is at the
// start of a line), the entities bounces use are decoded, and style and
// script bodies are dropped.
func stripHTML(s string) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			tag := s[i+1 : i+end]
			i += end + 1
			name := tagName(tag)
			if tag != "" && tag[0] != '/' && (equalFold(name, "style") || equalFold(name, "script")) {
				// Skip to the closing tag; without one, the rest is
				// style or script.
				j := ascii.IndexFold(s[i:], "</"+strings.ToLower(name))
				if j < 0 {
					return b.String()
				}
				i += j
				continue
			}
			if blockTag(name) {
				b.WriteByte('\n')
			}
		case '&':
			r, n := entity(s[i:])
			b.WriteString(r)
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func tagName(tag string) string {
	tag = strings.TrimPrefix(tag, "/")
	e := 0
	for e < len(tag) && ascii.IsAlnum(tag[e]) {
		e++
	}
	return tag[:e]
}

func blockTag(name string) bool {
	switch strings.ToLower(name) {
	case "br", "p", "div", "tr", "td", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "hr", "ul", "ol":
		return true
	}
	return false
}

// entity decodes the entity at the start of s, returning it and its length.
func entity(s string) (string, int) {
	for _, e := range [...]struct{ name, text string }{
		{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", `"`}, {"&#39;", "'"},
		{"&apos;", "'"}, {"&nbsp;", " "}, {"&#160;", " "}, {"&#34;", `"`},
	} {
		if strings.HasPrefix(s, e.name) {
			return e.text, len(e.name)
		}
	}
	return "&", 1
}
