// Command smtpbot explains SMTP reply codes and enhanced status codes: on the
// command line (explain, compare, codes) and, run without a subcommand, as a
// Slack bot, in socket mode or in HTTP mode (the Events API).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err == nil {
		return
	}
	// A bare exit status was already explained on stdout ("no code
	// found"); anything else is said on stderr.
	var ec exitCode
	if !errors.As(err, &ec) {
		ec = 1
	}
	if _, bare := err.(exitCode); !bare {
		fmt.Fprintln(os.Stderr, "smtpbot:", err)
	}
	os.Exit(int(ec))
}
