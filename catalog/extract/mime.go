package extract

import (
	"encoding/base64"
	"mime/multipart"
	"strings"

	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// This file takes a raw message apart: a bounce pasted as source is a
// multipart/report whose parts may be quoted-printable or base64, and whose
// last part is the returned message. Plain pastes never come here.

// Bounds on hostile input: how deep messages nest and how many parts are
// read in all.
const (
	maxMIMEDepth = 6
	maxMIMEParts = 64
	// maxReturnedBytes bounds what is kept of a returned message (a
	// message/rfc822 part): its headers and text, not its attachments.
	maxReturnedBytes = 1 << 20
)

// msgHead is what the header block of a message says about its body.
type msgHead struct {
	end, body  int    // where the headers end and the body starts
	ctype, cte string // Content-Type and Content-Transfer-Encoding, unfolded
	mime       bool   // a MIME-Version field is there
}

// readHead reads the header block at the start of s, ended by a blank line,
// in one pass. An mbox "From " line may come first. Lines without a field
// name are tolerated once a few fields have been seen, as some gateways
// break long header lines without folding them.
func readHead(s string) (msgHead, bool) {
	var h msgHead
	fields := 0
	for pos := 0; pos < len(s); {
		line, next := lineAt(s, pos)
		switch {
		case strings.TrimSpace(line) == "":
			h.end, h.body = pos, next
			return h, fields > 0
		case pos == 0 && strings.HasPrefix(line, "From "):
		case isBlank(line[0]):
		default:
			name, v, isField := fieldName(line)
			if !isField {
				if fields < 3 || strings.IndexByte(line, ':') < 0 {
					return h, false
				}
				break
			}
			fields++
			switch {
			case equalFold(name, "content-type") && h.ctype == "":
				h.ctype = unfoldValue(s, next, line[v:])
			case equalFold(name, "content-transfer-encoding") && h.cte == "":
				h.cte = unfoldValue(s, next, line[v:])
			case equalFold(name, "mime-version"):
				h.mime = true
			}
		}
		pos = next
	}
	h.end, h.body = len(s), len(s)
	return h, fields > 0
}

// isMIME reports whether the header block declares MIME content.
func (h *msgHead) isMIME() bool { return h.ctype != "" || h.cte != "" || h.mime }

// unfoldValue joins a field's value, starting on its line, with the
// continuation lines from pos on. Only a folded value allocates.
func unfoldValue(s string, pos int, value string) string {
	var b []byte
	for pos < len(s) && isBlank(s[pos]) {
		cont, next := lineAt(s, pos)
		if strings.TrimSpace(cont) == "" {
			break
		}
		if b == nil {
			b = append(b, value...)
		}
		b = append(b, ' ')
		b = append(b, strings.TrimSpace(cont)...)
		pos = next
	}
	if b != nil {
		return strings.TrimSpace(string(b))
	}
	return strings.TrimSpace(value)
}

// readMessage reads s as a message when it starts with a header block
// that declares MIME content, so that plain pastes never pay for MIME.
func (x *extractor) readMessage(s string) bool {
	if len(s) < 16 {
		return false
	}
	first, _ := lineAt(s, 0)
	if !strings.HasPrefix(first, "From ") {
		if _, _, ok := fieldName(first); !ok {
			return false
		}
	}
	h, ok := readHead(s)
	if !ok || !h.isMIME() {
		return false
	}
	x.messageWith(s, h, 0, false)
	return true
}

// message walks one message: its header block, then its body by type.
func (x *extractor) message(s string, depth int, orig bool) {
	h, ok := readHead(s)
	if !ok || depth > maxMIMEDepth {
		x.scanText(s, segBody, orig)
		return
	}
	x.messageWith(s, h, depth, orig)
}

func (x *extractor) messageWith(s string, h msgHead, depth int, orig bool) {
	x.scanText(s[:h.end], segHeaders, orig)
	x.entity(h.ctype, h.cte, s[h.body:], depth, orig)
}

// mediaType returns the lower-case media type and the boundary parameter.
// It reads just these two by hand: mime.ParseMediaType builds a map of all
// parameters and refuses headers that bounces in the wild do carry.
func mediaType(ct string) (string, string) {
	mt, rest, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" || strings.IndexByte(mt, '/') < 0 {
		mt = "text/plain"
	}
	boundary := ""
	for rest != "" {
		var param string
		param, rest = cutParam(rest)
		name, value, ok := strings.Cut(param, "=")
		if ok && equalFold(strings.TrimSpace(name), "boundary") {
			boundary = strings.TrimSpace(value)
			if len(boundary) >= 2 && boundary[0] == '"' {
				boundary, _, _ = strings.Cut(boundary[1:], `"`)
			}
			break
		}
	}
	return mt, boundary
}

