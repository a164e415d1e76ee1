package locales

import (
	"github.com/smtpcodes/smtpbot/internal/jsonread"
)

// readFast decodes data into v, a pointer to a nil map of one of the
// shapes of the language files, without reflection, and reports whether it
// did. It does not when data has another shape or is not JSON;
// encoding/json then decodes it, so the result is the same either way (see
// package jsonread and the tests). The strings read share data's memory:
// data must not change afterwards.
func readFast(data []byte, v any) bool {
	r := jsonread.NewReaderBytes(data)
	switch p := v.(type) {
	case *map[string]string:
		if *p != nil {
			return false
		}
		m := r.StringMap()
		if r.End() != nil {
			return false
		}
		*p = m
	case *map[string]CodeText:
		if *p != nil {
			return false
		}
		m := map[string]CodeText{}
		r.Object(func(key string) { m[key] = readCodeText(r) })
		if r.End() != nil {
			return false
		}
		*p = m
	case *map[string]ProviderText:
		if *p != nil {
			return false
		}
		m := map[string]ProviderText{}
		r.Object(func(key string) { m[key] = readProviderText(r) })
		if r.End() != nil {
			return false
		}
		*p = m
	default:
		return false
	}
	return true
}

// readCodeText reads one code's texts. A field given twice, or one CodeText
// does not have, gives up, as does any JSON encoding/json would read
// differently.
func readCodeText(r *jsonread.Reader) CodeText {
	var t CodeText
	var seen [5]bool
	once := func(i int) {
		if seen[i] {
			r.Fail()
		}
		seen[i] = true
	}
	r.Object(func(key string) {
		switch key {
		case "title":
			once(0)
			t.Title = r.String()
		case "meaning":
			once(1)
			t.Meaning = r.String()
		case "when":
			once(2)
			t.When = r.String()
		case "fix":
			once(3)
			if r.Peek() == '"' {
				t.Fix = Steps{r.String()}
			} else {
				t.Fix = r.Strings()
			}
		case "classes":
			once(4)
			t.Classes = map[string]CodeText{}
			r.Object(func(class string) { t.Classes[class] = readCodeText(r) })
		default:
			r.Fail()
		}
	})
	return t
}

// readProviderText reads a provider's meaning of a code.
func readProviderText(r *jsonread.Reader) ProviderText {
	var t ProviderText
	var seen [3]bool
	field := func(i int, s *string) {
		if seen[i] {
			r.Fail()
		}
		seen[i] = true
		*s = r.String()
	}
	r.Object(func(key string) {
		switch key {
		case "title":
			field(0, &t.Title)
		case "meaning":
			field(1, &t.Meaning)
		case "fix":
			field(2, &t.Fix)
		default:
			r.Fail()
		}
	})
	return t
}
