package main

import (
	"context"
	"io"
	"strings"

	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/handlers"
)

// check runs the live DNS checks on domains and IPs, or on what a bounce
// on stdin lets one check. It exits 1 when a check could not run (a
// lookup failed or timed out), or when the bounce holds nothing to check.
func (c *cli) check(ctx context.Context, args []string) error {
	var f commonFlags
	fs := c.flagSet("check", "check [--lang L] [--json] TARGET... (a domain, an IP address, or - for a bounce on stdin)", &f)
	if done, err := c.parse(fs, args); done {
		return err
	}
	lang, err := c.language(f.lang)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("check needs a domain, an IP address, or - for a bounce on stdin, like: smtpbot check example.com 192.0.2.4")
	}
	settings, err := loadDiagnoseSettings(c.getenv)
	if err != nil {
		return usageError{err.Error()}
	}
	var plans []diagnose.Plan
	if fs.NArg() == 1 && fs.Arg(0) == "-" {
		b, err := io.ReadAll(io.LimitReader(c.stdin, maxInput))
		if err != nil {
			return err
		}
		plans = []diagnose.Plan{diagnose.FromBounce(string(b))}
	} else if plans, err = diagnose.ParseTargets(fs.Args()); err != nil {
		// Said in the chosen language, as Slack's /smtp check says it.
		bad := strings.TrimPrefix(err.Error(), diagnose.ErrTarget.Error()+": ")
		return usageError{lang.T("diagnose.bad_target", "input", bad)}
	}
	d, err := diagnose.New(settings.config())
	if err != nil {
		return err
	}
	if d.Planned(plans...) == 0 {
		if _, err := io.WriteString(c.stdout, lang.T("diagnose.nothing")+"\n"); err != nil {
			return err
		}
		return exitCode(1)
	}
	r := d.Diagnose(ctx, plans...)
	view := handlers.Describe(lang, r, handlers.CheckCommandCLI)
	if f.json {
		err = writeJSON(c.stdout, view.JSON())
	} else {
		err = handlers.WriteDiagnosis(c.stdout, &view)
	}
	if err != nil {
		return err
	}
	if !r.Complete() {
		return exitCode(1)
	}
	return nil
}
