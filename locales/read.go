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
		return *p == nil && end(r, r.StringMap(), p)
	case *map[string]CodeText:
		return *p == nil && end(r, readMap(r, readCodeText), p)
	case *map[string]ProviderText:
		return *p == nil && end(r, readMap(r, readProviderText), p)
	}
	return false
}

// readMap reads an object whose members read reads.
func readMap[T any](r *jsonread.Reader, read func(*jsonread.Reader) T) map[string]T {
	m := map[string]T{}
	r.Object(func(key string) { m[key] = read(r) })
	return m
}

// end stores m in p when r read all of its data as encoding/json would.
func end[T any](r *jsonread.Reader, m map[string]T, p *map[string]T) bool {
	if r.End() != nil {
		return false
	}
	*p = m
	return true
}

// readCodeText reads one code's texts. A field given twice, or one CodeText
// does not have, gives up, as does any JSON encoding/json would read
// differently.
func readCodeText(r *jsonread.Reader) CodeText {
	var t CodeText
	f := jsonread.NewFields(r)
	r.Object(func(key string) {
		switch key {
		case "title":
			f.Once(0)
			t.Title = r.String()
		case "meaning":
			f.Once(1)
			t.Meaning = r.String()
		case "when":
			f.Once(2)
			t.When = r.String()
		case "fix":
			f.Once(3)
			if r.Peek() == '"' {
				t.Fix = Steps{r.String()}
			} else {
				t.Fix = r.Strings()
			}
		case "classes":
			f.Once(4)
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
	f := jsonread.NewFields(r)
	field := func(i int, s *string) {
		f.Once(i)
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
