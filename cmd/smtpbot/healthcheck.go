package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthTimeout bounds one health check: a bot too busy to answer /healthz
// within it is not healthy.
const healthTimeout = 3 * time.Second

// healthcheck asks a running bot's /healthz and exits 0 when it answers 200,
// 1 otherwise, printing the bot's reason. It is for health checks of
// containers built from scratch, which have no curl or wget:
// ["CMD", "/smtpbot", "healthcheck"] in compose.yaml. A usage mistake exits
// 1 too: Docker reserves a health check's exit status 2.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := askHealth(ctx, args, getenv, stdout, stderr); err != nil {
		return healthError{err}
	}
	return nil
}

// healthError exits 1, whatever the error inside would exit with.
type healthError struct{ err error }

func (e healthError) Error() string   { return e.err.Error() }
func (e healthError) Unwrap() []error { return []error{exitCode(1), e.err} }

func askHealth(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	url := fs.String("url", "", "the URL to ask (default: /healthz on 127.0.0.1 at the port of $METRICS_ADDR)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: smtpbot healthcheck [--url URL]\n\nAsks a running bot's /healthz: exit 0 when it is healthy, 1 when not.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if done, err := (&cli{stdout: stdout, stderr: stderr}).parse(fs, args); done {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("healthcheck takes no arguments, got %q", fs.Arg(0))
	}
	target := *url
	if target == "" {
		addr, err := metricsAddr(getenv)
		if err != nil {
			return usageError{err.Error()}
		}
		if addr == "" {
			return usagef("METRICS_ADDR is not set, so the bot serves no /healthz; set it (e.g. :9090) or pass --url")
		}
		target = healthURL(addr)
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usagef("--url %q: %v", target, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	why := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s: %s", resp.Status, why)
	}
	fmt.Fprintln(stdout, why)
	return nil
}

// healthURL is /healthz at a listening address, asked on loopback when the
// bot listens on every interface (":9090", "0.0.0.0:9090", "[::]:9090").
func healthURL(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
