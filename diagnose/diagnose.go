package diagnose

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Config tunes a Diagnoser. Zero values take the defaults.
type Config struct {
	// Resolver is the recursive resolver's host:port; empty for the first
	// nameserver of /etc/resolv.conf.
	Resolver string
	// Timeout bounds each lookup (default 2 s); Total bounds a whole
	// diagnosis (default 3 s).
	Timeout, Total time.Duration
	// SpamhausDQSKey, when set, sends Spamhaus queries to its Data Query
	// Service, which answers whatever resolver is used; without it,
	// Spamhaus refuses queries that come through public resolvers.
	SpamhausDQSKey string
	// CacheEntries caps the cache (default DefaultCacheEntries).
	CacheEntries int
	// Log gets one line per diagnosis, without any domain or address.
	Log *slog.Logger
	// Observer, when set, is told of every lookup and every diagnosis,
	// for metrics.
	Observer Observer
}

// Diagnoser runs checks. It is safe for concurrent use.
type Diagnoser struct {
	res   *Resolver
	total time.Duration
	dqs   string
	log   *slog.Logger
	obs   Observer
}

// New returns a Diagnoser.
func New(cfg Config) (*Diagnoser, error) {
	res, err := NewResolver(cfg.Resolver, cfg.Timeout, cfg.CacheEntries)
	if err != nil {
		return nil, err
	}
	if cfg.Total <= 0 {
		cfg.Total = DefaultTotal
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Diagnoser{res: res, total: cfg.Total, dqs: cfg.SpamhausDQSKey, log: cfg.Log, obs: cfg.Observer}, nil
}

// job runs one or more checks that depend on each other (the PTR, then
// its forward confirmation) as one goroutine.
type job struct {
	key   string   // dedupes jobs across plans: the same check of the same target runs once
	names []string // the checks it makes, at most
	run   func(ctx context.Context) []Check
}

// jobs lists what a plan runs, in the order the report shows it.
func (d *Diagnoser) jobs(plans []Plan) []job {
	var out []job
	seen := map[string]bool{}
	add := func(j job) {
		if !seen[j.key] {
			seen[j.key] = true
			out = append(out, j)
		}
	}
	for _, p := range plans {
		t := p.Targets
		if p.Needs&(NeedRouting|NeedTLS) != 0 && t.Recipient != "" {
			add(job{"routing " + t.Recipient, []string{CheckMX, CheckNullMX}, func(ctx context.Context) []Check { return d.routing(ctx, t.Recipient) }})
		}
		if p.Needs&NeedAuth != 0 {
			if dom := t.authDomain(); dom != "" {
				add(job{"spf " + dom + " " + ipString(t.IP), []string{CheckSPF}, func(ctx context.Context) []Check { return d.spf(ctx, dom, t.IP) }})
			}
			if dom := cmpOrStr(t.From, t.MailFrom); dom != "" {
				add(job{"dmarc " + dom, []string{CheckDMARC}, func(ctx context.Context) []Check { return d.dmarc(ctx, t) }})
			}
			if t.DKIMSelector != "" {
				add(job{"dkim " + t.DKIMSelector + "." + t.DKIMDomain, []string{CheckDKIM}, func(ctx context.Context) []Check { return d.dkim(ctx, t.DKIMSelector, t.DKIMDomain) }})
			}
		}
		if p.Needs&(NeedAuth|NeedReputation) != 0 && t.IP.IsValid() {
			add(job{"ptr " + t.IP.String(), []string{CheckPTR, CheckFCrDNS}, func(ctx context.Context) []Check { return d.ptr(ctx, t.IP) }})
		}
		if p.Needs&NeedReputation != 0 && t.IP.IsValid() {
			for _, l := range d.lists(t.Lists) {
				add(job{"dnsbl " + l.Zone + " " + t.IP.String(), []string{CheckDNSBL}, func(ctx context.Context) []Check { return d.dnsbl(ctx, t.IP, l) }})
			}
		}
		if p.Needs&NeedTLS != 0 && t.Recipient != "" {
			add(job{"mta_sts " + t.Recipient, []string{CheckMTASTS}, func(ctx context.Context) []Check { return d.mtaSTS(ctx, t.Recipient) }})
			add(job{"tls_rpt " + t.Recipient, []string{CheckTLSRPT}, func(ctx context.Context) []Check { return d.tlsRPT(ctx, t.Recipient) }})
		}
	}
	return out
}

func ipString(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	return ip.String()
}

// Planned returns how many checks a diagnosis of plans makes, at most: the
// "Checking 6 records…" a user sees while they run. Zero means there is
// nothing to check.
func (d *Diagnoser) Planned(plans ...Plan) int {
	n := 0
	for _, j := range d.jobs(plans) {
		n += len(j.names)
	}
	return n
}

// Diagnose runs every check the plans call for, in parallel, within the
// whole-diagnosis bound, and sums them up. A check still waiting on the
// resolver when the bound is reached reports an error.
func (d *Diagnoser) Diagnose(ctx context.Context, plans ...Plan) Report {
	start := time.Now()
	cnt := counter{obs: d.obs}
	ctx, cancel := context.WithTimeout(withCounter(ctx, &cnt), d.total)
	defer cancel()
	jobs := d.jobs(plans)
	results := make([][]Check, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { results[i] = j.run(withCheck(ctx, j.names[0])) })
	}
	wg.Wait()
	r := Report{Lookups: int(cnt.asked.Load()), Sent: int(cnt.sent.Load()), Took: time.Since(start)}
	if d.obs != nil {
		d.obs.Diagnosed(r.Took)
	}
	for _, p := range plans {
		r.Targets = append(r.Targets, p.Targets)
	}
	for _, cs := range results {
		r.Checks = append(r.Checks, cs...)
	}
	r.Summary = summarize(r.Checks, plans)
	verdicts := map[Verdict]int{}
	for _, c := range r.Checks {
		verdicts[c.Verdict]++
	}
	// One line per diagnosis, with counts only: no domain, no address.
	d.log.Info("diagnosis", "checks", len(r.Checks), "fail", verdicts[Fail], "warn", verdicts[Warn],
		"error", verdicts[Error], "summary", r.Summary.Key, "lookups", r.Lookups, "sent", r.Sent, "took", r.Took)
	return r
}

// failed turns a failed lookup into an error check: it says the lookup
// failed, never that there is no record.
func failed(name, target, qname string, err error) Check {
	var le *LookupError
	var de *net.DNSError
	if errors.As(err, &le) && le.Timeout || errors.As(err, &de) && de.IsTimeout || errors.Is(err, context.DeadlineExceeded) {
		return Check{Name: name, Target: target, Verdict: Error, Detail: msg("lookup.timeout", "name", qname)}
	}
	var rc RcodeError
	if errors.As(err, &rc) {
		return Check{Name: name, Target: target, Verdict: Error, Detail: msg("lookup.failed", "name", qname, "rcode", dns.RcodeToString[int(rc)])}
	}
	return Check{Name: name, Target: target, Verdict: Error, Detail: msg("lookup.unreachable", "name", qname)}
}
