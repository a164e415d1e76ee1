package handlers

import (
	"io"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/locales"
)

// Diagnosis is a live DNS diagnosis put into words in one language, for
// the terminal, JSON and Slack alike.
type Diagnosis struct {
	Lang     *locales.Lang
	Checks   []DiagnosisCheck
	Summary  string
	Footer   string
	Complete bool // every check could run
	Lookups  int
	TookMS   int64
}

// DiagnosisCheck is one check in words.
type DiagnosisCheck struct {
	Name        string // mx, spf, ... (diagnose.Check*)
	Label       string // MX, SPF, ...: the record's name, the same in every language
	Target      string
	Verdict     diagnose.Verdict
	VerdictText string
	Detail      string
	Records     []string
}

// checkLabels are the records' own names, which no language translates.
var checkLabels = map[string]string{
	diagnose.CheckMX:     "MX",
	diagnose.CheckNullMX: "Null MX",
	diagnose.CheckA:      "A/AAAA",
	diagnose.CheckSPF:    "SPF",
	diagnose.CheckDMARC:  "DMARC",
	diagnose.CheckDKIM:   "DKIM",
	diagnose.CheckPTR:    "PTR",
	diagnose.CheckFCrDNS: "FCrDNS",
	diagnose.CheckDNSBL:  "DNSBL",
	diagnose.CheckMTASTS: "MTA-STS",
	diagnose.CheckTLSRPT: "TLS-RPT",
}

// The commands that run the checks, as a text tells the reader to run
// them ({command} DOMAIN IP) on each surface.
const (
	CheckCommandCLI   = "smtpbot check"
	CheckCommandSlash = "/smtp check"
	CheckCommandDM    = "check" // a DM to the bot, or a mention
)

// DiagnosisText puts one of a diagnosis's messages into words; command
// fills a text's {command}, the way to run a check where it is read.
func DiagnosisText(lang *locales.Lang, m diagnose.Message, command string) string {
	return lang.T("diagnose."+m.Key, append(m.Args[:len(m.Args):len(m.Args)], "command", command)...)
}

// Describe puts a diagnosis into words in lang; command is how the reader
// runs a check where the diagnosis is shown (CheckCommandCLI,
// CheckCommandSlash, CheckCommandDM).
func Describe(lang *locales.Lang, r diagnose.Report, command string) Diagnosis {
	d := Diagnosis{
		Lang:     lang,
		Summary:  DiagnosisText(lang, r.Summary, command),
		Complete: r.Complete(),
		Lookups:  r.Lookups,
		TookMS:   r.Took.Milliseconds(),
	}
	d.Footer = lang.T("diagnose.footer", "lookups", strconv.Itoa(r.Lookups), "ms", strconv.FormatInt(d.TookMS, 10))
	for _, c := range r.Checks {
		d.Checks = append(d.Checks, DiagnosisCheck{
			Name: c.Name, Label: checkLabels[c.Name], Target: c.Target,
			Verdict: c.Verdict, VerdictText: lang.T("diagnose.verdict." + string(c.Verdict)),
			Detail: DiagnosisText(lang, c.Detail, command), Records: c.Records,
		})
	}
	return d
}

// maxRecordText bounds a record shown on the terminal.
const maxRecordText = 100

var verdictMark = map[diagnose.Verdict]string{
	diagnose.Pass: "✓", diagnose.Fail: "✗", diagnose.Warn: "!", diagnose.None: "–", diagnose.Error: "?",
}

var verdictEmoji = map[diagnose.Verdict]string{
	diagnose.Pass:  ":white_check_mark:",
	diagnose.Fail:  ":x:",
	diagnose.Warn:  ":warning:",
	diagnose.None:  ":heavy_minus_sign:",
	diagnose.Error: ":grey_question:",
}

// WriteDiagnosis writes a diagnosis for the terminal: one block per check
// (mark, record, target, verdict; what was found; the records), then the
// summary.
func WriteDiagnosis(w io.Writer, d *Diagnosis) error {
	t := &textWriter{w: w}
	l := d.Lang
	title := l.T("diagnose.title")
	t.printf("%s\n%s\n", title, strings.Repeat("=", max(len([]rune(title)), 3)))
	for _, c := range d.Checks {
		t.printf("\n%s %s · %s · %s\n  %s\n", verdictMark[c.Verdict], c.Label, c.Target, c.VerdictText, c.Detail)
		if len(c.Records) > 0 {
			// A DKIM key is 400 characters of base64: the start says
			// enough on a terminal; --json has it whole.
			recs := make([]string, len(c.Records))
			for i, r := range c.Records {
				recs[i] = truncateRunes(r, maxRecordText)
			}
			t.printf("  %s: %s\n", l.T("diagnose.records"), strings.Join(recs, " | "))
		}
	}
	t.section(l.T("diagnose.summary"), d.Summary)
	t.printf("\n%s\n", d.Footer)
	return t.err
}

// JSONDiagnosis is the output of "smtpbot check --json".
type JSONDiagnosis struct {
	Language string      `json:"language"`
	Checks   []JSONCheck `json:"checks"`
	Summary  string      `json:"summary"`
	Complete bool        `json:"complete"`
	Lookups  int         `json:"lookups"`
	TookMS   int64       `json:"took_ms"`
}

// JSONCheck is one check: name is one of mx, null_mx, a, spf, dmarc, dkim,
// ptr, fcrdns, dnsbl, mta_sts, tls_rpt; verdict one of pass, fail, warn,
// none, error.
type JSONCheck struct {
	Name    string   `json:"name"`
	Target  string   `json:"target"`
	Verdict string   `json:"verdict"`
	Detail  string   `json:"detail"`
	Records []string `json:"records"`
}

// JSON returns the diagnosis in its stable JSON shape.
func (d *Diagnosis) JSON() JSONDiagnosis {
	out := JSONDiagnosis{Language: d.Lang.Tag, Summary: d.Summary, Complete: d.Complete, Lookups: d.Lookups, TookMS: d.TookMS, Checks: []JSONCheck{}}
	for _, c := range d.Checks {
		recs := c.Records
		if recs == nil {
			recs = []string{}
		}
		out.Checks = append(out.Checks, JSONCheck{Name: c.Name, Target: c.Target, Verdict: string(c.Verdict), Detail: c.Detail, Records: recs})
	}
	return out
}

// diagnosisBlocks renders a diagnosis for Slack: a header, one line per
// check, the summary, and how many lookups it took.
func diagnosisBlocks(d *Diagnosis) []slack.Block {
	l := d.Lang
	blocks := []slack.Block{header(l.T("diagnose.title"))}
	var b strings.Builder
	for _, c := range d.Checks {
		line := verdictEmoji[c.Verdict] + " *" + escape(c.Label) + "* `" + escape(c.Target) + "` " + escape(c.Detail) + "\n"
		if b.Len()+len(line) > maxSectionText {
			blocks = append(blocks, section(b.String()))
			b.Reset()
		}
		b.WriteString(line)
		if len(blocks) >= maxBlocks-4 {
			break
		}
	}
	if b.Len() > 0 {
		blocks = append(blocks, section(b.String()))
	}
	blocks = append(blocks,
		section(bold(l.T("diagnose.summary"))+"\n"+escape(d.Summary)),
		contextText(escape(d.Footer)))
	return blocks
}
