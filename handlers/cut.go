package handlers

import (
	"context"
	"strconv"

	"github.com/smtpcodes/smtpbot/locales"
)

// Cut says that only the first Read bytes of an input of Total bytes were
// read: a paste, its files or stdin longer than the size limit. Extraction
// is linear, but a bound on what is read at all keeps memory and a worker's
// time bounded too.
type Cut struct {
	Read, Total int64
	// AtLeast says the input went on past Total: a stream that was
	// counted only so far.
	AtLeast bool
}

// Cut reports whether part of the input was left unread.
func (c Cut) Cut() bool { return c.Total > c.Read }

// CutNote says, in lang, how much of a long input was read: "Long input: I
// read the first 1 MB of 50 MB." It is "" when nothing was cut.
func CutNote(lang *locales.Lang, c Cut) string {
	if !c.Cut() {
		return ""
	}
	key := "input.cut"
	if c.AtLeast {
		key = "input.cut_more"
	}
	return lang.T(key, "read", formatSize(c.Read), "total", formatSize(c.Total))
}

// formatSize writes a byte count the way people say it: "1 MB", "50 MB",
// "300 KB", "1536 KB". Whole numbers only, so no language needs its own
// decimal separator; MB only when the count is a whole number of MB or at
// least 10 MB, where a rounding error no longer matters.
func formatSize(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	switch {
	case n >= 10*mb || (n >= mb && n%mb == 0):
		return strconv.FormatInt((n+mb/2)/mb, 10) + " MB"
	case n >= kb:
		return strconv.FormatInt((n+kb/2)/kb, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// noteCut adds the note on a cut input under every reply that shows the
// user something; a silent request stays silent.
func (rt *Router) noteCut(ctx context.Context, req Request, replies []Reply) []Reply {
	if !req.Cut.Cut() || len(replies) == 0 {
		return replies
	}
	note := CutNote(rt.language(ctx, req, ""), req.Cut)
	for i := range replies {
		r := &replies[i]
		if r.Delivery == DeliverHome || len(r.Blocks) == 0 || len(r.Blocks) >= maxBlocks {
			continue
		}
		r.Blocks = append(r.Blocks, contextText(escape(note)))
	}
	return replies
}
