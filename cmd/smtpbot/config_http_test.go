package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/locales"
)

const goodSecret = "8f742231b10e8888abcd99aa55cc85a5"

// The transport follows from the variables set, and every mistake names
// what is missing.
func TestTransportConfig(t *testing.T) {
	langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		http bool     // HTTP mode
		want []string // in the error; none for a good configuration
	}{
		{"socket mode", map[string]string{"SLACK_APP_TOKEN": goodAppToken}, false, nil},
		{"socket mode with a listener for the install pages",
			map[string]string{"SLACK_APP_TOKEN": goodAppToken, "HTTP_ADDR": ":3000"}, false, nil},
		{"HTTP mode", map[string]string{"SLACK_SIGNING_SECRET": goodSecret, "HTTP_ADDR": "127.0.0.1:3000"}, true, nil},
		{"both: socket mode wins",
			map[string]string{"SLACK_APP_TOKEN": goodAppToken, "SLACK_SIGNING_SECRET": goodSecret}, false, nil},
		{"signing secret without HTTP_ADDR", map[string]string{"SLACK_SIGNING_SECRET": goodSecret}, true,
			[]string{"SLACK_SIGNING_SECRET is set", "HTTP_ADDR is empty", ":3000", "/slack/events"}},
		{"neither transport", map[string]string{"HTTP_ADDR": ":3000"}, false,
			[]string{"SLACK_APP_TOKEN is empty", "App-Level Tokens", "set SLACK_SIGNING_SECRET and HTTP_ADDR"}},
		{"placeholder secret", map[string]string{"SLACK_SIGNING_SECRET": "...", "HTTP_ADDR": ":3000"}, true,
			[]string{"SLACK_SIGNING_SECRET still holds the example value", "Signing Secret"}},
		{"bad address", map[string]string{"SLACK_SIGNING_SECRET": goodSecret, "HTTP_ADDR": "3000"}, true,
			[]string{`HTTP_ADDR: "3000" is not an address like :3000`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["SLACK_BOT_TOKEN"] = goodBotToken
			c, err := loadConfig(func(k string) string { return tt.env[k] }, langs)
			if len(tt.want) == 0 && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if len(tt.want) > 0 && err == nil {
				t.Fatalf("accepted, want an error saying %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if c.httpMode() != tt.http {
				t.Errorf("HTTP mode = %v, want %v", c.httpMode(), tt.http)
			}
			if err != nil && strings.Contains(err.Error(), goodSecret) {
				t.Error("the error quotes the signing secret")
			}
		})
	}
}

// Every variable the program reads is documented in .env.example.
func TestEveryVariableInEnvExample(t *testing.T) {
	example, err := os.ReadFile("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	read := regexp.MustCompile(`getenv(?:\(|, )"([A-Z][A-Z0-9_]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			seen++
			documented := regexp.MustCompile(`(?m)^#? ?` + m[1] + `=`)
			if !documented.Match(example) {
				t.Errorf("%s reads %s, which .env.example does not document", f, m[1])
			}
		}
	}
	if seen < 20 {
		t.Errorf("found only %d variables read; has the way config reads them changed?", seen)
	}
}
