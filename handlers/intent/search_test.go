package intent

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/locales"
)

var (
	indexOnce sync.Once
	testIndex *Index
	testCat   *catalog.Catalog
	testLangs *locales.Bundle
)

func index(t testing.TB) *Index {
	t.Helper()
	indexOnce.Do(func() {
		var err error
		if testCat, err = catalog.Default(); err != nil {
			panic(err)
		}
		if testLangs, err = locales.Load(); err != nil {
			panic(err)
		}
		testIndex = NewIndex(testCat, testLangs)
	})
	return testIndex
}

// searches are questions by meaning and the codes that must lead the
// answer (any order among the first len(want)+1), or none.
var searches = []struct {
	text string
	want []string
}{
	{"which code means mailbox full?", []string{"X.2.2", "552"}},
	{"what's the code when the mailbox is full", []string{"X.2.2"}},
	{"codes for greylisting", []string{"450", "451"}},
	{"code for message too big", []string{"552", "X.3.4"}},
	{"which error means the user does not exist", []string{"X.1.1"}},
	{"spf fail code?", []string{"X.7.23"}},
	{"relay access denied", []string{"X.7.1"}},
	{"too many recipients code", []string{"X.5.3", "452"}},
	{"code for wrong password", []string{"535"}},
	{"which codes mean rate limited", []string{"421"}},
	{"null mx", []string{"X.1.10"}},
	{"routing loop", []string{"X.4.6"}},
	{"mã nào báo hộp thư đầy?", []string{"X.2.2"}},
	{"hop thu day la ma nao", []string{"X.2.2"}},
	{"mã lỗi cho greylisting", []string{"450", "451"}},
	{"người nhận không tồn tại thì mã gì", []string{"X.1.1"}},
	{"sai mật khẩu smtp báo mã nào", []string{"535"}},
	{"thư quá lớn thì lỗi gì", []string{"552"}},
	{"รหัสไหนหมายถึงเมลบ็อกซ์เต็ม", []string{"X.2.2"}},
	{"รหัสไหนหมายถึงกล่องจดหมายเต็ม", []string{"X.2.2"}},
	{"รหัสสำหรับ greylisting", []string{"450", "451"}},
	{"ไม่พบผู้รับ รหัสอะไร", []string{"X.1.1"}},
	{"รหัสผ่านผิดได้โค้ดอะไร", []string{"535"}},
	{"ไฟล์แนบใหญ่เกินเจอรหัสไหน", []string{"X.3.4"}},
	// As people write it: "the mail bounced because the box is full".
	{"อีเมลเด้งเพราะกล่องเต็ม รหัสอะไร", []string{"X.2.2"}},
	{"ติดแบล็คลิสต์ใช้รหัสอะไร", []string{"X.7.1"}},
	{"email bị trả về vì hộp mail đầy là mã gì", []string{"X.2.2"}},
	{"mailbox đầy thì lỗi gì", []string{"X.2.2"}},
	{"dính blacklist báo mã nào", []string{"X.7.1"}},
	{"lunch?", nil},
	{"we sent 550 messages yesterday", nil},
	{"it costs $550", nil},
	{"PR #550", nil},
	{"deployed 4.5.1 to staging", nil},
	{"ส่ง 550 ฉบับ", nil},
}

func TestSearch(t *testing.T) {
	ix := index(t)
	for _, tt := range searches {
		got := ix.Search(tt.text, 5)
		var keys []string
		for _, m := range got {
			keys = append(keys, m.Key)
		}
		if tt.want == nil {
			if len(got) > 0 {
				t.Errorf("Search(%q) = %v, want nothing", tt.text, keys)
			}
			continue
		}
		lead := keys[:min(len(keys), len(tt.want)+1)]
		for _, w := range tt.want {
			if !slices.Contains(lead, w) {
				t.Errorf("Search(%q) = %v, want %s among the first %d", tt.text, keys, w, len(tt.want)+1)
			}
		}
	}
}

// TestSynonymsNameCatalogCodes keeps the synonym tables honest: every key
// they name is a code of the catalog.
func TestSynonymsNameCatalogCodes(t *testing.T) {
	index(t)
	for _, s := range lex().synonyms {
		for _, k := range s.keys {
			if _, ok := testCat.ByKey(k); !ok {
				t.Errorf("%s.json: synonym %q names %q, which the catalog does not have", s.tag, s.phrase, k)
			}
		}
	}
}

// TestEveryLanguageHasWords fails when a language of package locales has no
// data/<tag>.json, so adding a language cannot forget the grammar's words.
func TestEveryLanguageHasWords(t *testing.T) {
	index(t)
	for _, l := range testLangs.Languages() {
		w, ok := lex().lang[l.Tag]
		if !ok {
			t.Errorf("no data/%s.json for %s", l.Tag, l.Name)
			continue
		}
		if len(w.Compare) == 0 || len(w.Filler) == 0 || len(w.Synonyms) == 0 || len(w.Greeting) == 0 {
			t.Errorf("data/%s.json lacks compare, filler, greeting or synonyms", l.Tag)
		}
	}
}

// TestExamplesParse checks the example questions every language's ui.json
// offers: each must be read as what it demonstrates, or the bot would
// suggest questions it cannot answer.
func TestExamplesParse(t *testing.T) {
	ix := index(t)
	for _, l := range testLangs.Languages() {
		for i := 1; ; i++ {
			key := "intent.example." + string(rune('0'+i))
			ex := l.T(key)
			if ex == key {
				if i <= 2 {
					t.Errorf("%s: fewer than two examples", l.Tag)
				}
				break
			}
			in := Parse(ex)
			switch in.Kind {
			case Explain, Compare:
			case Search:
				if len(ix.Search(ex, 5)) == 0 {
					t.Errorf("%s %s %q finds no code", l.Tag, key, ex)
				}
			default:
				t.Errorf("%s %s %q reads as %s", l.Tag, key, ex, in.Kind)
			}
			if l.Tag != "en" && in.Lang != l.Tag && !strings.Contains(ex, "vs") {
				t.Errorf("%s %s %q reads as language %q", l.Tag, key, ex, in.Lang)
			}
		}
	}
}

func BenchmarkNewIndex(b *testing.B) {
	index(b)
	for b.Loop() {
		NewIndex(testCat, testLangs)
	}
}

func BenchmarkSearch(b *testing.B) {
	ix := index(b)
	for b.Loop() {
		ix.Search("which code means mailbox full?", 5)
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		Parse("hi! what's the difference between 550 and 554?")
	}
}
