package main

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// TestQuestionsEndToEnd asks for a comparison in words, in each language,
// by DM and by mention, as a user whose Slack locale is English: each gets
// the comparison (its title names both codes and its "key differences"
// heading is in the question's language), not two explanations.
func TestQuestionsEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		fake.SetUser(fakeslack.User{ID: fakeslack.DefaultUser, Name: "jane", Locale: "en-US"})
		start(t, fake, t.TempDir())
		tests := []struct {
			question    string
			differences string // the comparison's heading in the question's language
			versus      string // the word between the two codes in its title
		}{
			{"hi! what's the difference between 550 and 554?", "Key differences", " vs "},
			{"550 và 554 khác nhau thế nào?", "Khác biệt chính", " so với "},
			{"550 กับ 554 ต่างกันยังไง", "ความแตกต่างหลัก", " เทียบกับ "},
		}
		posts := 0
		for _, tt := range tests {
			for _, how := range []string{"dm", "mention"} {
				if how == "dm" {
					fake.SendMessage(fakeslack.Message{Channel: "D0DM", ChannelType: "im", Text: tt.question})
				} else {
					fake.SendMention(fakeslack.Message{Text: "<@" + fake.BotUserID() + "> " + tt.question})
				}
				posts++
				c := wait(t, fake, posts, "chat.postMessage")[posts-1]
				got := visible(c)
				if !strings.Contains(c.Text, "550") || !strings.Contains(c.Text, tt.versus+"554") {
					t.Errorf("%s %q: title %q is not the comparison of 550 and 554", how, tt.question, c.Text)
				}
				if !strings.Contains(got, tt.differences) {
					t.Errorf("%s %q: no %q heading:\n%.400s", how, tt.question, tt.differences, got)
				}
			}
		}
	})
}
