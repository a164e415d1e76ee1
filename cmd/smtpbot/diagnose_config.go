package main

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/smtpcodes/smtpbot/diagnose"
)

// diagnoseSettings configure the live DNS checks, for the bot and for
// "smtpbot check" alike. Every variable is documented in .env.example.
type diagnoseSettings struct {
	// Mode is off, button (offer "Check DNS" under explanations) or auto
	// (run the checks with every explanation that has something to check).
	Mode     string
	Resolver string        // DNS_RESOLVER, host:port, several separated by commas; empty for resolv.conf
	Timeout  time.Duration // DNS_TIMEOUT, per lookup
	DQSKey   string        // SPAMHAUS_DQS_KEY
}

// maxDNSTimeout is the bound on a whole diagnosis; no lookup may wait
// longer.
const maxDNSTimeout = diagnose.DefaultTotal

func loadDiagnoseSettings(getenv func(string) string) (diagnoseSettings, error) {
	s := diagnoseSettings{
		Mode:     or(getenv("DIAGNOSE"), "button"),
		Resolver: getenv("DNS_RESOLVER"),
		DQSKey:   getenv("SPAMHAUS_DQS_KEY"),
	}
	var errs []error
	switch s.Mode {
	case "off", "button", "auto":
	default:
		errs = append(errs, fmt.Errorf("DIAGNOSE: %q is not off, button or auto", s.Mode))
	}
	if s.Resolver != "" {
		if _, err := diagnose.ParseResolvers(s.Resolver); err != nil {
			errs = append(errs, fmt.Errorf("DNS_RESOLVER: %w", err))
		}
	}
	var err error
	if s.Timeout, err = parseDuration(getenv, "DNS_TIMEOUT", diagnose.DefaultTimeout); err != nil {
		errs = append(errs, err)
	} else if s.Timeout == 0 || s.Timeout > maxDNSTimeout {
		errs = append(errs, fmt.Errorf("DNS_TIMEOUT: %v is not between 0 and %v, the bound on a whole diagnosis", s.Timeout, maxDNSTimeout))
	}
	return s, errors.Join(errs...)
}

// config turns the settings into the diagnose package's configuration.
func (s diagnoseSettings) config() diagnose.Config {
	return diagnose.Config{Resolver: s.Resolver, Timeout: s.Timeout, Total: diagnose.DefaultTotal, SpamhausDQSKey: s.DQSKey}
}

// newDiagnoser builds the bot's diagnoser, or nil when DIAGNOSE=off. obs,
// when not nil, is told of its lookups.
func (s diagnoseSettings) newDiagnoser(log *slog.Logger, obs diagnose.Observer) (*diagnose.Diagnoser, error) {
	if s.Mode == "off" {
		return nil, nil
	}
	cfg := s.config()
	cfg.Log = log
	cfg.Observer = obs
	d, err := diagnose.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w (or set DIAGNOSE=off)", err)
	}
	return d, nil
}
