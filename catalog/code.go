package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Reply is an SMTP reply code such as 550 (RFC 5321 section 4.2). The zero
// value means "no reply code".
type Reply uint16

// Enhanced is an enhanced mail system status code such as 5.1.1
// (RFC 3463 section 2). The zero value means "no enhanced code".
type Enhanced struct {
	Class   uint8  // 2, 4 or 5
	Subject uint16 // 0 to 999; 0 to 7 are defined
	Detail  uint16 // 0 to 999
}

// Code is what a server said: a reply code, an enhanced code, or both, as in
// "550 5.1.1". At least one part is set in a parsed Code.
type Code struct {
	Reply    Reply
	Enhanced Enhanced
}

// Class is the meaning of a code's first digit, shared by reply codes
// (RFC 5321 section 4.2.1) and enhanced codes (RFC 3463 section 3.1).
type Class uint8

// The classes of SMTP replies.
const (
	ClassPositiveCompletion   Class = 2
	ClassPositiveIntermediate Class = 3
	ClassTransientNegative    Class = 4
	ClassPermanentNegative    Class = 5
)

// ErrMalformed is wrapped by every error that Parse, ParseReply and
// ParseEnhanced return.
var ErrMalformed = errors.New("catalog: malformed code")

// The reasons a ParseError gives. Each is also a key, "parse.<reason>", under
// which package locales explains it to a user.
const (
	ReasonEmpty          = "empty"
	ReasonReplyShape     = "reply_shape"
	ReasonReplyClass     = "reply_class"
	ReasonReplyCategory  = "reply_category"
	ReasonEnhancedShape  = "enhanced_shape"
	ReasonEnhancedClass  = "enhanced_class"
	ReasonEnhancedDigits = "enhanced_digits"
	ReasonClassesDiffer  = "classes_differ"
)

var reasonText = map[string]string{
	ReasonEmpty:          "give a reply code like 550 or an enhanced code like 5.1.1",
	ReasonReplyShape:     "a reply code is three digits, like 550",
	ReasonReplyClass:     "a reply code starts with 2, 3, 4 or 5",
	ReasonReplyCategory:  "the second digit of a reply code is 0 to 5",
	ReasonEnhancedShape:  "an enhanced status code is class.subject.detail, like 5.1.1",
	ReasonEnhancedClass:  "the class of an enhanced status code is 2, 4 or 5",
	ReasonEnhancedDigits: "subject and detail are one to three digits each",
	ReasonClassesDiffer:  "a reply code and its enhanced code start with the same digit, like 550 5.1.1",
}

// ParseError says why a text is not a code.
type ParseError struct {
	Input  string
	Reason string // one of the Reason constants
}

// Error returns an English message for logs and the command line.
func (e *ParseError) Error() string {
	return fmt.Sprintf("catalog: %q is not an SMTP code: %s", e.Input, reasonText[e.Reason])
}

// Unwrap lets errors.Is(err, ErrMalformed) hold.
func (e *ParseError) Unwrap() error { return ErrMalformed }

func parseError(input, reason string) error { return &ParseError{Input: input, Reason: reason} }

// IsZero reports whether r is absent.
func (r Reply) IsZero() bool { return r == 0 }

// String returns the three digits, or "" for the zero Reply.
func (r Reply) String() string {
	if r == 0 {
		return ""
	}
	return strconv.Itoa(int(r))
}

// Class returns the first digit.
func (r Reply) Class() Class { return Class(r / 100) }

// Category returns the second digit, which RFC 5321 section 4.2.1 calls the
// functional category: 0 syntax, 1 information, 2 connections, 5 mail system.
func (r Reply) Category() uint8 { return uint8(r / 10 % 10) }

// IsZero reports whether e is absent.
func (e Enhanced) IsZero() bool { return e.Class == 0 }

// String returns the dotted form, or "" for the zero Enhanced.
func (e Enhanced) String() string {
	if e.IsZero() {
		return ""
	}
	var b [16]byte // room for "255.65535.65535", the largest the fields hold
	return string(e.appendDotted(b[:0]))
}

