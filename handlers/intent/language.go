package intent

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxLanguageBytes is how much of a text Language reads for letters, and
// maxMarkerBytes how much it reads for the words of unaccented Vietnamese:
// people write their question before what they paste, and a bounce pasted
// after it says nothing of their language.
const (
	maxLanguageBytes = 4096
	maxMarkerBytes   = 512
)

// Language returns the language a question is written in, "th" or "vi",
// or "" when its letters and words do not tell (English, or codes alone).
// Thai script makes it Thai. Vietnamese shows in letters no other language
// the bot speaks writes (ơ, ư, ă, đ, a hook above or a dot below, two marks
// on one letter), backed by a second accented letter so a name such as
// "Nguyễn" in a signature does not decide alone; typed without its marks,
// Vietnamese shows in words such as "nghia la gi" or "khac nhau".
func Language(text string) string {
	if len(text) > maxLanguageBytes {
		// People write their words before what they paste; a long
		// bounce after them says nothing of their language.
		text = strings.ToValidUTF8(text[:maxLanguageBytes], "")
	}
	if ascii(text) {
		// No Thai, no Vietnamese letter: only the words can tell, and only
		// if there are letters at all. Most pastes are ASCII; this spares
		// them the decomposition below.
		if !hasASCIILetter(text) {
			return ""
		}
		return markerLanguage(text, 0)
	}
	thai, strong, weak := 0, 0, 0
	marks, base := 0, rune(0)
	letters := 0 // Latin letters: without any, no word can say Vietnamese
	flush := func() {
		if base == 0 {
			return
		}
		switch {
		case base == 'đ' || base == 'Đ' || marks >= 2:
			strong++
		case marks == 1:
			weak++
		}
		base, marks = 0, 0
	}
	for _, r := range norm.NFD.String(text) {
		switch {
		case isThai(r):
			thai++
			flush()
		case unicode.Is(unicode.Mn, r):
			if base == 0 {
				continue
			}
			marks++
			switch r {
			case 0x031B, 0x0306, 0x0309, 0x0323: // horn, breve, hook above, dot below
				marks++
			case 0x0303: // tilde: on i, u and y only Vietnamese writes it
				if base == 'i' || base == 'u' || base == 'y' || base == 'I' || base == 'U' || base == 'Y' {
					marks++
				}
			}
		default:
			flush()
			if r < 0x250 && unicode.IsLetter(r) || r == 'đ' || r == 'Đ' {
				base = r
				letters++
			}
		}
	}
	flush()
	switch {
	case thai >= 2:
		return "th"
	case strong >= 1 && strong+weak >= 2:
		return "vi"
	case letters == 0:
		return "" // codes alone ("550"): no need to load the words
	}
	return markerLanguage(text, strong+weak)
}

// markerLanguage returns "vi" when the words at the start of text are
// Vietnamese typed without its marks ("nghia la gi", "khac nhau"), helped
// by accented letters seen elsewhere, or "".
func markerLanguage(text string, accented int) string {
	if len(text) > maxMarkerBytes {
		// Cut, a text may end inside a character. ValidString reads
		// ASCII eight bytes at a time, ToValidUTF8 rune by rune.
		if text = text[:maxMarkerBytes]; !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "")
		}
	}
	// A phrase of several words counts twice: "khac nhau", "nghia la gi":
	// no other language writes these.
	var hits int
	if clean := Clean(text); ascii(clean) {
		hits = lex().markers.hitsASCII(clean)
	} else {
		hits = lex().markers.hits(newSpaced(clean))
	}
	if hits >= 2 || hits >= 1 && accented >= 1 {
		return "vi"
	}
	return ""
}

func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i] | 0x20; 'a' <= b && b <= 'z' {
			return true
		}
	}
	return false
}
