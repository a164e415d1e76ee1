package handlers

import (
	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/locales"
)

// The JSON shapes below are the command line's stable output for scripts,
// documented in README.md. Add fields freely; never rename or remove one.

// JSONReport is the output of "smtpbot explain --json".
type JSONReport struct {
	Language         string  `json:"language"`
	BounceConfidence float64 `json:"bounce_confidence"`
	// Lookup is true when the text was only a code, asked about rather than
	// pasted from a bounce; BounceConfidence is then 0 and every role is
	// "lookup".
	Lookup bool `json:"lookup"`
	// Notes are said before the findings, such as that a reply code and an
	// enhanced code of different classes are a server's mistake.
	Notes    []string          `json:"notes"`
	Findings []JSONExplanation `json:"findings"`
	// Worded are the failures a bounce reports in words alone, with no
	// code, when no code in it reports a failure.
	Worded []JSONWorded `json:"worded,omitempty"`
}

// JSONExplanation is one code explained.
type JSONExplanation struct {
	Reply      string     `json:"reply"`
	Enhanced   string     `json:"enhanced"`
	ServerText string     `json:"server_text"`
	Role       string     `json:"role"`
	Registered bool       `json:"registered"`
	Title      string     `json:"title"`
	Class      JSONClass  `json:"class"`
	Subject    string     `json:"subject"`
	Severity   string     `json:"severity"`
	Meaning    string     `json:"meaning"`
	When       string     `json:"when"`
	Fix        string     `json:"fix"`
	FixSteps   []JSONStep `json:"fix_steps"`
	Retry      JSONAdvice `json:"retry"`
	WhoMustAct JSONActors `json:"who_must_act"`
	// Reason, Action and BounceWhy are set on failures read from a text,
	// and null (or "") on lookups.
	Reason    *JSONReason   `json:"reason"`
	Action    *JSONAction   `json:"action"`
	BounceWhy string        `json:"bounce_why,omitempty"`
	Provider  *JSONProvider `json:"provider"`
	// Recipients are the addresses a failure is about, when the text
	// says: a bounce about several recipients has a finding for each.
	Recipients []string   `json:"recipients,omitempty"`
	References []JSONRef  `json:"references"`
	Parts      []JSONPart `json:"parts"`
}

// JSONClass is a code's class: its first digit and the class's name.
type JSONClass struct {
	Digit int    `json:"digit"`
	Name  string `json:"name"`
}

// JSONAdvice is a machine-readable value with its text in the chosen
// language: {"value": "after_fix", "text": "Do not resend unchanged: ..."}.
type JSONAdvice struct {
	Value string `json:"value"`
	Text  string `json:"text"`
}

// JSONStep is one step of a fix and the party it addresses.
type JSONStep struct {
	Party string `json:"party"`
	Text  string `json:"text"`
}

// JSONActors is who has to act: the first party, with the text naming all
// of them, and every party the fix's steps address.
type JSONActors struct {
	Value string   `json:"value"`
	Text  string   `json:"text"`
	All   []string `json:"all"`
}

// JSONReason is why a delivery failed: an id of the bounce-reason
// vocabulary (sisimai's), its title and definition, and where it was read
// ("words", "provider" or "code").
type JSONReason struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Source string `json:"source"`
	// Variant names the words the title and text are, when they are not
	// the reason's general ones ("greylisting").
	Variant string `json:"variant,omitempty"`
}

// JSONAction is the next step: a value of a small set, its text, and the
// removal page of the blocklist the server's text names, if any.
type JSONAction struct {
	Value        string `json:"value"`
	Text         string `json:"text"`
	Title        string `json:"title"`
	Blocklist    string `json:"blocklist,omitempty"`
	BlocklistURL string `json:"blocklist_url,omitempty"`
}

// JSONProvider is the provider whose servers wrote the text, with its own
// meaning of the code when it gives one (key, title, meaning and fix are
// empty otherwise).
type JSONProvider struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Docs    string `json:"docs"`
	Key     string `json:"key"`
	Title   string `json:"title"`
	Meaning string `json:"meaning"`
	Fix     string `json:"fix"`
}

// JSONRef is a defining document.
type JSONRef struct {
	RFC     int    `json:"rfc"`
	Draft   string `json:"draft,omitempty"`
	Section string `json:"section,omitempty"`
	Text    string `json:"text"`
}

// JSONPart is one half of a code: the reply code or the enhanced code.
type JSONPart struct {
	Code       string    `json:"code"`
	Kind       string    `json:"kind"`
	Registered bool      `json:"registered"`
	Title      string    `json:"title"`
	Meaning    string    `json:"meaning"`
	When       string    `json:"when"`
	Fix        string    `json:"fix"`
	Deprecated string    `json:"deprecated,omitempty"`
	References []JSONRef `json:"references"`
}

// JSONComparison is the output of "smtpbot compare --json".
type JSONComparison struct {
	Language    string          `json:"language"`
	Title       string          `json:"title"`
	Same        bool            `json:"same"`
	Summary     string          `json:"summary"`
	Note        string          `json:"note,omitempty"`
	A           JSONExplanation `json:"a"`
	B           JSONExplanation `json:"b"`
	Facets      JSONFacetPair   `json:"facets"`
	Differences []string        `json:"differences"`
	WhenToUse   []string        `json:"when_to_use"`
	LearnMore   []JSONRelated   `json:"learn_more"`
}

// JSONFacetPair holds the structured facts of each side of a comparison.
type JSONFacetPair struct {
	A JSONFacets `json:"a"`
	B JSONFacets `json:"b"`
}

