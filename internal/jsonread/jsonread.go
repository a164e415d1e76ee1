// Package jsonread reads the JSON of the embedded data files without
// reflection, for a command line that decodes a few of them on every run.
// It reads only the shapes those files use: objects, arrays, strings,
// integers and booleans. Strings without escapes are returned as parts of
// the input, without a copy.
//
// A Reader gives up on anything else, including input encoding/json would
// accept (null, a number with a fraction, a key in another case); callers
// then decode the same input with encoding/json, so a file is never read
// differently, only more slowly. The package's fuzz test holds it to that.
package jsonread

import (
	"errors"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// ErrUnsupported is the error of a Reader that gave up: the input is not
// JSON, or not JSON of the shapes it reads.
var ErrUnsupported = errors.New("jsonread: input not read; decode it with encoding/json")

// Reader reads one JSON value from a string. Its methods read the next
// value as the caller expects it; after the first failure they do nothing
// and return zero values, and Err reports the failure.
type Reader struct {
	s   string
	i   int
	err error
}

// NewReader returns a reader of s.
func NewReader(s string) *Reader { return &Reader{s: s} }

// NewReaderBytes returns a reader of b without copying it: the strings it
// reads share b's memory, so b must never change afterwards. It is for a
// file just read, which would otherwise be copied once more to be read.
func NewReaderBytes(b []byte) *Reader {
	return &Reader{s: unsafe.String(unsafe.SliceData(b), len(b))}
}

// Err returns ErrUnsupported once the reader has given up, else nil.
func (r *Reader) Err() error { return r.err }

// Fail gives up on the input: the caller met a shape it does not read, such
// as an unknown key.
func (r *Reader) Fail() { r.err = ErrUnsupported }

// End checks that only white space follows the value read, and returns Err.
func (r *Reader) End() error {
	if r.Peek(); r.i < len(r.s) {
		r.Fail()
	}
	return r.err
}

// Peek skips white space and returns the next byte, or 0 at the end of the
// input or after a failure.
func (r *Reader) Peek() byte {
	if r.err != nil {
		return 0
	}
	for r.i < len(r.s) {
		switch c := r.s[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

// expect consumes c, the next byte after white space, or fails.
func (r *Reader) expect(c byte) bool {
	if r.Peek() != c || r.err != nil {
		r.Fail()
		return false
	}
	r.i++
	return true
}

// Object reads an object, calling member with each key in turn; member
// must read the key's value, or call Fail.
func (r *Reader) Object(member func(key string)) {
	if !r.expect('{') {
		return
	}
	if r.Peek() == '}' {
		r.i++
		return
	}
	for r.err == nil {
		key := r.String()
		if !r.expect(':') {
			return
		}
		member(key)
		switch r.Peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return
		default:
			r.Fail()
		}
	}
}

// Array reads an array, calling elem for each element; elem must read the
// element, or call Fail.
func (r *Reader) Array(elem func()) {
	if !r.expect('[') {
		return
	}
	if r.Peek() == ']' {
		r.i++
		return
	}
	for r.err == nil {
		elem()
		switch r.Peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			return
		default:
			r.Fail()
		}
	}
}

// Strings reads an array of strings. An empty array is an empty slice, not
// nil, as encoding/json makes it.
func (r *Reader) Strings() []string {
	out := []string{}
	r.Array(func() { out = append(out, r.String()) })
	if r.err != nil {
		return nil
	}
	return out
}

// String reads a string.
func (r *Reader) String() string {
	if !r.expect('"') {
		return ""
	}
	start := r.i
	ascii := true
	for r.i < len(r.s) {
		switch c := r.s[r.i]; {
		case c == '"':
			s := r.s[start:r.i]
			r.i++
			if !ascii && !utf8.ValidString(s) {
				// encoding/json would put U+FFFD for each bad byte.
				r.Fail()
				return ""
			}
			return s
		case c == '\\':
			return r.unescape(start)
		case c < ' ':
			r.Fail()
			return ""
		case c >= utf8.RuneSelf:
			ascii = false
		}
		r.i++
	}
	r.Fail()
	return ""
}

// unescape reads the rest of a string that has an escape at r.i, begun at
// start, decoding as encoding/json does.
func (r *Reader) unescape(start int) string {
	b := make([]byte, 0, r.i-start+16)
	b = append(b, r.s[start:r.i]...)
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			if !utf8.Valid(b) {
				r.Fail()
				return ""
			}
			return string(b)
		case c < ' ':
			r.Fail()
			return ""
		case c != '\\':
			b = append(b, c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.s) {
			break
		}
		switch e := r.s[r.i+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			rr := r.hex4(r.i + 2)
			if rr < 0 {
				r.Fail()
				return ""
			}
			r.i += 6
			if utf16.IsSurrogate(rr) {
				// A pair decodes to one rune; a lone half, to U+FFFD,
				// and what follows it is read on its own.
				if r.i+1 < len(r.s) && r.s[r.i] == '\\' && r.s[r.i+1] == 'u' {
					if dec := utf16.DecodeRune(rr, r.hex4(r.i+2)); dec != unicode.ReplacementChar {
						b = utf8.AppendRune(b, dec)
						r.i += 6
						continue
					}
				}
				rr = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, rr)
			continue
		default:
			r.Fail()
			return ""
		}
		r.i += 2
	}
	r.Fail()
	return ""
}

// hex4 returns the four hex digits at s[i:], or -1.
func (r *Reader) hex4(i int) rune {
	if i+4 > len(r.s) {
		return -1
	}
	var v rune
	for _, c := range []byte(r.s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		v = v<<4 | rune(c)
	}
	return v
}

// Int reads an integer written without fraction or exponent, as the data
// files write RFC numbers; it fails on any other number.
func (r *Reader) Int() int {
	if c := r.Peek(); c != '-' && (c < '0' || c > '9') {
		r.Fail()
		return 0
	}
	neg := r.s[r.i] == '-'
	if neg {
		r.i++
	}
	start := r.i
	n := 0
	for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
		if r.i-start == 9 {
			r.Fail() // past what an int holds on every platform
			return 0
		}
		n = n*10 + int(r.s[r.i]-'0')
		r.i++
	}
	digits := r.i - start
	if digits == 0 || digits > 1 && r.s[start] == '0' {
		r.Fail() // no digits, or a leading zero
		return 0
	}
	if r.i < len(r.s) {
		switch r.s[r.i] {
		case '.', 'e', 'E':
			r.Fail()
			return 0
		}
	}
	if neg {
		return -n
	}
	return n
}

