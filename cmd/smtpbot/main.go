// Command smtpbot explains SMTP reply codes and enhanced status codes: on the
// command line (explain, compare, codes) and, run without a subcommand, as a
// Slack bot in socket mode.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && oneShot[os.Args[1]] {
		// A one-shot command reads at most a few MB and exits: collecting
		// garbage it will never reuse took a fifth of its run. The limit
		// turns collection back on should a run ever grow past it.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(oneShotMemory)
	}
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

// oneShot are the commands that answer once and exit; the bot and "store
// copy" (which may read a large file) keep the collector on.
var oneShot = map[string]bool{"explain": true, "compare": true, "codes": true, "check": true, "help": true}

// oneShotMemory is the heap size past which a one-shot command collects
// garbage again: several times what explaining the largest input takes
// (stdin is read up to 4 MB).
const oneShotMemory = 256 << 20
