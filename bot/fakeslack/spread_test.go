package fakeslack_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// envelope is what the tests read of a frame.
type envelope struct {
	Type         string `json:"type"`
	EnvelopeID   string `json:"envelope_id"`
	RetryAttempt int    `json:"retry_attempt"`
	Payload      struct {
		EventID   string `json:"event_id"`
		TriggerID string `json:"trigger_id"`
	} `json:"payload"`
}

func connect(t *testing.T, f *fakeslack.Server) *websocket.Conn {
	t.Helper()
	_, body := post(t, f.URL()+"apps.connections.open", "xapp-1", url.Values{})
	c, _, err := websocket.DefaultDialer.Dial(body["url"].(string), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if e := readEnvelopes(c, 1, 3*time.Second); len(e) != 1 || e[0].Type != "hello" {
		t.Fatalf("first frame: %+v", e)
	}
	return c
}

// readEnvelopes reads up to n frames, each within d.
func readEnvelopes(c *websocket.Conn, n int, d time.Duration) []envelope {
	var out []envelope
	for len(out) < n {
		var e envelope
		_ = c.SetReadDeadline(time.Now().Add(d))
		if err := c.ReadJSON(&e); err != nil {
			break
		}
		out = append(out, e)
	}
	return out
}

func ackAll(t *testing.T, c *websocket.Conn, es []envelope) {
	t.Helper()
	for _, e := range es {
		if err := c.WriteJSON(map[string]string{"envelope_id": e.EnvelopeID}); err != nil {
			t.Fatal(err)
		}
	}
}

// Envelopes go to the open connections in turn; those a connection took
// and never acked (its replica died) come again, with retry_attempt 1, a
// new envelope id and the same event id, on the connections still open.
// A lean fake does it too.
func TestSpreadAndRedeliverElsewhere(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{Lean: true, RedeliverAfter: 200 * time.Millisecond})
	defer f.Close()
	conns := []*websocket.Conn{connect(t, f), connect(t, f), connect(t, f)}
	var sent []string
	for range 6 {
		sent = append(sent, f.SendMessage(fakeslack.Message{Text: "550"}))
	}
	var got [3][]envelope
	for i, c := range conns {
		got[i] = readEnvelopes(c, 2, 2*time.Second)
		if len(got[i]) != 2 {
			t.Fatalf("connection %d got %d of 6 envelopes; want 2 (in turn)", i+1, len(got[i]))
		}
	}
	ackAll(t, conns[0], got[0])
	ackAll(t, conns[1], got[1])
	conns[2].Close() // dies with two envelopes unacked

	// One each, in turn, on the two live connections.
	var again []envelope
	for _, c := range conns[:2] {
		e := readEnvelopes(c, 1, 2*time.Second)
		ackAll(t, c, e)
		again = append(again, e...)
	}
	if len(again) != 2 {
		t.Fatalf("%d redeliveries on the live connections; want 2: %+v", len(again), again)
	}
	lost := map[string]string{} // event id → first envelope id
	for _, e := range got[2] {
		lost[e.Payload.EventID] = e.EnvelopeID
	}
	for _, e := range again {
		first, ok := lost[e.Payload.EventID]
		if !ok || e.RetryAttempt != 1 || e.EnvelopeID == first {
			t.Errorf("redelivery %+v: want retry_attempt 1, a new envelope id, the event id of an unacked one", e)
			continue
		}
		if r := f.Redeliveries(first); !slices.Contains(r, e.EnvelopeID) {
			t.Errorf("Redeliveries(%s) = %v; want %s in it", first, r, e.EnvelopeID)
		}
	}
	if !slices.Contains(sent, got[2][0].EnvelopeID) {
		t.Error("the envelopes read are not the ones sent")
	}
}

// DuplicateEvery sends a copy of every Nth envelope, acked or not:
// commands and clicks too, with their trigger id.
func TestDuplicateEvery(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{DuplicateEvery: 2})
	defer f.Close()
	c := connect(t, f)
	f.SendSlash(fakeslack.Slash{Text: "550"})
	second := f.SendAction(fakeslack.Action{ActionID: "a", Value: "v"})
	es := readEnvelopes(c, 4, time.Second)
	if len(es) != 3 {
		t.Fatalf("%d envelopes; want 3 (two, and a copy of the second): %+v", len(es), es)
	}
	ackAll(t, c, es)
	copyOf := es[2]
	if copyOf.Payload.TriggerID == "" || copyOf.Payload.TriggerID != es[1].Payload.TriggerID ||
		copyOf.RetryAttempt != 1 || copyOf.EnvelopeID == second {
		t.Errorf("copy %+v of %+v: want the same trigger id, retry_attempt 1, a new envelope id", copyOf, es[1])
	}
}