// JSONFacets are one code's facts, as ids: phases (most usual first), scope
// and cause family, as README lists them.
type JSONFacets struct {
	Phases []catalog.Phase `json:"phases"`
	Scope  catalog.Scope   `json:"scope"`
	Cause  catalog.Cause   `json:"cause"`
}

// JSONRelated is a comparison worth reading next.
type JSONRelated struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Title string `json:"title"`
}

// JSONCode is one entry of "smtpbot codes --json".
type JSONCode struct {
	Code          string    `json:"code"`
	Kind          string    `json:"kind"`
	RegistryTitle string    `json:"registry_title"`
	Title         string    `json:"title"`
	Actor         string    `json:"actor"`
	References    []JSONRef `json:"references"`
	DeprecatedBy  string    `json:"deprecated_by,omitempty"`
}

// JSON returns the report's JSON shape.
func (r Report) JSON() JSONReport {
	out := JSONReport{Language: r.Lang.Tag, BounceConfidence: r.Confidence, Lookup: r.Lookup,
		Notes: append([]string{}, r.Notes...), Findings: []JSONExplanation{}}
	for i := range r.Explanations {
		j := r.Explanations[i].JSON()
		if r.Lookup {
			j.Role = "lookup"
		}
		out.Findings = append(out.Findings, j)
	}
	for i := range r.Worded {
		out.Worded = append(out.Worded, r.Worded[i].JSON())
	}
	for i := range r.Beside {
		out.Worded = append(out.Worded, r.Beside[i].JSON())
	}
	return out
}

// JSON returns the explanation's JSON shape.
func (x *Explanation) JSON() JSONExplanation {
	j := JSONExplanation{
		Reply: x.Code.Reply.String(), Enhanced: x.Code.Enhanced.String(),
		ServerText: x.ServerText, Role: string(x.Role), Recipients: x.Recipients,
		Registered: x.mainPart().Registered, Title: x.Title,
		Class:    JSONClass{Digit: int(x.Class), Name: x.ClassText},
		Subject:  x.SubjectText,
		Severity: string(x.Severity),
		Meaning:  x.Meaning, When: x.When, Fix: x.Fix,
		Retry:      JSONAdvice{Value: string(x.Retry), Text: x.RetryText},
		WhoMustAct: JSONActors{Value: string(x.Actor), Text: x.ActorText, All: []string{}},
		FixSteps:   []JSONStep{},
		References: []JSONRef{},
	}
	for _, a := range x.Actors {
		j.WhoMustAct.All = append(j.WhoMustAct.All, string(a))
	}
	for _, s := range x.Steps {
		j.FixSteps = append(j.FixSteps, JSONStep{Party: string(s.Party), Text: s.Text})
	}
	if j.Role == "" {
		j.Role = string(extract.RoleFailure)
	}
	if o := x.Outcome; o != nil {
		j.Reason = &JSONReason{ID: string(o.Reason), Title: o.ReasonTitle, Text: o.ReasonText, Source: string(o.Source), Variant: o.Variant}
		j.Action = &JSONAction{Value: string(o.Action), Text: o.ActionText, Title: o.ActionTitle}
		if o.Blocklist != nil {
			j.Action.Blocklist, j.Action.BlocklistURL = o.Blocklist.Name, o.Blocklist.Delist
		}
		j.BounceWhy = o.Why
	}
	if p := x.Provider; p != nil {
		j.Provider = &JSONProvider{ID: p.ID, Name: p.Name, Docs: p.Docs, Key: p.Key, Title: p.Title, Meaning: p.Meaning, Fix: p.Fix}
	}
	for _, p := range x.Parts() {
		jp := JSONPart{Code: p.Code, Kind: string(p.Kind), Registered: p.Registered,
			Title: p.Title, Meaning: p.Meaning, When: p.When, Fix: p.Fix,
			Deprecated: p.Deprecated, References: jsonRefs(x, p.Refs)}
		j.Parts = append(j.Parts, jp)
		j.References = append(j.References, jp.References...)
	}
	return j
}

func jsonRefs(x *Explanation, refs []catalog.Ref) []JSONRef {
	out := []JSONRef{}
	for _, r := range refs {
		out = append(out, JSONRef{RFC: r.RFC, Draft: r.Draft, Section: r.Section, Text: RefText(x.Lang, r)})
	}
	return out
}

// JSON returns the comparison's JSON shape.
func (c *Comparison) JSON() JSONComparison {
	j := JSONComparison{
		Language: c.Lang.Tag, Title: c.Title, Same: c.Same, Summary: c.Summary, Note: c.Note,
		A: c.A.JSON(), B: c.B.JSON(),
		Facets:      JSONFacetPair{A: JSONFacets(c.FacetsA), B: JSONFacets(c.FacetsB)},
		Differences: append([]string{}, c.Differences...),
		WhenToUse:   append([]string{}, c.WhenToUse...),
		LearnMore:   []JSONRelated{},
	}
	for _, r := range c.LearnMore {
		j.LearnMore = append(j.LearnMore, JSONRelated(r))
	}
	return j
}

// CodesJSON lists the catalog for "smtpbot codes --json".
func CodesJSON(cat *catalog.Catalog, lang *locales.Lang) []JSONCode {
	out := []JSONCode{}
	for _, e := range cat.Entries() {
		t, _ := lang.Code(e.Key)
		refs := []JSONRef{}
		for _, r := range e.Refs {
			refs = append(refs, JSONRef{RFC: r.RFC, Draft: r.Draft, Section: r.Section, Text: RefText(lang, r)})
		}
		out = append(out, JSONCode{Code: e.Key, Kind: string(e.Kind), RegistryTitle: e.Title,
			Title: t.Title, Actor: string(e.Actor), References: refs, DeprecatedBy: e.DeprecatedBy})
	}
	return out
}
