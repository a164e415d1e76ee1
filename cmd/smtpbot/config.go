package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
	"github.com/smtpcodes/smtpbot/locales"
	"github.com/smtpcodes/smtpbot/store"
)

// config is everything the bot reads from its environment. Every variable
// is documented in .env.example.
type config struct {
	AppToken      string
	BotToken      string
	APIURL        string
	DataDir       string
	DefaultLocale string
	ReplyToBots   bool
	MaskAddresses bool
	MinConfidence float64
	DedupeWindow  time.Duration
	MaxFileBytes  int64
	Workers       int
	LogLevel      slog.Level
	LogFormat     string

	// ShutdownTimeout bounds the drain of replies in flight on SIGTERM.
	ShutdownTimeout time.Duration
	// TakeoverAfter is how long a replica may go quiet before another
	// takes over the requests it holds (TAKEOVER_AFTER).
	TakeoverAfter time.Duration
	// Redis is the shared store (REDIS_URL and friends); URL is empty
	// without one.
	Redis store.RedisOptions
	// Diagnose configures live DNS checks.
	Diagnose diagnoseSettings
	// HTTP is the HTTP listener (HTTP_ADDR: the install pages, and Slack's
	// requests in HTTP mode) and HTTP mode's signing secret.
	HTTP httpSettings
	// Install turns on many workspaces (SLACK_CLIENT_ID and friends).
	Install installSettings
	// MetricsAddr is where /healthz and /metrics listen; empty for none.
	MetricsAddr string
}

// withDotEnv returns a getenv that answers from the real environment first
// and from the .env file at path second, so a deployment's variables always
// win over a developer's file. A missing file is not an error when it is the
// default .env; when named on purpose (--env-file), it is: a typo must not
// start the bot without its settings.
func withDotEnv(getenv func(string) string, path string, named bool) (func(string) string, error) {
	file, err := godotenv.Read(path)
	if errors.Is(err, os.ErrNotExist) && !named {
		return getenv, nil
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("--env-file %s: no such file; copy .env.example to it, or leave the flag out to read .env when there is one", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return file[k]
	}, nil
}

// loadConfig reads and checks the configuration, naming the variable and
// where to get its value in every error. langs are the languages there are,
// for DEFAULT_LOCALE.
func loadConfig(getenv func(string) string, langs *locales.Bundle) (config, error) {
	c := config{
		AppToken:  strings.TrimSpace(getenv("SLACK_APP_TOKEN")),
		BotToken:  strings.TrimSpace(getenv("SLACK_BOT_TOKEN")),
		APIURL:    getenv("SLACK_API_URL"),
		DataDir:   or(getenv("DATA_DIR"), "data"),
		LogFormat: or(getenv("LOG_FORMAT"), "text"),
	}
	httpAddr := strings.TrimSpace(getenv("HTTP_ADDR"))
	errs := []error{checkHTTPAddr(httpAddr)}
	var err error
	if c.Install, err = loadInstallSettings(getenv, httpAddr); err != nil {
		errs = append(errs, err)
	}
	// The bot package owns the rules for token shapes; asking it here makes
	// a bad token stop start-up with every other mistake listed at once.
	if c.HTTP, err = transportConfig(getenv, c.AppToken, c.BotToken, c.Install.on()); err != nil {
		errs = append(errs, err)
	}
	if c.DefaultLocale, err = defaultLocale(getenv, langs); err != nil {
		errs = append(errs, err)
	}
	if c.ReplyToBots, err = parseBool(getenv, "REPLY_TO_BOTS", false); err != nil {
		errs = append(errs, err)
	}
	if c.MaskAddresses, err = parseBool(getenv, "MASK_ADDRESSES", true); err != nil {
		errs = append(errs, err)
	}
	if c.MinConfidence, err = parseFraction(getenv, "MIN_CONFIDENCE", 0.5); err != nil {
		errs = append(errs, err)
	}
	if c.DedupeWindow, err = parseDuration(getenv, "DEDUPE_WINDOW", 10*time.Minute); err != nil {
		errs = append(errs, err)
	}
	if c.ShutdownTimeout, err = parseDuration(getenv, "SHUTDOWN_TIMEOUT", 10*time.Second); err == nil && c.ShutdownTimeout == 0 {
		err = fmt.Errorf("SHUTDOWN_TIMEOUT: %q leaves no time to finish the replies in flight; give a duration like 10s", getenv("SHUTDOWN_TIMEOUT"))
	}
	if err != nil {
		errs = append(errs, err)
	}
	if c.TakeoverAfter, err = parseDuration(getenv, "TAKEOVER_AFTER", 5*time.Second); err == nil && c.TakeoverAfter <= 0 {
		err = fmt.Errorf("TAKEOVER_AFTER: %q must be a positive duration like 5s", getenv("TAKEOVER_AFTER"))
	}
	if err != nil {
		errs = append(errs, err)
	}
	maxFile, err := parseInt(getenv, "MAX_FILE_BYTES", 1<<20)
	if err != nil {
		errs = append(errs, err)
	}
	c.MaxFileBytes = int64(maxFile)
	if c.Workers, err = parseInt(getenv, "WORKERS", 16); err != nil {
		errs = append(errs, err)
	}
	if c.Redis, err = redisConfig(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.Diagnose, err = loadDiagnoseSettings(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.MetricsAddr, err = metricsAddr(getenv); err != nil {
		errs = append(errs, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %q is not one of debug, info, warn, error", getenv("LOG_LEVEL")))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("LOG_FORMAT: %q is not text or json", c.LogFormat))
	}
	return c, errors.Join(errs...)
}

// defaultLocale reads DEFAULT_LOCALE, refusing a language the bot has no
// texts for rather than falling back to English in silence. It returns the
// language's own tag ("vi" for "vi_VN" or "vi-VN"), and the fallback's
// (English) when unset.
func defaultLocale(getenv func(string) string, langs *locales.Bundle) (string, error) {
	v := strings.TrimSpace(getenv("DEFAULT_LOCALE"))
	if v == "" {
		return langs.Fallback().Tag, nil
	}
	l, ok := langs.Get(strings.ReplaceAll(v, "_", "-"))
	if !ok {
		return "", fmt.Errorf("DEFAULT_LOCALE: %q is not a language smtpbot speaks; choose one of %s", v, languageList(langs))
	}
	return l.Tag, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func parseBool(getenv func(string) string, key string, def bool) (bool, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, fmt.Errorf("%s: %q is not true or false", key, v)
	}
	return b, nil
}

func parseDuration(getenv func(string) string, key string, def time.Duration) (time.Duration, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return def, fmt.Errorf("%s: %q is not a duration like 10m or 90s", key, v)
	}
	return d, nil
}

func parseFraction(getenv func(string) string, key string, def float64) (float64, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1 {
		return def, fmt.Errorf("%s: %q is not a number from 0 to 1", key, v)
	}
	return f, nil
}

func parseInt(getenv func(string) string, key string, def int) (int, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def, fmt.Errorf("%s: %q is not a positive whole number", key, v)
	}
	return n, nil
}
