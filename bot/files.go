package bot

import (
	"bytes"
	"context"
	"errors"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// maxFilesPerMessage bounds the downloads one message can cause.
const maxFilesPerMessage = 5

// textFile tells files worth reading for SMTP codes: snippets, plain text
// and saved e-mails (.txt, .eml).
func textFile(f slack.File) bool {
	if f.Mode == "snippet" {
		return true
	}
	switch strings.ToLower(f.Filetype) {
	case "text", "email", "eml":
		return true
	}
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".txt", ".eml":
		return true
	}
	switch strings.ToLower(f.Mimetype) {
	case "text/plain", "message/rfc822":
		return true
	}
	return false
}

// filesText returns the text of the message's text files, each cut at
// MaxFileBytes, separated by blank lines. Files that cannot be read are
// logged and skipped.
func (b *Bot) filesText(ctx context.Context, files []slack.File) string {
	var parts []string
	for i, f := range files {
		if i == maxFilesPerMessage {
			b.log.Info("more files than read", "read", maxFilesPerMessage, "files", len(files))
			break
		}
		if f.ID == "" {
			continue
		}
		// Events may carry only a stub ({"id":…, "file_access":
		// "check_file_info"}); files.info has the whole file.
		info, _, _, err := b.api.GetFileInfoContext(ctx, f.ID, 1, 1)
		if err != nil {
			b.log.Warn("cannot read file info", "method", "files.info", "file", f.ID, "error", err)
			continue
		}
		if !textFile(*info) {
			continue
		}
		if text := b.download(ctx, *info); text != "" {
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, "\n\n")
}

var errFull = errors.New("file cap reached")

// capped is a writer that keeps at most max bytes and then fails, which
// stops the download.
type capped struct {
	buf bytes.Buffer
	max int64
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - int64(c.buf.Len())
	if int64(len(p)) > room {
		c.buf.Write(p[:room])
		return int(room), errFull
	}
	return c.buf.Write(p)
}

// download fetches url_private with the bot token (slack-go sends it only
// to Slack's hosts or the configured API host).
func (b *Bot) download(ctx context.Context, f slack.File) string {
	u := f.URLPrivateDownload
	if u == "" {
		u = f.URLPrivate
	}
	if u == "" {
		return ""
	}
	w := &capped{max: b.cfg.MaxFileBytes}
	err := b.api.GetFileContext(ctx, u, w)
	switch {
	case errors.Is(err, errFull):
		b.log.Info("file cut at the size cap", "file", f.ID, "size", f.Size, "cap", b.cfg.MaxFileBytes)
	case err != nil:
		b.log.Warn("cannot download file", "file", f.ID, "error", err)
		return ""
	}
	data := w.buf.Bytes()
	if errors.Is(err, errFull) {
		// The cut may split a UTF-8 sequence: drop its broken tail.
		for i := 0; i < utf8.UTFMax-1 && len(data) > 0; i++ {
			if r, size := utf8.DecodeLastRune(data); r != utf8.RuneError || size != 1 {
				break
			}
			data = data[:len(data)-1]
		}
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}
