package catalog

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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
	// The entries are read on first use, each file on its own: explaining
	// 550 reads no enhanced code, and 5.1.1 no reply code.
	replies  entryFile[[600]*Entry]
	enhanced entryFile[map[subjectDetail]*Entry]

	orderedOnce sync.Once
	ordered     []*Entry // replies by number, then enhanced codes by subject and detail

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
	// classFacets are the facets of an enhanced code in one class, where
	// practice gives it another use (Microsoft's 5.4.1 at RCPT TO).
	classFacets map[Enhanced]Facets
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

// Load returns the catalog of the embedded data files. Each file is read
// on first use; an error reading one leaves its codes unregistered. The
// package's tests check every file loads.
func Load() (*Catalog, error) {
	return &Catalog{replyFacets: map[Reply]Facets{}, enhancedFacets: map[subjectDetail]Facets{},
		classFacets: map[Enhanced]Facets{}}, nil
}

// entryFile is one file of entries, read on first use: index finds an
// entry by its code, byKey by its key, list keeps the file's order.
type entryFile[T any] struct {
	once  sync.Once
	err   error
	index T
	byKey map[string]*Entry
	list  []*Entry
}

// replyFile reads replies.json the first time.
func (c *Catalog) replyFile() *entryFile[[600]*Entry] {
	f := &c.replies
	f.once.Do(func() {
		f.load("data/replies.json", KindReply, func(e *Entry) (bool, func(), error) {
			r, err := ParseReply(e.Key)
			if err != nil {
				return false, nil, err
			}
			return f.index[r] != nil, func() { f.index[r] = e }, nil
		})
	})
	return f
}

// enhancedFile reads enhanced.json the first time.
func (c *Catalog) enhancedFile() *entryFile[map[subjectDetail]*Entry] {
	f := &c.enhanced
	f.once.Do(func() {
		f.index = map[subjectDetail]*Entry{}
		f.load("data/enhanced.json", KindEnhanced, func(e *Entry) (bool, func(), error) {
			en, err := ParseEnhanced("2" + e.Key[min(1, len(e.Key)):])
			if err != nil || len(e.Key) < 2 || e.Key[0] != 'X' {
				return false, nil, fmt.Errorf("%q is not of the form X.s.d", e.Key)
			}
			k := subjectDetail{en.Subject, en.Detail}
			return f.index[k] != nil, func() { f.index[k] = e }, nil
		})
	})
	return f
}

// load reads the file at name, registering each entry as kind where slot
// says (whether the code is taken already, and how to index it); after an
// error the file registers no code.
func (f *entryFile[T]) load(name string, kind Kind, slot func(*Entry) (taken bool, put func(), err error)) {
	if f.err = f.read(name, kind, slot); f.err != nil {
		var zero T
		f.index, f.byKey, f.list = zero, nil, nil
	}
}

func (f *entryFile[T]) read(name string, kind Kind, slot func(*Entry) (bool, func(), error)) error {
	entries, err := readEntryFile(name)
	if err != nil {
		return err
	}
	f.byKey = make(map[string]*Entry, len(entries))
	f.list = entries
	for _, e := range entries {
		taken, put, err := slot(e)
		if err != nil {
			return fmt.Errorf("catalog: %s: %w", name, err)
		}
		if taken {
			return fmt.Errorf("catalog: %s: %s listed twice", name, e.Key)
		}
		e.Kind = kind
		if err := e.check(); err != nil {
			return fmt.Errorf("catalog: %s: %w", name, err)
		}
		put()
		f.byKey[e.Key] = e
	}
	return nil
}

// ensureEntries reads both files of entries and returns the first error.
func (c *Catalog) ensureEntries() error {
	if err := c.replyFile().err; err != nil {
		return err
	}
	return c.enhancedFile().err
}

// check validates an entry's facts and derives its actor from the steps of
// its fix in its most severe class.
func (e *Entry) check() error {
	if e.Kind == KindReply {
		e.replyFacts = e.newReplyFacts()
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
		if f.NoMessage && c != ClassTransientNegative {
			// Severity "command" is shown as a temporary refusal.
			return fmt.Errorf("%s: only a 4xx refusal can say no message bounced, not class %d", e.Key, c)
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
	if int(r) >= len(c.replies.index) {
		return nil, false
	}
	e := c.replyFile().index[r]
	return e, e != nil
}

// Enhanced returns the entry of a registered enhanced code, whatever its
// class.
func (c *Catalog) Enhanced(en Enhanced) (*Entry, bool) {
	e, ok := c.enhancedFile().index[subjectDetail{en.Subject, en.Detail}]
	return e, ok
}

// ByKey returns the entry registered under "550" or "X.1.1".
func (c *Catalog) ByKey(key string) (*Entry, bool) {
	var e *Entry
	if strings.HasPrefix(key, "X") {
		e = c.enhancedFile().byKey[key]
	} else {
		e = c.replyFile().byKey[key]
	}
	return e, e != nil
}

// Entries returns every entry: reply codes in numeric order, then enhanced
// codes by subject and detail. The slice must not be modified.
func (c *Catalog) Entries() []*Entry {
	c.orderedOnce.Do(func() {
		replies, enhanced := c.replyFile().list, c.enhancedFile().list
		c.ordered = append(slices.Clip(replies), enhanced...)
	})
	return c.ordered
}
