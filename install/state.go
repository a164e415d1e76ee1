package install

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smtpcodes/smtpbot/store"
)

// StateTTL is how long the link of an install page stays good.
const StateTTL = 10 * time.Minute

// A state is "nonce.issued.mac": a random nonce, the Unix second it was
// issued, and a MAC of both under a key derived from
// TOKEN_ENCRYPTION_KEY, which every replica has. Its life is recorded in
// the shared store: issued (a claim made by the install page) and used (a
// claim made by the redirect), so that the redirect may reach another
// replica than the page, and a state is used once.
type states struct {
	st   store.Claimer
	seal *Sealer
	now  func() time.Time
}

// stateError is why a state was refused, in words for the 400 page.
type stateError struct{ why string }

func (e stateError) Error() string { return e.why }

// Reasons a state is refused.
var (
	errStateMissing  = stateError{"The link has no state parameter, so it cannot be checked that this install was started here. Start again from the install page."}
	errCookieMissing = stateError{"Your browser did not send back the cookie the install page set (cookies blocked, another browser, or more than 10 minutes passed). Start again from the install page in this browser."}
	errStateMismatch = stateError{"The state in the link does not match this browser's cookie: the install was started in another browser or tab, or the link was altered. Start again from the install page."}
	errStateInvalid  = stateError{"The state in the link was not issued by this app. Start again from the install page."}
	errStateExpired  = stateError{"The install link expired (it is good for 10 minutes). Start again from the install page."}
	errStateUsed     = stateError{"This install link was already used. Start again from the install page."}
)

func (s *states) issuedKey(nonce string) string { return "oauth-state:issued:" + nonce }
func (s *states) usedKey(nonce string) string   { return "oauth-state:used:" + nonce }

// issue makes a new state and records it in the store.
func (s *states) issue(ctx context.Context) (string, error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("install: state nonce: %w", err)
	}
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	body := nonce + "." + strconv.FormatInt(s.now().Unix(), 10)
	state := body + "." + base64.RawURLEncoding.EncodeToString(s.seal.sign(body))
	if _, err := s.st.Claim(ctx, s.issuedKey(nonce), StateTTL); err != nil {
		return "", err
	}
	return state, nil
}

// consume checks the state from the redirect against the browser's
// cookie and uses it up. A nil error means: issued by this app (any
// replica) less than StateTTL ago, to this browser, and not used before.
// A stateError says why not; another error is the store failing.
func (s *states) consume(ctx context.Context, state, cookie string, haveCookie bool) error {
	if state == "" {
		return errStateMissing
	}
	if !haveCookie || cookie == "" {
		return errCookieMissing
	}
	if !hmac.Equal([]byte(state), []byte(cookie)) {
		return errStateMismatch
	}
	parts := strings.Split(state, ".")
	if len(parts) != 3 {
		return errStateInvalid
	}
	mac, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(mac, s.seal.sign(parts[0]+"."+parts[1])) {
		return errStateInvalid
	}
	issued, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return errStateInvalid
	}
	age := s.now().Sub(time.Unix(issued, 0))
	if age > StateTTL || age < -time.Minute { // a minute of clock skew between replicas
		return errStateExpired
	}
	nonce := parts[0]
	// The page's claim must still be there: claiming it again reports
	// "not first". A first claim here means the store lost or expired it
	// (the MAC says this app did issue it), so it is taken as expired.
	fresh, err := s.st.Claim(ctx, s.issuedKey(nonce), StateTTL)
	if err != nil {
		return err
	}
	if fresh {
		return errStateExpired
	}
	first, err := s.st.Claim(ctx, s.usedKey(nonce), StateTTL+time.Minute)
	if err != nil {
		return err
	}
	if !first {
		return errStateUsed
	}
	return nil
}

// isStateError reports a refusal (400) rather than a failure (503).
func isStateError(err error) bool {
	var se stateError
	return errors.As(err, &se)
}
