package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/locales"
)

// exitCode is an error that asks for a particular exit status; usage errors
// exit 2, as flag does, and "nothing found" exits 1, as grep does.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Unwrap makes errors.As(err, &exitCode) find status 2 for usage errors.
func (e usageError) Unwrap() error { return exitCode(2) }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `smtpbot explains SMTP reply codes (RFC 5321) and enhanced status codes (RFC 3463).

Usage:
  smtpbot                                    run the Slack bot (SLACK_APP_TOKEN, or SLACK_SIGNING_SECRET + HTTP_ADDR; and SLACK_BOT_TOKEN or SLACK_CLIENT_ID)
  smtpbot explain [--lang L] [--json] [TEXT] explain every code in TEXT (a code, a bounce, a log line; stdin when TEXT is - or absent)
  smtpbot compare [--lang L] [--json] A B    compare two codes
  smtpbot codes   [--lang L] [--json]        list every code in the catalog
  smtpbot store copy [--team T]              copy saved language choices from DATA_DIR to REDIS_URL
  smtpbot check   [--lang L] [--json] TARGET... check DNS, SPF, DMARC, DKIM, PTR and blocklists live (a domain, an IP, or - for a bounce on stdin)
  smtpbot healthcheck [--url URL]            ask a running bot's /healthz (METRICS_ADDR): exit 0 when healthy
  smtpbot help [COMMAND]                     show this help, or a command's (as "smtpbot COMMAND --help")

Languages: %s. Run "smtpbot help COMMAND" or "smtpbot COMMAND --help" for a command's flags.
`

// run is the whole program, with its environment passed in so tests can
// call it like a user would.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 1 && args[0] == "help" {
		var err error
		if args, err = helpArgs(args[1:]); err != nil {
			return err
		}
	}
	if len(args) > 0 && args[0] == "healthcheck" {
		// Before the catalog is loaded: a health check runs every few
		// seconds and needs none of it.
		return healthcheck(ctx, args[1:], getenv, stdout, stderr)
	}
	eng, err := handlers.LoadEngine()
	if err != nil {
		return err
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		return serve(ctx, args, getenv, stdout, stderr, eng)
	}
	cli := &cli{eng: eng, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "explain":
		return cli.explain(args[1:])
	case "compare":
		return cli.compare(args[1:])
	case "codes":
		return cli.codes(args[1:])
	case "store":
		return cli.store(ctx, args[1:])
	case "check":
		return cli.check(ctx, args[1:])
	case "help", "-h", "-help", "--help", "-?":
		fmt.Fprintf(stdout, usage, languageList(eng.Languages()))
		return nil
	}
	fmt.Fprintf(stderr, usage, languageList(eng.Languages()))
	return usagef("unknown command %q", args[0])
}

// helpArgs turns "help COMMAND" into "COMMAND --help", so that both print
// the command's own usage; "help store copy" is "store copy --help" and
// "help help" the top-level usage. An unknown command is left to fail as
// any unknown command does.
func helpArgs(args []string) ([]string, error) {
	switch {
	case args[0] == "help" && len(args) == 1:
		return args, nil
	case args[0] == "store" && len(args) == 2 && args[1] == "copy":
		return []string{"store", "copy", "--help"}, nil
	case len(args) == 1:
		return []string{args[0], "--help"}, nil
	}
	return nil, usagef("help takes one command, like: smtpbot help explain; got %q", strings.Join(args, " "))
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "-?":
		return true
	}
	return false
}

type cli struct {
	eng            *handlers.Engine
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// commonFlags are the flags every subcommand takes.
type commonFlags struct {
	lang string
	json bool
}

func (c *cli) flagSet(name, synopsis string, f *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&f.lang, "lang", "", "language: "+languageList(c.eng.Languages())+" (default: $DEFAULT_LOCALE, then $LC_ALL, $LC_MESSAGES or $LANG, then en)")
	fs.BoolVar(&f.json, "json", false, "print JSON for scripts (see README.md for its fields)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: smtpbot %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, turning -h into a clean exit with the usage on stdout
// and other mistakes into usage errors with the usage on stderr. The flag
// package prints the usage itself on both, so its output is silenced while
// parsing and the usage is printed here once, where it belongs.
func (c *cli) parse(fs *flag.FlagSet, args []string) (done bool, err error) {
	fs.SetOutput(io.Discard)
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(c.stdout)
		fs.Usage()
		return true, nil
	}
	if err != nil {
		fs.SetOutput(c.stderr)
		fs.Usage()
		return true, usageError{err.Error()}
	}
	return false, nil
}

// language resolves --lang, then DEFAULT_LOCALE, then the POSIX locale.
func (c *cli) language(flagValue string) (*locales.Lang, error) {
	langs := c.eng.Languages()
	if flagValue != "" {
		l, ok := langs.Get(flagValue)
		if !ok {
			return nil, usagef("unknown language %q: choose one of %s", flagValue, languageList(langs))
		}
		return l, nil
	}
	if strings.TrimSpace(c.getenv("DEFAULT_LOCALE")) != "" {
		tag, err := defaultLocale(c.getenv, langs)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		return langs.Match(tag), nil
	}
	return langs.Match(posixLocale(messagesLocale(c.getenv))), nil
}

// messagesLocale is the locale POSIX says governs messages: the first of
// LC_ALL, LC_MESSAGES and LANG that is set and not empty. LC_ALL=C therefore
// means English even when LANG names another language.
func messagesLocale(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// posixLocale turns "vi_VN.UTF-8" into "vi-VN"; "C" and "POSIX" say nothing.
func posixLocale(s string) string {
	s, _, _ = strings.Cut(s, ".")
	s, _, _ = strings.Cut(s, "@")
	if s == "C" || s == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(s, "_", "-")
}

func languageList(b *locales.Bundle) string {
	var tags []string
	for _, l := range b.Languages() {
		tags = append(tags, l.Tag)
	}
	return strings.Join(tags, ", ")
}
