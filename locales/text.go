package locales

import "strings"

// T returns the label or template under key, with its blanks filled from
// pairs of name and value: T("compare.title", "a", "214", "b", "556").
// A key the language lacks is taken from the fallback language, and a key no
// language has comes back as itself, so a gap shows instead of vanishing;
// the package's tests make sure neither happens in a release.
func (l *Lang) T(key string, pairs ...string) string {
	s, ok := l.Lookup(key)
	if !ok {
		// A copy, so that key never outlives the call: callers build
		// keys such as "actor."+party, which then stay on their stack
		// instead of costing an allocation per label.
		s = strings.Clone(key)
	}
	if len(pairs) == 0 || !strings.Contains(s, "{") {
		return s
	}
	return fill(s, pairs)
}

// Lookup returns the label under key as T does, but reports a key no
// language has instead of returning it: for the optional labels, such as
// an action's words after a 4xx.
func (l *Lang) Lookup(key string) (string, bool) {
	s, ok := l.label(key)
	if !ok && l.fallback != nil {
		s, ok = l.fallback.label(key)
	}
	return s, ok
}

// Code returns the texts of the code registered under key ("550", "X.1.1"),
// from the fallback language when this one lacks them.
func (l *Lang) Code(key string) (CodeText, bool) {
	t, ok := l.codeTexts(key)[key]
	if !ok && l.fallback != nil {
		t, ok = l.fallback.codeTexts(key)[key]
	}
	return t, ok
}

// Provider returns a provider's meaning of a code, keyed "gmail/5.7.26",
// from the fallback language when this one lacks it.
func (l *Lang) Provider(key string) (ProviderText, bool) {
	t, ok := l.providers()[key]
	if !ok && l.fallback != nil {
		t, ok = l.fallback.providers()[key]
	}
	return t, ok
}

// Contrast returns the hand-written note on how codes a and b ("550",
// "5.1.1") differ, for the pairs people often confuse, in either order; from
// the fallback language when this one lacks it.
func (l *Lang) Contrast(a, b string) (string, bool) {
	k := pairKey(a, b)
	s, ok := l.contrasts()[k]
	if !ok && l.fallback != nil {
		s, ok = l.fallback.contrasts()[k]
	}
	return s, ok
}

// fill replaces each {name} in s by its value in pairs; a blank with no value
// is left as it is.
func fill(s string, pairs []string) string {
	var b strings.Builder
	b.Grow(len(s) + 32)
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if v, ok := lookupPair(pairs, s[i+1:i+j]); ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func lookupPair(pairs []string, name string) (string, bool) {
	for k := 0; k+1 < len(pairs); k += 2 {
		if pairs[k] == name {
			return pairs[k+1], true
		}
	}
	return "", false
}
