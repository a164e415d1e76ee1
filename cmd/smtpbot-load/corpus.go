package main

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog/extract"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// text is one message body the tool can send, with a name for reports.
type text struct {
	name string
	body string
}

// corpus is what the tool sends: bounces the bot must answer, chatter it
// must not, slash command texts and mention texts.
type corpus struct {
	bounces  []text
	chatter  []text
	slash    []string
	mentions []string
	// parent is the bounce that thread mentions sit under.
	parent string
}

// bounceSizes are the sizes of the generated bounces: from a short paste
// to Slack's 40,000-character limit for a message.
var bounceSizes = []int{1000, 2000, 4000, 8000, 16000, 40000}

// answered tells, by the router's rule for a message pasted in a channel,
// whether the bot answers text: a failure found, with at least
// minConfidence that the text is a bounce.
func answered(body string, minConfidence float64) bool {
	x := extract.Extract(body)
	if x.Confidence < minConfidence {
		return false
	}
	for _, f := range x.Findings {
		if f.Role == extract.RoleFailure {
			return true
		}
	}
	return false
}

// newCorpus builds the generated texts, adds the *.txt files of the given
// directories (a missing directory is skipped), and sorts every text into
// bounces or chatter by what the bot does with it. A generated text that
// lands on the wrong side is an error: the tool's expectations would be
// wrong.
func newCorpus(fixtureDirs []string, minConfidence float64) (*corpus, []string, error) {
	c := &corpus{
		slash: []string{
			"550 5.1.1", "compare 421 450", "214 vs 556", "5.7.26", "421", "4.4.1", "help",
			"552 5.2.2 lang:vi", "550 lang:th", "codes",
		},
		mentions: []string{
			"<@" + fakeslack.DefaultBotUserID + "> 421?",
			"<@" + fakeslack.DefaultBotUserID + "> what does 5.7.26 mean",
			"<@" + fakeslack.DefaultBotUserID + "> compare 421 450",
			"<@" + fakeslack.DefaultBotUserID + "> 550 5.1.1 lang:th",
		},
	}
	for _, t := range generatedBounces() {
		if !answered(t.body, minConfidence) {
			return nil, nil, fmt.Errorf("generated bounce %s would not be answered", t.name)
		}
		c.bounces = append(c.bounces, t)
	}
	// A short bounce also goes in slash commands, as "/smtp <paste>".
	c.slash = append(c.slash, c.bounces[0].body)
	c.parent = c.bounces[0].body
	for _, t := range generatedChatter() {
		if answered(t.body, minConfidence) {
			return nil, nil, fmt.Errorf("chatter %s would be answered", t.name)
		}
		c.chatter = append(c.chatter, t)
	}
	var used []string
	for _, dir := range fixtureDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		if len(files) == 0 {
			continue
		}
		slices.Sort(files)
		used = append(used, dir)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, err
			}
			t := text{name: f, body: string(data)}
			if answered(t.body, minConfidence) {
				c.bounces = append(c.bounces, t)
			} else {
				c.chatter = append(c.chatter, t)
			}
		}
	}
	return c, used, nil
}

// failure is what a generated bounce reports.
type failure struct {
	reply, enhanced, text string
}

var failures = []failure{
	{"550", "5.1.1", "Recipient address rejected: User unknown in virtual mailbox table"},
	{"552", "5.2.2", "Mailbox full: quota exceeded"},
	{"554", "5.7.1", "Relay access denied"},
	{"550", "5.7.26", "Unauthenticated email from example.net is not accepted due to domain's DMARC policy"},
	{"451", "4.7.1", "Greylisted, please try again later"},
}

// generatedBounces renders four kinds of bounce (Postfix DSN as raw MIME,
// an Exchange Online NDR as pasted from Outlook, Gmail's notice, Exim's)
// at every size of bounceSizes, each with the returned message padded to
// the size.
func generatedBounces() []text {
	kinds := []struct {
		name string
		head func(failure) string
		tail string
	}{
		{"postfix-dsn", postfixHead, "\n--4F3A2B5501.1714568101/mx.example.net--\n"},
		{"exchange-ndr", exchangeHead, ""},
		{"gmail", gmailHead, ""},
		{"exim", eximHead, ""},
	}
	var out []text
	n := 0
	for _, k := range kinds {
		for _, size := range bounceSizes {
			f := failures[n%len(failures)]
			n++
			body := k.head(f) + returnedMessage(size-len(k.tail)-len(k.head(f)), uint64(n)) + k.tail
			out = append(out, text{name: fmt.Sprintf("%s-%dk", k.name, size/1000), body: body})
		}
	}
	return out
}

