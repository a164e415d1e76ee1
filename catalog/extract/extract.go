package extract

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// Role says why a code is in the text.
type Role string

// The roles a code can play in a text.
const (
	RoleFailure Role = "failure" // the reply that made the delivery fail or be delayed (or the final status of a DSN)
	RoleContext Role = "context" // another reply of a transcript: a greeting, a success line, a 503 after the failure
	RoleQuoted  Role = "quoted"  // an example or a reference in prose ("see 5.7.26 in the docs")
)

// Finding is one code found in text, with the server's own words beside it.
type Finding struct {
	Code catalog.Code
	// ServerText is the server's own words on that code, on one line,
	// trimmed, continuation lines ("550-5.1.1 ...") joined, at most about
	// 500 bytes.
	ServerText string
	Role       Role
	// Final says the code is a recipient's status in a delivery report
	// (a DSN's Status field, a JSON notification's status): the verdict
	// after the sending server stopped retrying, or with Delayed its
	// warning that it is still trying; not a reply seen along the way nor
	// a log's "dsn=4.4.1, status=deferred".
	Final bool
	// Delayed says every report of the code is a delay warning (a DSN's
	// "Action: delayed", RFC 3464 section 2.3.3, or a text that says so,
	// as Exim's "has not yet been delivered"): the sending server still
	// has the message and keeps retrying, so nothing has bounced yet. It
	// is set only with Final.
	Delayed bool
	// Command is the SMTP command the reply answered, when the text says:
	// Postfix's "(in reply to end of DATA command)", Exim's "after RCPT
	// TO:", a transcript's ">>> DATA" (with PIPELINING, the replies answer
	// the commands sent together in their order). One of CommandHELO,
	// CommandMAIL, CommandRCPT, CommandDATA, or "".
	Command string
	// Unpaired is the enhanced code written right after the reply code
	// when their classes differ (Exchange's "550 4.4.7 QUEUE.Expired"):
	// a server's mistake. The two do not pair; the enhanced code is a
	// finding of its own.
	Unpaired catalog.Enhanced
	// Lead is what the bounce wrote before the reply, where it names the
	// server that sent it: Postfix's "<a@example.com>: host
	// mx.example.com[192.0.2.1] said:", Exim's "host mx.example.com
	// [192.0.2.1]:", a report's "Remote-MTA: dns; mx.example.com", a
	// transcript's "... while talking to mx.example.com.:"; or the line
	// before a reply that opens its line.
	// A bounce about several recipients may carry replies from several
	// providers; their leads tell which wrote which. At most 300 bytes of
	// the text, or "".
	Lead string
	// Recipients are the addresses the reply is about, when the text
	// says: a delivery report's Final-Recipient, the RCPT TO a
	// transcript's reply answered, the address that opens Postfix's
	// "<a@example.com>: host ..." or ends Exim's "after RCPT
	// TO:<a@example.com>:". A bounce about several recipients has one
	// finding each, or one for several a server refused alike.
	Recipients []string
}

// Extraction is everything found in one text.
type Extraction struct {
	// Confidence is how sure it is, 0 to 1, that the text is a bounce, a
	// DSN, an SMTP transcript or a mail log line, rather than chatter that
	// happens to contain a number. See extractor.confidence for the scoring.
	Confidence float64
	// Findings are deduplicated and ordered by importance: failures first,
	// in the order they appear; then context; then quoted. Among failures,
	// those that carry a DSN's per-recipient status come first: they are
	// the report's verdict, which a transcript's earlier replies are not.
	Findings []Finding
}

// maxSites bounds the codes read from one text, so that reading and merging
// them stays cheap on hostile input; a real bounce has a handful.
const maxSites = 256

// Extract finds the codes in text: a pasted bounce, a whole NDR or DSN as
// raw source (MIME multipart/report, quoted-printable and base64 parts
// decoded), an SMTP transcript, or a mail-server log line.
func Extract(text string) Extraction {
	sc := scratchPool.Get().(*scratch)
	x := extractor{sites: sc.sites[:0], buf: sc.buf[:0]}
	if !x.readMessage(text) {
		x.scanText(text, segBody, false)
	}
	x.readDeferred()
	ex := x.finish(text)
	// The sites hold pieces of text, past their length too when a part
	// was read again: let them go before the scratch waits in the pool.
	clear(x.sites[:cap(x.sites)])
	sc.sites, sc.buf = x.sites[:0], x.buf[:0]
	if cap(sc.buf) > maxPooledBuf {
		sc.buf = nil
	}
	scratchPool.Put(sc)
	return ex
}

