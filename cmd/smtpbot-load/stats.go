package main

import (
	"math"
	"slices"
	"time"
)

// Summary is the envelope of a set of durations, in milliseconds.
type Summary struct {
	N      int     `json:"n"`
	Median float64 `json:"median_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. It returns 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// summarize sorts ds in place and returns its median, p99 and maximum.
func summarize(ds []time.Duration) Summary {
	slices.Sort(ds)
	s := Summary{N: len(ds)}
	if len(ds) == 0 {
		return s
	}
	s.Median = ms(percentile(ds, 50))
	s.P99 = ms(percentile(ds, 99))
	s.Max = ms(ds[len(ds)-1])
	return s
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// OrderResult says whether replies came in the order their requests were
// sent.
type OrderResult struct {
	// Checked is how many replies were compared; replies to keys that were
	// not sent, and repeated replies, are left out (they are counted as
	// unexpected elsewhere).
	Checked int `json:"checked"`
	// OutOfOrder counts replies that came after a reply to a later request.
	OutOfOrder int `json:"out_of_order"`
	// First is the key of the first reply out of order, "" when none.
	First string `json:"first,omitempty"`
}

// checkOrder compares the order of replies (their keys, in the order the
// replies arrived) with the order the requests were sent (their keys).
// Keys that get no reply are skipped: losses are counted elsewhere.
func checkOrder(sent, replies []string) OrderResult {
	pos := make(map[string]int, len(sent))
	for i, k := range sent {
		if _, dup := pos[k]; !dup {
			pos[k] = i
		}
	}
	var r OrderResult
	seen := make(map[string]bool, len(replies))
	last := -1
	for _, k := range replies {
		i, ok := pos[k]
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		r.Checked++
		if i < last {
			r.OutOfOrder++
			if r.First == "" {
				r.First = k
			}
			continue
		}
		last = i
	}
	return r
}

// attempt is one call of a reply to Slack: the reply's key (channel and
// thread), when the fake received it, and whether it got a 429.
type attempt struct {
	key     string
	at      time.Time
	limited bool
}

// RetryResult says how the bot behaved after each 429.
type RetryResult struct {
	// Served is how many 429s the fake answered.
	Served int `json:"served"`
	// Retries is how many of them were followed by another attempt of the
	// same reply.
	Retries int `json:"retries"`
	// Early counts retries sent before Retry-After had passed.
	Early int `json:"early"`
	// MinWait is the shortest time from a 429 to the retry, in ms.
	MinWaitMS float64 `json:"min_wait_ms"`
	// Replies is how many replies got at least one 429, and Delivered how
	// many of those were answered in the end.
	Replies   int `json:"replies"`
	Delivered int `json:"delivered"`
}

// Honoured reports whether every 429 was followed by a retry no earlier
// than Retry-After, and every rate-limited reply arrived.
func (r RetryResult) Honoured() bool {
	return r.Retries == r.Served && r.Early == 0 && r.Delivered == r.Replies
}

// checkRetries follows every reply that got a 429 through its attempts:
// each 429 must be followed by another attempt of the same reply at least
// retryAfter later, and the last attempt must succeed.
func checkRetries(attempts []attempt, retryAfter time.Duration) RetryResult {
	byKey := map[string][]attempt{}
	var keys []string
	for _, a := range attempts {
		if _, ok := byKey[a.key]; !ok {
			keys = append(keys, a.key)
		}
		byKey[a.key] = append(byKey[a.key], a)
	}
	var r RetryResult
	minWait := time.Duration(-1)
	for _, k := range keys {
		as := byKey[k]
		slices.SortStableFunc(as, func(a, b attempt) int { return a.at.Compare(b.at) })
		limited, delivered := false, false
		for i, a := range as {
			if !a.limited {
				delivered = true
				continue
			}
			limited = true
			r.Served++
			if i+1 == len(as) {
				continue
			}
			r.Retries++
			wait := as[i+1].at.Sub(a.at)
			if wait < retryAfter {
				r.Early++
			}
			if minWait < 0 || wait < minWait {
				minWait = wait
			}
		}
		if limited {
			r.Replies++
			if delivered {
				r.Delivered++
			}
		}
	}
	if minWait >= 0 {
		r.MinWaitMS = ms(minWait)
	}
	return r
}
