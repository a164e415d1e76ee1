package locales

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// thaiTexts returns every Thai text by a name that says where it is:
// labels (ui.json, reasons.json, diagnose.json), code texts, provider
// texts and contrast notes.
func thaiTexts(t *testing.T) map[string]string {
	t.Helper()
	th, ok := load(t).Get("th")
	if !ok {
		t.Skip("no Thai")
	}
	all := map[string]string{}
	for k, v := range th.ui() {
		if k != "language.letters" {
			all["ui "+k] = v
		}
	}
	for k, c := range codes(th) {
		for name, s := range codeFields(c) {
			all["code "+k+" "+name] = s
		}
	}
	for k, p := range th.providers() {
		all["provider "+k+" title"] = p.Title
		all["provider "+k+" meaning"] = p.Meaning
		all["provider "+k+" fix"] = p.Fix
	}
	for k, v := range th.contrasts() {
		all["contrast "+k] = v
	}
	return all
}

// thaiAvoid lists words the Thai texts do not use, each with the word
// they use instead (docs/reviews/th.md, "Terminology"): an on-call
// engineer writes these terms in English, and one concept has one word.
var thaiAvoid = map[string]string{
	"เซิร์ฟเวอร์":  "server",
	"โดเมน":        "domain",
	"อีเมลตีกลับ":  "bounce",
	"เด้งกลับ":     "bounce",
	"สแปม":         "spam",
	"ชื่อเสียง":    "reputation",
	"ระเบียน":      "record",
	"เรคคอร์ด":     "record",
	"กล่องจดหมาย":  "เมลบ็อกซ์",
	"เซสชัน":       "session",
	"ใบรับรอง":     "certificate",
	"คีย์":         "key",
	"คิว":          "queue",
	"ของมัน":       "a noun (ของ domain นั้น, ที่ผูกไว้): มัน is a calque of 'its'",
	"ผ่อนการบล็อก": "mitigation",
	"แบบสากล":      "internationalized (EAI): สากล reads as the ordinary (ASCII) form",
}

// TestThaiTerms fails when a Thai text uses a word the glossary replaced.
func TestThaiTerms(t *testing.T) {
	for where, s := range thaiTexts(t) {
		for word, use := range thaiAvoid {
			if strings.Contains(s, word) {
				t.Errorf("th %s uses %q; write %s: %q", where, word, use, s)
			}
		}
	}
}

var emailAuth = regexp.MustCompile(`SPF|DKIM|DMARC`)

// TestThaiAuthentication keeps ยืนยันตัวตน for logging in to a server
// (SMTP AUTH): a text about SPF, DKIM or DMARC that says ยืนยันตัวตน
// without naming SMTP AUTH sends an engineer to fix a password for a
// 5.7.26 (review of 2026-12, item 15). "กลไกการยืนยันตัวตน" names a SASL
// mechanism, which is SMTP AUTH wherever it stands.
func TestThaiAuthentication(t *testing.T) {
	for where, s := range thaiTexts(t) {
		if strings.Contains(strings.ReplaceAll(s, "กลไกการยืนยันตัวตน", ""), "ยืนยันตัวตน") && emailAuth.MatchString(s) && !strings.Contains(s, "SMTP AUTH") {
			t.Errorf("th %s says ยืนยันตัวตน about SPF/DKIM/DMARC; write email authentication: %q", where, s)
		}
	}
}

// TestThaiSpacing fails when a Latin letter touches a Thai one
// ("ในtransaction"): the files put a space between the two scripts, and
// without it a reader cannot see where the English term ends. A closing
// parenthesis counts as the end of a word too ("(EAI)ต้อง relay").
func TestThaiSpacing(t *testing.T) {
	isThai := func(r rune) bool { return unicode.Is(unicode.Thai, r) }
	isLatin := func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }
	for where, s := range thaiTexts(t) {
		var prev rune
		for _, r := range s {
			if isThai(prev) && isLatin(r) || (isLatin(prev) || prev == ')') && isThai(r) {
				t.Errorf("th %s: %q touches %q with no space: %q", where, prev, r, s)
				break
			}
			prev = r
		}
	}
}

// TestThaiTitles fails when a Thai title starts with a lower-case English
// word ("554 transaction ล้มเหลว"), which reads as a broken heading.
func TestThaiTitles(t *testing.T) {
	for where, s := range thaiTexts(t) {
		if !strings.HasSuffix(where, "title") {
			continue
		}
		if r := []rune(s); len(r) > 1 && unicode.IsLower(r[0]) && r[0] < unicode.MaxASCII && !unicode.IsUpper(r[1]) {
			t.Errorf("th %s starts with a lower-case English word: %q", where, s)
		}
	}
}

// TestThaiScopes: compare.side.4/5 join a verb and a scope with no space
// ("ปฏิเสธผู้รับหนึ่งราย"), so every scope must start with a Thai word; one
// starting with an English word would render "ปฏิเสธsession".
func TestThaiScopes(t *testing.T) {
	for where, s := range thaiTexts(t) {
		if !strings.HasPrefix(where, "ui scope.") {
			continue
		}
		if r := []rune(s); len(r) == 0 || !unicode.Is(unicode.Thai, r[0]) {
			t.Errorf("th %s does not start with a Thai word: %q", where, s)
		}
	}
}
