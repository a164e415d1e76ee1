package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/smtpcodes/smtpbot/bot"
	"github.com/smtpcodes/smtpbot/store"
)

// pingTimeout bounds the start-up check of the shared store.
const pingTimeout = 3 * time.Second

// openShared opens the shared store when REDIS_URL is set, or returns nil.
// A server that does not answer at start-up is logged, not fatal: the bot
// answers without it (dedupe fails open) and the client connects once the
// server is there, so that replicas do not crash in a loop through a short
// outage of the store.
func openShared(ctx context.Context, o store.RedisOptions, log *slog.Logger) (*store.Redis, error) {
	if o.URL == "" {
		return nil, nil
	}
	r, err := store.OpenRedis(o)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := r.Ping(pctx); err != nil {
		log.Warn("the shared store (REDIS_URL) does not answer; starting anyway, and it is used as soon as it does",
			"mode", o.Mode(), "error", err)
	} else {
		log.Info("shared store reachable", "mode", o.Mode(), "servers", 1+len(o.Addrs))
	}
	return r, nil
}

const storeUsage = `Usage: smtpbot store copy [--env-file FILE] [--team T…] [--data-dir DIR]

Copies the language choices saved in DATA_DIR/%s (the single-workspace
store) to where the bot reads them once it serves many workspaces or runs
as several replicas: the shared store at REDIS_URL when it is set, or else,
with SLACK_CLIENT_ID set, DATA_DIR/%s (many workspaces in one process).
The choices are the users' of the workspace the bot token belongs to
(auth.test), or of --team. Choices already there are kept: they were made
after the move. Stop the bot that uses the files first.

Flags:
`

// store runs "smtpbot store SUBCOMMAND".
func (c *cli) store(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "copy" {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprintf(c.stdout, storeUsage, bot.StoreFile, workspacesFile)
			return nil
		}
		fmt.Fprintf(c.stderr, storeUsage, bot.StoreFile, workspacesFile)
		return usagef("smtpbot store takes one subcommand: copy")
	}
	fs := flag.NewFlagSet("store copy", flag.ContinueOnError)
	envFile := fs.String("env-file", ".env", "file of KEY=value lines read under the real environment (which wins)")
	team := fs.String("team", "", "the workspace (team id, T…) whose users made the choices; default: the bot token's, from auth.test")
	dataDir := fs.String("data-dir", "", "the folder of the file to copy from; default: $DATA_DIR, then data")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), storeUsage, bot.StoreFile, workspacesFile)
		fs.PrintDefaults()
	}
	if done, err := c.parse(fs, args[1:]); done {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("store copy takes no arguments, only flags; got %q", strings.Join(fs.Args(), " "))
	}
	named := false
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "env-file" })
	getenv, err := withDotEnv(c.getenv, *envFile, named)
	if err != nil {
		return err
	}
	ro, err := redisConfig(getenv)
	if err != nil {
		return err
	}
	multi := strings.TrimSpace(getenv("SLACK_CLIENT_ID")) != ""
	if ro.URL == "" && !multi {
		return usagef("store copy copies to where the bot reads choices once it serves many workspaces: "+
			"set REDIS_URL (a shared store), or SLACK_CLIENT_ID (many workspaces, kept in DATA_DIR/%s); see .env.example", workspacesFile)
	}
	dir := or(*dataDir, or(getenv("DATA_DIR"), "data"))
	if *team == "" {
		if *team, err = botTeam(ctx, getenv); err != nil {
			return err
		}
	}
	choices, err := bot.SavedLanguages(dir)
	if err != nil {
		return err
	}
	dst, where, err := copyTarget(ro, dir)
	if err != nil {
		return err
	}
	defer dst.Close()
	copied, kept, err := copyLanguages(ctx, choices, *team, dst)
	if err != nil {
		return fmt.Errorf("copied %d language choices, then: %w", copied, err)
	}
	fmt.Fprintf(c.stdout, "copied %d language choices from %s to %s (team %s); %d already there kept\n",
		copied, filepath.Join(dir, bot.StoreFile), where, *team, kept)
	return nil
}

// copyTarget opens the store choices are copied to: the shared store at
// REDIS_URL, or else the file the bot keeps many workspaces in without
// one. It names it for the report.
func copyTarget(ro store.RedisOptions, dir string) (store.Store, string, error) {
	if ro.URL != "" {
		r, err := store.OpenRedis(ro)
		return r, "the shared store", err
	}
	file := filepath.Join(dir, workspacesFile)
	e, err := store.OpenEmbedded(store.EmbeddedOptions{Path: file})
	return e, file, err
}

// copyLanguages writes every choice the shared store does not have yet.
func copyLanguages(ctx context.Context, choices map[string]string, team string, dst store.Languages) (copied, kept int, err error) {
	users := make([]string, 0, len(choices))
	for u := range choices {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		have, err := dst.Language(ctx, team, u)
		if err != nil {
			return copied, kept, err
		}
		if have != "" {
			kept++
			continue
		}
		if err := dst.SetLanguage(ctx, team, u, choices[u]); err != nil {
			return copied, kept, err
		}
		copied++
	}
	return copied, kept, nil
}

// botTeam asks auth.test which workspace SLACK_BOT_TOKEN belongs to.
func botTeam(ctx context.Context, getenv func(string) string) (string, error) {
	token := strings.TrimSpace(getenv("SLACK_BOT_TOKEN"))
	if token == "" {
		return "", usagef("store copy needs the workspace: set SLACK_BOT_TOKEN (its workspace is asked of auth.test) or give --team T…")
	}
	var opts []slack.Option
	if u := getenv("SLACK_API_URL"); u != "" {
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slack.OptionAPIURL(u))
	}
	res, err := slack.New(token, opts...).AuthTestContext(ctx)
	if err != nil {
		return "", fmt.Errorf("auth.test, to learn the bot token's workspace: %w (or give --team T…)", err)
	}
	if res.TeamID == "" {
		return "", errors.New("auth.test named no workspace; give --team T…")
	}
	return res.TeamID, nil
}
