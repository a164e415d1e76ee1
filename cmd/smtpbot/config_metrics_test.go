package main

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
)

func TestMetricsAddr(t *testing.T) {
	for _, tc := range []struct {
		value, want string
		ok          bool
	}{
		{"", "", true}, // off by default
		{":9090", ":9090", true},
		{"127.0.0.1:9090", "127.0.0.1:9090", true},
		{"[::1]:9090", "[::1]:9090", true},
		{" :9090 ", ":9090", true},
		{"9090", "", false}, // a port without its colon
		{"localhost", "", false},
		{":http", "", false}, // a service name: say the number
		{":99999", "", false},
	} {
		got, err := metricsAddr(func(k string) string {
			if k == "METRICS_ADDR" {
				return tc.value
			}
			return ""
		})
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("METRICS_ADDR=%q: %q, %v; want %q", tc.value, got, err, tc.want)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") || !strings.Contains(err.Error(), ":9090")) {
			t.Errorf("METRICS_ADDR=%q: %v, want an error naming the variable and an example", tc.value, err)
		}
	}
}

func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		":9090":          "http://127.0.0.1:9090/healthz",
		"0.0.0.0:9090":   "http://127.0.0.1:9090/healthz",
		"[::]:9090":      "http://127.0.0.1:9090/healthz",
		"10.0.0.5:9090":  "http://10.0.0.5:9090/healthz",
		"[::1]:9091":     "http://[::1]:9091/healthz",
		"metrics.lan:80": "http://metrics.lan:80/healthz",
	} {
		if got := healthURL(addr); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

// healthcheck without METRICS_ADDR or --url says what to set, and exits 1,
// not 2: Docker reserves a health check's exit status 2.
func TestHealthcheckNeedsAnAddress(t *testing.T) {
	var out, errOut strings.Builder
	err := run(t.Context(), []string{"healthcheck"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	var code exitCode
	if !errors.As(err, &code) || code != 1 || !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Errorf("err = %v, want exit 1 and an error naming METRICS_ADDR", err)
	}
}

// A METRICS_ADDR already taken stops start-up, naming the variable, before
// the bot connects.
func TestMetricsAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := map[string]string{
		"SLACK_APP_TOKEN": goodAppToken, "SLACK_BOT_TOKEN": goodBotToken,
		"SLACK_API_URL": "http://127.0.0.1:1/api/", "DATA_DIR": t.TempDir(),
		"METRICS_ADDR": ln.Addr().String(), "LOG_LEVEL": "error",
	}
	err = run(t.Context(), []string{"--env-file", "testdata/empty.env"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "METRICS_ADDR "+ln.Addr().String()) {
		t.Errorf("err = %v, want one naming METRICS_ADDR and the address", err)
	}
}
