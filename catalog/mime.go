package catalog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
)

// This file takes a raw message apart: a bounce pasted as source is a
// multipart/report whose parts may be quoted-printable or base64, and whose
// last part is the returned message. Plain pastes never come here.

// Bounds on hostile input: how deep messages nest and how many parts are
// read in all.
const (
	maxMIMEDepth = 6
	maxMIMEParts = 64
)

// looksLikeMessage reports whether s starts with a header block that
// declares MIME content, so that it is worth walking as a message.
func looksLikeMessage(s string) bool {
	if len(s) < 16 {
		return false
	}
	first, _ := lineAt(s, 0)
	if !strings.HasPrefix(first, "From ") {
		if _, _, ok := fieldName(first); !ok {
			return false
		}
	}
	end, _, ok := headerBlock(s)
	if !ok {
		return false
	}
	h := s[:end]
	return headerValue(h, "content-type") != "" || headerValue(h, "content-transfer-encoding") != "" ||
		headerValue(h, "mime-version") != ""
}

// headerBlock finds the header block at the start of s, ended by a blank
// line. An mbox "From " line may come first. Lines without a field name are
// tolerated once a few fields have been seen, as some gateways break long
// header lines without folding them.
func headerBlock(s string) (end, body int, ok bool) {
	fields := 0
	for pos := 0; pos < len(s); {
		line, next := lineAt(s, pos)
		switch {
		case strings.TrimSpace(line) == "":
			return pos, next, fields > 0
		case pos == 0 && strings.HasPrefix(line, "From "):
		case isBlank(line[0]):
		default:
			if _, _, isField := fieldName(line); isField {
				fields++
			} else if fields < 3 || strings.IndexByte(line, ':') < 0 {
				return 0, 0, false
			}
		}
		pos = next
	}
	return len(s), len(s), fields > 0
}

// headerValue returns the unfolded value of the first field called name
// (lower case) in header block h, or "".
func headerValue(h, name string) string {
	for pos := 0; pos < len(h); {
		line, next := lineAt(h, pos)
		pos = next
		n, v, ok := fieldName(line)
		if !ok || !equalFold(n, name) {
			continue
		}
		value := line[v:]
		var b []byte
		for pos < len(h) && isBlank(h[pos]) {
			cont, nx := lineAt(h, pos)
			if b == nil {
				b = append(b, value...)
			}
			b = append(b, ' ')
			b = append(b, strings.TrimSpace(cont)...)
			pos = nx
		}
		if b != nil {
			return strings.TrimSpace(string(b))
		}
		return strings.TrimSpace(value)
	}
	return ""
}

// message walks one message: its header block, then its body by type.
func (x *extractor) message(s string, depth int, orig bool) {
	end, body, ok := headerBlock(s)
	if !ok || depth > maxMIMEDepth {
		x.scanText(s, segBody, orig)
		return
	}
	h := s[:end]
	x.scanText(h, segHeaders, orig)
	x.entity(headerValue(h, "content-type"), headerValue(h, "content-transfer-encoding"), s[body:], depth, orig)
}

// mediaType returns the lower-case media type and the boundary parameter,
// tolerating a header that mime.ParseMediaType refuses.
func mediaType(ct string) (string, string) {
	if ct == "" {
		return "text/plain", ""
	}
	if mt, params, err := mime.ParseMediaType(ct); err == nil {
		return mt, params["boundary"]
	}
	mt, rest, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	boundary := ""
	if i := indexFold(rest, "boundary="); i >= 0 {
		boundary = rest[i+len("boundary="):]
		if strings.HasPrefix(boundary, `"`) {
			boundary, _, _ = strings.Cut(boundary[1:], `"`)
		} else if j := strings.IndexAny(boundary, "; \t"); j >= 0 {
			boundary = boundary[:j]
		}
	}
	return mt, boundary
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
		x.scanText(decodeBody(body, cte, &x.scratch), segDSN, orig)
	case mt == "message/rfc822" || mt == "message/global":
		x.message(decodeBody(body, cte, &x.scratch), depth+1, true)
	case mt == "text/rfc822-headers" || mt == "text/global-headers":
		x.scanText(decodeBody(body, cte, &x.scratch), segHeaders, true)
	case mt == "text/html":
		x.scanText(stripHTML(decodeBody(body, cte, &x.scratch)), segBody, orig)
	case strings.HasPrefix(mt, "text/"):
		x.scanText(decodeBody(body, cte, &x.scratch), segBody, orig)
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
		x.scratch.Reset()
		if _, err := x.scratch.ReadFrom(p); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && x.scratch.Len() == 0 {
			continue
		}
		data := x.scratch.String()
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
func decodeBody(body, cte string, buf *bytes.Buffer) string {
	switch {
	case equalFold(strings.TrimSpace(cte), "quoted-printable"):
		buf.Reset()
		if _, err := buf.ReadFrom(quotedprintable.NewReader(strings.NewReader(body))); err != nil && buf.Len() == 0 {
			return body
		}
		return buf.String()
	case equalFold(strings.TrimSpace(cte), "base64"):
		return decodeBase64(body)
	}
	return body
}

// decodeBase64 decodes base64 that may be wrapped, padded badly or cut
// short, keeping whatever decodes.
func decodeBase64(body string) string {
	clean := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if isAlnum(c) || c == '+' || c == '/' {
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
