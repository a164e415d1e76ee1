package install

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func newKey(t testing.TB) string {
	t.Helper()
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(k[:])
}

func mustSealer(t testing.TB, key string) *Sealer {
	t.Helper()
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealRoundTrip(t *testing.T) {
	s := mustSealer(t, newKey(t))
	const token = "xoxb-1234-5678-abcdefghijklmnop"
	sealed, err := s.Seal(token, "E1/T1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "xoxb") || strings.Contains(sealed, "abcdefghijklmnop") {
		t.Fatalf("sealed value shows the token: %q", sealed)
	}
	again, _ := s.Seal(token, "E1/T1")
	if again == sealed {
		t.Error("two seals of one token are equal: the nonce is not fresh")
	}
	got, err := s.Open(sealed, "E1/T1")
	if err != nil || got != token {
		t.Fatalf("Open = %q, %v; want the token", got, err)
	}
	if empty, err := s.Seal("", "x"); empty != "" || err != nil {
		t.Errorf("Seal(\"\") = %q, %v; want \"\"", empty, err)
	}
	if plain, err := s.Open("", "x"); plain != "" || err != nil {
		t.Errorf("Open(\"\") = %q, %v; want \"\"", plain, err)
	}
}

// A sealed token must not open under another key, for another
// installation, or once altered.
func TestOpenRefuses(t *testing.T) {
	s := mustSealer(t, newKey(t))
	sealed, err := s.Seal("xoxb-1234-5678-abcdefghijklmnop", "/T1")
	if err != nil {
		t.Fatal(err)
	}
	flipped := []byte(sealed)
	flipped[len(flipped)-3] ^= 1
	other := mustSealer(t, newKey(t))
	for _, tc := range []struct {
		name, sealed, aad string
		s                 *Sealer
	}{
		{"other key", sealed, "/T1", other},
		{"other installation", sealed, "/T2", s},
		{"altered", string(flipped), "/T1", s},
		{"no prefix", strings.TrimPrefix(sealed, sealedPrefix), "/T1", s},
		{"not base64", sealedPrefix + "!!!", "/T1", s},
		{"too short", sealedPrefix + "AAAA", "/T1", s},
	} {
		if got, err := tc.s.Open(tc.sealed, tc.aad); !errors.Is(err, ErrUnseal) || got != "" {
			t.Errorf("%s: Open = %q, %v; want ErrUnseal", tc.name, got, err)
		}
	}
}

func TestNewSealerErrors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	for _, tc := range []struct{ key, want string }{
		{"", "is empty"},
		{"   ", "is empty"},
		{"not base64 at all!", "not base64"},
		{short, "holds 16 bytes, not 32"},
	} {
		_, err := NewSealer(tc.key)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "openssl rand -base64 32") {
			t.Errorf("NewSealer(%q) = %v; want an error saying %q and how to make a key", tc.key, err, tc.want)
		}
		if err != nil && tc.key != "" && strings.TrimSpace(tc.key) != "" && strings.Contains(err.Error(), tc.key) {
			t.Errorf("the error quotes the key: %v", err)
		}
	}
	// URL-safe base64 and surrounding space (a copied line) are accepted.
	k := make([]byte, 32)
	k[0] = 0xfb // '+' or '-' in base64
	if _, err := NewSealer(" " + base64.URLEncoding.EncodeToString(k) + "\n"); err != nil {
		t.Errorf("URL-safe key refused: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	s := mustSealer(f, base64.StdEncoding.EncodeToString(make([]byte, 32)))
	sealed, _ := s.Seal("xoxb-fuzz", "a")
	f.Add(sealed, "a")
	f.Add("gcm1:", "")
	f.Add("gcm1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a")
	f.Fuzz(func(t *testing.T, v, aad string) {
		// Only what was sealed opens (an altered encoding of the same
		// bytes may, to the same token); anything else is ErrUnseal.
		got, err := s.Open(v, aad)
		switch {
		case err == nil && v != "" && got != "xoxb-fuzz":
			t.Fatalf("Open accepted a value it did not seal: %q → %q", v, got)
		case err != nil && !errors.Is(err, ErrUnseal):
			t.Fatalf("Open error %v is not ErrUnseal", err)
		}
	})
}
