package bot

import (
	"strings"

	"github.com/slack-go/slack"
)

// plainText turns a message's text as Slack sends it back into what the
// person pasted. Slack escapes &, < and > as entities and wraps the links
// and addresses it recognised in angle brackets, so a bounce's
// "<a@example.com>: host mx.example.com said: 550 5.1.1 ..." arrives as
// "&lt;<mailto:a@example.com|a@example.com>&gt;: host mx.example.com said:
// ...": quoted as the server's words, that markup would be shown back, and
// a link's label is what was written. Mentions ("<@U123>", "<#C1|ops>",
// "<!here>") are kept: the handlers read them, as they do `inline code`.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&`") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	// Each '>' is found once, and the '<' that opens its span looked for
	// back from it, over bytes not yet read: linear, whatever the text.
	for {
		j := strings.IndexByte(s, '>')
		if j < 0 {
			break
		}
		i := strings.LastIndexByte(s[:j], '<')
		inner := s[i+1 : j]
		switch {
		case i < 0 || inner == "" || strings.IndexByte(inner, '\n') >= 0:
			// Not Slack's markup: keep it as it came.
			b.WriteString(s[:j+1])
		case inner[0] == '@' || inner[0] == '#' || inner[0] == '!':
			b.WriteString(s[:j+1])
		default:
			b.WriteString(s[:i])
			if k := strings.IndexByte(inner, '|'); k >= 0 {
				inner = inner[k+1:]
			}
			b.WriteString(strings.TrimPrefix(inner, "mailto:"))
		}
		s = s[j+1:]
	}
	b.WriteString(s)
	return entities.Replace(b.String())
}

// entities are the only ones Slack writes in a message's text; a code
// block's fence ("```Reporting-MTA: dns; ...```") is Slack's too, and
// becomes the line break it stands for, so that the first and last lines
// of a pasted bounce start and end as they did.
var entities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "```", "\n")

// maxAttachments bounds the attachments read from one message.
const maxAttachments = 5

// withAttachments is a message's text followed by the text of what it
// forwards or attaches, each after a blank line: a bounce shared from
// another channel (Slack's "Forward message") arrives as an attachment,
// with the sharer's comment as the message's own text, and alerting tools
// post theirs as attachments.
func withAttachments(text string, atts []slack.Attachment) string {
	for i := range atts {
		if i == maxAttachments {
			break
		}
		t := atts[i].Text
		if t == "" {
			t = atts[i].Fallback
		}
		if t = strings.TrimSpace(t); t != "" {
			if text != "" {
				text += "\n\n"
			}
			text += t
		}
	}
	return text
}

// attachedFiles are the files of what a message forwards.
func attachedFiles(files []slack.File, atts []slack.Attachment) []slack.File {
	for i := range atts {
		if i == maxAttachments {
			break
		}
		files = append(files, atts[i].Files...)
	}
	return files
}
