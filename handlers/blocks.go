package handlers

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

// Slack's limits on a message (api.slack.com/reference/block-kit/blocks).
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxHeaderText  = 150
	maxContextText = 2000
	// maxFullExplanations bounds how many codes of one paste are explained
	// in full; the rest are listed one line each, so a bounce with thirty
	// codes stays readable and inside maxBlocks.
	maxFullExplanations = 3
	// maxServerText bounds the quote of the server's words.
	maxServerText = 600
)

var severityEmoji = map[catalog.Severity]string{
	catalog.SeveritySuccess:      ":large_green_circle:",
	catalog.SeverityIntermediate: ":large_blue_circle:",
	catalog.SeveritySoft:         ":large_yellow_circle:",
	catalog.SeverityHard:         ":red_circle:",
	catalog.SeverityCommand:      ":large_yellow_circle:",
	catalog.SeverityDelayed:      ":hourglass_flowing_sand:",
}

func header(text string) slack.Block {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncateRunes(text, maxHeaderText), true, false))
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(text, maxSectionText), false, false), nil, nil)
}

func contextText(text string) slack.Block {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, truncate(text, maxContextText), false, false))
}

// bold makes a mrkdwn heading; headings come from our own files, but are
// escaped anyway so a translator's "<" cannot break the message.
func bold(s string) string { return "*" + escape(s) + "*" }

// renderOptions says how to render untrusted text.
type renderOptions struct {
	mask bool // mask the local part of email addresses
}

// explanationBlocks renders one explanation: header, class and verdict at a
// glance, the server's words, meaning, when you see it, how to fix, the
// provider's reading, and references.
func explanationBlocks(x *Explanation, o renderOptions) []slack.Block {
	l := x.Lang
	// The class, and after it the subject when there is one, escaped in
	// pieces (escaping works byte by byte) and written straight into the
	// texts below rather than joined first.
	class, sep, subject := escape(x.ClassText), "", ""
	if x.SubjectText != "" {
		sep, subject = " · ", escape(x.SubjectText)
	}
	blocks := make([]slack.Block, 1, 12) // header, verdict, server text, provider or meaning, when, fix, notes, references
	blocks[0] = header(x.Heading())
	if len(x.Recipients) > 0 {
		to := strings.Join(x.Recipients, ", ")
		if o.mask {
			to = maskAddresses(to)
		}
		blocks = append(blocks, contextText(bold(l.T(x.recipientsKey()))+": "+escape(to)))
	}
	// A failure's reason and next step lead, before the code's general
	// explanation: they are what the reader acts on.
	if out := x.Outcome; out != nil {
		blocks = append(blocks,
			outcomeSection(l, out),
			contextText(severityEmoji[x.Severity]+" "+escape(out.Why)+"\n"+bold(l.T("heading.actor"))+": "+escape(x.ActorText)+
				" · "+class+sep+subject+"\n_"+escape(l.T("heading.reason"))+": "+escape(out.SourceText)+"_"),
		)
	} else {
		blocks = append(blocks, contextText(severityEmoji[x.Severity]+" "+bold(l.T("severity."+string(x.Severity)))+" · "+class+sep+subject+
			"\n"+bold(l.T("heading.actor"))+": "+escape(x.ActorText)+" · "+escape(x.RetryText)))
	}
	if x.ServerText != "" {
		quoted := x.ServerText
		if o.mask {
			quoted = maskAddresses(quoted)
		}
		blocks = append(blocks, section(bold(l.T("heading.server_text"))+"\n```"+escape(truncate(quoted, maxServerText))+"```"))
	}
	// A provider's own meaning is what the server meant, so it leads. The
	// registry's meaning follows, marked as general; its examples and fix
	// may not apply to what this server meant, so they are left out.
	if p := x.Provider; p.HasMeaning() {
		blocks = append(blocks,
			section(bold(l.T("heading.provider", "provider", p.Name))+"\n"+escape(p.Meaning)),
			section(bold(l.T("heading.provider_fix", "provider", p.Name))+"\n"+escape(p.Fix)),
			contextText(escape(l.T("heading.registry"))+": *"+escape(x.Code.String()+" "+x.Title)+"*\n"+escape(x.Meaning)),
		)
	} else {
		blocks = append(blocks,
			section(bold(l.T("heading.meaning"))+"\n"+escape(x.Meaning)),
			section(bold(l.T("heading.when"))+"\n"+escape(x.When)),
		)
		if x.Fix != "" {
			blocks = append(blocks, section(bold(l.T("heading.fix"))+"\n"+fixText(x)))
		}
		if p := x.Provider; p != nil {
			blocks = append(blocks, contextText(":incoming_envelope: "+escape(l.T("heading.provider_seen", "provider", p.Name, "url", p.Docs))))
		}
	}
	main := x.mainPart()
	var notes []string
	for _, p := range x.Parts() {
		if p != main {
			notes = append(notes, bold(p.Code+" "+p.Title)+": "+escape(p.Meaning))
		}
		if p.Deprecated != "" {
			notes = append(notes, escape(p.Deprecated))
		}
	}
	if len(notes) > 0 {
		blocks = append(blocks, section(strings.Join(notes, "\n")))
	}
	return append(blocks, contextText(":book: "+escape(l.T("heading.references"))+": "+escape(refsText(l, x))))
}

