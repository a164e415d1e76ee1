package diagnose

import "time"

// Verdict is what one check found.
type Verdict string

// The verdicts.
const (
	Pass Verdict = "pass" // the record is there and right
	Fail Verdict = "fail" // the record is missing or wrong in a way that explains the bounce
	Warn Verdict = "warn" // the record works but weakly (softfail, p=none, no FCrDNS ...)
	None Verdict = "none" // there is no such record, and that is allowed
	// Error: the lookup itself failed or timed out. It never means "no
	// record".
	Error Verdict = "error"
)

// The names of the checks.
const (
	CheckMX     = "mx"
	CheckNullMX = "null_mx"
	CheckA      = "a"
	CheckSPF    = "spf"
	CheckDMARC  = "dmarc"
	CheckDKIM   = "dkim"
	CheckPTR    = "ptr"
	CheckFCrDNS = "fcrdns"
	CheckDNSBL  = "dnsbl"
	CheckMTASTS = "mta_sts"
	CheckTLSRPT = "tls_rpt"
)

// Message is a text to put into words in the reader's language: a key
// under "diagnose." in the locales and the values of its blanks, in pairs
// of name and value.
type Message struct {
	Key  string
	Args []string
}

func msg(key string, args ...string) Message { return Message{Key: key, Args: args} }

// Arg returns the value of the blank name, or "".
func (m Message) Arg(name string) string {
	for i := 0; i+1 < len(m.Args); i += 2 {
		if m.Args[i] == name {
			return m.Args[i+1]
		}
	}
	return ""
}

// Check is one line of a diagnosis.
type Check struct {
	Name    string  // one of the Check* names
	Target  string  // the domain, DNS name or IP address checked
	Verdict Verdict // pass, fail, warn, none or error
	Detail  Message
	// Records are the records found, as published (TXT strings joined).
	Records []string
}

// Report is a whole diagnosis.
type Report struct {
	Targets []Targets
	Checks  []Check
	// Summary is one sentence on what the checks show.
	Summary Message
	// Lookups counts the queries the checks asked for; Sent those that
	// missed the cache and went to the resolver.
	Lookups, Sent int
	Took          time.Duration
}

// Complete reports whether every check could run: no lookup failed or
// timed out.
func (r *Report) Complete() bool {
	for _, c := range r.Checks {
		if c.Verdict == Error {
			return false
		}
	}
	return true
}
