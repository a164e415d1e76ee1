package diagnose

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/miekg/dns"
)

func asDNSError(err error, target **net.DNSError) bool { return errors.As(err, target) }

// txt returns the TXT records of name whose text starts with prefix (case
// folded), each record's strings joined; nx is true when the name does not
// exist or has no such record.
func (d *Diagnoser) txt(ctx context.Context, name, prefix string) (records []string, err error) {
	a, err := d.res.query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	for _, rr := range a.rrs {
		s := strings.Join(rr.(*dns.TXT).Txt, "")
		if prefix == "" || strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix)) {
			records = append(records, s)
		}
	}
	return records, nil
}

// oneRecord judges how many policy records a TXT lookup found, for a
// check whose Records hold them: none is the None verdict (noneKey), more
// than one a failure (multipleKey): SPF then gives permerror (RFC 7208
// section 4.5), and DMARC is not applied at all (RFC 7489 section 6.6.3).
// one is true when exactly one was found and c is left to judge it.
func oneRecord(c Check, domain, noneKey, multipleKey string) (judged Check, one bool) {
	switch len(c.Records) {
	case 1:
		return c, true
	case 0:
		c.Verdict, c.Detail = None, msg(noneKey, "domain", domain)
	default:
		c.Verdict, c.Detail = Fail, msg(multipleKey, "domain", domain)
	}
	return c, false
}
