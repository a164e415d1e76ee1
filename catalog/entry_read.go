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

func readEntry(r *jsonread.Reader) *Entry {
	e := &Entry{}
	s := jsonread.NewFields(r)
	r.Object(func(key string) {
		switch key {
		case "code":
			s.Once(0)
			e.Key = r.String()
		case "title":
			s.Once(1)
			e.Title = r.String()
		case "refs":
			s.Once(2)
			e.Refs = []Ref{}
			r.Array(func() { e.Refs = append(e.Refs, readRef(r)) })
		case "steps":
			s.Once(3)
			e.Steps = readActors(r)
		case "retry":
			s.Once(4)
			e.Retry = Retry(r.String())
		case "classes":
			s.Once(5)
			e.Classes = map[string]*Facts{}
			r.Object(func(class string) { e.Classes[class] = readFacts(r) })
		case "replies":
			s.Once(6)
			e.Replies = r.Strings()
		case "enhanced":
			s.Once(7)
			e.Enhanced = r.Strings()
		case "related":
			s.Once(8)
			e.Related = r.Strings()
		case "deprecated_by":
			s.Once(9)
			e.DeprecatedBy = r.String()
		case "no_message":
			s.Once(10)
			e.NoMessage = r.Bool()
		default:
			r.Fail()
		}
	})
	return e
}

func readRef(r *jsonread.Reader) Ref {
	var ref Ref
	s := jsonread.NewFields(r)
	r.Object(func(key string) {
		switch key {
		case "rfc":
			s.Once(0)
			ref.RFC = r.Int()
		case "draft":
			s.Once(1)
			ref.Draft = r.String()
		case "section":
			s.Once(2)
			ref.Section = r.String()
		case "with":
			s.Once(3)
			ref.With = r.Strings()
		default:
			r.Fail()
		}
	})
	return ref
}

func readFacts(r *jsonread.Reader) *Facts {
	f := &Facts{}
	s := jsonread.NewFields(r)
	r.Object(func(key string) {
		switch key {
		case "steps":
			s.Once(0)
			f.Steps = readActors(r)
		case "retry":
			s.Once(1)
			f.Retry = Retry(r.String())
		case "soft":
			s.Once(2)
			f.Soft = r.Bool()
		case "no_message":
			s.Once(3)
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
