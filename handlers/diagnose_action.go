package handlers

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/locales"
)

// DiagnoseMode says how the live DNS checks are offered in Slack.
type DiagnoseMode string

// The modes; DIAGNOSE=off is a nil Options.Diagnoser.
const (
	// DiagnoseButton offers a "Check DNS" button under every explanation
	// of a bounce that has something to check. It is the default.
	DiagnoseButton DiagnoseMode = "button"
	// DiagnoseAuto runs the checks at once and follows the explanation
	// with their result.
	DiagnoseAuto DiagnoseMode = "auto"
)

// checkPlan is a diagnose.Plan small enough to ride in a button's value
// with the rest of the state: domains and an IP, never an address.
type checkPlan struct {
	Recipient string   `json:"r,omitempty"`
	From      string   `json:"f,omitempty"`
	MailFrom  string   `json:"m,omitempty"`
	IP        string   `json:"i,omitempty"`
	DKIM      string   `json:"d,omitempty"`
	Selector  string   `json:"s,omitempty"`
	Lists     []string `json:"b,omitempty"`
	Needs     uint8    `json:"n"`
}

func (p *checkPlan) plan() diagnose.Plan {
	ip, _ := netip.ParseAddr(p.IP)
	return diagnose.Plan{Needs: diagnose.Need(p.Needs), Targets: diagnose.Targets{
		Recipient: p.Recipient, From: p.From, MailFrom: p.MailFrom, IP: ip,
		DKIMDomain: p.DKIM, DKIMSelector: p.Selector, Lists: p.Lists,
	}}
}

// checkPlan reads what a pasted text lets one check; nil when the checks
// are off or there is nothing to check.
func (rt *Router) checkPlan(r Report) *checkPlan {
	d := rt.opts.Diagnoser
	if d == nil || r.text == "" {
		return nil
	}
	p := diagnose.FromExtraction(r.text, r.found)
	if d.Planned(p) == 0 {
		return nil
	}
	t := p.Targets
	cp := &checkPlan{Recipient: t.Recipient, From: t.From, MailFrom: t.MailFrom, DKIM: t.DKIMDomain,
		Selector: t.DKIMSelector, Lists: t.Lists, Needs: uint8(p.Needs)}
	if t.IP.IsValid() {
		cp.IP = t.IP.String()
	}
	return cp
}

// diagnoseButton is "Check DNS"; its value is the whole state, so that the
// click can show the explanation again with the checks under it.
func (rt *Router) diagnoseButton(lang *locales.Lang, st state) slack.BlockElement {
	st.Shareable = false
	return slack.NewButtonBlockElement(actionDiagnose, st.encode(),
		slack.NewTextBlockObject(slack.PlainTextType, ":mag: "+lang.T("diagnose.button"), true, false))
}

// diagnoseClick answers "Check DNS": the message is first updated to say
// how many records are being checked (without the button, so a second
// click cannot start the checks twice), then, once they ran, replaced by
// the explanation with the checks under it.
func (rt *Router) diagnoseClick(req Request) []Reply {
	a := req.Action
	st, err := decodeState(a.Value)
	d := rt.opts.Diagnoser
	if err != nil || st.Check == nil || d == nil {
		rt.log.Warn("Check DNS button skipped", "bad_value", err != nil, "enabled", d != nil)
		return nil
	}
	lang := rt.eng.Languages().Match(st.Lang)
	plan := st.Check.plan()
	bare := st
	bare.Check = nil
	progress := rt.render(lang, bare)
	progress.blocks = append(progress.blocks, contextText(":hourglass_flowing_sand: "+escape(lang.T("diagnose.progress", "count", strconv.Itoa(d.Planned(plan))))))
	r := rt.reply(req, DeliverReplace, progress)
	if !a.Ephemeral {
		r.MessageTS, r.ResponseURL = a.MessageTS, ""
	}
	r.Then = func(ctx context.Context) []Reply {
		view := Describe(lang, d.Diagnose(ctx, plan), CheckCommandSlash)
		m := rt.render(lang, st)
		blocks := diagnosisBlocks(&view)
		if len(m.blocks)+1+len(blocks) > maxBlocks {
			// The explanation is in the thread's other messages; the
			// checks are what was asked for.
			m.blocks = m.blocks[len(m.blocks)-1:] // the row of buttons
		}
		m.blocks = append(m.blocks[:len(m.blocks):len(m.blocks)], slack.NewDividerBlock())
		m.blocks = append(m.blocks, blocks...)
		return []Reply{{Text: m.text + " · " + view.Summary, Blocks: m.blocks}}
	}
	return []Reply{r}
}

// autoDiagnosis follows an explanation with its checks, as a message of
// their own where the explanation went (DIAGNOSE=auto).
func (rt *Router) autoDiagnosis(lang *locales.Lang, cp *checkPlan) func(ctx context.Context) []Reply {
	d := rt.opts.Diagnoser
	plan := cp.plan()
	return func(ctx context.Context) []Reply {
		view := Describe(lang, d.Diagnose(ctx, plan), CheckCommandSlash)
		return []Reply{{Text: lang.T("diagnose.title") + ": " + view.Summary, Blocks: diagnosisBlocks(&view)}}
	}
}

// checkCommandFor is the check command where a "check" was typed: the
// slash command, or "check" in a DM or a mention. Under a bounce (the
// button, DIAGNOSE=auto) a summary names the slash command, which works in
// every channel, thread and DM.
func checkCommandFor(slash bool) string {
	if slash {
		return CheckCommandSlash
	}
	return CheckCommandDM
}

// checkCommand answers "/smtp check example.com 192.0.2.4" (and "check
// ..." in DMs and mentions). The answer says how many records are being
// checked, then is replaced by the checks once they ran (within their 3 s
// bound): through the response URL for a slash command; in a DM or a
// thread, the bot replaces the message it posted.
func (rt *Router) checkCommand(args string, lang *locales.Lang, slash bool) message {
	d := rt.opts.Diagnoser
	if d == nil {
		return textMessage(lang.T("diagnose.off"))
	}
	if strings.TrimSpace(args) == "" {
		return rt.usageMessage(lang, lang.T("diagnose.no_target"), slash)
	}
	plans, err := diagnose.ParseTargets(strings.Fields(args))
	if err != nil || len(plans) == 0 {
		return rt.usageMessage(lang, lang.T("diagnose.bad_target", "input", args), slash)
	}
	result := func(ctx context.Context) message {
		view := Describe(lang, d.Diagnose(ctx, plans...), checkCommandFor(slash))
		return message{text: lang.T("diagnose.title") + ": " + view.Summary, blocks: diagnosisBlocks(&view)}
	}
	m := textMessage(":hourglass_flowing_sand: " + lang.T("diagnose.progress", "count", strconv.Itoa(d.Planned(plans...))))
	m.then = func(ctx context.Context) []Reply {
		r := result(ctx)
		return []Reply{{Delivery: DeliverReplace, Text: r.text, Blocks: r.blocks}}
	}
	return m
}
