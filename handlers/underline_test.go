package handlers

import (
	"strings"
	"testing"
)

// Titles are underlined to the columns a terminal gives them. Thai vowel and
// tone marks and decomposed Vietnamese accents combine with the letter before
// them; CJK letters take two columns.
var underlineTests = []struct {
	title string
	width int
}{
	{"4.4.1 No Answer from Host", 25},
	{"ก", 1},
	{"กิ", 1},                       // KO KAI + SARA I (U+0E34, a combining mark)
	{"ที่", 1},                      // THO THAHAN + SARA II + MAI EK: three runes, one column
	{"ไม่มีผู้รับ", 6},              // 11 runes: MAI EK, SARA II, SARA UU, MAI THO and MAI HAN-AKAT take no column
	{"Việt", 4},                     // precomposed ệ
	{"Vie\u0323\u0302t", 4},         // the same word, decomposed: six runes
	{"日本", 4},                       // wide letters
	{strings.Repeat("x", 300), 100}, // a rule never runs past 100 columns
}

func TestUnderline(t *testing.T) {
	for _, tt := range underlineTests {
		if got := underline(tt.title); got != strings.Repeat("=", tt.width) {
			t.Errorf("underline(%q) has %d columns, want %d", tt.title, len(got), tt.width)
		}
	}
}
