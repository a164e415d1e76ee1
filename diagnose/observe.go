package diagnose

import (
	"context"
	"errors"
	"time"
)

// Observer is told what a Diagnoser does, for metrics. Its methods must be
// cheap and safe for concurrent use. Its arguments are fixed words, never a
// domain or an address.
type Observer interface {
	// Lookup counts one DNS lookup made for a check (CheckMX, CheckSPF,
	// ...), by outcome: "ok" (records found), "nodata", "nxdomain",
	// "cached" (answered from the cache), "joined" (answered by the same
	// query already on its way for another lookup, whatever it found),
	// "timeout" or "error".
	Lookup(check, outcome string)
	// Diagnosed records the time of one whole diagnosis.
	Diagnosed(d time.Duration)
}

type checkKey struct{}

// withCheck tags the lookups made under ctx with the check they serve.
func withCheck(ctx context.Context, check string) context.Context {
	return context.WithValue(ctx, checkKey{}, check)
}

// observe tells the observer, if any, of one lookup's outcome.
func (c *counter) observe(ctx context.Context, outcome string) {
	if c == nil || c.obs == nil {
		return
	}
	check, _ := ctx.Value(checkKey{}).(string)
	if check == "" {
		check = "other"
	}
	c.obs.Lookup(check, outcome)
}

// lookupOutcome names what a lookup sent on the network found.
func lookupOutcome(a answer, err error) string {
	var le *LookupError
	switch {
	case errors.As(err, &le) && le.Timeout:
		return "timeout"
	case err != nil:
		return "error"
	case a.nxdomain:
		return "nxdomain"
	case len(a.rrs) == 0:
		return "nodata"
	}
	return "ok"
}
