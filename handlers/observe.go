package handlers

import "time"

// Phases of answering a request, for Observer.
const (
	// PhaseExtract is reading a pasted text: finding its codes
	// (extract.Extract) and looking up what was found. A channel message
	// is read whether or not it is then answered.
	PhaseExtract = "extract"
	// PhaseRender is turning codes or a report into the reply's blocks,
	// with the lookups of codes named in a command or carried by a button.
	PhaseRender = "render"
)

// Observer is told how long the phases of answering a request took, for
// metrics. It must be cheap and safe for concurrent use. source is the
// request's Source and phase one of the Phase constants: fixed words,
// never user text, a channel or an address.
type Observer interface {
	Phase(source, phase string, d time.Duration)
}

type nopObserver struct{}

func (nopObserver) Phase(string, string, time.Duration) {}

// phase tells the observer that a phase of a request from source ran
// since start, and returns the time now, for the next phase to start from.
func (rt *Router) phase(source Source, phase string, start time.Time) time.Time {
	now := time.Now()
	rt.opts.Observer.Phase(string(source), phase, now.Sub(start))
	return now
}