func postfixHead(f failure) string {
	return `Return-Path: <>
Received: by mx.example.net (Postfix)
	id 4F3A2B5501; Wed,  1 May 2024 12:55:01 +0000 (UTC)
Date: Wed,  1 May 2024 12:55:01 +0000 (UTC)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: alice@example.net
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4F3A2B5501.1714568101/mx.example.net"
Message-Id: <20240501125501.4F3A2B5501@mx.example.net>

This is a MIME-encapsulated message.

--4F3A2B5501.1714568101/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<bob@example.com>: host mx1.example.com[192.0.2.10] said: ` + f.reply + ` ` + f.enhanced + `
    <bob@example.com>: ` + f.text + ` (in reply to RCPT TO command)

--4F3A2B5501.1714568101/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4F3A2B5501
Arrival-Date: Wed,  1 May 2024 12:54:58 +0000 (UTC)

Final-Recipient: rfc822; bob@example.com
Action: failed
Status: ` + f.enhanced + `
Remote-MTA: dns; mx1.example.com
Diagnostic-Code: smtp; ` + f.reply + ` ` + f.enhanced + ` <bob@example.com>: ` + f.text + `

--4F3A2B5501.1714568101/mx.example.net
Content-Description: Undelivered Message
Content-Type: message/rfc822

`
}

func exchangeHead(f failure) string {
	return `Your message to bob@contoso.example couldn't be delivered.
bob wasn't found at contoso.example.

Diagnostic information for administrators:
Generating server: DM6PR11MB1234.namprd11.prod.outlook.com

bob@contoso.example
Remote Server returned '` + f.reply + ` ` + f.enhanced + ` ` + f.text + `'

Original message headers:
`
}

func gmailHead(f failure) string {
	return `** Message not delivered **

Your message wasn't delivered to bob@example.com because the remote server rejected it.

The response from the remote server was:
` + f.reply + ` ` + f.enhanced + ` ` + f.text + `

----- Original message -----

`
}

func eximHead(f failure) string {
	return `This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@example.com
    host mx1.example.com [192.0.2.10]
    SMTP error from remote mail server after RCPT TO:<bob@example.com>:
    ` + f.reply + ` ` + f.enhanced + ` <bob@example.com>: ` + f.text + `

------ This is a copy of the message, including all the headers. ------

`
}

// returnedMessage is the message a bounce returns, about size bytes (at
// least its headers): headers, paragraphs of prose, then a base64
// attachment, as a bounce of a message with a PDF attached carries.
func returnedMessage(size int, seed uint64) string {
	var b strings.Builder
	b.WriteString(`Received: from [192.0.2.33] (unknown [192.0.2.33])
	by mx.example.net (Postfix) with ESMTPSA id 4F3A2B5501
	for <bob@example.com>; Wed,  1 May 2024 12:54:58 +0000 (UTC)
From: Alice Example <alice@example.net>
To: Bob Example <bob@example.com>
Subject: Quarterly figures and the revised schedule
Date: Wed, 1 May 2024 14:54:57 +0200
Message-ID: <a1b2c3d4e5f6@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary"

--mixed-boundary
Content-Type: text/plain; charset=utf-8

`)
	prose := []string{
		"Hi Bob, as promised in the meeting, here are the figures for the quarter and the revised schedule for the migration.",
		"The short version: the new relays are in place, the old ones will be drained over the coming weeks, and nothing changes for your team until then.",
		"Please have a look at the attached report before Thursday, in particular the part on retention and archiving, which legal asked us to tighten.",
		"If anything in it looks wrong to you, reply to this message or ping me in the usual channel and we will sort it out before the review.",
	}
	for i := 0; b.Len() < min(size, 2500); i++ {
		b.WriteString(prose[i%len(prose)])
		b.WriteString("\n\n")
	}
	b.WriteString("--mixed-boundary\nContent-Type: application/pdf; name=\"report.pdf\"\nContent-Transfer-Encoding: base64\n\n")
	rng := rand.New(rand.NewPCG(seed, 42))
	raw := make([]byte, 57) // one 76-character base64 line
	for b.Len()+77+len("--mixed-boundary--\n") <= size {
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		b.WriteString(base64.StdEncoding.EncodeToString(raw))
		b.WriteByte('\n')
	}
	b.WriteString("--mixed-boundary--\n")
	return b.String()
}

// generatedChatter is what people say in a channel with numbers in it:
// times, versions, sizes, counts, ticket numbers.
func generatedChatter() []text {
	lines := []string{
		"standup moved to 12:55, we had 550 people on the webinar and the 4.5.1 release went out fine",
		"deploying v2.5.1 to prod at 14:30 UTC, expect about 5 minutes of downtime",
		"disk on mx2 is at 85%, 421 GB free, nothing urgent",
		"ticket INC-4211 closed, PR #812 merged",
		"lunch at 12:30? the place on 5th street seats 20",
		"the 3.2.1 client drops the connection after 30s, upgrading to 3.3.0 fixes it",
	}
	var out []text
	for i, l := range lines {
		out = append(out, text{name: fmt.Sprintf("chatter-%d", i+1), body: l})
	}
	// A long one: meeting notes full of times and versions.
	var b strings.Builder
	for i := 0; b.Len() < 2000; i++ {
		fmt.Fprintf(&b, "%02d:%02d %s\n", 9+i%8, (i*7)%60, lines[i%len(lines)])
	}
	out = append(out, text{name: "chatter-notes", body: b.String()})
	return out
}
