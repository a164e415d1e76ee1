package locales

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// viTerms are the words the Vietnamese texts use for one concept each, as
// docs/reviews/vi.md sets them out: a Vietnamese on-call engineer reading one
// card should not meet "thư" in one line and "email" in the next, or "mã hóa"
// for both encoding and encryption. Each entry is a wording that was found in
// the files and what to write instead. Go's regexp knows only ASCII word
// boundaries, so the patterns spell out letter classes themselves.
var viTerms = []struct {
	bad  *regexp.Regexp
	want string
}{
	// A message is "email", the system or activity "mail"; "thư" stays only
	// in "hộp thư" (mailbox), "thư viện" (library) and "thư mục" (folder).
	{regexp.MustCompile(`(?i)(^|[^\p{L}\p{M}])thư([^\p{L}\p{M}]|$)`), `"email" (the message) or "mail" (the system, the activity)`},
	{regexp.MustCompile(`(?i)phía (người )?nhận`), `"bên nhận"`},
	{regexp.MustCompile(`(?i)người dùng không tồn tại`), `"user không tồn tại" (vi.md's words for "user unknown")`},
	{regexp.MustCompile(`(?i)hàng đợi`), `"queue"`},
	{regexp.MustCompile(`(?i)chứng chỉ`), `"certificate"`},
	{regexp.MustCompile(`(?i)(^|[^\p{L}\p{M}])tệp`), `"file" ("file đính kèm")`},
	{regexp.MustCompile(`(?i)lời (của )?server`), `"nội dung phản hồi"`},
	{regexp.MustCompile(`(?i)giới hạn tốc độ`), `"rate limit"`},
	{regexp.MustCompile(`(?i)mã enhanced`), `"mã trạng thái mở rộng"`},
	{regexp.MustCompile(`(?i)DNS ngược`), `"reverse DNS"`},
	{regexp.MustCompile(`(?i)cổng delist`), `"trang delist" ("cổng" reads as a port)`},
	{regexp.MustCompile(`(?i)lưu đệm`), `"cache"`},
	{regexp.MustCompile(`(?i)quá thời gian`), `"timeout"`},
	// Word order of the English terms kept: "mail server", and a port is
	// "cổng" ("cổng TCP 25"), as review 48 and 51 found them mixed.
	{regexp.MustCompile(`(?i)server mail`), `"mail server"`},
	{regexp.MustCompile(`(?i)TCP port|(^|[^\p{L}])port [0-9]`), `"cổng" ("cổng TCP 25", "cổng 587")`},
	// Publishing a DNS record is "khai báo"; "công bố" only for publishing a list or a page.
	{regexp.MustCompile(`(?i)công bố (?:lại )?(?:một |đúng một )?(?:bản ghi|null MX|khóa|key|MX|SPF|DKIM|DMARC)`), `"khai báo"`},
	// "mã hóa" is encryption only; encoding is "encode"/"encoding".
	{regexp.MustCompile(`(?i)cách mã hóa|mã hóa (?:RFC 2047|MIME|sang|thành)`), `"encode"/"encoding" ("mã hóa" is encryption)`},
}

// viCompounds are the words with "thư" that stay: they are masked before
// the patterns run, since Go's regexp has no look-around.
var viCompounds = strings.NewReplacer(
	"hộp thư", "hộp_", "Hộp thư", "Hộp_",
	"thư viện", "library", "Thư viện", "Library",
	"thư mục", "folder", "Thư mục", "Folder",
)

// viTermFound returns the first replaced wording in s and what to write
// instead, or "".
func viTermFound(s string) (found, want string) {
	masked := viCompounds.Replace(s)
	for _, term := range viTerms {
		if m := term.bad.FindString(masked); m != "" {
			return strings.TrimSpace(m), term.want
		}
	}
	return "", ""
}

// stringsIn returns every string in a decoded JSON value, keyed by its path.
func stringsIn(prefix string, v any, out map[string]string) {
	switch v := v.(type) {
	case string:
		out[prefix] = v
	case []any:
		for i, e := range v {
			stringsIn(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	case map[string]any:
		for k, e := range v {
			stringsIn(prefix+"/"+k, e, out)
		}
	}
}

// TestVietnameseTerms reads every Vietnamese text in every file, including
// files no code path loads yet, and fails on a wording the terminology
// replaced.
func TestVietnameseTerms(t *testing.T) {
	names, err := fs.Glob(dataFS, "data/vi/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no Vietnamese files: %v", err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(dataFS, name)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		texts := map[string]string{}
		stringsIn(strings.TrimSuffix(path.Base(name), ".json"), v, texts)
		keys := make([]string, 0, len(texts))
		for k := range texts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if m, want := viTermFound(texts[k]); m != "" {
				t.Errorf("%s: %q in %q; write %s", k, m, texts[k], want)
			}
		}
	}
}

// TestVietnameseTermsCatch keeps the patterns honest: each wording the
// re-review found is caught, and the words that look alike are not.
func TestVietnameseTermsCatch(t *testing.T) {
	caught := func(s string) bool {
		m, _ := viTermFound(s)
		return m != ""
	}
	for _, s := range []string{
		"Thư lớn hơn mức server nhận chấp nhận",
		"nên không nhận bất kỳ thư nào.",
		"một bộ lọc phía người nhận",
		"Hết hạn trong hàng đợi",
		"STARTTLS thất bại, chứng chỉ bị từ chối",
		"giảm dung lượng tệp đính kèm",
		"đọc từ lời server trả về",
		"Bị giới hạn tốc độ gửi",
		"không có mã enhanced",
		"không có DNS ngược",
		"qua cổng delist của Microsoft",
		"câu trả lời được lưu đệm theo TTL",
		"Tra {name} bị quá thời gian",
		"{domain} công bố null MX",
		"hãy công bố lại khóa công khai",
		"Nội dung hoặc cách mã hóa bị từ chối",
		"và mã hóa RFC 2047 cho chữ non-ASCII",
	} {
		if !caught(s) {
			t.Errorf("not caught: %q", s)
		}
	}
	for _, s := range []string{
		"Hộp thư đầy",
		"hộp thư người nhận",
		"Kiểm tra xem thư viện gửi mail của bạn",
		"kiểm tra thư mục queue",
		"Apple không công bố danh sách mã lỗi",
		"qua kết nối có mã hóa",
		"email đã ký hoặc mã hóa",
		"kiểm tra cổng 25 chiều ra",
	} {
		if caught(s) {
			t.Errorf("caught but fine: %q", s)
		}
	}
}
