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
// read the first 1 MB of 9.5 MB." It is "" when nothing was cut. What was
// read is rounded down and the whole up (down for "more than"), so that the
// two never read the same when something was cut.
func CutNote(lang *locales.Lang, c Cut) string {
	if !c.Cut() {
		return ""
	}
	key := "input.cut"
	if c.AtLeast {
		key = "input.cut_more"
	}
	dec := lang.T("number.decimal")
	return lang.T(key, "read", formatSize(c.Read, dec, false), "total", formatSize(c.Total, dec, !c.AtLeast))
}

// formatSize writes a byte count in one unit per size, the way people say
// it: from 1 MB up in MB with one decimal where it is not whole ("1 MB",
// "9.5 MB", "50 MB"), below that in whole KB ("300 KB"), below 1 KB in
// bytes. dec is the language's decimal separator ("." or ","); up rounds
// up rather than down.
func formatSize(n int64, dec string, up bool) string {
	const kb, mb = 1 << 10, 1 << 20
	round := func(n, unit int64) int64 {
		if up {
			return (n + unit - 1) / unit
		}
		return n / unit
	}
	if n < kb {
		return strconv.FormatInt(n, 10) + " B"
	}
	if k := round(n, kb); n < mb && k < 1024 {
		return strconv.FormatInt(k, 10) + " KB"
	}
	tenths := round(n*10, mb)
	if tenths%10 == 0 {
		return strconv.FormatInt(tenths/10, 10) + " MB"
	}
	return strconv.FormatInt(tenths/10, 10) + dec + strconv.FormatInt(tenths%10, 10) + " MB"
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
