package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/diagnose/dnstest"
)

// fixtureDNS serves the diagnose package's zone fixtures on loopback.
func fixtureDNS(t *testing.T) *dnstest.Server {
	t.Helper()
	zone, err := os.ReadFile(filepath.Join("..", "..", "diagnose", "testdata", "zones", "fixtures.zone"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := dnstest.Start(string(zone))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func fixtureBounce(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "diagnose", "testdata", "bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheck(t *testing.T) {
	srv := fixtureDNS(t)
	silent, err := dnstest.Silent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	env := map[string]string{"DNS_RESOLVER": srv.Addr}
	dead := map[string]string{"DNS_RESOLVER": silent.Addr, "DNS_TIMEOUT": "100ms"}
	tests := []struct {
		name   string
		env    map[string]string
		stdin  string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"a domain", env, "", []string{"check", "nullmx.test"}, 0, []string{"✗ Null MX · nullmx.test · fail", "nullmx.test publishes a null MX, so it accepts no mail"}, nil},
		{"a domain and its sending IP", env, "", []string{"check", "spf-omit.test", "192.0.2.4"}, 0, []string{"✗ SPF · spf-omit.test / 192.0.2.4 · fail", "✓ PTR · 192.0.2.4", "SPF for spf-omit.test does not include the sending IP 192.0.2.4"}, nil},
		{"a bounce on stdin", env, fixtureBounce(t, "dnsbl-listed.txt"), []string{"check", "-"}, 0, []string{"192.0.2.7 is listed on bl.fake-dnsbl.test (127.0.0.2)"}, nil},
		{"a bounce that names no sender", env, fixtureBounce(t, "no-sender.txt"), []string{"check", "-"}, 0, []string{"✓ FCrDNS · 192.0.2.4", "does not name the sender's domain", "run smtpbot check DOMAIN 192.0.2.4"}, nil},
		{"a DSN that names the sender in X-Postfix-Sender", env, fixtureBounce(t, "postfix-sender.txt"), []string{"check", "-"}, 0, []string{"✗ SPF · spf-omit.test / 192.0.2.4 · fail"}, nil},
		{"in Vietnamese", env, "", []string{"check", "--lang", "vi", "nullmx.test"}, 0, []string{"Kiểm tra DNS", "hoàn toàn không nhận mail"}, nil},
		{"in Thai", env, fixtureBounce(t, "no-ptr.txt"), []string{"check", "--lang", "th", "-"}, 0, []string{"ไม่มี PTR record"}, nil},
		{"a resolver that never answers, then one that does", map[string]string{"DNS_RESOLVER": silent.Addr + "," + srv.Addr, "DNS_TIMEOUT": "600ms"}, "", []string{"check", "nullmx.test"}, 0, []string{"✗ Null MX · nullmx.test · fail"}, nil},
		{"a resolver that never answers", dead, "", []string{"check", "sender.test"}, 1, []string{"? MX · sender.test · could not check", "timed out"}, nil},
		{"nothing to check", env, "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown", []string{"check", "-"}, 1, []string{"Nothing in this text can be checked"}, nil},
		{"not a target", env, "", []string{"check", "not_a_domain"}, 2, nil, []string{`"not_a_domain" is not a domain or an IP address to check`}},
		{"not a target, in Vietnamese", env, "", []string{"check", "--lang", "vi", "example.com", "not_a_domain"}, 2, nil, []string{`"not_a_domain" không phải domain hay địa chỉ IP`}},
		{"no target", env, "", []string{"check"}, 2, nil, []string{"check needs a domain"}},
		{"bad DIAGNOSE", map[string]string{"DIAGNOSE": "sometimes"}, "", []string{"check", "example.com"}, 2, nil, []string{"DIAGNOSE: \"sometimes\""}},
		{"bad DNS_RESOLVER", map[string]string{"DNS_RESOLVER": "127.0.0.1"}, "", []string{"check", "example.com"}, 2, nil, []string{"DNS_RESOLVER"}},
		{"bad second DNS_RESOLVER", map[string]string{"DNS_RESOLVER": "127.0.0.1:53, 127.0.0.1"}, "", []string{"check", "example.com"}, 2, nil, []string{`DNS_RESOLVER: "127.0.0.1" is not host:port`}},
		{"DNS_TIMEOUT past the bound", map[string]string{"DNS_TIMEOUT": "10s"}, "", []string{"check", "example.com"}, 2, nil, []string{"DNS_TIMEOUT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := call(t, tt.stdin, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	srv := fixtureDNS(t)
	out, errOut, code := call(t, fixtureBounce(t, "dmarc-misaligned.txt"), map[string]string{"DNS_RESOLVER": srv.Addr}, "check", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Checks []struct {
			Name, Target, Verdict, Detail string
			Records                       []string
		}
		Summary string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	names := map[string]string{}
	for _, c := range got.Checks {
		names[c.Name] = c.Verdict
		if c.Records == nil || c.Detail == "" || c.Target == "" {
			t.Errorf("check %+v lacks a field", c)
		}
	}
	if names["dmarc"] != "fail" || names["dkim"] != "pass" || names["spf"] != "pass" {
		t.Errorf("verdicts %v, want dmarc fail, dkim pass, spf pass", names)
	}
	if !strings.Contains(got.Summary, "dmarc-reject.test has DMARC p=reject") {
		t.Errorf("summary %q", got.Summary)
	}
	if strings.Contains(out, "news@") || strings.Contains(out, "b123") {
		t.Errorf("the output holds a local part:\n%s", out)
	}
}