// scratch is what an extraction uses and does not return: its sites and
// the buffer it builds server text in. Extract takes them from a pool, so
// that a paste allocates little more than the findings it returns.
type scratch struct {
	sites []codeSite
	buf   []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledBuf bounds the buffer a scratch keeps: the server text of a
// hostile input may have grown it far past what a bounce needs.
const maxPooledBuf = 64 << 10

// candidate is a finding being merged.
type candidate struct {
	Finding
	order   int
	rank    int  // 0 failure, 1 context, 2 quoted
	dsn     bool // carries a recipient's final status (a DSN's Status)
	generic bool // delivery time expired: the consequence of another failure
	rcpt    string
	dead    bool
	line    int32 // codeSite.line
	// server is the server its lead names (leadServer), found once and
	// only when oneReport needs it (serverKnown).
	server      string
	serverKnown bool
}

// serverName returns the server c's lead names, or "".
func (c *candidate) serverName() string {
	if !c.serverKnown {
		c.server, c.serverKnown = leadServer(c.Lead), true
	}
	return c.server
}

// byImportance orders failures first: among them, an expiry ("4.4.7
// message expired") after the failures that say why delivery kept
// failing, then those that carry a DSN's final status, the per-recipient
// verdict; then context, then quoted; each in the order found.
func byImportance(a, b *candidate) int {
	switch {
	case a.rank != b.rank:
		return a.rank - b.rank
	case a.generic != b.generic && a.rank == 0:
		if b.generic {
			return -1
		}
		return 1
	case a.dsn != b.dsn && a.rank == 0:
		if a.dsn {
			return -1
		}
		return 1
	}
	return a.order - b.order
}

// sortByImportance sorts cands by byImportance, stably. Most texts' come
// in that order already, and a check by pointer costs less than a sort,
// whose comparisons copy each candidate.
func sortByImportance(cands []candidate) {
	for i := 1; i < len(cands); i++ {
		if byImportance(&cands[i], &cands[i-1]) < 0 {
			slices.SortStableFunc(cands, func(a, b candidate) int { return byImportance(&a, &b) })
			return
		}
	}
}

func roleRank(r Role) int {
	switch r {
	case RoleFailure:
		return 0
	case RoleContext:
		return 1
	}
	return 2
}

// role settles the role of a site once the whole text has been seen: a
// code after a word like "error" reports a failure in a bounce but is only
// mentioned in chatter.
func (cs *codeSite) role(bounce bool) Role {
	if cs.dsn {
		return RoleFailure
	}
	if cs.quit {
		return RoleContext
	}
	switch {
	case cs.anchor == anchorStrong, cs.anchor == anchorWord && bounce:
		if cs.code.Class() >= catalog.ClassTransientNegative {
			return RoleFailure
		}
		return RoleContext
	}
	return RoleQuoted
}

// afterRefusal reports whether a reply only follows another failure: 503
// "bad sequence of commands" ("503 5.0.0 Need RCPT" after the RCPT was
// refused), or Postfix's "554 5.5.1 Error: no valid recipients" to the
// DATA sent after every RCPT was refused.
func (cs *codeSite) afterRefusal() bool {
	e := cs.code.Enhanced
	return cs.code.Reply == 503 || cs.code.Reply == 554 && commandNames[cs.command] == CommandDATA && e.Subject == 5 && e.Detail == 1
}

// finish scores the text, gives each site its role and merges the sites
// into findings. text is the whole text, where a report may write the
// words of a Status that has none (reportWords).
func (x *extractor) finish(text string) Extraction {
	sites := x.sites
	if len(sites) > maxSites {
		sites = sites[:maxSites]
	}
	// The returned message's codes count only when the bounce itself has
	// no failure: then the "returned message" is a forwarded bounce.
	useOrig := true
	best, placed := 0.0, false
	for i := range sites {
		cs := &sites[i]
		if cs.original {
			continue
		}
		if cs.role(true) == RoleFailure && cs.anchor != anchorProse {
			useOrig = false
		}
		best = max(best, placeScore(cs))
		placed = placed || cs.anchor == anchorStrong
	}
	if useOrig {
		for i := range sites {
			if cs := &sites[i]; cs.original {
				best = max(best, placeScore(cs))
				placed = placed || cs.anchor == anchorStrong
			}
		}
	}
	conf := x.confidence(best, placed)
	bounce := conf >= 0.5
	// 503 "bad sequence of commands" follows a failure ("503 5.0.0 Need
	// RCPT" after the RCPT was refused); it is context when another
	// failure is there.
	other := false
	for i := range sites {
		if cs := &sites[i]; cs.role(bounce) == RoleFailure && !cs.afterRefusal() && cs.code.Class() >= catalog.ClassTransientNegative && (useOrig || !cs.original) {
			other = true
		}
	}

	var rcpts recipientArena
	// Most texts have a few sites: their candidates stay on the stack.
	var few [8]candidate
	cands := few[:0]
	if len(sites) > len(few) {
		cands = make([]candidate, 0, len(sites))
	}
	for i := range sites {
		cs := &sites[i]
		if cs.original && !useOrig {
			continue
		}
		r := cs.role(bounce)
		if r == RoleFailure && other && cs.afterRefusal() && !cs.dsn {
			r = RoleContext
		}
		if r == RoleFailure && other && cs.code.Class() == catalog.ClassPositiveCompletion {
			// "Action: relayed", "Status: 2.0.0": a recipient the report
			// says was delivered, beside those that failed.
			r = RoleContext
		}
		text := cs.text
		if r == RoleQuoted {
			text = "" // prose mentions a code; no server said it
		}
		var named []string // shown, not used to tell reports apart: a text part may name another address than the report's
		if cs.rcpt == "" && r == RoleFailure {
			if a := leadRecipient(cs.lead); a != "" {
				named = rcpts.one(a)
			}
		}
		cands = append(cands, candidate{Finding: Finding{Code: cs.code, ServerText: text, Role: r, Final: cs.report,
			Delayed: cs.report && cs.delayed, Command: commandNames[cs.command], Unpaired: cs.unpaired, Lead: cs.lead, Recipients: named}, order: int(cs.order), line: cs.line, rank: roleRank(r),
			dsn: cs.dsn, generic: cs.generic, rcpt: cs.rcpt})
	}
	earlierAttempts(cands)
	lastErrors(cands)
	sortByImportance(cands)
	subsume(cands)
	pair(cands)
	subsume(cands)
	x.reportWords(text, cands)

	reordered := false
	for i := range cands {
		c := &cands[i]
		if c.dead {
			continue
		}
		for j := i + 1; j < len(cands); j++ {
			if d := &cands[j]; !d.dead && d.Code == c.Code && oneReport(c, d) {
				d.dead = true
				c.absorb(d)
				mergeReport(&c.Finding, d.Finding)
				if c.Unpaired.IsZero() {
					c.Unpaired = d.Unpaired
				}
				if d.order < c.order {
					// A report's finding that takes its text part's
					// reply stands where the text part wrote it, as
					// subsume's do: the cards follow the bounce.
					c.order, reordered = d.order, true
				}
			}
		}
	}
	if reordered {
		sortByImportance(cands)
	}
	var out []Finding
	for i := range cands {
		c := &cands[i]
		if c.dead {
			continue
		}
		if out == nil {
			out = make([]Finding, 0, len(cands)-i)
		}
		if c.Role == RoleFailure && c.rcpt != "" && !slices.Contains(c.Recipients, c.rcpt) {
			if len(c.Recipients) == 0 {
				c.Recipients = rcpts.one(c.rcpt)
			} else {
				c.Recipients = append([]string{c.rcpt}, c.Recipients...)
			}
		}
		out = append(out, c.Finding)
	}
	x.addNotes(out)
	x.markDelayed(out)
	return Extraction{Confidence: math.Round(conf*100) / 100, Findings: out}
}

// subsume drops a reply alone or an enhanced code alone when a code with
// both parts says the same at least as importantly: "550" in the text part
// and "550 5.1.1" in the DSN are one finding.
func subsume(cands []candidate) {
	for i := range cands {
		c := &cands[i]
		partial := c.Code.Reply.IsZero() != c.Code.Enhanced.IsZero()
		if c.dead || !partial {
			continue
		}
		for j := range cands {
			g := &cands[j]
			if g.dead || g.Code.Reply.IsZero() || g.Code.Enhanced.IsZero() || g.rank > c.rank {
				continue
			}
			if g.Code.Reply != c.Code.Reply && g.Code.Enhanced != c.Code.Enhanced || !oneReport(g, c) {
				continue
			}
			c.dead = true
			g.absorb(c)
			if g.rank == c.rank {
				g.order = min(g.order, c.order)
				g.dsn = g.dsn || c.dsn
				mergeReport(&g.Finding, c.Finding)
			}
			break
		}
	}
	sortByImportance(cands)
}

// pair joins an enhanced code alone, such as a DSN's Status, with a reply
// alone of the same class, such as the "said: 550 ..." of the text part,
// each used once, in order. Failing a reply alone, a Status takes the reply
// of a failure whose enhanced code is a bare X.0.0: Sendmail's "550 5.0.0
// ... Insufficient permission" and "Status: 5.3.0" are "550 5.3.0".
// A bare X.0.0 Status with no reply at all gives way to the first failure
// of its class that has a reply.
func pair(cands []candidate) {
	for i := range cands {
		e := &cands[i]
		if e.dead || e.rank != 0 || !e.Code.Reply.IsZero() {
			continue
		}
		partner := -1
		for j := range cands {
			r := &cands[j]
			if r.dead || r.rank != 0 || r.Code.Reply.IsZero() || r.Code.Class() != e.Code.Class() || !oneReport(e, r) {
				continue
			}
			if r.Code.Enhanced.IsZero() {
				partner = j
				break
			}
			if partner < 0 && e.dsn && r.Code.Enhanced.Subject == 0 && r.Code.Enhanced.Detail == 0 {
				partner = j
			}
		}
		if partner < 0 && e.dsn && e.Code.Enhanced.Subject == 0 && e.Code.Enhanced.Detail == 0 {
			// A bare "Status: 5.0.0" says no more than "failed"; the
			// server's own full code, of the same class, is the detail:
			// the one about the Status's recipient, when the transcript
			// says which recipient each reply was about, else the first.
			first, mine := -1, -1
			for j := range cands {
				if g := &cands[j]; !g.dead && g.rank == 0 && j != i && g.Code.Class() == e.Code.Class() && !g.Code.Reply.IsZero() && oneReport(e, g) {
					if first < 0 {
						first = j
					}
					if e.rcpt != "" && g.rcpt == e.rcpt {
						mine = j
						break
					}
				}
			}
			if mine < 0 && (e.rcpt == "" || !otherRecipient(cands, e)) {
				mine = first
			}
			if mine >= 0 {
				g := &cands[mine]
				e.dead, g.dsn = true, true
				g.absorb(e)
				mergeReport(&g.Finding, e.Finding)
				g.order = min(g.order, e.order)
			}
			continue
		}
		if partner < 0 {
			continue
		}
		r := &cands[partner]
		e.Code.Reply = r.Code.Reply
		r.dead = true
		if r.ServerText != "" {
			e.ServerText = r.ServerText // the reply's words, not the Status's
		}
		e.absorb(r)
		e.order = min(e.order, r.order)
		e.dsn = e.dsn || r.dsn
		mergeReport(&e.Finding, r.Finding)
	}
}

// earlierAttempts makes context of a transient failure whose permanent
// twin (the same enhanced subject and detail: 4.4.316, then 5.4.316) the
// text also reports for the same recipient: the server deferred the
// message, retried, and gave up for the same cause (Microsoft 365's
// reports list each attempt under the verdict). The verdict is the
// permanent reply; the attempt, whose "your server retries" no longer
// holds, is shown with the other replies.
func earlierAttempts(cands []candidate) {
	for i := range cands {
		c := &cands[i]
		e := c.Code.Enhanced
		if c.rank != 0 || c.dsn || e.Class != 4 {
			continue
		}
		for j := range cands {
			o := &cands[j]
			if o.rank == 0 && o.Code.Enhanced.Class == 5 && o.Code.Enhanced.Subject == e.Subject &&
				o.Code.Enhanced.Detail == e.Detail && (c.rcpt == "" || o.rcpt == "" || c.rcpt == o.rcpt) {
				c.Role, c.rank = RoleContext, roleRank(RoleContext)
				break
			}
		}
	}
}

// lastErrors marks as the sending server's last word a transient failure
// written on the line of an expiry (Exchange's "550 4.4.7 QUEUE.Expired;
// message expired ... [LastError: 451 4.4.1 Connection timed out ...]"):
// the reply that kept the message out until it expired. No retry of the
// server's follows it, so its card must not say one will.
func lastErrors(cands []candidate) {
	for i := range cands {
		e := &cands[i]
		if e.rank != 0 || !e.generic || e.Delayed {
			continue
		}
		for j := range cands {
			if c := &cands[j]; c.rank == 0 && !c.generic && c.line == e.line && c.Code.Class() == catalog.ClassTransientNegative {
				c.Final = true
			}
		}
	}
}

// markDelayed marks the transient failures of a text that says it is a
// delay warning (Exim's "has not yet been delivered", which carries no
// delivery report) as delayed reports: the message is still being tried.
// A code a report already gave a verdict on keeps it.
func (x *extractor) markDelayed(out []Finding) {
	if !x.feat.delayWarning {
		return
	}
	for i := range out {
		if f := &out[i]; f.Role == RoleFailure && !f.Final && f.Code.Class() == catalog.ClassTransientNegative {
			f.Final, f.Delayed = true, true
		}
	}
}

// reportWords gives a recipient's final status that has no words of its
// own (a Status with no Diagnostic-Code) the words the report's text writes
// after the recipient's address: "email@example.net: Domain does not
// exist".
func (x *extractor) reportWords(text string, cands []candidate) {
	for i := range cands {
		c := &cands[i]
		if c.dead || c.Role != RoleFailure || !c.dsn || c.ServerText != "" || c.rcpt == "" {
			continue
		}
		if words := recipientWords(text, c.rcpt); words != "" {
			c.ServerText = x.clean(append(x.buf[:0], words...), catalog.Code{})
		}
	}
}

// mergeReport gives dst what src's report says when the two are one
// finding: final when either is, and a delay warning only when every
// report of them is one (a recipient that failed and another delayed with
// the same code have not all been merely delayed).
func mergeReport(dst *Finding, src Finding) {
	delayed := (dst.Final || src.Final) && (!dst.Final || dst.Delayed) && (!src.Final || src.Delayed)
	dst.Final = dst.Final || src.Final
	dst.Delayed = delayed
}

// addNotes gives Exim's words under the one failed address to the one
// failure that has no words of its own: a local delivery's Status with no
// Diagnostic-Code.
func (x *extractor) addNotes(out []Finding) {
	if x.notes.blocks != 1 {
		return
	}
	bare := -1
	for i := range out {
		if out[i].Role != RoleFailure {
			continue
		}
		if out[i].ServerText != "" || bare >= 0 {
			return // a failure has words, or which one the notes are about is not known
		}
		bare = i
	}
	if bare < 0 {
		return
	}
	if b, ok := x.notes.only(x.buf[:0]); ok {
		out[bare].ServerText = x.clean(b, catalog.Code{})
		x.buf = b
	}
}

// oneReport reports whether two candidates can be one report: the same
// recipient's reply read twice (a bounce's text and its delivery report,
// a transcript and its summary), or several recipients refused alike by
// one server. A bounce about several recipients carries one reply each,
// and two of them may share a code (550 5.1.1 from Gmail and from a small
// server) or a reply code alone ("550 Invalid Recipient" beside "550
// 5.1.1"): merged, one recipient would be lost and its server's words,
// provider and state taken from the other's.
//
// Replies about two known recipients are one only when both carry words
// and those agree once the addresses in them are set aside, and neither
// is a delay warning where the other failed. Otherwise two replies whose
// leads name two servers are two reports.
func oneReport(a, b *candidate) bool {
	if a.rcpt != "" && b.rcpt != "" {
		if a.rcpt == b.rcpt {
			return true
		}
		if a.Final != b.Final || a.Delayed != b.Delayed {
			// One recipient failed, another is still being retried; or
			// one's report and another's reply along the way.
			return false
		}
		// Both with words that agree, or both without: a Status alone
		// and another recipient's whole reply are not one.
		return (a.ServerText == "") == (b.ServerText == "") && wordsAgree(a.ServerText, b.ServerText)
	}
	if a.line == b.line {
		return true // one line: "... said: 550 5.1.1 ..., dsn=5.1.1"
	}
	sa, sb := a.serverName(), b.serverName()
	return sa == "" || sb == "" || strings.EqualFold(sa, sb)
}

// wordsAgree reports whether one server's words start the other's, the
// addresses and stray reply codes in them set aside and case ignored: a
// text part cut short ("... policy reasons. See") and the report's whole
// line, or one server's "<a@example.com>: User unknown" and
// "<b@example.com>: User unknown". It walks both texts word by word, with
// no copy: it runs for every pair of findings that may be one report.
func wordsAgree(a, b string) bool {
	i, j := 0, 0
	for {
		var wa, wb string
		wa, i = nextKeptWord(a, i)
		wb, j = nextKeptWord(b, j)
		switch {
		case wa == "" || wb == "":
			return true // one ran out: it starts the other
		case strings.EqualFold(wa, wb):
			continue
		}
		// The shorter text may have been cut inside its last word.
		return len(wa) < len(wb) && strings.EqualFold(wa, wb[:len(wa)]) && nextEmpty(a, i) ||
			len(wb) < len(wa) && strings.EqualFold(wb, wa[:len(wb)]) && nextEmpty(b, j)
	}
}

// nextKeptWord returns the word of s at or after i that setAside keeps, and
// where the search goes on; "" at the end.
func nextKeptWord(s string, i int) (string, int) {
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		k := i
		for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			i++
		}
		if w := s[k:i]; w != "" && !setAside(w) {
			return w, i
		}
	}
	return "", i
}

