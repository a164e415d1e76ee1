package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// call runs the program as a user would, with env as its whole environment.
func call(t *testing.T, stdin string, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	if err != nil {
		code = 1
		var ec exitCode
		if errors.As(err, &ec) {
			code = int(ec)
		}
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), code
}

// codelessBounce is a bounce whose failure is in words alone.
const codelessBounce = "This is the mail system at host mail.example.org.\n\n" +
	"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
	"<ops@example.net>: The e-mail message could not be delivered because the user's mailfolder is full.\n"

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout []string // substrings of stdout
		stderr []string // substrings of stderr
	}{
		{"explain a code", "", []string{"explain", "550"}, 0, []string{"550 Mailbox Unavailable", "How to fix it"}, nil},
		{"explain both parts", "", []string{"explain", "550", "5.1.1"}, 0, []string{"550 5.1.1 Bad Destination Mailbox Address"}, nil},
		{"explain in Thai", "", []string{"explain", "--lang", "th", "421"}, 0, []string{"421", "วิธีแก้"}, nil},
		{"lang from the POSIX locale", "", []string{"explain", "5.2.2"}, 0, []string{"Cách xử lý"}, nil},
		{"explain stdin", "host mx.example.net[192.0.2.1] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)", []string{"explain"}, 0, []string{"552 5.2.2", "Mailbox full"}, nil},
		{"explain dash", "421 4.7.0 try again later", []string{"explain", "-"}, 0, []string{"421 4.7.0"}, nil},
		// What "-" reads is a paste, as stdin with no TEXT is, never a
		// question typed on the command line.
		{"explain dash, a bounce without a code", codelessBounce, []string{"explain", "-"}, 0, []string{"A bounce without a code", "Mailbox full"}, nil},
		{"explain stdin, a bounce without a code", codelessBounce, []string{"explain"}, 0, []string{"A bounce without a code", "Mailbox full"}, nil},
		{"unregistered", "", []string{"explain", "559"}, 0, []string{"559 Unregistered Reply Code"}, nil},
		{"malformed", "", []string{"explain", "6.1.1"}, 2, nil, []string{"its class must be 2, 4 or 5"}},
		{"no codes", "", []string{"explain", "lunch", "at", "noon"}, 1, []string{"No SMTP reply code"}, nil},
		{"empty stdin", "", []string{"explain"}, 2, nil, []string{"nothing to explain"}},
		{"compare", "", []string{"compare", "214", "556"}, 0, []string{"SMTP 214 Help Message vs 556", "Key differences", "Learn more"}, nil},
		{"compare vs", "", []string{"compare", "421", "vs", "450"}, 0, []string{"SMTP 421"}, nil},
		{"compare one code", "", []string{"compare", "421"}, 2, nil, []string{"compare takes two codes"}},
		{"compare bad code", "", []string{"compare", "421", "99"}, 2, nil, []string{"three digits"}},
		{"codes", "", []string{"codes"}, 0, []string{"X.7.8", "Authentication Credentials Invalid"}, nil},
		{"codes with an argument", "", []string{"codes", "550"}, 2, nil, []string{"smtpbot explain 550"}},
		{"unknown language", "", []string{"explain", "--lang", "fr", "550"}, 2, nil, []string{`unknown language "fr"`, "en, th, vi"}},
		{"unknown flag", "", []string{"explain", "--colour", "550"}, 2, nil, []string{"flag provided but not defined: -colour"}},
		{"unknown command", "", []string{"explian", "550"}, 2, nil, []string{`unknown command "explian"`}},
		{"help", "", []string{"help"}, 0, []string{"smtpbot compare"}, nil},
		{"subcommand help", "", []string{"compare", "--help"}, 0, []string{"Usage: smtpbot compare"}, nil},
		{"bot without tokens", "", []string{"--env-file", "testdata/empty.env"}, 1, nil, []string{"SLACK_APP_TOKEN is empty", "App-Level Tokens", "SLACK_BOT_TOKEN is empty", "OAuth & Permissions"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			if tt.name == "lang from the POSIX locale" {
				env["LANG"] = "vi_VN.UTF-8"
			}
			out, errOut, code := call(t, tt.stdin, env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
}

func TestBadTokensNamed(t *testing.T) {
	_, errOut, code := call(t, "", map[string]string{"SLACK_APP_TOKEN": "xoxb-swapped", "SLACK_BOT_TOKEN": "xapp-swapped"}, "--env-file", "testdata/empty.env")
	if code == 0 || !strings.Contains(errOut, "swapped") {
		t.Errorf("swapped tokens: exit %d, %s", code, errOut)
	}
	if strings.Contains(errOut, "xoxb-swapped") || strings.Contains(errOut, "xapp-swapped") {
		t.Error("an error message quotes a token")
	}
	_, errOut, _ = call(t, "", map[string]string{"SLACK_APP_TOKEN": "xapp-1-A0TEST00001-1-0123456789abcdef", "SLACK_BOT_TOKEN": "xoxb-1-2-0123456789abcdef", "DEDUPE_WINDOW": "soon", "LOG_LEVEL": "loud"}, "--env-file", "testdata/empty.env")
	for _, want := range []string{"DEDUPE_WINDOW", "LOG_LEVEL"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("a bad %s is not named: %s", want, errOut)
		}
	}
}

func TestExplainJSON(t *testing.T) {
	text := "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected\n"
	out, errOut, code := call(t, text, nil, "explain", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		BounceConfidence float64 `json:"bounce_confidence"`
		Findings         []struct {
			Reply, Enhanced, Title string
			ServerText             string `json:"server_text"`
			Retry                  struct{ Value string }
			WhoMustAct             struct{ Value string } `json:"who_must_act"`
			Class                  struct{ Digit int }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.BounceConfidence < 0.8 || len(got.Findings) == 0 {
		t.Fatalf("confidence %v, %d findings", got.BounceConfidence, len(got.Findings))
	}
	f := got.Findings[0]
	if f.Reply != "550" || f.Enhanced != "5.1.1" || f.Retry.Value != "after_fix" || f.WhoMustAct.Value != "sender" || f.Class.Digit != 5 || !strings.Contains(f.ServerText, "Recipient address rejected") {
		t.Errorf("first finding = %+v", f)
	}
}

func TestPosixLocale(t *testing.T) {
	for in, want := range map[string]string{"vi_VN.UTF-8": "vi-VN", "th_TH": "th-TH", "C": "", "POSIX": "", "en_US.UTF-8@euro": "en-US", "": ""} {
		if got := posixLocale(in); got != want {
			t.Errorf("posixLocale(%q) = %q, want %q", in, got, want)
		}
	}
}
