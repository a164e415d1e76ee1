package catalog

import (
	"github.com/smtpcodes/smtpbot/internal/jsonread"
)

// readEntries decodes replies.json or enhanced.json without reflection, as
// every run of the command line does, and reports whether it could: on
// any JSON it does not read as encoding/json would (null, an unknown key, a
// key twice) it gives up, and the caller decodes with encoding/json.
// The strings read share data's memory: data must not change afterwards.
func readEntries(data []byte) ([]*Entry, bool) {
	r := jsonread.NewReaderBytes(data)
	out := []*Entry{}
	r.Array(func() { out = append(out, readEntry(r)) })
	if r.End() != nil {
		return nil, false
	}
	return out, true
}

// seenFields fails the reader when a field comes twice: encoding/json would
// keep the last, or merge two maps.
type seenFields struct {
	r    *jsonread.Reader
	seen uint16
}

func (s *seenFields) once(i int) {
	if s.seen&(1<<i) != 0 {
		s.r.Fail()
	}
	s.seen |= 1 << i
}

func readEntry(r *jsonread.Reader) *Entry {
	e := &Entry{}
	s := seenFields{r: r}
	r.Object(func(key string) {
		switch key {
		case "code":
			s.once(0)
			e.Key = r.String()
		case "title":
			s.once(1)
			e.Title = r.String()
		case "refs":
			s.once(2)
			e.Refs = []Ref{}
			r.Array(func() { e.Refs = append(e.Refs, readRef(r)) })
		case "steps":
			s.once(3)
			e.Steps = readActors(r)
		case "retry":
			s.once(4)
			e.Retry = Retry(r.String())
		case "classes":
			s.once(5)
			e.Classes = map[string]*Facts{}
			r.Object(func(class string) { e.Classes[class] = readFacts(r) })
		case "replies":
			s.once(6)
			e.Replies = r.Strings()
		case "enhanced":
			s.once(7)
			e.Enhanced = r.Strings()
		case "related":
			s.once(8)
			e.Related = r.Strings()
		case "deprecated_by":
			s.once(9)
			e.DeprecatedBy = r.String()
		case "no_message":
			s.once(10)
			e.NoMessage = r.Bool()
		default:
			r.Fail()
		}
	})
	return e
}

func readRef(r *jsonread.Reader) Ref {
	var ref Ref
	s := seenFields{r: r}
	r.Object(func(key string) {
		switch key {
		case "rfc":
			s.once(0)
			ref.RFC = r.Int()
		case "draft":
			s.once(1)
			ref.Draft = r.String()
		case "section":
			s.once(2)
			ref.Section = r.String()
		case "with":
			s.once(3)
			ref.With = r.Strings()
		default:
			r.Fail()
		}
	})
	return ref
}

func readFacts(r *jsonread.Reader) *Facts {
	f := &Facts{}
	s := seenFields{r: r}
	r.Object(func(key string) {
		switch key {
		case "steps":
			s.once(0)
			f.Steps = readActors(r)
		case "retry":
			s.once(1)
			f.Retry = Retry(r.String())
		case "soft":
			s.once(2)
			f.Soft = r.Bool()
		case "no_message":
			s.once(3)
			f.NoMessage = r.Bool()
		default:
			r.Fail()
		}
	})
	return f
}

func readActors(r *jsonread.Reader) []Actor {
	out := []Actor{}
	r.Array(func() { out = append(out, Actor(r.String())) })
	return out
}
