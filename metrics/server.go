package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health says whether the bot can do its job. Ready returns "" when it can,
// else a short reason ("not connected to Slack", "worker queue full").
type Health interface {
	Ready() string
}

// HealthFunc adapts a function to Health.
type HealthFunc func() string

// Ready calls f.
func (f HealthFunc) Ready() string { return f() }

// Handler serves /healthz and /metrics.
func Handler(m *Metrics, h Health) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if why := h.Ready(); why != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(why + "\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	return mux
}

// Serve listens on addr (":9090") and serves Handler until ctx is done, then
// shuts the server down. It returns once the listener is open, with the
// address it got (useful with ":0"), and reports a later serve error to log.
func Serve(ctx context.Context, addr string, m *Metrics, h Health, log *slog.Logger) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: Handler(m, h), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	return ln.Addr(), nil
}
