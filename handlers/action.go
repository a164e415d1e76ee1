package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/smtpcodes/smtpbot/catalog"
)

// action answers a click on one of the bot's buttons or selects. A value
// that does not decode (an old message, a hand-made payload) is logged and
// skipped: the click cannot be honoured, and Slack has already been acked.
func (rt *Router) action(ctx context.Context, req Request) []Reply {
	a := req.Action
	if a == nil {
		return nil
	}
	id, arg, _ := strings.Cut(a.ActionID, ":")
	switch id {
	case actionLang:
		st, err := decodeState(a.Value)
		if err != nil {
			rt.log.Warn("language button with a bad value skipped", "err", err)
			return nil
		}
		lang := rt.eng.Languages().Match(st.Lang)
		start := time.Now()
		r := rt.reply(req, DeliverReplace, rt.render(lang, st))
		rt.phase(req.Source, PhaseRender, start)
		if !a.Ephemeral {
			// Only the response URL can replace an ephemeral message;
			// others are updated with chat.update for everyone.
			r.MessageTS, r.ResponseURL = a.MessageTS, ""
		}
		return []Reply{r}
	case actionShare:
		st, err := decodeState(a.Value)
		if err != nil {
			rt.log.Warn("share button with a bad value skipped", "err", err)
			return nil
		}
		lang := rt.eng.Languages().Match(st.Lang)
		start := time.Now()
		m := rt.render(lang, st)
		rt.phase(req.Source, PhaseRender, start)
		m.blocks = append(m.blocks, contextText(lang.T("slack.shared_by", "user", "<@"+req.UserID+">")))
		return []Reply{rt.reply(req, DeliverChannel, m)}
	case actionCompare:
		parts := strings.Split(a.Value, "|")
		if len(parts) != 3 {
			rt.log.Warn("compare select with a bad value skipped", "value", a.Value)
			return nil
		}
		lang := rt.eng.Languages().Match(parts[0])
		st := state{Lang: lang.Tag, Compare: true, Codes: parts[1:], Shareable: true}
		start := time.Now()
		m := rt.render(lang, st)
		rt.phase(req.Source, PhaseRender, start)
		return []Reply{rt.reply(req, DeliverEphemeral, m)}
	case actionDiagnose:
		return rt.diagnoseClick(req)
	case actionHomeLang:
		l, ok := rt.eng.Languages().Get(a.Value)
		if ok && rt.prefs != nil {
			if err := rt.prefs.SaveLanguage(ctx, req.UserID, l.Tag); err != nil {
				rt.log.Error("saving a language choice failed", "user", req.UserID, "err", err)
			}
		}
		return rt.home(ctx, req, "")
	case actionHomeCode:
		return rt.home(ctx, req, arg)
	}
	rt.log.Warn("unknown action skipped", "action_id", a.ActionID)
	return nil
}

// commonCodes are offered on App Home: the codes on-call people meet most.
var commonCodes = []string{"550 5.1.1", "550 5.7.26", "421 4.7.0", "451 4.4.1", "552 5.2.2", "554 5.7.1", "550 5.7.1", "4.4.7"}

// home renders the App Home tab: how to use the bot, the user's language
// with a picker, common codes to explore, and the one last picked.
func (rt *Router) home(ctx context.Context, req Request, code string) []Reply {
	lang := rt.language(ctx, req, "")
	blocks := rt.homeBlocks(lang)
	if c, err := catalog.Parse(code); err == nil {
		x := rt.eng.Explain(lang, c, "")
		blocks = append(blocks, dividerBlock())
		blocks = append(blocks, explanationBlocks(&x, renderOptions{mask: rt.opts.MaskAddresses})...)
	}
	return []Reply{{Delivery: DeliverHome, UserID: req.UserID, Text: lang.T("home.title"), Blocks: blocks}}
}
