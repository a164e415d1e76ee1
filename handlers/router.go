package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/handlers/intent"

	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/locales"
)

// Options tune the router.
type Options struct {
	// DefaultLocale is used when nothing else says which language a user
	// reads.
	DefaultLocale string
	// MaskAddresses hides the local part of email addresses quoted from
	// bounces: "j***@example.com".
	MaskAddresses bool
	// MinConfidence is how sure the extractor must be that a channel
	// message is a bounce before the bot answers it unasked.
	MinConfidence float64
	// Diagnoser runs the live DNS checks behind a bounce; nil turns them
	// off. Diagnose says how they are offered: DiagnoseButton (the
	// default) or DiagnoseAuto.
	Diagnoser *diagnose.Diagnoser
	Diagnose  DiagnoseMode
	// Observer is told how long extraction and rendering take; none when
	// nil.
	Observer Observer
}

// DefaultMinConfidence keeps the bot silent on chatter such as "550 people
// came" while answering a pasted server line.
const DefaultMinConfidence = 0.5

// Router answers every kind of request. It is safe for concurrent use.
type Router struct {
	eng   *Engine
	prefs Prefs
	opts  Options
	log   *slog.Logger
	// menus holds the compare menus built, by compareMenuKey.
	menus sync.Map
}

// NewRouter returns a router over an engine. prefs answers language
// questions about users.
func NewRouter(eng *Engine, prefs Prefs, opts Options, log *slog.Logger) *Router {
	if opts.MinConfidence == 0 {
		opts.MinConfidence = DefaultMinConfidence
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	return &Router{eng: eng, prefs: prefs, opts: opts, log: log}
}

// Handle turns a request into replies; none means "stay silent". A panic
// inside is logged and answered with an apology rather than lost.
func (rt *Router) Handle(ctx context.Context, req Request) (replies []Reply) {
	defer func() {
		if p := recover(); p != nil {
			rt.log.Error("handler panicked", "source", req.Source, "channel", req.ChannelID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			replies = rt.apology(ctx, req)
		}
	}()
	if req.Cut.Cut() {
		defer func() { replies = rt.noteCut(ctx, req, replies) }()
	}
	switch req.Source {
	case SourceSlash:
		return rt.command(ctx, req, true)
	case SourceDM:
		return rt.command(ctx, req, false)
	case SourceMessage:
		return rt.paste(ctx, req)
	case SourceMention:
		return rt.mention(ctx, req)
	case SourceShortcut:
		return rt.shortcut(ctx, req)
	case SourceAction:
		return rt.action(ctx, req)
	case SourceHome:
		return rt.home(ctx, req, "")
	}
	rt.log.Warn("request of unknown source skipped", "source", req.Source)
	return nil
}

// language picks the reader's language: an explicit choice for this answer,
// the user's saved choice, the language of what they wrote (its script, its
// letters, its words), their Slack locale, the workspace default, English.
func (rt *Router) language(ctx context.Context, req Request, explicit string) *locales.Lang {
	langs := rt.eng.Languages()
	if l, ok := langs.Get(explicit); ok {
		return l
	}
	if req.UserID != "" && rt.prefs != nil {
		if l, ok := langs.Get(rt.prefs.SavedLanguage(ctx, req.UserID)); ok {
			return l
		}
	}
	if l, ok := langs.Get(intent.Language(req.Text)); ok {
		return l
	}
	if l := langs.Detect(req.Text); l != nil {
		return l
	}
	locale := ""
	if req.UserID != "" && rt.prefs != nil {
		locale = rt.prefs.SlackLocale(ctx, req.UserID)
	}
	return langs.Match(locale, rt.opts.DefaultLocale)
}

// reply addresses a reply to where the request came from.
func (rt *Router) reply(req Request, d Delivery, m message) Reply {
	r := Reply{Delivery: d, ChannelID: req.ChannelID, UserID: req.UserID, ResponseURL: req.ResponseURL, Text: m.text, Blocks: m.blocks, Then: m.then}
	if d == DeliverThread {
		r.ThreadTS = req.ThreadTS
		if r.ThreadTS == "" {
			r.ThreadTS = req.TS
		}
	}
	return r
}

// command answers /smtp (ephemeral, with a share button) and DMs (a plain
// conversation).
func (rt *Router) command(ctx context.Context, req Request, slash bool) []Reply {
	cmd := ParseCommand(req.Text)
	lang := rt.language(ctx, req, cmd.Lang)
	d := DeliverChannel
	if slash {
		d = DeliverEphemeral
	}
	st := state{Lang: lang.Tag, Shareable: slash}
	m := rt.answer(ctx, req, cmd, lang, st, slash)
	return []Reply{rt.reply(req, d, m)}
}

// answer renders the reply to a parsed command. slash says whether hints
// should write commands as "/smtp 550" or, in DMs and mentions, as "550".
func (rt *Router) answer(ctx context.Context, req Request, cmd Command, lang *locales.Lang, st state, slash bool) message {
	switch cmd.Verb {
	case VerbCodes:
		return rt.codesMessage(lang)
	case VerbLang:
		return rt.setLanguage(ctx, req, cmd.Lang, lang)
	case VerbInvalid:
		return rt.usageMessage(lang, ErrorText(lang, cmd.Err), slash)
	case VerbCheck:
		return rt.checkCommand(cmd.Text, lang, slash)
	case VerbExplain, VerbCompare:
		if m, ok := rt.pastedWorded(lang, st, cmd.Verb, req.Text); ok {
			return m
		}
		named := rt.eng.NamedProvider(req.Text, cmd)
		if cmd.Verb == VerbExplain {
			if r, ok := rt.eng.typedReply(lang, cmd.Codes, req.Text, named); ok {
				// "เมลเด้งกลับ 550 5.1.1 User unknown": the server's words
				// follow the code.
				return rt.renderReport(lang, st, r)
			}
		}
		st.fromCommand(cmd)
		if named != nil && cmd.Verb == VerbExplain {
			st.Provider = named.ID
		}
		start := time.Now()
		defer rt.phase(req.Source, PhaseRender, start)
		return rt.render(lang, st)
	case VerbPaste:
		start := time.Now()
		report := rt.eng.ExplainTextNamed(lang, cmd.Text, rt.eng.NamedProvider(req.Text, cmd))
		start = rt.phase(req.Source, PhaseExtract, start)
		if len(report.Worded) > 0 {
			// Read only when no code reports a failure: the words do.
			return rt.renderWorded(lang, st, report)
		}
		if len(report.Explanations) == 0 {
			return rt.usageMessage(lang, lang.T("slack.no_codes"), slash)
		}
		defer rt.phase(req.Source, PhaseRender, start)
		return rt.renderReport(lang, st, report)
	case VerbSearch:
		// A bounce is answered for what it says, before codes its words
		// happen to match.
		if m, ok := rt.wordedBounce(lang, st, cmd.Text); ok {
			return m
		}
		if m, ok := rt.searchMessage(lang, cmd, slash); ok {
			return m
		}
		return rt.chatMessage(lang, cmd, slash)
	case VerbChat:
		if m, ok := rt.wordedBounce(lang, st, cmd.Text); ok {
			return m
		}
		return rt.chatMessage(lang, cmd, slash)
	}
	return rt.helpMessage(lang, slash)
}

// paste answers a channel message only when it is a bounce with a failure
// in it, in the message's thread; chatter with numbers gets nothing.
func (rt *Router) paste(ctx context.Context, req Request) []Reply {
	start := time.Now()
	x := extract.Extract(req.Text)
	read := time.Since(start)
	if x.Confidence < rt.opts.MinConfidence || !hasFailure(x.Findings) || chatter(req.Text, x) {
		rt.opts.Observer.Phase(string(req.Source), PhaseExtract, time.Since(start))
		return nil
	}
	lang := rt.language(ctx, req, "") // may ask the store: not extraction
	start = time.Now()
	report := rt.eng.explainExtraction(lang, req.Text, x, nil)
	rt.opts.Observer.Phase(string(req.Source), PhaseExtract, read+time.Since(start))
	start = time.Now()
	m := rt.renderReport(lang, state{Lang: lang.Tag}, report)
	rt.phase(req.Source, PhaseRender, start)
	return []Reply{rt.reply(req, DeliverThread, m)}
}

func hasFailure(fs []extract.Finding) bool {
	for _, f := range fs {
		if f.Role == extract.RoleFailure {
			return true
		}
	}
	return false
}

// mention answers "@bot 421?" in the thread; a bare mention under a bounce
// explains the thread's parent.
func (rt *Router) mention(ctx context.Context, req Request) []Reply {
	text := stripMentions(req.Text)
	cmd := ParseCommand(text)
	if strings.TrimSpace(req.ParentText) != "" && rt.aboutParent(cmd) {
		cmd = Command{Verb: VerbPaste, Lang: cmd.Lang, Text: req.ParentText}
	}
	if cmd.Verb == VerbPaste && req.ParentText != "" {
		start := time.Now()
		none := len(extract.Extract(cmd.Text).Findings) == 0
		rt.phase(req.Source, PhaseExtract, start)
		if none {
			cmd.Text = req.ParentText
		}
	}
	if cmd.Verb == VerbPaste && cmd.Text == req.ParentText {
		// The thread's bounce is answered: its language, unless the
		// mention named one. A reply the asker pasted with words of
		// their own around it ("gmail trả về 421-4.7.0 ...") keeps
		// those words for the language and the provider they name.
		text = cmd.Text
	}
	req.Text = text // the language is the question's, or the bounce's
	lang := rt.language(ctx, req, cmd.Lang)
	m := rt.answer(ctx, req, cmd, lang, state{Lang: lang.Tag}, false)
	return []Reply{rt.reply(req, DeliverThread, m)}
}

// aboutParent reports whether a mention in a thread asks about the thread's
// parent: "@bot?", "@bot what does this mean?", "@bot explain", but not
// "@bot thanks" or "@bot 421?".
func (rt *Router) aboutParent(cmd Command) bool {
	switch cmd.Verb {
	case VerbHelp:
		return true
	case VerbChat:
		return cmd.Tone != intent.ToneThanks && cmd.Tone != intent.ToneGreeting
	case VerbSearch:
		return len(rt.eng.Search(rt.eng.Languages().Fallback(), cmd.Text)) == 0
	}
	return false
}

// shortcut answers "Explain SMTP codes" on a message, to its user only. The
// message may be a question ("550 vs 554?") as well as a bounce.
func (rt *Router) shortcut(ctx context.Context, req Request) []Reply {
	lang := rt.language(ctx, req, "")
	st := state{Lang: lang.Tag, Shareable: true}
	if len(req.Text) <= maxQuestion {
		switch cmd := fromIntent(intent.Parse(req.Text), "", req.Text); cmd.Verb {
		case VerbExplain, VerbCompare:
			if m, ok := rt.pastedWorded(lang, st, cmd.Verb, req.Text); ok {
				return []Reply{rt.reply(req, DeliverEphemeral, m)}
			}
			if cmd.Verb == VerbExplain {
				if r, ok := rt.eng.typedReply(lang, cmd.Codes, req.Text, nil); ok {
					return []Reply{rt.reply(req, DeliverEphemeral, rt.renderReport(lang, st, r))}
				}
			}
			st.fromCommand(cmd)
			start := time.Now()
			m := rt.render(lang, st)
			rt.phase(req.Source, PhaseRender, start)
			return []Reply{rt.reply(req, DeliverEphemeral, m)}
		case VerbSearch:
			if m, ok := rt.searchMessage(lang, cmd, false); ok {
				return []Reply{rt.reply(req, DeliverEphemeral, m)}
			}
		}
	}
	start := time.Now()
	report := rt.eng.ExplainText(lang, req.Text)
	start = rt.phase(req.Source, PhaseExtract, start)
	if len(report.Worded) > 0 {
		// Read only when no code reports a failure: the words do.
		return []Reply{rt.reply(req, DeliverEphemeral, rt.renderWorded(lang, st, report))}
	}
	if len(report.Explanations) == 0 {
		return []Reply{rt.reply(req, DeliverEphemeral, textMessage(lang.T("slack.shortcut_none")))}
	}
	m := rt.renderReport(lang, st, report)
	rt.phase(req.Source, PhaseRender, start)
	return []Reply{rt.reply(req, DeliverEphemeral, m)}
}

// stripMentions removes "<@U123>" mentions of the bot from a mention's text.
func stripMentions(s string) string {
	for {
		i := strings.Index(s, "<@")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+1:]
	}
}

// apology tells the user something went wrong instead of leaving silence.
func (rt *Router) apology(ctx context.Context, req Request) []Reply {
	if req.Source == SourceMessage || req.Source == SourceHome {
		return nil // unasked, so nobody is waiting
	}
	lang := rt.eng.Languages().Match(rt.opts.DefaultLocale)
	d := DeliverEphemeral
	switch req.Source {
	case SourceMention:
		d = DeliverThread
	case SourceDM:
		d = DeliverChannel
	}
	return []Reply{rt.reply(req, d, textMessage(lang.T("slack.error")))}
}