// nextEmpty reports whether no kept word follows i in s.
func nextEmpty(s string, i int) bool {
	w, _ := nextKeptWord(s, i)
	return w == ""
}

// setAside reports whether a word of a reply is set aside when words are
// compared: an address, or a reply code left in a joined multi-line reply
// ("(invalid FreeUK 550 username)").
func setAside(w string) bool {
	if strings.IndexByte(w, '@') > 0 {
		return true
	}
	_, _, ok := replyStart(w)
	return ok && len(w) == 3
}

// leadServer returns the server a lead names, or "": Postfix's "host
// mx.example.com[192.0.2.1] said:", Exim's "host mx.example.com
// [192.0.2.1]", a delivery report's "Remote-MTA: dns; mx.example.com",
// Sendmail's "... while talking to mx.example.com.:", Exchange's
// "mx.example.com #", qmail's "192.0.2.1 does not like recipient.".
func leadServer(lead string) string {
	if lead == "" {
		return ""
	}
	// Each search runs once, over the lead's end only: a server is named
	// right before its reply ("host mx.example.com[192.0.2.1] said:"),
	// and a log line's lead is long.
	tail := lead[max(0, len(lead)-maxServerLead):]
	talking, host, dislikes := -1, -1, false
	remote := hasPrefixFold(lead, "remote-mta:")
	if !remote {
		talking, host, dislikes = leadMarks(tail)
	}
	name := ""
	switch {
	case remote:
		name = lead[len("remote-mta:"):]
		if i := strings.IndexByte(name, ';'); i >= 0 {
			name = name[i+1:]
		}
	case talking >= 0:
		name = tail[talking+len("while talking to "):]
	case dislikes:
		name = tail
	case host >= 0:
		name = tail[host+len("host "):]
		if i := strings.IndexByte(name, '['); i > 0 {
			name = name[:i]
		}
	case strings.HasSuffix(strings.TrimRight(lead, " "), " #") || strings.HasSuffix(strings.TrimRight(lead, " "), "#"):
		name = strings.TrimRight(strings.TrimRight(lead, " "), "#")
		if i := strings.LastIndexAny(strings.TrimRight(name, " "), " \t"); i >= 0 {
			name = name[i+1:]
		}
	}
	// The name is the first word: up to a blank, a '(' or a '['.
	for len(name) > 0 && isBlank(name[0]) {
		name = name[1:]
	}
	end := 0
	for end < len(name) && !isBlank(name[end]) && name[end] != '(' && name[end] != '[' && name[end] != '\n' && name[end] != '\r' {
		end++
	}
	name = strings.TrimRight(name[:end], ".:")
	if !strings.Contains(name, ".") || !hasLetter(name) && !isIPv4(name) {
		return "" // not a host name ("0#550 ..."), nor qmail's address
	}
	return name
}

