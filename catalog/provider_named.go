package catalog

import "strings"

// maxNamedText bounds what ProviderNamed reads: a question is short.
const maxNamedText = 1000

// ProviderNamed returns the provider a person's words name ("why am I
// getting 5.7.26 from gmail", "got this from outlook"), or nil when they name
// none or more than one. Names count as whole words, ignoring case. It is
// for what people type, not for pasted server texts: see Detect.
func (c *Catalog) ProviderNamed(words string) *Provider {
	if len(words) > maxNamedText {
		words = words[:maxNamedText]
	}
	if !hasASCIILetter(words) {
		// Every name has a letter a to z (the loader checks it), so "550"
		// or "5.1.1" names none: the providers are not read for it.
		return nil
	}
	lower := strings.ToLower(words)
	var found *Provider
	for _, p := range c.Providers() {
		for _, n := range p.Names {
			if !containsWord(lower, n) {
				continue
			}
			if found != nil && found != p {
				return nil // "gmail or outlook": not one provider
			}
			found = p
		}
	}
	return found
}

// containsWord reports whether word occurs in s with no letter or digit
// right before or after it.
func containsWord(s, word string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(word)
		if (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		off = i + 1
	}
}

// isWordByte is true for ASCII letters, digits and '_'. Other scripts'
// letters end a name: Thai writes "จากgmail" without a space.
func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// hasASCIILetter reports whether s holds a letter a to z, in either case.
func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i] | 0x20; b >= 'a' && b <= 'z' {
			return true
		}
	}
	return false
}
