package diagnose

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
)

// Bounds on reading a bounce as MIME: how deep messages nest, how many
// parts are read, and how much text is kept.
const (
	maxDepth    = 4
	maxParts    = 32
	maxFlatText = 1 << 20
)

// section is one part of a bounce, as text: its header lines and decoded
// body. original marks the returned message (or its headers), whose From,
// Return-Path, DKIM-Signature and Received fields are the sender's.
type section struct {
	text     string
	original bool
}

// flatten turns a raw bounce into text sections: for a MIME message, its
// headers and each part decoded (quoted-printable, base64), message/rfc822
// and text/rfc822-headers parts marked as the original; for anything else,
// the text split where a pasted bounce says the original message follows.
func flatten(text string) []section {
	if len(text) > maxFlatText {
		text = text[:maxFlatText]
	}
	parts := 0
	var out []section
	if msg, err := mail.ReadMessage(strings.NewReader(text)); err == nil && isMultipart(msg.Header.Get("Content-Type")) {
		out = walk(msg.Header, msg.Body, false, 0, &parts, out)
		if len(out) > 0 {
			return out
		}
	}
	return splitPasted(text)
}

func isMultipart(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && strings.HasPrefix(mt, "multipart/")
}

// walk reads one entity: its header, then its body or parts.
func walk(h mail.Header, body io.Reader, original bool, depth int, parts *int, out []section) []section {
	*parts++
	if depth > maxDepth || *parts > maxParts {
		return out
	}
	var b strings.Builder
	for k, vs := range h {
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	out = append(out, section{text: b.String(), original: original})
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart() // decodes quoted-printable itself
			if err != nil {
				return out
			}
			var r io.Reader = p
			if strings.EqualFold(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding")), "base64") {
				r = base64.NewDecoder(base64.StdEncoding, &crlfStripper{r: p})
			}
			ph := mail.Header(p.Header)
			pmt, _, _ := mime.ParseMediaType(ph.Get("Content-Type"))
			switch pmt {
			case "message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers":
				data, _ := io.ReadAll(io.LimitReader(r, maxFlatText))
				if inner, err := mail.ReadMessage(strings.NewReader(string(data) + "\n\n")); err == nil {
					out = walk(inner.Header, inner.Body, true, depth+1, parts, out)
				} else {
					out = append(out, section{text: string(data), original: true})
				}
			default:
				out = walk(ph, r, original, depth+1, parts, out)
			}
			if *parts > maxParts {
				return out
			}
		}
	case mt == "" || strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "message/"):
		data, _ := io.ReadAll(io.LimitReader(body, maxFlatText))
		out = append(out, section{text: string(data), original: original})
	}
	return out
}

// crlfStripper drops line breaks, which base64.NewDecoder does not skip
// everywhere when reading in small chunks.
type crlfStripper struct{ r io.Reader }

func (c *crlfStripper) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != '\r' && b != '\n' {
			p[j] = b
			j++
		}
	}
	return j, err
}

// originalMarkers are the words with which pasted bounces introduce the
// returned message.
var originalMarkers = []string{
	"original message",
	"returned message",
	"undelivered message",
	"message headers follow",
	"headers of the original",
	"rfc822-headers",
	"original-envelope",
}

// splitPasted splits a plain paste where the original message begins.
func splitPasted(text string) []section {
	lower := strings.ToLower(text)
	cut := -1
	for _, m := range originalMarkers {
		if i := strings.Index(lower, m); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return []section{{text: text}}
	}
	return []section{{text: text[:cut]}, {text: text[cut:], original: true}}
}
