package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadWorded(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		pieces  []string // those that must be among the pieces
		absent  []string // words no piece may hold
		bounce  bool
		delayed bool
	}{{
		name: "Postfix's report, the reason wrapped under the recipient",
		text: "This is the mail system at host mx1.example.org.\n\nI'm sorry to have to inform you that your message could not\n" +
			"be delivered to one or more recipients.\n\n                   The mail system\n\n" +
			"<a@example.com>: Host or domain name not found. Name service error for\n    name=example.com type=MX: Host not found, try again\n",
		pieces: []string{"<a@example.com>: Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again"},
		bounce: true,
	}, {
		name:   "Exim's failed address with the reason under it",
		text:   "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jdoe@example.net\n    retry timeout exceeded\n",
		pieces: []string{"jdoe@example.net retry timeout exceeded"},
		bounce: true,
	}, {
		name:   "one line of Postfix's report: the recipient named as reports do",
		text:   "<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection timed out\n",
		pieces: []string{"<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection timed out"},
		bounce: true,
	}, {
		name: "Exim's delay warning repeats the message's subject: its words are the sender's",
		text: "This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\n" +
			"recipients after more than 24 hours on the queue on mx.example.org.\n\nThe message identifier is:     1s2t3u-000abc-XY\n" +
			"The subject of the message is: Automatic reply: mailbox full again?\nThe date of the message is:   Mon, 1 Dec 2026 10:00:00 +0000\n\n" +
			"The address to which the message has not yet been delivered is:\n\n  bob@example.org\n    Delay reason: host mx.example.org [192.0.2.25]: Connection timed out\n",
		pieces:  []string{"bob@example.org Delay reason: host mx.example.org [192.0.2.25]: Connection timed out"},
		absent:  []string{"Automatic reply", "mailbox full", "1s2t3u"},
		bounce:  true,
		delayed: true,
	}, {
		name: "Gmail's delay notice, pasted without its report part",
		text: "** Message not delivered yet **\n\nThere was a temporary problem delivering your message to bob@example.org. Gmail will retry for 46 more hours.\n" +
			"You'll be notified if the delivery fails permanently.\n\nThe recipient server did not accept our requests to connect.\n",
		pieces:  []string{"The recipient server did not accept our requests to connect."},
		bounce:  true,
		delayed: true,
	}, {
		name: "a raw message: its headers and their folded lines are not the report",
		text: "Received: from mx.example.org\n\tby mx2.example.org with ESMTP; Mon, 1 Dec 2026\nFrom: MAILER-DAEMON@example.org\n" +
			"Subject: Undelivered Mail\n\nSorry your message to a@example.com cannot be delivered. This account has been disabled.\n",
		pieces: []string{"Sorry your message to a@example.com cannot be delivered. This account has been disabled."},
		absent: []string{"ESMTP", "MAILER-DAEMON"},
		bounce: true,
	}, {
		name: "the returned message's words are not the bounce's",
		text: "Unable to deliver message to the following address(es).\n\n<a@example.com>:\nMailbox is full\n\n" +
			"--- Original message follows.\n\nmy mailbox is over quota too, see you\n",
		pieces: []string{"Mailbox is full"},
		absent: []string{"see you"},
		bounce: true,
	}, {
		name:    "a delay warning",
		text:    "This is the mail system at host mx1.example.org.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\n\n<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection refused\n",
		pieces:  []string{"<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection refused"},
		absent:  []string{"could not be delivered for"}, // the warning's own words, not a failure
		bounce:  true,
		delayed: true,
	}, {
		// Older gateways' warning banner, in capitals.
		name:    "a delay warning's banner",
		text:    "This is an automatically generated Delivery Status Notification\n\nTHIS IS A WARNING MESSAGE ONLY.\n\nYOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\nDelivery to the following recipient has been delayed:\n\n     a@example.com\n\nMessage will be retried for 2 more day(s)\n",
		pieces:  []string{"Message will be retried for 2 more day(s)"},
		bounce:  true,
		delayed: true,
	}, {
		name:   "chatter is no bounce",
		text:   "standup moved to 12:55, the mailbox is full of tickets",
		bounce: false,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := ReadWorded(tt.text)
			if w.Bounce != tt.bounce || w.Delayed != tt.delayed {
				t.Errorf("bounce %v, delayed %v; want %v, %v", w.Bounce, w.Delayed, tt.bounce, tt.delayed)
			}
			for _, p := range tt.pieces {
				if !slices.Contains(w.Pieces, p) {
					t.Errorf("no piece %q in %q", p, w.Pieces)
				}
			}
			for _, a := range tt.absent {
				for _, p := range w.Pieces {
					if strings.Contains(p, a) {
						t.Errorf("piece %q holds %q", p, a)
					}
				}
			}
		})
	}
}

