package handlers

import (
	"encoding/json"
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"

	"github.com/smtpcodes/smtpbot/catalog/extract"

	"github.com/smtpcodes/smtpbot/catalog"
)

// state is what a message shows, small enough to ride in a button's value
// (Slack allows 2,000 characters), so that a click can render the same
// message again in another language or share it, with no server-side
// session to lose on a restart.
type state struct {
	Lang     string   `json:"l"`
	Compare  bool     `json:"cmp,omitempty"`
	Codes    []string `json:"c"`
	Texts    []string `json:"t,omitempty"` // server texts, already masked
	Roles    []string `json:"r,omitempty"`
	Provider string   `json:"p,omitempty"`
	// Blocklist is the ID of the blocklist the bounce names anywhere in
	// it, which the next step depends on (its removal page): the server
	// texts kept here may be cut short, or not name it at all.
	Blocklist string `json:"b,omitempty"`
	Shareable bool   `json:"s,omitempty"` // ephemeral, so offer "Share in channel"
	// Mismatch is a looked-up "450 5.1.1" whose classes differ, so that a
	// click renders its notes again in another language.
	Mismatch string `json:"m,omitempty"`
	// Finals has a '1' for each code that is a DSN's final status, which
	// the reason depends on ("timed out" in a final report is expired),
	// and a '2' for one whose report is a delay warning ("Action:
	// delayed"), which its words depend on.
	Finals string `json:"f,omitempty"`
	// Commands has, for each code, the first letter of the SMTP command
	// it answered (H, M, R, D) or '-', which the reason depends on too
	// ("user unknown" at DATA is a filter's); empty when no code says.
	Commands string `json:"x,omitempty"`
	// Check is what a bounce lets one check live in DNS: domains and IPs
	// only, never an address.
	Check *checkPlan `json:"k,omitempty"`
	// Worded are the failures a bounce reported in words (all of them, in
	// a state without Codes; those beside the codes', in one with),
	// with their verdicts, so that a click renders them again in another
	// language without reading the bounce again; WordedDelayed says the
	// text was a delay warning.
	Worded        []wordedState `json:"w,omitempty"`
	WordedDelayed bool          `json:"wd,omitempty"`
	// Providers and Blocklists are, for each code, the ID of the provider
	// and of the blocklist its own reply names ("" for none), when a
	// bounce about several recipients names them reply by reply
	// (replyDetections); empty otherwise, and Provider and Blocklist
	// stand for every code.
	Providers  []string `json:"ps,omitempty"`
	Blocklists []string `json:"bs,omitempty"`
	// To are, for each code, the recipients it is about, joined by ", "
	// and masked as Texts are; empty when no code names one.
	To []string `json:"to,omitempty"`
}

// wordedState is one failure read from a bounce's words, as a button
// carries it: the verdict, already decided, and the words, masked and
// perhaps cut short. Reading the cut words again could decide otherwise,
// so the verdict rides along.
type wordedState struct {
	Text      string `json:"t"`
	Reason    string `json:"r"`
	Variant   string `json:"v,omitempty"`
	Action    string `json:"a"`
	Actor     string `json:"c"`
	Bounce    string `json:"h,omitempty"`
	Basis     string `json:"s,omitempty"`
	Blocklist string `json:"bl,omitempty"`
}

// fromWorded keeps the failures read from a bounce's words: a worded
// bounce's (Report.Worded), or those beside a coded one's (Report.Beside),
// which a state with codes carries.
func (st *state) fromWorded(ws []WordedFailure, mask bool) {
	for _, w := range ws {
		text := w.Text
		if mask {
			text = maskAddresses(text)
		}
		v := w.Outcome.Verdict
		ws := wordedState{Text: text, Reason: string(v.Reason), Variant: v.Variant, Action: string(v.Action),
			Actor: string(v.Actor), Bounce: string(v.Bounce), Basis: string(v.Basis)}
		if v.Blocklist != nil {
			ws.Blocklist = v.Blocklist.ID
		}
		st.Worded = append(st.Worded, ws)
		st.WordedDelayed = w.delayed
	}
}

// maxButtonValue is Slack's limit on a button's value.
const maxButtonValue = 2000

func (st *state) fromCommand(cmd Command) {
	st.Compare = cmd.Verb == VerbCompare
	for _, c := range cmd.Codes {
		st.Codes = append(st.Codes, c.String())
	}
}

func (st *state) fromReport(r Report, mask bool) {
	for _, x := range r.Explanations {
		text := x.ServerText
		if mask {
			text = maskAddresses(text)
		}
		st.Codes = append(st.Codes, x.Code.String())
		st.Texts = append(st.Texts, text)
		st.Roles = append(st.Roles, string(x.Role))
		switch {
		case x.Delayed:
			st.Finals += "2"
		case x.Final:
			st.Finals += "1"
		default:
			st.Finals += "0"
		}
	}
	cmds := make([]byte, len(r.Explanations))
	anyCmd := false
	for i, x := range r.Explanations {
		cmds[i] = '-'
		if x.Command != "" {
			cmds[i], anyCmd = x.Command[0], true
		}
	}
	if anyCmd {
		st.Commands = string(cmds)
	}
	if r.Provider != nil {
		st.Provider = r.Provider.ID
	}
	for _, x := range r.Explanations {
		if x.Blocklist != nil {
			st.Blocklist = x.Blocklist.ID
			break
		}
	}
	st.Mismatch = r.Mismatch
	var provs, bls, to []string
	perReply, anyTo := false, false
	for _, x := range r.Explanations {
		p, b := "", ""
		if x.Provider != nil {
			p = x.Provider.ID
		}
		if x.Blocklist != nil {
			b = x.Blocklist.ID
		}
		perReply = perReply || p != st.Provider || b != "" && b != st.Blocklist
		provs, bls = append(provs, p), append(bls, b)
		t := strings.Join(x.Recipients, ", ")
		if mask {
			t = maskAddresses(t)
		}
		anyTo = anyTo || t != ""
		to = append(to, t)
	}
	if perReply {
		st.Providers, st.Blocklists = provs, bls
	}
	if anyTo {
		st.To = to
	}
}

