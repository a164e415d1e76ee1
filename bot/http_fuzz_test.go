package bot

import (
	"testing"

	"github.com/slack-go/slack/socketmode"
)

// FuzzDecodeHTTP: a signed body of any shape is decoded or refused with an
// error, never a panic, and what is decoded has the type its data says.
func FuzzDecodeHTTP(f *testing.F) {
	f.Add("application/json", `{"type":"url_verification","challenge":"c1"}`)
	f.Add("application/json", `{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","text":"550","ts":"1.2"}}`)
	f.Add("application/json", `{"type":"event_callback","event":"x"}`)
	f.Add("application/x-www-form-urlencoded", `command=%2Fsmtp&text=550&trigger_id=t1&response_url=http%3A%2F%2Fx`)
	f.Add("application/x-www-form-urlencoded", `payload=%7B%22type%22%3A%22block_actions%22%2C%22trigger_id%22%3A%22t%22%7D`)
	f.Add("application/x-www-form-urlencoded; charset=utf-8", `payload=%7B`)
	f.Add("", `%zz`)
	f.Fuzz(func(t *testing.T, ctype, body string) {
		evt, _, challenge, err := decodeHTTP(ctype, []byte(body))
		if err != nil || challenge != "" {
			return
		}
		switch evt.Type {
		case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
		default:
			t.Fatalf("decoded to event type %q", evt.Type)
		}
		if evt.Data == nil {
			t.Fatal("decoded without data")
		}
	})
}
