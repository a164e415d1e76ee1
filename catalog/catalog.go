package catalog

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

//go:embed data
var dataFS embed.FS

// subjectDetail is the class-free key of an enhanced code, comparable and
// free to build, so lookups do not allocate.
type subjectDetail struct{ subject, detail uint16 }

// Catalog is the set of registered codes. It is read-only once loaded and
// safe for concurrent use.
type Catalog struct {
	replies  [600]*Entry
	enhanced map[subjectDetail]*Entry
	byKey    map[string]*Entry
	ordered  []*Entry // replies by number, then enhanced codes by subject and detail

	// Providers and blocklists are read on first use (provider_load.go).
	provOnce   sync.Once
	provErr    error
	providers  []*Provider
	blocklists []*Blocklist
	marks      *markIndex // every provider and blocklist mark, for Detect

	// Reasons are read on first use too (reason_load.go).
	reasonsOnce sync.Once
	reasonsErr  error
	reasons     *reasonData

	// Facets are read on first use: only comparisons need them.
	facetsOnce     sync.Once
	facetsErr      error
	replyFacets    map[Reply]Facets
	subjectFacets  [8]Facets // by subject digit, the defaults of enhanced codes
	enhancedFacets map[subjectDetail]Facets
}

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
	defaultErr     error
)

// Default returns the catalog built from the embedded data. The data is
// checked by the package's tests, so an error here means a broken build.
func Default() (*Catalog, error) {
	defaultOnce.Do(func() { defaultCatalog, defaultErr = Load() })
	return defaultCatalog, defaultErr
}

// Load parses the embedded data files.
func Load() (*Catalog, error) {
	c := &Catalog{enhanced: map[subjectDetail]*Entry{}, byKey: map[string]*Entry{},
		replyFacets: map[Reply]Facets{}, enhancedFacets: map[subjectDetail]Facets{}}
	replies, err := readEntryFile("data/replies.json")
	if err != nil {
		return nil, err
	}
	enhanced, err := readEntryFile("data/enhanced.json")
	if err != nil {
		return nil, err
	}
	for _, e := range replies {
		r, err := ParseReply(e.Key)
		if err != nil {
			return nil, fmt.Errorf("catalog: data/replies.json: %w", err)
		}
		if c.replies[r] != nil {
			return nil, fmt.Errorf("catalog: data/replies.json: %s listed twice", e.Key)
		}
		e.Kind = KindReply
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("catalog: data/replies.json: %w", err)
		}
		c.replies[r] = e
		c.byKey[e.Key] = e
		c.ordered = append(c.ordered, e)
	}
	for _, e := range enhanced {
		en, err := ParseEnhanced("2" + e.Key[min(1, len(e.Key)):])
		if err != nil || len(e.Key) < 2 || e.Key[0] != 'X' {
			return nil, fmt.Errorf("catalog: data/enhanced.json: %q is not of the form X.s.d", e.Key)
		}
		k := subjectDetail{en.Subject, en.Detail}
		if c.enhanced[k] != nil {
			return nil, fmt.Errorf("catalog: data/enhanced.json: %s listed twice", e.Key)
		}
		e.Kind = KindEnhanced
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("catalog: data/enhanced.json: %w", err)
		}
		c.enhanced[k] = e
		c.byKey[e.Key] = e
		c.ordered = append(c.ordered, e)
	}
	return c, nil
}

// check validates an entry's facts and derives its actor from the steps of
// its fix in its most severe class.
func (e *Entry) check() error {
	if e.Kind == KindReply {
		e.replyFacts = &Facts{Steps: e.Steps, Retry: e.Retry}
	}
	used := e.UsedIn()
	if len(used) == 0 {
		return fmt.Errorf("%s: no class lists its facts", e.Key)
	}
	if e.Kind == KindEnhanced {
		for k := range e.Classes {
			if k != "2" && k != "4" && k != "5" {
				return fmt.Errorf("%s: %q is not a class of enhanced codes", e.Key, k)
			}
		}
	}
	for _, c := range used {
		f, _ := e.In(c)
		if len(f.Steps) == 0 {
			return fmt.Errorf("%s: class %d has no steps", e.Key, c)
		}
		for _, a := range f.Steps {
			if !slices.Contains(Actors, a) {
				return fmt.Errorf("%s: step party %q is not one of %q", e.Key, a, Actors)
			}
		}
		if f.Retry != "" && !slices.Contains(Retries, f.Retry) {
			return fmt.Errorf("%s: retry %q is not one of %q", e.Key, f.Retry, Retries)
		}
		f.actors = actorsOfSteps(f.Steps)
	}
	f, _ := e.In(used[len(used)-1])
	e.Actor = f.Actors()[0]
	return nil
}

// readEntryFile decodes a file of entries, without reflection when it can
// (entry_read.go).
func readEntryFile(name string) ([]*Entry, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if entries, ok := readEntries(b); ok {
		return entries, nil
	}
	var entries []*Entry
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", name, err)
	}
	return entries, nil
}

func readJSON(name string, v any) error {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("catalog: %s: %w", name, err)
	}
	return nil
}

// Reply returns the entry of a registered reply code.
func (c *Catalog) Reply(r Reply) (*Entry, bool) {
	if int(r) >= len(c.replies) {
		return nil, false
	}
	e := c.replies[r]
	return e, e != nil
}

// Enhanced returns the entry of a registered enhanced code, whatever its
// class.
func (c *Catalog) Enhanced(en Enhanced) (*Entry, bool) {
	e, ok := c.enhanced[subjectDetail{en.Subject, en.Detail}]
	return e, ok
}

// ByKey returns the entry registered under "550" or "X.1.1".
func (c *Catalog) ByKey(key string) (*Entry, bool) {
	e, ok := c.byKey[key]
	return e, ok
}

// Entries returns every entry: reply codes in numeric order, then enhanced
// codes by subject and detail. The slice must not be modified.
func (c *Catalog) Entries() []*Entry { return c.ordered }
