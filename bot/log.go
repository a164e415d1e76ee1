package bot

import (
	"context"
	"log/slog"
	"runtime/debug"
	"strings"
)

// slogWriter routes slack-go's own log lines (printed only in its debug
// mode, which the bot leaves off) to slog at debug level.
type slogWriter struct {
	log *slog.Logger
	src string
}

func (w slogWriter) Output(_ int, s string) error {
	w.log.Debug(strings.TrimSpace(s), "source", w.src)
	return nil
}

// recovered logs a panic caught in one request or event and lets the bot
// go on serving. Use as: defer b.recovered("where", attrs...).
func (b *Bot) recovered(where string, attrs ...any) {
	if r := recover(); r != nil {
		attrs = append(attrs, "where", where, "panic", r, "stack", string(debug.Stack()))
		b.log.Log(context.Background(), slog.LevelError, "recovered from panic", attrs...)
	}
}
