package main

import (
	"errors"
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

// healthcheck without METRICS_ADDR or --url is a usage error that says
// what to set.
func TestHealthcheckNeedsAnAddress(t *testing.T) {
	var out, errOut strings.Builder
	err := run(t.Context(), []string{"healthcheck"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	var code exitCode
	if !errors.As(err, &code) || code != 2 || !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Errorf("err = %v, want a usage error (exit 2) naming METRICS_ADDR", err)
	}
}
