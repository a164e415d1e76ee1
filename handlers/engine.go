package handlers

import (
	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Engine explains and compares codes in any language. It is built once at
// start-up and is safe for concurrent use.
type Engine struct {
	cat   *catalog.Catalog
	langs *locales.Bundle
	// search is built on the first search by meaning, so that runs that
	// never search (most command lines) do not pay for it.
	search lazyIndex
}

// NewEngine returns an engine over a catalog and a set of languages.
func NewEngine(cat *catalog.Catalog, langs *locales.Bundle) *Engine {
	return &Engine{cat: cat, langs: langs}
}

// LoadEngine builds an engine over the embedded catalog and languages.
func LoadEngine() (*Engine, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	langs, err := locales.Load()
	if err != nil {
		return nil, err
	}
	return NewEngine(cat, langs), nil
}

// Catalog returns the engine's catalog.
func (e *Engine) Catalog() *catalog.Catalog { return e.cat }

// Languages returns the engine's languages.
func (e *Engine) Languages() *locales.Bundle { return e.langs }
