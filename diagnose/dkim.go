package diagnose

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strconv"
	"strings"
)

// dkim checks the public key a DKIM selector points to
// (<selector>._domainkey.<domain>, RFC 6376 section 3.6.2): there, not
// revoked (an empty p=), and a key that parses. go-msgauth parses keys
// only inside its verifier, so the few tags are read here and the key with
// crypto/x509.
func (d *Diagnoser) dkim(ctx context.Context, selector, domain string) []Check {
	name := selector + "._domainkey." + domain
	recs, err := d.txt(ctx, name, "")
	if err != nil {
		return []Check{failed(CheckDKIM, name, name, err)}
	}
	c := Check{Name: CheckDKIM, Target: name, Records: recs}
	var rec string
	for _, r := range recs {
		if tags := tagList(r); tags["p"] != "" || strings.Contains(r, "p=") {
			rec = r
			break
		}
	}
	if rec == "" {
		c.Verdict, c.Detail = Fail, msg("dkim.missing", "name", name, "selector", selector, "domain", domain)
		return []Check{c}
	}
	tags := tagList(rec)
	if v, ok := tags["v"]; ok && v != "DKIM1" {
		c.Verdict, c.Detail = Fail, msg("dkim.invalid", "name", name)
		return []Check{c}
	}
	if tags["p"] == "" {
		c.Verdict, c.Detail = Fail, msg("dkim.revoked", "name", name, "selector", selector, "domain", domain)
		return []Check{c}
	}
	key, bits, ok := dkimKey(tags["k"], tags["p"])
	switch {
	case !ok:
		c.Verdict, c.Detail = Fail, msg("dkim.invalid", "name", name)
	case key == "RSA" && bits < 1024:
		// RFC 8301, section 3.2: verifiers must not accept keys under
		// 1024 bits.
		c.Verdict, c.Detail = Fail, msg("dkim.weak", "name", name, "bits", strconv.Itoa(bits))
	default:
		c.Verdict, c.Detail = Pass, msg("dkim.found", "name", name, "key", key+" "+strconv.Itoa(bits))
	}
	return []Check{c}
}

// dkimKey decodes a key record's p= for its k= type (rsa by default).
func dkimKey(k, p string) (kind string, bits int, ok bool) {
	der, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return "", 0, false
	}
	switch strings.ToLower(k) {
	case "", "rsa":
		pub, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			if rk, err2 := x509.ParsePKCS1PublicKey(der); err2 == nil {
				return "RSA", rk.N.BitLen(), true
			}
			return "", 0, false
		}
		rk, isRSA := pub.(*rsa.PublicKey)
		if !isRSA {
			return "", 0, false
		}
		return "RSA", rk.N.BitLen(), true
	case "ed25519":
		return "Ed25519", 256, len(der) == ed25519.PublicKeySize
	}
	return "", 0, false
}
