package handlers

import (
	"encoding/json"

	"github.com/smtpcodes/smtpbot/catalog/extract"

	"github.com/smtpcodes/smtpbot/catalog"
)

// state is what a message shows, small enough to ride in a button's value
// (Slack allows 2,000 characters), so that a click can render the same
// message again in another language or share it, with no server-side
// session to lose on a restart.
type state struct {
	Lang      string   `json:"l"`
	Compare   bool     `json:"cmp,omitempty"`
	Codes     []string `json:"c"`
	Texts     []string `json:"t,omitempty"` // server texts, already masked
	Roles     []string `json:"r,omitempty"`
	Provider  string   `json:"p,omitempty"`
	Shareable bool     `json:"s,omitempty"` // ephemeral, so offer "Share in channel"
	// Mismatch is a looked-up "450 5.1.1" whose classes differ, so that a
	// click renders its notes again in another language.
	Mismatch string `json:"m,omitempty"`
	// Finals has a '1' for each code that is a DSN's final status, which
	// the reason depends on ("timed out" in a final report is expired).
	Finals string `json:"f,omitempty"`
	// Data has a '1' for each code that answered DATA, which the reason
	// depends on too ("user unknown" there is a filter's); empty when none
	// did.
	Data string `json:"d,omitempty"`
	// Check is what a bounce lets one check live in DNS: domains and IPs
	// only, never an address.
	Check *checkPlan `json:"k,omitempty"`
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
		if x.Final {
			st.Finals += "1"
		} else {
			st.Finals += "0"
		}
	}
	data := make([]byte, len(r.Explanations))
	anyData := false
	for i, x := range r.Explanations {
		data[i] = '0'
		if x.Command == extract.CommandDATA {
			data[i], anyData = '1', true
		}
	}
	if anyData {
		st.Data = string(data)
	}
	if r.Provider != nil {
		st.Provider = r.Provider.ID
	}
	st.Mismatch = r.Mismatch
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
		if b, _ := json.Marshal(s); len(b) <= maxButtonValue {
			return string(b)
		}
	}
	s := st
	s.Texts = nil
	s.Codes, s.Roles = s.Codes[:min(len(s.Codes), 20)], s.Roles[:min(len(s.Roles), 20)]
	s.Finals = s.Finals[:min(len(s.Finals), 20)]
	s.Data = s.Data[:min(len(s.Data), 20)]
	b, _ := json.Marshal(s)
	return string(b)
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
		x := e.explain(lang, code, text, prov)
		if i < len(st.Roles) {
			x.Role = extract.Role(st.Roles[i])
		}
		x.Final = i < len(st.Finals) && st.Finals[i] == '1'
		if i < len(st.Data) && st.Data[i] == '1' {
			x.Command = extract.CommandDATA
		}
		e.judge(&x)
		out = append(out, x)
	}
	return out, prov
}
