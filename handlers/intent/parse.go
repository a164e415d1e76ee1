package intent

import (
	"hash/fnv"
	"strings"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/catalog/extract"
)

// Kind is what a message asks for.
type Kind uint8

// The kinds of intent.
const (
	// Chat has nothing to look up: a greeting, thanks, or words that hold
	// neither a code nor a topic. Tone says which.
	Chat Kind = iota
	// Explain asks what one or more codes mean: "what does 550 5.7.1
	// mean?", "wat is 553", "mã 550 nghĩa là gì?".
	Explain
	// Compare asks how two codes differ: "550 vs 554", "421 or 450?",
	// "550 กับ 554 ต่างกันยังไง".
	Compare
	// Bounce is a pasted bounce or log line, perhaps with words around
	// it: the extractor reads it, server's words and all.
	Bounce
	// Search asks for codes by what they mean: "which code means mailbox
	// full?", "codes for greylisting".
	Search
)

var kindNames = [...]string{"chat", "explain", "compare", "bounce", "search"}

func (k Kind) String() string { return kindNames[k] }

// Tone is the kind of small talk a message is.
type Tone uint8

// The tones.
const (
	ToneOther    Tone = iota // anything else, including questions the bot cannot answer
	ToneGreeting             // "hi", "xin chào", "สวัสดี"
	ToneThanks               // "thanks", "cảm ơn", "ขอบคุณ"
	ToneHelp                 // "what can you do?", "hướng dẫn", "ใช้ยังไง"
)

// Intent is what a message asks for.
type Intent struct {
	Kind Kind
	// Codes are the codes asked about, in the order written (Explain),
	// or the two codes to compare (Compare).
	Codes []catalog.Code
	// Tone is the message's small talk, for the answer when there is
	// nothing to look up (and for a search that finds nothing).
	Tone Tone
	// Text is the part of the message to read as a bounce when the
	// asker's words before the reply hide it from the extractor, or "".
	Text string
	// Lang is the language the message is written in, "th" or "vi", or ""
	// when its words do not tell.
	Lang string
	// Seed varies with the words of the message, so that answers with
	// nothing to look up can vary with it too.
	Seed uint32
}

// minBounceWords is how many words of its own a server's reply must carry
// for a text with a well-placed code to be a pasted bounce: "550 5.7.708
// Service unavailable. Access denied" is one, "550 vs 554?" and "550 5.1.1
// what does it mean" are questions. A text that starts with the code needs
// fewer: "550 5.1.1 User unknown" is a pasted line, "554 5.7.1 spam?" a
// question.
const (
	minBounceWords     = 3
	minLineBounceWords = 2
)

// bounceWords is the number of server's words that make a text whose first
// code is first a bounce.
func bounceWords(clean string, first extract.Mention) int {
	if strings.TrimSpace(clean[:first.Start]) == "" {
		return minLineBounceWords
	}
	return minBounceWords
}

// Parse reads a message typed in chat. It never fails: a message it cannot
// read is Chat.
func Parse(text string) Intent {
	clean := slashCodes(commaCodes(Clean(text)))
	s := newSpaced(clean)
	in := Intent{Lang: Language(text), Tone: tone(s)}
	h := fnv.New32a()
	h.Write([]byte(s))
	in.Seed = h.Sum32()

	ms := extract.Mentions(clean)
	codes := distinct(ms)
	if len(codes) == 0 {
		searchCue := s.any(func(w *words) []string { return w.Search })
		if (in.Tone == ToneHelp || in.Tone == ToneThanks) && !searchCue && !namesSynonym(s) {
			// "many thanks", "cảm ơn nhiều", "what commands do you
			// have": small talk, whatever other word it has; no code
			// is "many" (Too Many Recipients) or "have".
			return in
		}
		if len(s.content()) > 0 || searchCue {
			in.Kind = Search
		}
		return in
	}
	x := extract.Extract(clean)
	compare := len(codes) == 2 && (s.any(func(w *words) []string { return w.Compare }) || connected(clean, ms, codes))
	switch {
	case x.Confidence >= 0.85:
		// Mail software wrote it: a DSN, a log line, a bounce's phrases.
		in.Kind = Bounce
	case compare:
		in.Kind, in.Codes = Compare, codes
	case x.Confidence >= 0.5 && serverWords(x) >= bounceWords(clean, ms[0]):
		in.Kind = Bounce
	default:
		// "เจอแบบนี้ครับ 552 5.2.2 The email account ... is over
		// quota": the asker's words stand before the reply on its
		// line, where the extractor sees prose. Read from the first
		// code on.
		rest := clean[ms[0].Start:]
		if y := extract.Extract(rest); y.Confidence >= 0.5 && serverWords(y) >= minBounceWords {
			in.Kind, in.Text = Bounce, rest
			return in
		}
		in.Kind, in.Codes = Explain, codes
	}
	return in
}

