package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds the bot's counters and histograms in a registry of its own,
// so that tests and several bots in one process never collide.
type Metrics struct {
	reg *prometheus.Registry

	envelopes   *prometheus.CounterVec
	acks        prometheus.Counter
	ackLatency  prometheus.Histogram
	dedupes     *prometheus.CounterVec
	handle      *prometheus.HistogramVec
	phases      *prometheus.HistogramVec
	replies     *prometheus.CounterVec
	limited     prometheus.Counter
	limitWait   prometheus.Counter
	dropped     *prometheus.CounterVec
	reconnects  prometheus.Counter
	lookups     *prometheus.CounterVec
	lookupTimes prometheus.Histogram
	storeFails  *prometheus.CounterVec
	takenOver   prometheus.Counter
	repeated    prometheus.Counter
	refreshes   *prometheus.CounterVec
}

// New builds the metrics, with the Go runtime's and the process's own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	m.envelopes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_envelopes_received_total",
		Help: "Requests received from Slack (Socket Mode envelopes, or requests in HTTP mode), by type."}, []string{"type"})
	m.acks = prometheus.NewCounter(prometheus.CounterOpts{Name: "smtpbot_acks_total",
		Help: "Requests acknowledged (ack frames, or HTTP 200s)."})
	m.ackLatency = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "smtpbot_ack_latency_seconds",
		Help:    "Time from reading a request to writing its ack.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}})
	m.dedupes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_redeliveries_deduplicated_total",
		Help: "Requests not answered again because they were redelivered, by what identified them."}, []string{"kind"})
	m.handle = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "smtpbot_handle_seconds",
		Help:    "Time to read a request's text, look its codes up and render the reply, by source.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}}, []string{"source"})
	m.phases = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "smtpbot_phase_seconds",
		Help: "Time of one phase of a request's handling, by source and phase: extract (finding and looking up the codes in a pasted text) " +
			"or render (turning them into the reply).",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}}, []string{"source", "phase"})
	m.replies = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_replies_posted_total",
		Help: "Web API calls that delivered a reply, by method and outcome."}, []string{"method", "outcome"})
	m.limited = prometheus.NewCounter(prometheus.CounterOpts{Name: "smtpbot_rate_limited_total",
		Help: "HTTP 429 answers from Slack."})
	m.limitWait = prometheus.NewCounter(prometheus.CounterOpts{Name: "smtpbot_rate_limit_wait_seconds_total",
		Help: "Time spent waiting for Retry-After."})
	m.dropped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_requests_dropped_total",
		Help: "Requests acked but never answered, by reason."}, []string{"reason"})
	m.reconnects = prometheus.NewCounter(prometheus.CounterOpts{Name: "smtpbot_reconnects_total",
		Help: "Socket Mode connections opened after the first."})
	m.lookups = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_diagnosis_lookups_total",
		Help: "DNS lookups asked by diagnoses, by check and outcome (cached ones included)."}, []string{"check", "outcome"})
	m.lookupTimes = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "smtpbot_diagnosis_seconds",
		Help:    "Time of a whole diagnosis.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5}})
	m.storeFails = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_store_failures_total",
		Help: "Calls to the shared store that failed, by operation."}, []string{"op"})
	m.takenOver = prometheus.NewCounter(prometheus.CounterOpts{Name: "smtpbot_jobs_taken_over_total",
		Help: "Requests taken over from a replica that held them and stopped working on them."})
	m.repeated = prometheus.NewCounter(prometheus.CounterOpts{Name: "smtpbot_replies_repeated_total",
		Help: "Replies posted again after a takeover because the replica that held them died while posting: possible duplicates."})
	m.refreshes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpbot_token_refreshes_total",
		Help: "Rotating bot tokens refreshed, by what started the refresh (sweep, request) and outcome (ok, error, unsaved)."},
		[]string{"trigger", "outcome"})
	for _, c := range []prometheus.Collector{m.envelopes, m.acks, m.ackLatency, m.dedupes, m.handle, m.phases, m.replies,
		m.limited, m.limitWait, m.dropped, m.reconnects, m.lookups, m.lookupTimes,
		m.storeFails, m.takenOver, m.repeated, m.refreshes} {
		f(c)
	}
	return m
}

// Registry returns the registry the metrics live in.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// QueueDepth reports the number of requests queued or being handled, read
// at each scrape.
func (m *Metrics) QueueDepth(depth func() int) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "smtpbot_queue_depth",
		Help: "Requests queued for a worker or being handled."}, func() float64 { return float64(depth()) }))
}

// EnvelopeReceived implements bot.Observer.
func (m *Metrics) EnvelopeReceived(kind string) { m.envelopes.WithLabelValues(kind).Inc() }

// Acked implements bot.Observer.
func (m *Metrics) Acked(latency time.Duration) {
	m.acks.Inc()
	m.ackLatency.Observe(latency.Seconds())
}

// Deduplicated implements bot.Observer.
func (m *Metrics) Deduplicated(kind string) { m.dedupes.WithLabelValues(kind).Inc() }

// Handled implements bot.Observer.
func (m *Metrics) Handled(source string, d time.Duration) {
	m.handle.WithLabelValues(source).Observe(d.Seconds())
}

// Phase implements handlers.Observer: one phase ("extract", "render") of
// handling a request of a source.
func (m *Metrics) Phase(source, phase string, d time.Duration) {
	m.phases.WithLabelValues(source, phase).Observe(d.Seconds())
}

// ReplyPosted implements bot.Observer.
func (m *Metrics) ReplyPosted(method, outcome string) {
	m.replies.WithLabelValues(method, outcome).Inc()
}

// RateLimited implements bot.Observer.
func (m *Metrics) RateLimited(wait time.Duration) {
	m.limited.Inc()
	m.limitWait.Add(wait.Seconds())
}

// Dropped implements bot.Observer.
func (m *Metrics) Dropped(reason string) { m.dropped.WithLabelValues(reason).Inc() }

// Reconnected implements bot.Observer.
func (m *Metrics) Reconnected() { m.reconnects.Inc() }

// StoreFailed implements bot.Observer.
func (m *Metrics) StoreFailed(op string) { m.storeFails.WithLabelValues(op).Inc() }

// JobTakenOver implements bot.Observer.
func (m *Metrics) JobTakenOver() { m.takenOver.Inc() }

// ReplyRepeated implements bot.Observer.
func (m *Metrics) ReplyRepeated() { m.repeated.Inc() }

// TokenRefreshed implements install.RefreshObserver.
func (m *Metrics) TokenRefreshed(trigger, outcome string) {
	m.refreshes.WithLabelValues(trigger, outcome).Inc()
}

// Lookup implements diagnose.Observer: one DNS lookup of a diagnosis check
// ("mx", "spf", ...) and its outcome ("ok", "nodata", "nxdomain", "cached",
// "joined", "timeout", "error").
func (m *Metrics) Lookup(check, outcome string) { m.lookups.WithLabelValues(check, outcome).Inc() }

// Diagnosed implements diagnose.Observer: the time of one whole diagnosis.
func (m *Metrics) Diagnosed(d time.Duration) { m.lookupTimes.Observe(d.Seconds()) }
