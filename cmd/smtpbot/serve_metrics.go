package main

import (
	"context"
	"log/slog"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/diagnose"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/install"
	"github.com/smtpcodes/smtpbot/metrics"
)

// observers are what the bot and the diagnoser report to: the metrics when
// METRICS_ADDR is set, nothing otherwise.
type observers struct {
	m *metrics.Metrics // nil without METRICS_ADDR
}

func newObservers(cfg config) observers {
	if cfg.MetricsAddr == "" {
		return observers{}
	}
	return observers{m: metrics.New()}
}

// bot is the bot's Observer, nil (none) without metrics. A nil
// *metrics.Metrics must not become a non-nil interface.
func (o observers) bot() bot.Observer {
	if o.m == nil {
		return nil
	}
	return o.m
}

// diagnose is the diagnoser's Observer, nil without metrics.
func (o observers) diagnose() diagnose.Observer {
	if o.m == nil {
		return nil
	}
	return o.m
}

// handlers is the router's Observer (extract and render times), nil
// without metrics.
func (o observers) handlers() handlers.Observer {
	if o.m == nil {
		return nil
	}
	return o.m
}

// install is the token refreshes' observer, nil without metrics.
func (o observers) install() install.RefreshObserver {
	if o.m == nil {
		return nil
	}
	return o.m
}

// serve starts /healthz and /metrics on addr, reading the bot's health and
// queue, until ctx is done. Without metrics it does nothing.
func (o observers) serve(ctx context.Context, addr string, b *bot.Bot, log *slog.Logger) error {
	if o.m == nil {
		return nil
	}
	o.m.QueueDepth(b.QueueDepth)
	at, err := metrics.Serve(ctx, addr, o.m, metrics.HealthFunc(b.Ready), log)
	if err != nil {
		return err
	}
	log.Info("serving health and metrics", "addr", at.String(), "paths", "/healthz /metrics")
	return nil
}
