package handlers

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/locales"
)

// Every message a diagnosis can hold, and every verdict, has a text in
// every language (the locales tests then check the translations against
// English).
func TestDiagnosisTextsExist(t *testing.T) {
	langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := append([]string(nil), diagnose.MessageKeys...)
	for _, v := range []diagnose.Verdict{diagnose.Pass, diagnose.Fail, diagnose.Warn, diagnose.None, diagnose.Error} {
		keys = append(keys, "verdict."+string(v))
	}
	for _, l := range langs.Languages() {
		for _, k := range keys {
			if got := l.T("diagnose." + k); got == "diagnose."+k {
				t.Errorf("%s: no text for diagnose.%s", l.Tag, k)
			}
		}
	}
	for _, name := range []string{diagnose.CheckMX, diagnose.CheckNullMX, diagnose.CheckA, diagnose.CheckSPF, diagnose.CheckDMARC,
		diagnose.CheckDKIM, diagnose.CheckPTR, diagnose.CheckFCrDNS, diagnose.CheckDNSBL, diagnose.CheckMTASTS, diagnose.CheckTLSRPT} {
		if checkLabels[name] == "" {
			t.Errorf("check %s has no label", name)
		}
	}
}

// A diagnosis renders in every language, with every blank filled, as text,
// JSON and Block Kit within Slack's limits.
func TestDescribe(t *testing.T) {
	langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := diagnose.Report{
		Checks: []diagnose.Check{
			{Name: diagnose.CheckSPF, Target: "example.com / 192.0.2.4", Verdict: diagnose.Fail,
				Detail:  diagnose.Message{Key: "spf.fail", Args: []string{"domain", "example.com", "ip", "192.0.2.4", "mechanism", "-all", "count", "3"}},
				Records: []string{"v=spf1 include:_spf.example.net -all"}},
			{Name: diagnose.CheckDNSBL, Target: "192.0.2.4", Verdict: diagnose.Error,
				Detail: diagnose.Message{Key: "dnsbl.refused", Args: []string{"list", "Spamhaus"}}},
		},
		Summary: diagnose.Message{Key: "summary.spf_fail", Args: []string{"domain", "example.com", "ip", "192.0.2.4"}},
		Lookups: 9, Took: 12 * time.Millisecond,
	}
	for _, l := range langs.Languages() {
		d := Describe(l, r, CheckCommandCLI)
		var buf bytes.Buffer
		if err := WriteDiagnosis(&buf, &d); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, s := range []string{"192.0.2.4", "example.com", "SPAMHAUS_DQS_KEY", "v=spf1 include"} {
			if !strings.Contains(out, s) {
				t.Errorf("%s: text lacks %q:\n%s", l.Tag, s, out)
			}
		}
		if strings.Contains(out, "{") {
			t.Errorf("%s: a blank is left unfilled:\n%s", l.Tag, out)
		}
		if w := locales.DoubledWord(l.Tag, out); w != "" && l.Tag != "th" {
			t.Errorf("%s: doubled word %q", l.Tag, w)
		}
		j := d.JSON()
		if len(j.Checks) != 2 || j.Checks[1].Verdict != "error" || j.Checks[1].Records == nil || j.Complete {
			t.Errorf("%s: JSON %+v", l.Tag, j)
		}
		blocks := diagnosisBlocks(&d)
		if len(blocks) > maxBlocks {
			t.Errorf("%s: %d blocks", l.Tag, len(blocks))
		}
	}
}

// A summary that tells the reader to run a check names the command of the
// surface it is read on, in every language.
func TestDescribeNamesTheCommand(t *testing.T) {
	langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := diagnose.Report{Summary: diagnose.Message{Key: "summary.no_sender", Args: []string{"ip", "192.0.2.4"}}}
	for _, l := range langs.Languages() {
		for _, command := range []string{CheckCommandCLI, CheckCommandSlash, CheckCommandDM} {
			d := Describe(l, r, command)
			if want := command + " DOMAIN 192.0.2.4"; !strings.Contains(d.Summary, want) || strings.Contains(d.Summary, "{") {
				t.Errorf("%s, %s: summary %q lacks %q", l.Tag, command, d.Summary, want)
			}
		}
	}
}