// FuzzReadWorded: any text is read within the bounds, without a panic, and
// every piece is trimmed and at most maxWordedChunk bytes.
func FuzzReadWorded(f *testing.F) {
	f.Add("<a@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection timed out\n")
	f.Add("From: MAILER-DAEMON\nSubject: failure notice\n\n  a@b\n    retry timeout exceeded\n--- Original message\nx")
	f.Add("Diagnostic-Code: smtp; 550 no\n\tcontinued\n")
	f.Add("The following address(es) failed:\n\n  b@example.net\n    host mx [192.0.2.2]\n    SMTP error from remote mail server after RCPT TO:<b@example.net>:\n    550 5.1.1 unknown\n\n  c@example.net\n    retry timeout exceeded\n")
	f.Fuzz(func(t *testing.T, text string) {
		w := ReadWorded(text)
		if len(w.Pieces) > maxWordedChunks {
			t.Fatalf("%d pieces", len(w.Pieces))
		}
		for _, p := range w.Pieces {
			if len(p) > maxWordedChunk || p == "" || strings.TrimSpace(p) != p {
				t.Fatalf("piece %q", p)
			}
		}
		// Beside keeps only pieces that open with an address no finding
		// names and hold no failing code.
		fs := Extract(text).Findings
		for _, p := range w.Beside(fs) {
			a := openingAddress(p)
			if a == "" || holdsFailingCode(p) || !slices.Contains(w.Pieces, p) {
				t.Fatalf("beside piece %q", p)
			}
			for _, f := range fs {
				if slices.Contains(f.Recipients, a) {
					t.Fatalf("beside piece %q names %s, a finding's recipient", p, a)
				}
			}
		}
	})
}

// TestReadWordedServerFirst: the server's words, after the line that
// introduces them, come before the bounce's own summary of them, which is
// what a reason is read from first.
func TestReadWordedServerFirst(t *testing.T) {
	text := "** Message not delivered **\n\nYour message couldn't be delivered to ops@example.net because the remote server is misconfigured. See technical details below for more information.\n\n" +
		"The response from the remote server was:\nThe recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.net. 192.0.2.1: timed out]\n"
	w := ReadWorded(text)
	if !w.Bounce || len(w.Pieces) < 2 || !strings.HasPrefix(w.Pieces[0], "The recipient server did not accept") {
		t.Errorf("bounce %v, pieces %q: want the server's words first", w.Bounce, w.Pieces)
	}
}

// TestWordedBeside: a recipient reported in words alone, beside others
// that failed with a code, is found; one a finding names, or whose piece
// holds a code, is not.
func TestWordedBeside(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // pieces, in order
	}{
		{"exim: words under one address, a code under the other", "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@example.net\n    host mx.example.net [192.0.2.20]\n    SMTP error from remote mail server after RCPT TO:<bob@example.net>:\n    550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown\n\n  carol@example.net\n    retry timeout exceeded\n",
			[]string{"carol@example.net retry timeout exceeded"}},
		{"exim: the fixture, words first", mustRead(t, "exim-retry.txt"), []string{"bob@example.com retry timeout exceeded"}},
		{"postfix: a timed-out recipient beside a refused one", "This is the mail system at host mx.example.org.\n\n<a@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>:\n    User unknown (in reply to RCPT TO command)\n\n<b@example.net>: connect to mx.example.net[192.0.2.2]:25: Connection timed out\n",
			[]string{"<b@example.net>: connect to mx.example.net[192.0.2.2]:25: Connection timed out"}},
		{"an unnamed failure's address line may be its own: none kept", "Delivery to the following recipient failed permanently:\n\n     jane@example.com (account disabled)\n\nThe error that the other server returned was:\n550 5.1.1 The email account that you tried to reach does not exist.\n",
			nil},
		{"the coded recipient's own words are not beside it", "This is the mail system at host mx.example.org.\n\n<a@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>:\n    User unknown (in reply to RCPT TO command)\n",
			nil},
	}
	for _, tt := range tests {
		x := Extract(tt.text)
		if got := ReadWorded(tt.text).Beside(x.Findings); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Beside = %q, want %q", tt.name, got, tt.want)
		}
		if got := WordedBeside(tt.text, x.Findings).Pieces; !slices.Equal(got, tt.want) {
			t.Errorf("%s: WordedBeside = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
