package intent

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean removes what Slack adds around words: mentions ("<@U123>"),
// channel and special mentions ("<#C1|ops>", "<!here>"), links
// ("<https://x|label>" keeps "label"), emoji codes (":thinking_face:"),
// the markers of *bold*, _italic_, ~strike~ and `code`, and the HTML
// escapes of &, < and >. Codes and their neighbours are otherwise left as
// typed, so that the extractor's rules still see "$550" or "PR #550".
func Clean(s string) string {
	s = stripAngles(s)
	if strings.IndexByte(s, '&') >= 0 { // every escape starts with '&'
		s = unescaper.Replace(s)
	}
	s = stripEmoji(s)
	s = spaceThaiDigits(s)
	if !strings.ContainsAny(s, "*`~_") {
		return s // no marker to blank: the loop below would copy s as is
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '*', '`', '~':
			b.WriteByte(' ')
			continue
		case '_':
			// "_italic_" loses its markers; "ERROR_CODE" keeps its own.
			if i == 0 || i+1 == len(s) || !wordByte(s[i-1]) || !wordByte(s[i+1]) {
				b.WriteByte(' ')
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func wordByte(c byte) bool {
	return c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// stripAngles removes Slack's <...> spans: mentions entirely, links down to
// their label or address.
func stripAngles(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	// Most spans in a bounce are addresses, kept as they are: the text is
	// copied from the first span that changes, and not at all when none
	// does. Nothing grows, so len(s) bytes are room enough.
	var b strings.Builder
	from := 0 // s[from:] is not written yet
	for at := 0; ; {
		i := strings.IndexByte(s[at:], '<')
		if i < 0 {
			break
		}
		i += at
		j := strings.IndexByte(s[i:], '>')
		if j < 0 || strings.ContainsAny(s[i+1:i+j], " \n") {
			// Not Slack markup ("<jane@example.com>" in a bounce
			// keeps its brackets, "a < b" its sign).
			at = i + 1
			continue
		}
		inner := s[i+1 : i+j]
		at = i + j + 1
		var repl string
		switch {
		case strings.HasPrefix(inner, "@"), strings.HasPrefix(inner, "!"), strings.HasPrefix(inner, "#"):
			repl = " "
		case strings.Contains(inner, "|"):
			repl = inner[strings.IndexByte(inner, '|')+1:]
		case strings.HasPrefix(inner, "http"), strings.HasPrefix(inner, "mailto:"):
			repl = strings.TrimPrefix(inner, "mailto:")
		default:
			continue // kept with its brackets
		}
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[from:i])
		b.WriteString(repl)
		from = at
	}
	if from == 0 {
		return s
	}
	b.WriteString(s[from:])
	return b.String()
}

// stripEmoji removes ":name:" emoji codes: a colon, letters, digits, '_',
// '+' or '-' with at least one letter, and a colon. "said:550:" has no
// letter between its colons and stays.
func stripEmoji(s string) string {
	if strings.Count(s, ":") < 2 {
		return s
	}
	// As in stripAngles, the text is copied from the first emoji on.
	var b strings.Builder
	from := 0 // s[from:] is not written yet
	for at := 0; ; {
		i := strings.IndexByte(s[at:], ':')
		if i < 0 {
			break
		}
		i += at
		j := i + 1
		letter := false
		for j < len(s) && (wordByte(s[j]) && s[j] < 0x80 || s[j] == '_' || s[j] == '+' || s[j] == '-') {
			letter = letter || 'a' <= s[j]|0x20 && s[j]|0x20 <= 'z'
			j++
		}
		// The byte before a colon found past an emoji or another colon is
		// that colon, which wordByte rejects, as the start of the text.
		if j < len(s) && s[j] == ':' && j > i+1 && letter && (i == 0 || !wordByte(s[i-1])) {
			if b.Cap() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[from:i])
			b.WriteByte(' ')
			from, at = j+1, j+1
			continue
		}
		at = i + 1
	}
	if from == 0 {
		return s
	}
	b.WriteString(s[from:])
	return b.String()
}

// fold lowers s and strips the marks of Latin letters, so "Nghĩa LÀ gì",
// "nghia la gi" and "nghĩa là gì" read alike: people type Vietnamese with
// or without its marks. Thai keeps its marks, which are letters of the
// word. Apostrophes vanish ("what's" is "whats"); every other character that
// is neither a letter nor a digit becomes a space.
func fold(s string) string {
	if ascii(s) {
		return foldASCII(s)
	}
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	prevLatin, prevThai := false, false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			if !prevLatin {
				b.WriteRune(r)
			}
			continue
		case r == '\'' || r == '’' || r == 'ʼ':
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			r = ' '
		}
		// Thai runs on without spaces, also into Latin words and
		// numbers ("รหัส550"): a space between scripts makes them
		// separate tokens.
		if thai := isThai(r); r != ' ' && (prevLatin && thai || prevThai && !thai) {
			b.WriteByte(' ')
		}
		prevLatin = r < 0x250 && r != ' '
		prevThai = isThai(r)
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// isThai reports whether r is in the Thai block.
func isThai(r rune) bool { return r >= 0x0E00 && r <= 0x0E7F }

// hasThai reports whether s holds a Thai letter.
func hasThai(s string) bool {
	// Every Thai letter is written E0 B8 xx or E0 B9 xx in UTF-8: a text
	// without an 0xE0 byte, such as any ASCII paste, has none, which a
	// byte search tells without decoding.
	if strings.IndexByte(s, 0xE0) < 0 {
		return false
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isThai(r) {
			return true
		}
		i += n
	}
	return false
}

// spaceThaiDigits puts a space between Thai letters and digits, which Thai
// writes without one ("รหัส550หมายถึงอะไร"), so that the code stands
// alone as the extractor's rules want it. A Thai letter is never part of a
// version, an address or an id. Thai digits become ASCII ones ("๕๕๐"):
// rare in technical chat, but a code typed with them is still a code.
func spaceThaiDigits(s string) string {
	if !hasThai(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(0)
	for _, r := range s {
		if '๐' <= r && r <= '๙' {
			r = '0' + (r - '๐')
		}
		if isThai(r) && '0' <= prev && prev <= '9' || '0' <= r && r <= '9' && isThai(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// ascii reports whether s is ASCII only. Language asks it of every paste,
// so it reads eight bytes at a time, as utf8.ValidString does: the
// compiler joins the byte loads of each half into one.
func ascii(s string) bool {
	for len(s) >= 8 {
		lo := uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
		hi := uint32(s[4]) | uint32(s[5])<<8 | uint32(s[6])<<16 | uint32(s[7])<<24
		if (lo|hi)&0x80808080 != 0 {
			return false
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// foldASCII is fold for ASCII text, which has no marks to strip: most
// English questions, and the English texts the search index reads.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c, keep := foldASCIIByte(s[i]); keep {
			b = append(b, c)
		}
	}
	return string(b)
}

// foldASCIIByte folds one ASCII byte as fold does: letters to lowercase,
// digits kept, an apostrophe dropped (keep is false), anything else a space.
func foldASCIIByte(c byte) (folded byte, keep bool) {
	switch {
	case c == '\'':
		return 0, false
	case 'A' <= c && c <= 'Z':
		return c + 'a' - 'A', true
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return c, true
	}
	return ' ', true
}