// appendDotted appends "class.subject.detail". It is String without fmt:
// explaining and rendering a code ask for it several times (every
// reference's AppliesTo, the title, the buttons).
func (e Enhanced) appendDotted(b []byte) []byte {
	b = strconv.AppendUint(b, uint64(e.Class), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(e.Subject), 10)
	b = append(b, '.')
	return strconv.AppendUint(b, uint64(e.Detail), 10)
}

// Key returns the registry form "X.s.d", under which an enhanced code is
// registered whatever its class.
func (e Enhanced) Key() string {
	var buf [16]byte
	b := append(buf[:0], "X."...)
	b = strconv.AppendUint(b, uint64(e.Subject), 10)
	b = append(b, '.')
	return string(strconv.AppendUint(b, uint64(e.Detail), 10))
}

// IsZero reports whether neither part is set.
func (c Code) IsZero() bool { return c.Reply.IsZero() && c.Enhanced.IsZero() }

// Class returns the class of the code, taken from the enhanced code when the
// reply code is absent.
func (c Code) Class() Class {
	if !c.Reply.IsZero() {
		return c.Reply.Class()
	}
	return Class(c.Enhanced.Class)
}

// String returns "550 5.1.1", "550" or "5.1.1".
func (c Code) String() string {
	switch {
	case c.Reply.IsZero():
		return c.Enhanced.String()
	case c.Enhanced.IsZero():
		return c.Reply.String()
	}
	return c.Reply.String() + " " + c.Enhanced.String()
}

// ParseReply parses three digits whose first is 2 to 5 and second 0 to 5
// (RFC 5321 section 4.2).
func ParseReply(s string) (Reply, error) {
	if len(s) != 3 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) {
		return 0, parseError(s, ReasonReplyShape)
	}
	if s[0] < '2' || s[0] > '5' {
		return 0, parseError(s, ReasonReplyClass)
	}
	if s[1] > '5' {
		return 0, parseError(s, ReasonReplyCategory)
	}
	return Reply(int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')), nil
}

// ParseEnhanced parses class.subject.detail, where the class is 2, 4 or 5 and
// subject and detail are one to three digits (RFC 3463 section 2).
func ParseEnhanced(s string) (Enhanced, error) {
	class, rest, ok1 := strings.Cut(s, ".")
	subject, detail, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 {
		return Enhanced{}, parseError(s, ReasonEnhancedShape)
	}
	if len(class) != 1 || (class[0] != '2' && class[0] != '4' && class[0] != '5') {
		return Enhanced{}, parseError(s, ReasonEnhancedClass)
	}
	sub, ok := parseNumber(subject)
	det, ok2 := parseNumber(detail)
	if !ok || !ok2 {
		return Enhanced{}, parseError(s, ReasonEnhancedDigits)
	}
	return Enhanced{Class: class[0] - '0', Subject: sub, Detail: det}, nil
}

// Parse reads "550", "5.1.1", "550 5.1.1" or "550-5.1.1". Surrounding space is
// ignored. When both parts are given, their classes must agree (RFC 3463
// section 3.1 ties the enhanced class to the reply's first digit).
func Parse(s string) (Code, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Code{}, parseError(s, ReasonEmpty)
	}
	first, second := s, ""
	if i := strings.IndexAny(s, " \t-"); i >= 0 {
		first, second = s[:i], strings.TrimLeft(s[i+1:], " \t")
	}
	if second == "" {
		if strings.Contains(first, ".") {
			e, err := ParseEnhanced(first)
			return Code{Enhanced: e}, err
		}
		r, err := ParseReply(first)
		return Code{Reply: r}, err
	}
	r, err := ParseReply(first)
	if err != nil {
		return Code{}, err
	}
	e, err := ParseEnhanced(second)
	if err != nil {
		return Code{}, err
	}
	if Class(e.Class) != r.Class() {
		return Code{}, parseError(s, ReasonClassesDiffer)
	}
	return Code{Reply: r, Enhanced: e}, nil
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// parseNumber reads one to three digits without allocating.
func parseNumber(s string) (uint16, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	var n uint16
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint16(s[i]-'0')
	}
	return n, true
}
