package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/install"
	"github.com/smtpcodes/smtpbot/store"
)

// serve runs the Slack bot until ctx is done: read the configuration, build
// the pieces, run, and shut down cleanly.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, eng *handlers.Engine) error {
	fs := flag.NewFlagSet("smtpbot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envFile := fs.String("env-file", ".env", "file of KEY=value lines read under the real environment (which wins)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: smtpbot [--env-file FILE]\n\nRuns the Slack bot; every variable is documented in .env.example.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if done, err := (&cli{stdout: stdout, stderr: stderr}).parse(fs, args); done {
		return err
	}
	named := false
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "env-file" })
	getenv, err := withDotEnv(getenv, *envFile, named)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, eng.Languages())
	if err != nil {
		return fmt.Errorf("cannot start the bot:\n%w", err)
	}
	log := newLogger(stderr, cfg)
	var dataDir string
	var shared store.Store // nil: state in DATA_DIR and memory
	if cfg.Redis.URL == "" {
		if dataDir, err = checkDataDir(cfg.DataDir); err != nil {
			return fmt.Errorf("cannot start the bot:\n%w", err)
		}
		if cfg.Install.on() {
			// Installations and per-workspace choices need a store.Store;
			// the embedded one keeps them in a file beside smtpbot.db.
			file := filepath.Join(dataDir, workspacesFile)
			hintCopy(file, dataDir, log)
			e, err := store.OpenEmbedded(store.EmbeddedOptions{Path: file})
			if err != nil {
				return fmt.Errorf("cannot start the bot:\n%w", err)
			}
			defer e.Close()
			shared = e
		}
	} else {
		r, err := openShared(ctx, cfg.Redis, log)
		if err != nil {
			return fmt.Errorf("cannot start the bot:\n%w", err)
		}
		defer r.Close()
		shared = r
	}

	obs := newObservers(cfg)

	// The router needs the bot's language preferences and the bot needs a
	// handler: the closure breaks the cycle.
	var router *handlers.Router
	var installs *install.Installations
	if cfg.Install.on() {
		installs = install.NewInstallations(shared, cfg.Install.Sealer, install.App{
			ClientID: cfg.Install.ClientID, ClientSecret: cfg.Install.ClientSecret, APIURL: cfg.APIURL,
			RefreshMargin: cfg.Install.RefreshMargin, Observer: obs.install(),
		}, log, nil)
		// Rotating tokens are refreshed before they expire whether or not
		// a request comes. Deferred after the store's Close, so it runs
		// first: the store outlives the sweep under way.
		rctx, stopRefresher := context.WithCancel(ctx)
		refresherDone := make(chan struct{})
		go func() {
			defer close(refresherDone)
			installs.RunRefresher(rctx, cfg.Install.RefreshEvery)
		}()
		defer func() { stopRefresher(); <-refresherDone }()
	}
	bcfg := bot.Config{
		AppToken:      cfg.AppToken,
		SigningSecret: cfg.HTTP.SigningSecret,
		BotToken:      cfg.BotToken,
		APIURL:        cfg.APIURL,
		DataDir:       cfg.DataDir,
		Store:         shared,
		ReplyToBots:   cfg.ReplyToBots,
		DedupeWindow:  cfg.DedupeWindow,
		MaxFileBytes:  cfg.MaxFileBytes,
		Workers:       cfg.Workers,
		Logger:        log,
		Observer:      obs.bot(),

		ShutdownGrace: cfg.ShutdownTimeout,
		TakeoverAfter: cfg.TakeoverAfter,
	}
	if installs != nil {
		bcfg.Installations = installs
	}
	b, err := bot.New(bcfg, bot.HandlerFunc(func(ctx context.Context, req handlers.Request) []handlers.Reply {
		return router.Handle(ctx, req)
	}))
	if err != nil {
		return err
	}
	diag, err := cfg.Diagnose.newDiagnoser(log, obs.diagnose())
	if err != nil {
		b.Close()
		return err
	}
	router = handlers.NewRouter(eng, b.Prefs(), handlers.Options{
		DefaultLocale: cfg.DefaultLocale,
		MaskAddresses: cfg.MaskAddresses,
		MinConfidence: cfg.MinConfidence,
		Diagnoser:     diag,
		Diagnose:      handlers.DiagnoseMode(cfg.Diagnose.Mode),
		Observer:      obs.handlers(),
	}, log)
	if cfg.HTTP.Addr != "" {
		// One mux for everything on HTTP_ADDR: Slack's requests in HTTP
		// mode and the install pages; /healthz and /metrics stay on
		// METRICS_ADDR.
		l, err := listen(cfg.HTTP.Addr, log)
		if err != nil {
			b.Close()
			return fmt.Errorf("cannot start the bot:\n%w", err)
		}
		if h := b.EventsHandler(); h != nil {
			l.mux.Handle("POST "+eventsPath, h)
		}
		if installs != nil {
			install.Pages{Installations: installs, States: shared, RedirectURL: cfg.Install.RedirectURL,
				AuthorizeURL: cfg.Install.AuthorizeURL, Logger: log}.Mount(l.mux)
		}
		go l.serve()
		// After Run: while the bot drains, the listener still answers,
		// 503 to new requests, so that Slack sends them elsewhere.
		defer l.shutdown(5 * time.Second)
	}
	transport := "socket"
	if cfg.httpMode() {
		transport = "http"
	} else if cfg.HTTP.SigningSecret != "" {
		log.Warn("SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are both set: socket mode, the signing secret is not used")
	}
	where := []any{"transport", transport, "data_dir", dataDir}
	if shared != nil {
		where = []any{"transport", transport, "store", "redis", "redis_mode", cfg.Redis.Mode()}
	}
	if cfg.Install.on() {
		where = append(where, "workspaces", "many (OAuth install pages on HTTP_ADDR)")
	}
	// /healthz and /metrics outlive ctx until Run returns: through the
	// drain, health says "shutting down" and the metrics can be read.
	mctx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
	defer stopMetrics()
	if err := obs.serve(mctx, cfg.MetricsAddr, b, log); err != nil {
		b.Close()
		return fmt.Errorf("cannot start the bot:\n%w", err)
	}
	log.Info("starting", append(where, "default_locale", cfg.DefaultLocale, "workers", cfg.Workers)...)
	err = b.Run(ctx)
	log.Info("stopped")
	return err
}

func newLogger(w io.Writer, cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// hintCopy says, on the first start with many workspaces in DATA_DIR
// (file does not exist yet), that the choices saved in single-workspace
// mode are not read here until "smtpbot store copy" copies them. The copy
// is left to the operator: only they know whether those choices are the
// users' of the bot token's workspace.
func hintCopy(file, dataDir string, log *slog.Logger) {
	if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	if _, err := os.Stat(filepath.Join(dataDir, bot.StoreFile)); err != nil {
		return
	}
	if saved, err := bot.SavedLanguages(dataDir); err == nil && len(saved) > 0 {
		log.Warn("language choices saved in single-workspace mode are not read with many workspaces until copied: "+
			"stop the bot and run `smtpbot store copy`", "choices", len(saved), "from", bot.StoreFile, "to", workspacesFile)
	}
}

// workspacesFile holds installations and per-workspace language choices in
// DATA_DIR when the bot serves many workspaces without REDIS_URL.
const workspacesFile = "workspaces.db"
