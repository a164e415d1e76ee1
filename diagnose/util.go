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