// cutParam cuts the first parameter off a Content-Type's parameter list,
// minding semicolons inside quotes.
func cutParam(s string) (string, string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// entity handles one body of the given Content-Type and
// Content-Transfer-Encoding.
func (x *extractor) entity(ct, cte, body string, depth int, orig bool) {
	mt, boundary := mediaType(ct)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if mt == "multipart/report" && !orig {
			x.feat.dsnReport = true
		}
		if boundary == "" || depth >= maxMIMEDepth {
			x.scanText(body, segBody, orig)
			return
		}
		x.multipart(body, boundary, mt == "multipart/alternative", depth, orig)
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		if !orig {
			x.feat.dsnReport = true
		}
		x.scanText(decodeBody(body, cte), segDSN, orig)
	case mt == "message/rfc822" || mt == "message/global":
		x.deferred = append(x.deferred, deferredPart{body: body, cte: cte, kind: partMessage, depth: depth})
	case mt == "text/rfc822-headers" || mt == "text/global-headers":
		x.deferred = append(x.deferred, deferredPart{body: body, cte: cte, kind: partHeaders, depth: depth})
	case mt == "text/html":
		x.scanText(stripHTML(decodeBody(body, cte)), segBody, orig)
	case strings.HasPrefix(mt, "text/"):
		x.scanText(decodeBody(body, cte), segBody, orig)
	}
}

// wantedPart reports whether a part of this Content-Type may hold codes.
func wantedPart(ct string) bool {
	if ct == "" {
		return true
	}
	return hasPrefixFold(ct, "text/") || hasPrefixFold(ct, "message/") || hasPrefixFold(ct, "multipart/")
}

// multipart walks the parts of a multipart body with mime/multipart. Of a
// multipart/alternative it reads the plain text, or else the HTML. When the
// body is too broken to yield any part, it is scanned as it is.
func (x *extractor) multipart(body, boundary string, alternative bool, depth int, orig bool) {
	mark, blk := len(x.sites), x.blk
	// The parts are copied into one arena as big as the body: they never
	// outgrow it, so one allocation holds them all, and the strings taken
	// from a strings.Builder that only appends stay valid.
	var arena strings.Builder
	arena.Grow(len(body))
	var chunk [512]byte
	mr := multipart.NewReader(strings.NewReader(body), boundary)
	done := 0
	var altCT, altCTE, altBody string
	for x.parts < maxMIMEParts {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		x.parts++
		ct := p.Header.Get("Content-Type")
		if !wantedPart(ct) {
			continue
		}
		start := arena.Len()
		limit := len(body)
		if hasPrefixFold(ct, "message/") || hasPrefixFold(ct, "text/rfc822-headers") {
			// A returned message is read only when the bounce shows no
			// failure, and then for its own bounce text, near its start:
			// its attachments are not worth copying.
			limit = maxReturnedBytes
		}
		for arena.Len()-start < limit {
			n, err := p.Read(chunk[:])
			arena.Write(chunk[:n])
			if err != nil {
				break // io.EOF, or a part cut short: keep what was read
			}
		}
		data := arena.String()[start:]
		cte := p.Header.Get("Content-Transfer-Encoding")
		if alternative {
			mt, _ := mediaType(ct)
			if altBody == "" || (mt == "text/plain" && !hasPrefixFold(altCT, "text/plain")) {
				altCT, altCTE, altBody = ct, cte, data
			}
			continue
		}
		x.entity(ct, cte, data, depth+1, orig)
		done++
	}
	if altBody != "" {
		x.entity(altCT, altCTE, altBody, depth+1, orig)
		done++
	}
	if done == 0 {
		x.sites, x.blk = x.sites[:mark], blk
		x.scanText(body, segBody, orig)
	}
}

// decodeBody undoes a Content-Transfer-Encoding. Broken encodings give what
// could be decoded; an unknown one leaves the body as it is.
func decodeBody(body, cte string) string {
	cte = strings.TrimSpace(cte)
	switch {
	case equalFold(cte, "quoted-printable"):
		return decodeQP(body)
	case equalFold(cte, "base64"):
		return decodeBase64(body)
	}
	return body
}

// decodeQP decodes quoted-printable (RFC 2045 section 6.7) as leniently as
// mime/quotedprintable: a soft line break ("=" at the end of a line) joins
// lines, "=XX" is a byte, and a malformed escape is kept as it is. It is
// written out because mime/quotedprintable reads through a 4 KB bufio
// buffer of its own and goes line by line, which cost a fifth of the time
// of a whole bounce; the tests check the two agree.
func decodeQP(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '=' {
			b = append(b, c)
			continue
		}
		// A soft line break: "=", maybe blanks, then the line's end.
		j := i + 1
		for j < len(s) && isBlank(s[j]) {
			j++
		}
		switch {
		case j < len(s) && s[j] == '\n':
			i = j
			continue
		case j+1 < len(s) && s[j] == '\r' && s[j+1] == '\n':
			i = j + 1
			continue
		case j == len(s):
			i = j
			continue
		}
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

func isHex(c byte) bool { return ascii.IsDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') }

func unhex(c byte) byte {
	if ascii.IsDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// decodeBase64 decodes base64 that may be wrapped, padded badly or cut
// short, keeping whatever decodes.
func decodeBase64(body string) string {
	clean := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if ascii.IsAlnum(c) || c == '+' || c == '/' {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1] // a lone sixth of a byte
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return string(out[:n])
}