// outcomeSection is a failure's reason and next step, which lead its card.
func outcomeSection(l *locales.Lang, o *Outcome) slack.Block {
	return section(bold(l.T("heading.reason")) + ": " + bold(o.ReasonTitle) + "\n" + escape(o.ReasonText) +
		"\n" + bold(l.T("heading.action")) + ": " + bold(o.ActionTitle) + "\n" + escape(o.ActionText))
}

// fixText is the fix in mrkdwn, one bullet per step with its party when
// the steps address more than one party.
func fixText(x *Explanation) string {
	if !x.PartiesDiffer() {
		return escape(x.Fix)
	}
	lines := make([]string, len(x.Steps))
	for i, s := range x.Steps {
		lines[i] = "• " + bold(x.Lang.T("actor."+string(s.Party))) + ": " + escape(s.Text)
	}
	return strings.Join(lines, "\n")
}

// summaryLine is one code in a list: emoji, code, title.
func summaryLine(x *Explanation) string {
	return severityEmoji[x.Severity] + " *" + escape(x.Code.String()) + "* " + escape(x.Title)
}

// comparisonBlocks renders a comparison in the reference-page shape.
func comparisonBlocks(c *Comparison) []slack.Block {
	l := c.Lang
	blocks := []slack.Block{header(c.Title), section(escape(c.Summary))}
	if c.Note != "" {
		blocks = append(blocks, section(bold(l.T("heading.note"))+"\n"+escape(c.Note)))
	}
	sides := []*Explanation{&c.A, &c.B}
	if c.Same {
		sides = sides[:1]
	}
	for _, x := range sides {
		blocks = append(blocks, slack.NewDividerBlock(),
			section(summaryLine(x)+"\n"+escape(x.ClassText)+" · "+escape(x.ActorText)),
			section(bold(l.T("heading.meaning"))+"\n"+escape(x.Meaning)),
			section(bold(l.T("heading.when"))+"\n"+escape(x.When)),
			section(bold(l.T("heading.fix"))+"\n"+escape(x.Fix)),
		)
	}
	if len(c.Differences) > 0 {
		var b strings.Builder
		size := 64
		for _, d := range c.Differences {
			size += len(d) + 8
		}
		b.Grow(size)
		b.WriteString(bold(l.T("heading.differences")))
		for i, d := range c.Differences {
			b.WriteByte('\n')
			b.WriteString(strconv.Itoa(i + 1))
			b.WriteString(". ")
			b.WriteString(escape(d))
		}
		blocks = append(blocks, slack.NewDividerBlock(), section(b.String()))
	}
	if len(c.LearnMore) > 0 {
		var titles []string
		for _, r := range c.LearnMore {
			titles = append(titles, escape(r.Title)+" (`/smtp "+r.A+" vs "+r.B+"`)")
		}
		blocks = append(blocks, contextText(":books: "+bold(l.T("heading.learn_more"))+"\n"+strings.Join(titles, "\n")))
	}
	return blocks
}
