package intent

import (
	"strings"
	"testing"
)

func TestSlashCodes(t *testing.T) {
	for in, want := range map[string]string{
		"550/554 difference":   "550 / 554 difference",
		"5.1.1/5.1.10":         "5.1.1 / 5.1.10",
		"421/4.7.0?":           "421 / 4.7.0?",
		"550/554/553":          "550 / 554 / 553",
		"port 25/tcp":          "port 25/tcp",
		"550/tcp":              "550/tcp",
		"1/2":                  "1/2",
		"2024/550":             "2024/550",
		"550/5540":             "550/5540",
		"10.5.1.1/550":         "10.5.1.1/550",
		"https://x.io/550/554": "https://x.io/550 / 554",
		"3.1.1/550":            "3.1.1/550",
		"/550":                 "/550",
		"550/":                 "550/",
		"":                     "",
	} {
		if got := slashCodes(in); got != want {
			t.Errorf("slashCodes(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSlashCodes(f *testing.F) {
	for _, s := range []string{"550/554", "5.1.1/5.1.10", "25/tcp", "/", "5.1./550"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := slashCodes(s)
		if strings.ReplaceAll(got, " / ", "/") != s && !strings.Contains(s, " / ") {
			t.Fatalf("slashCodes(%q) = %q: more than spaces around slashes changed", s, got)
		}
		if strings.Count(got, "/") != strings.Count(s, "/") {
			t.Fatalf("slashCodes(%q) = %q: slashes added or lost", s, got)
		}
	})
}
