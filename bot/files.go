package bot

import (
	"context"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/slack-go/slack"
	"github.com/smtpcodes/smtpbot/catalog/extract"
	"github.com/smtpcodes/smtpbot/handlers"
	"github.com/smtpcodes/smtpbot/internal/limit"
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

// requestText returns a message's text, as it was pasted (plainText), with
// the text of its text files appended (separated by blank lines), all of it
// at most MaxFileBytes, and what was cut. Each file's size (from files.info) is checked before it is
// downloaded: a file is not downloaded at all once the text is full, and
// otherwise only until its text fills the room. A returned attachment's
// base64 past its first 64 KB is left out as it arrives (extract.Skimmer)
// and does not count, so a download may go on past the room, but never past
// rawPerKept times it: a 50 MB upload costs neither 50 MB of memory nor the
// time to fetch it all. Files that cannot be read are logged and skipped.
func (b *Bot) requestText(ctx context.Context, text string, files []slack.File) (string, handlers.Cut) {
	maxKept := b.cfg.MaxFileBytes
	text = plainText(text)
	cut := handlers.Cut{Total: int64(len(text))}
	if int64(len(text)) > maxKept {
		// Slack cuts messages at 40,000 characters; a longer text comes
		// from elsewhere, and is read only as far as the limit.
		text = limit.Cut(text, maxKept)
	}
	cut.Read = int64(len(text))
	kept := cut.Read // what the text holds, against the limit
	parts := []string{text}
	if text == "" {
		parts = parts[:0]
	}
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
		info, _, _, err := b.apiFor(ctx).GetFileInfoContext(ctx, f.ID, 1, 1)
		if err != nil {
			b.log.Warn("cannot read file info", "method", "files.info", "file", f.ID, "error", err)
			continue
		}
		if !textFile(*info) {
			continue
		}
		size := max(int64(info.Size), 0)
		room := maxKept - kept
		if room <= 0 {
			b.log.Info("file not read: the size limit is reached", "file", f.ID, "size", size, "limit", maxKept)
			cut.Total += size
			continue
		}
		data, read, full := b.download(ctx, *info, room)
		switch {
		case full && size <= read:
			size = read + 1 // cut, of a size files.info did not know
		case size < read:
			size = read
		}
		cut.Read += read
		cut.Total += size
		kept += int64(len(data))
		if data != "" {
			parts = append(parts, data)
		}
	}
	return strings.Join(parts, "\n\n"), cut
}

// rawPerKept bounds a download at that many bytes per byte of room: the
// lines a Skimmer leaves out are fetched, not kept, and a file of nothing
// else must end too.
const rawPerKept = 16

// rawCap passes writes on to w until max bytes have passed, then refuses
// with limit.ErrFull.
type rawCap struct {
	w      io.Writer
	n, max int64
}

func (c *rawCap) Write(p []byte) (int, error) {
	if room := c.max - c.n; int64(len(p)) > room {
		k, err := c.w.Write(p[:room])
		c.n += int64(k)
		if err == nil {
			err = limit.ErrFull
		}
		return k, err
	}
	k, err := c.w.Write(p)
	c.n += int64(k)
	return k, err
}

// download fetches url_private with the bot token (slack-go sends it only
// to Slack's hosts or the configured API host), keeping at most maxKept bytes
// of its text. It returns the text kept, how far into the file it ends
// (what was kept and what was left out before it), and whether the file
// was cut there.
func (b *Bot) download(ctx context.Context, f slack.File, maxKept int64) (text string, read int64, cut bool) {
	u := f.URLPrivateDownload
	if u == "" {
		u = f.URLPrivate
	}
	if u == "" {
		return "", 0, false
	}
	w := &limit.Buffer{Max: maxKept}
	if f.Size > 0 {
		w.Grow(int64(f.Size)) // one buffer, no regrowth
	}
	skim := &extract.Skimmer{W: w}
	err := b.apiFor(ctx).GetFileContext(ctx, u, &rawCap{w: skim, max: maxKept * rawPerKept})
	if err == nil {
		err = skim.Flush()
	}
	full := errors.Is(err, limit.ErrFull)
	switch {
	case full:
		b.log.Info("file cut at the size limit", "file", f.ID, "size", f.Size, "limit", maxKept)
	case err != nil:
		b.log.Warn("cannot download file", "file", f.ID, "error", err)
		return "", 0, false
	}
	data := w.String()
	if full {
		data = limit.TrimCut(data) // the cut may split a UTF-8 sequence
	}
	return strings.ToValidUTF8(data, "\uFFFD"), skim.Skipped + int64(len(data)), full
}
