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

// httpShutdown bounds how long the HTTP listener waits for requests in
// flight (an install's oauth.v2.access call) when the bot stops.
const httpShutdown = 5 * time.Second

// listen serves mux on HTTP_ADDR until ctx is done. The address is taken
// at once, so that a port in use stops start-up with a clear error rather
// than a log line later. The one mux holds every page served there: the
// install pages and, in HTTP mode, Slack's requests.
func listen(ctx context.Context, addr string, mux http.Handler, log *slog.Logger) (wait func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("HTTP_ADDR: cannot listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("HTTP listener stopped", "addr", l.Addr().String(), "error", err)
		}
	}()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), httpShutdown)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-done
	}()
	log.Info("HTTP listener started", "addr", l.Addr().String())
	return func() { <-stopped }, nil
}