// Bool reads true or false.
func (r *Reader) Bool() bool {
	switch r.Peek() {
	case 't':
		if len(r.s)-r.i >= 4 && r.s[r.i:r.i+4] == "true" {
			r.i += 4
			return true
		}
	case 'f':
		if len(r.s)-r.i >= 5 && r.s[r.i:r.i+5] == "false" {
			r.i += 5
			return false
		}
	}
	r.Fail()
	return false
}

// StringMap reads an object whose values are all strings, as most of the
// language files are.
func (r *Reader) StringMap() map[string]string {
	out := map[string]string{}
	r.Object(func(key string) { out[key] = r.String() })
	if r.err != nil {
		return nil
	}
	return out
}

// Fields fails its reader when an object gives one field twice, which
// encoding/json would read differently (it keeps the last, or merges two
// maps). A reader of an object numbers its fields and calls Once(i) on
// each; up to 32 fields.
type Fields struct {
	r    *Reader
	seen uint32
}

// NewFields returns a Fields for one object read by r.
func NewFields(r *Reader) Fields { return Fields{r: r} }

// Once marks field i as read, failing the reader if it was already.
func (f *Fields) Once(i int) {
	if f.seen&(1<<i) != 0 {
		f.r.Fail()
	}
	f.seen |= 1 << i
}
