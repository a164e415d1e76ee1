package install

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeyHelp says how to make a TOKEN_ENCRYPTION_KEY, for errors about it.
const KeyHelp = "make one with `openssl rand -base64 32` and keep it: tokens saved under one key cannot be read with another"

// sealedPrefix marks a sealed value and its format (nonce ‖ ciphertext,
// base64), so that a later format can be told apart.
const sealedPrefix = "gcm1:"

// Sealer encrypts tokens at rest with AES-256-GCM. The zero value is not
// usable; make one with NewSealer.
type Sealer struct {
	aead cipher.AEAD
	// stateKey signs OAuth states; derived from the key so that one
	// secret serves both, and a state never shares a key with a token.
	stateKey []byte
}

// NewSealer takes the key as `openssl rand -base64 32` prints it: 32 bytes
// in standard base64 (URL-safe base64 is accepted too). Errors never quote
// the key.
func NewSealer(keyBase64 string) (*Sealer, error) {
	k := strings.TrimSpace(keyBase64)
	if k == "" {
		return nil, errors.New("TOKEN_ENCRYPTION_KEY is empty; " + KeyHelp)
	}
	key, err := base64.StdEncoding.DecodeString(k)
	if err != nil {
		key, err = base64.URLEncoding.DecodeString(k)
	}
	if err != nil {
		return nil, errors.New("TOKEN_ENCRYPTION_KEY is not base64; " + KeyHelp)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("TOKEN_ENCRYPTION_KEY holds %d bytes, not 32; %s", len(key), KeyHelp)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("TOKEN_ENCRYPTION_KEY: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("TOKEN_ENCRYPTION_KEY: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("smtpbot oauth state v1"))
	return &Sealer{aead: aead, stateKey: mac.Sum(nil)}, nil
}

// Seal encrypts plain under a fresh random nonce. An empty value stays
// empty, so that "no refresh token" reads back as none. aad binds the
// value to what it belongs to (the installation's id): a sealed token
// copied to another installation's record does not open there.
func (s *Sealer) Seal(plain, aad string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("install: nonce: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrUnseal is returned for a sealed value that does not open: another
// key, another installation's value, or damaged data.
var ErrUnseal = errors.New("install: cannot decrypt a saved token (was TOKEN_ENCRYPTION_KEY changed?)")

// Open decrypts what Seal returned with the same aad.
func (s *Sealer) Open(sealed, aad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", ErrUnseal
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", ErrUnseal
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return "", ErrUnseal
	}
	return string(plain), nil
}

// sign returns a MAC of msg under the state key.
func (s *Sealer) sign(msg string) []byte {
	mac := hmac.New(sha256.New, s.stateKey)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}