// maxServerLead is how much of a lead's end leadServer reads.
const maxServerLead = 128

// leadMarks finds where Sendmail's first "while talking to " and the last
// "host " (not inside a word: "(host" is one, "ghost" is not) start in a
// lead's tail, and whether qmail's "does not like recipient." is there.
// Each is looked for only where its rare letter stands ('k', 'h'), found
// by IndexByte: cheaper on a short lead than a substring search each.
func leadMarks(tail string) (talking, host int, dislikes bool) {
	const talk, like = "while talking to ", "does not like recipient."
	talking, host = -1, -1
	for i := strings.IndexByte(tail, 'k'); i >= 0; {
		switch {
		case talking < 0 && i >= 9 && strings.HasPrefix(tail[i-9:], talk): // "while tal|king"
			talking = i - 9
		case i >= 11 && strings.HasPrefix(tail[i-11:], like): // "does not li|ke"
			dislikes = true
		}
		j := strings.IndexByte(tail[i+1:], 'k')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for i := strings.IndexByte(tail, 'h'); i >= 0; {
		if strings.HasPrefix(tail[i:], "host ") && (i == 0 || !ascii.IsAlnum(tail[i-1])) {
			host = i
		}
		j := strings.IndexByte(tail[i+1:], 'h')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return talking, host, dislikes
}

// isIPv4 reports whether s is a dotted quad.
func isIPv4(s string) bool {
	parts, digits := 1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if digits == 0 {
				return false
			}
			parts, digits = parts+1, 0
		case '0' <= c && c <= '9' && digits < 3:
			digits++
		default:
			return false
		}
	}
	return parts == 4 && digits > 0
}

