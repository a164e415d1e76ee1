package intent

import "testing"

// TestLanguageSwitch: a language asked for by its name, in the words people
// type (docs/reviews/en-truth-typed-input.md), and texts that only mention
// a language beside something else to answer.
func TestLanguageSwitch(t *testing.T) {
	for text, want := range map[string]string{
		"switch to thai":              "th",
		"language thai":               "th",
		"english please":              "en",
		"switch to vietnamese":        "vi",
		"answer in thai":              "th",
		"reply in English":            "en",
		"lang thai":                   "th",
		"lang vietnamese":             "vi",
		"tiếng việt":                  "vi",
		"chuyển sang tiếng việt":      "vi",
		"tieng viet":                  "vi",
		"trả lời bằng tiếng Việt nhé": "vi",
		"lang tiếng việt":             "vi",
		"ภาษาไทย":                     "th",
		"เปลี่ยนเป็นภาษาไทย": "th",
		"ตอบเป็นภาษาไทย":     "th",
		"ขอภาษาอังกฤษ":       "en",
		"lang ไทย":           "th",
		// Not a switch: something else to answer, or two languages.
		"550 in english":                    "",
		"what does 550 mean in thai":        "",
		"thai or vietnamese":                "",
		"lỗi 550 là gì tiếng việt":          "",
		"the thai customer got 550 5.1.1":   "",
		"english":                           "en",
		"switch to klingon":                 "",
		"ภาษาไทย 421 คืออะไร":               "",
		"please help":                       "",
		"switch to english and explain 421": "",
	} {
		got, ok := LanguageSwitch(text)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("LanguageSwitch(%q) = %q, want %q", text, got, want)
		}
	}
}

func FuzzLanguageSwitch(f *testing.F) {
	for _, s := range []string{"switch to thai", "tiếng việt", "ขอภาษาอังกฤษ", "550 in english", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if tag, ok := LanguageSwitch(text); ok && tag != "en" && tag != "th" && tag != "vi" {
			t.Fatalf("LanguageSwitch(%q) = %q", text, tag)
		}
	})
}