// encode returns the state as a button value, shortening the quoted server
// texts, then dropping them, then the codes past the first few, until it
// fits.
func (st state) encode() string {
	for _, textMax := range []int{maxServerText, 200, 60, 0} {
		s := st
		s.Texts = nil
		if textMax > 0 {
			for _, t := range st.Texts {
				s.Texts = append(s.Texts, truncate(t, textMax))
			}
		}
		s.Worded = st.wordedCut(textMax)
		if b, _ := json.Marshal(s); len(b) <= maxButtonValue {
			return string(b)
		}
	}
	s := st
	s.Texts, s.Worded = nil, st.wordedCut(0)
	s.Codes, s.Roles = s.Codes[:min(len(s.Codes), 20)], s.Roles[:min(len(s.Roles), 20)]
	s.Finals = s.Finals[:min(len(s.Finals), 20)]
	s.Commands = s.Commands[:min(len(s.Commands), 20)]
	s.Providers, s.Blocklists = s.Providers[:min(len(s.Providers), 20)], s.Blocklists[:min(len(s.Blocklists), 20)]
	s.To = s.To[:min(len(s.To), 20)]
	b, _ := json.Marshal(s)
	return string(b)
}

// wordedCut returns the failures read from words with their words cut to
// max bytes, or dropped for 0; their verdicts stay whole.
func (st *state) wordedCut(max int) []wordedState {
	if st.Worded == nil {
		return nil
	}
	out := make([]wordedState, len(st.Worded))
	for i, w := range st.Worded {
		if max == 0 {
			w.Text = ""
		} else {
			w.Text = truncate(w.Text, max)
		}
		out[i] = w
	}
	return out
}

// relang turns enc, a state encoded in language from, into the same state's
// encoding in language to, as encode would give it, so that the language
// buttons share one encoding. The language is the first field and the only
// difference; the tags must be as long as each other, since encode's
// choice of what to drop depends on the length, and need no escaping in
// JSON. It reports false when it cannot, and encode must then run.
func relang(enc, from, to string) (string, bool) {
	const open = `{"l":"`
	if len(to) != len(from) || !plainTag(from) || !plainTag(to) || !strings.HasPrefix(enc, open+from+`"`) {
		return "", false
	}
	return open + to + enc[len(open)+len(from):], true
}

// plainTag reports whether a language tag is letters, digits and hyphens
// only, which JSON writes as they are.
func plainTag(tag string) bool {
	for i := 0; i < len(tag); i++ {
		if c := tag[i]; !ascii.IsAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func decodeState(v string) (state, error) {
	var st state
	err := json.Unmarshal([]byte(v), &st)
	return st, err
}

// explanations rebuilds what the state shows. Codes that no longer parse
// (a hand-made payload) are skipped.
func (e *Engine) explanations(st state) ([]Explanation, *catalog.Provider) {
	lang := e.langs.Match(st.Lang)
	prov, _ := e.cat.Provider(st.Provider)
	bl, _ := e.cat.Blocklist(st.Blocklist)
	var out []Explanation
	for i, s := range st.Codes {
		code, err := catalog.Parse(s)
		if err != nil {
			continue
		}
		text := ""
		if i < len(st.Texts) {
			text = st.Texts[i]
		}
		var role extract.Role
		if i < len(st.Roles) {
			role = extract.Role(st.Roles[i])
		}
		final := i < len(st.Finals) && (st.Finals[i] == '1' || st.Finals[i] == '2')
		delayed := i < len(st.Finals) && st.Finals[i] == '2'
		command := ""
		if i < len(st.Commands) {
			command = commandNamed[st.Commands[i]]
		}
		p, b := prov, bl
		if i < len(st.Providers) {
			p, _ = e.cat.Provider(st.Providers[i])
		}
		if i < len(st.Blocklists) {
			b, _ = e.cat.Blocklist(st.Blocklists[i])
		}
		x := e.explain(lang, catalog.Query{Code: code, ServerText: text, Provider: p, Blocklist: b, Final: final,
			Delayed: delayed, Command: command}, role)
		if i < len(st.To) && st.To[i] != "" {
			x.Recipients = strings.Split(st.To[i], ", ")
		}
		out = append(out, x)
	}
	return out, prov
}

// commandNamed reads back a command's letter in state.Commands; a letter
// it does not know (a hand-made payload) names none.
var commandNamed = map[byte]string{
	'H': extract.CommandHELO, 'M': extract.CommandMAIL, 'R': extract.CommandRCPT, 'D': extract.CommandDATA,
}