// otherRecipient reports whether a failure of e's class is about another
// recipient than e's: then e, a bare Status of its own recipient, is not
// the Status of the first failure's reply.
func otherRecipient(cands []candidate, e *candidate) bool {
	for i := range cands {
		if g := &cands[i]; !g.dead && g.rank == 0 && g.rcpt != "" && g.rcpt != e.rcpt && g.Code.Class() == e.Code.Class() {
			return true
		}
	}
	return false
}

// absorb takes into c what src, merged into it as one report, knew and c
// did not: the server's words, the command, the lead, the recipients.
func (c *candidate) absorb(src *candidate) {
	joinRecipients(c, src)
	if c.ServerText == "" {
		c.ServerText = src.ServerText
	}
	if c.Command == "" {
		c.Command = src.Command
	}
	if c.Lead == "" {
		c.Lead, c.serverKnown = src.Lead, false
	}
}

// joinRecipients makes src's recipients dst's too, src being merged into
// dst as one report.
func joinRecipients(dst, src *candidate) {
	if dst.rcpt == "" {
		dst.rcpt, src.rcpt = src.rcpt, ""
	}
	add := func(a string) {
		if a != "" && a != dst.rcpt && !slices.Contains(dst.Recipients, a) {
			dst.Recipients = append(dst.Recipients, a)
		}
	}
	add(src.rcpt)
	for _, a := range src.Recipients {
		add(a)
	}
}

