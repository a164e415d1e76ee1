package fakeslack_test

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// A client killed while sending a post leaves a body shorter than its
// Content-Length. Slack never acts on such a request, so the fake must not
// record it as a message posted (with no channel).
func TestBodyCutShortIsNotAPost(t *testing.T) {
	f := fakeslack.New(fakeslack.Options{})
	defer f.Close()
	u, err := url.Parse(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, ctype, body string }{
		{"/api/chat.postMessage", "application/json", `{"channel":"C1","te`},
		{"/api/chat.postMessage", "application/x-www-form-urlencoded", "channel=C1&te"},
		{"/response/E1", "application/json", `{"text":"hel`},
	} {
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer xoxb-1\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
			tc.path, u.Host, tc.ctype, len(tc.body)+100, tc.body)
		conn.(*net.TCPConn).CloseWrite()
		buf := make([]byte, 512)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _ := conn.Read(buf)
		conn.Close()
		if !strings.Contains(string(buf[:n]), " 400 ") {
			t.Errorf("%s with a %s body cut short: got %q, want 400", tc.path, tc.ctype, buf[:n])
		}
	}
	if calls := f.Calls("chat.postMessage", "response_url"); len(calls) != 0 {
		t.Errorf("recorded %d posts from bodies cut short: %+v", len(calls), calls)
	}
}
