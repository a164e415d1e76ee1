package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// eventsPath is Slack's request URL in HTTP mode, for events, slash
// commands and interactivity alike, as Bolt has it; manifest.http.yaml
// names it.
const eventsPath = "/slack/events"

// listener is the one HTTP listener (HTTP_ADDR). Everything served over
// HTTP mounts on its mux: Slack's request URL in HTTP mode
// (POST /slack/events) and the install pages. /healthz and /metrics stay
// on METRICS_ADDR, away from the Internet-facing port.
type listener struct {
	mux *http.ServeMux
	srv *http.Server
	ln  net.Listener
	log *slog.Logger
}

// listen opens addr at once, so that a port already taken stops start-up
// with a clear error rather than later in a goroutine.
func listen(addr string, log *slog.Logger) (*listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("HTTP_ADDR: cannot listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	return &listener{
		mux: mux,
		ln:  ln,
		log: log,
		srv: &http.Server{
			Handler: mux,
			// Slack's requests are small and answered within 3 s; slow
			// clients do not get to hold connections open.
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		},
	}, nil
}

// serve takes requests until shutdown.
func (l *listener) serve() {
	l.log.Info("listening for HTTP", "addr", l.ln.Addr().String())
	if err := l.srv.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		l.log.Error("HTTP listener stopped", "error", err)
	}
}

// shutdown lets the requests in progress finish, for at most d.
func (l *listener) shutdown(d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := l.srv.Shutdown(ctx); err != nil {
		l.log.Warn("HTTP listener did not stop cleanly", "error", err)
	}
}