// recipientArena hands out one-address lists from one array, so that the
// findings of a text cost one allocation for their recipients, not one
// each; a list that grows later (joinRecipients) copies itself out.
type recipientArena struct{ buf []string }

// one returns the list of a alone.
func (ra *recipientArena) one(a string) []string {
	if len(ra.buf) == cap(ra.buf) {
		ra.buf = make([]string, 0, 8)
	}
	ra.buf = append(ra.buf, a)
	n := len(ra.buf)
	return ra.buf[n-1 : n : n]
}

// leadRecipient returns the recipient a lead names: the address that
// opens Postfix's "<a@example.com>: host mx.example.com[192.0.2.1] said:",
// or the one of Exim's "SMTP error from remote mail server after RCPT
// TO:<a@example.com>:"; "" otherwise.
func leadRecipient(lead string) string {
	if strings.HasPrefix(lead, "<") {
		if j := strings.IndexByte(lead, '>'); j > 0 && j+1 < len(lead) && lead[j+1] == ':' {
			return address(lead[:j+1])
		}
	}
	// Exim writes one "RCPT TO:<...>" a line; the line's last is the
	// reply's. Looked for only where a '<' stands, with no copy.
	at := -1
	for i := strings.IndexByte(lead, '<'); i >= 0; {
		if i >= len("rcpt to:") && hasPrefixFold(lead[i-len("rcpt to:"):], "rcpt to:") {
			at = i - len("rcpt to:")
		}
		j := strings.IndexByte(lead[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if at >= 0 {
		return address(lead[at+len("RCPT TO:"):])
	}
	return ""
}