// distinct returns the codes of ms without repeats, in order.
func distinct(ms []extract.Mention) []catalog.Code {
	var out []catalog.Code
	for _, m := range ms {
		dup := false
		for _, c := range out {
			dup = dup || c == m.Code
		}
		if !dup {
			out = append(out, m.Code)
		}
	}
	return out
}

// connected reports whether only a connecting word such as "or", "hay",
// "กับ" (and punctuation) stands between the two codes: "421 or 450?".
func connected(clean string, ms []extract.Mention, codes []catalog.Code) bool {
	var first, second *extract.Mention
	for i := range ms {
		switch {
		case first == nil && ms[i].Code == codes[0]:
			first = &ms[i]
		case first != nil && ms[i].Code == codes[1]:
			second = &ms[i]
		}
	}
	if first == nil || second == nil || second.Start < first.End {
		return false
	}
	between := strings.TrimSpace(string(newSpaced(clean[first.End:second.Start])))
	if between == "" {
		return false
	}
	for _, tag := range lex().tags {
		for _, p := range lex().lang[tag].Connect {
			if between == p {
				return true
			}
		}
	}
	return false
}

// serverWords counts the words of the server's own in the extraction's
// best-placed reply: English words that are not a question's filler.
// Servers write English, so Thai and Vietnamese words are the asker's:
// only words typed in ASCII count, not those that fold to it ("tạm thời"),
// and a text that reads as Vietnamese typed without its marks ("la tam
// thoi hay vinh vien") counts none.
func serverWords(x extract.Extraction) int {
	most := 0
	for _, f := range x.Findings {
		if f.ServerText == "" || f.Role == extract.RoleQuoted {
			continue
		}
		typed := f.ServerText
		if !ascii(typed) {
			typed = asciiFields(typed)
		} else if markerLanguage(typed, 0) == "vi" {
			continue
		}
		n := 0
		for _, w := range newSpaced(typed).content() {
			if isASCIIWord(w) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// asciiFields returns the words of s typed in ASCII, one space apart.
func asciiFields(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		if ascii(w) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// isASCIIWord is true for a word of ASCII letters only: a server's word,
// not a host name's "office365" or a Vietnamese or Thai word.
func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// namesSynonym reports whether s holds a word people use for a problem
// (data/<tag>.json "synonyms"): then it asks about codes, whatever its tone.
func namesSynonym(s spaced) bool {
	for _, syn := range lex().synonyms {
		if s.has(syn.phrase) {
			return true
		}
	}
	return false
}

// tone says what small talk s is, help first: "hi, what can you do?" asks
// for help.
func tone(s spaced) Tone {
	switch {
	case s.any(func(w *words) []string { return w.Help }):
		return ToneHelp
	case s.any(func(w *words) []string { return w.Thanks }):
		return ToneThanks
	case s.any(func(w *words) []string { return w.Greeting }):
		return ToneGreeting
	}
	return ToneOther
}
