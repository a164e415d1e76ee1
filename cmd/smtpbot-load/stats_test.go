package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i + 1)
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", []time.Duration{7}, 99, 7},
		{"median of ten is the 5th", ten, 50, 5},
		{"p99 of ten is the largest", ten, 99, 10},
		{"p90 of ten is the 9th", ten, 90, 9},
		{"p99 of a hundred is the 99th", hundred, 99, 99},
		{"p100 is the largest", hundred, 100, 100},
		{"p1 of a hundred is the first", hundred, 1, 1},
		{"tiny p is the first", ten, 0.001, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	ds := []time.Duration{3 * time.Millisecond, time.Millisecond, 2 * time.Millisecond}
	got := summarize(ds)
	want := Summary{N: 3, Median: 2, P99: 3, Max: 3}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if got := summarize(nil); got != (Summary{}) {
		t.Errorf("summarize(nil) = %+v", got)
	}
}

func TestCheckOrder(t *testing.T) {
	for _, tc := range []struct {
		name          string
		sent, replies []string
		want          OrderResult
	}{
		{"in order", []string{"a", "b", "c"}, []string{"a", "b", "c"}, OrderResult{Checked: 3}},
		{"a loss is not disorder", []string{"a", "b", "c"}, []string{"a", "c"}, OrderResult{Checked: 2}},
		{"swapped", []string{"a", "b", "c"}, []string{"b", "a", "c"}, OrderResult{Checked: 3, OutOfOrder: 1, First: "a"}},
		{"last first", []string{"a", "b", "c", "d"}, []string{"d", "a", "b", "c"}, OrderResult{Checked: 4, OutOfOrder: 3, First: "a"}},
		{"one late", []string{"a", "b", "c", "d"}, []string{"b", "c", "d", "a"}, OrderResult{Checked: 4, OutOfOrder: 1, First: "a"}},
		{"repeats and strangers skipped", []string{"a", "b"}, []string{"a", "x", "a", "b", "b"}, OrderResult{Checked: 2}},
		{"nothing", nil, nil, OrderResult{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkOrder(tc.sent, tc.replies); got != tc.want {
				t.Errorf("checkOrder(%v, %v) = %+v, want %+v", tc.sent, tc.replies, got, tc.want)
			}
		})
	}
}

func TestCheckRetries(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	for _, tc := range []struct {
		name     string
		attempts []attempt
		want     RetryResult
		honoured bool
	}{
		{"no 429", []attempt{{"a", at(0), false}, {"b", at(1), false}}, RetryResult{}, true},
		{"waited and delivered", []attempt{
			{"a", at(0), true}, {"a", at(1000), false},
		}, RetryResult{Served: 1, Retries: 1, MinWaitMS: 1000, Replies: 1, Delivered: 1}, true},
		{"two 429s, then delivered; input unsorted", []attempt{
			{"a", at(2500), false}, {"a", at(0), true}, {"a", at(1200), true}, {"b", at(5), false},
		}, RetryResult{Served: 2, Retries: 2, MinWaitMS: 1200, Replies: 1, Delivered: 1}, true},
		{"retried too soon", []attempt{
			{"a", at(0), true}, {"a", at(300), false},
		}, RetryResult{Served: 1, Retries: 1, Early: 1, MinWaitMS: 300, Replies: 1, Delivered: 1}, false},
		{"never retried", []attempt{
			{"a", at(0), true},
		}, RetryResult{Served: 1, Replies: 1}, false},
		{"retried, limited again, given up", []attempt{
			{"a", at(0), true}, {"a", at(1000), true},
		}, RetryResult{Served: 2, Retries: 1, MinWaitMS: 1000, Replies: 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := checkRetries(tc.attempts, time.Second)
			if got != tc.want || got.Honoured() != tc.honoured {
				t.Errorf("checkRetries = %+v (honoured %v), want %+v (honoured %v)", got, got.Honoured(), tc.want, tc.honoured)
			}
		})
	}
}

func TestParseMix(t *testing.T) {
	m, err := parseMix("slash=25, paste=35,chatter=25,mention=15")
	if err != nil || m != (mix{25, 35, 25, 15}) {
		t.Errorf("parseMix = %v, %v", m, err)
	}
	for _, bad := range []string{"", "slash", "slash=x", "slash=-1", "dm=5", "slash=0,paste=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted", bad)
		}
	}
}

// The texts the tool sends are on the side it expects: generated bounces
// answered, generated chatter not.
func TestCorpus(t *testing.T) {
	c, _, err := newCorpus(nil, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.bounces) != 4*len(bounceSizes) || len(c.chatter) == 0 {
		t.Errorf("%d bounces, %d chatter", len(c.bounces), len(c.chatter))
	}
	for _, b := range c.bounces {
		if len(b.body) > 40000 {
			t.Errorf("%s is %d bytes, more than a Slack message holds", b.name, len(b.body))
		}
	}
}
