package locales

// minDistinctive is how many of a language's distinctive letters a text
// must hold before its script decides the language: one stray letter in a
// name should not switch a reply to Vietnamese.
const minDistinctive = 2

// indexLetters maps each distinctive letter (the "language.letters" text of
// each ui.json: Thai script for Thai, the letters only Vietnamese uses for
// Vietnamese) to the index of its language, so Detect reads a text in one
// pass. It runs on the first Detect: the command line never calls it.
func (b *Bundle) indexLetters() map[rune]int {
	letters := map[rune]int{}
	for i, l := range b.langs {
		for _, r := range l.letters {
			if r >= 0x80 {
				letters[r] = i
			}
		}
	}
	return letters
}

// Detect returns the language whose distinctive letters appear most in
// text, or nil when none appears at least minDistinctive times. Slack offers
// no Vietnamese or Thai interface, so the words people write are the best
// hint there is.
func (b *Bundle) Detect(text string) *Lang {
	letters := b.letters()
	if len(letters) == 0 {
		return nil
	}
	counts := make([]int, len(b.langs))
	best := -1
	for _, r := range text {
		if r < 0x80 {
			continue
		}
		if i, ok := letters[r]; ok {
			counts[i]++
			if best < 0 || counts[i] > counts[best] {
				best = i
			}
		}
	}
	if best < 0 || counts[best] < minDistinctive {
		return nil
	}
	return b.langs[best]
}
