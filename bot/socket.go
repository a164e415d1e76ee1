package bot

import (
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// DefaultReadLimit is the largest websocket message the bot reads from
// Slack: 8 MiB. slack-go reads any size by default, so one frame from a
// broken proxy could make the bot allocate without bound.
//
// It fits the largest envelope Slack's documented limits allow, escaped
// the costliest way. The largest envelopes are message events and
// block_actions payloads that carry a whole message. Slack cuts a
// message's text at 40,000 characters and allows 50 blocks, each with at
// most 3,000 characters of text and 10 fields of 2,000: 1.15 million
// characters for a message filled to the limits (another bot's, which
// REPLY_TO_BOTS answers). Written as \uXXXX escapes, 6 bytes a character,
// that is 6.9 MB; as UTF-8 Thai or Vietnamese it is 3.5 MB. A person's
// 40,000-character message comes with its rich_text mirror: 480 KB at
// worst. The envelope's own fields add a few kilobytes.
//
// Erring large costs only memory: a frame over the limit closes the
// connection (slack-go reconnects) and the envelope is lost, since each
// redelivery fails the same way.
const DefaultReadLimit = 8 << 20

// newSocketClient builds slack-go's Socket Mode client: its own Web API
// client whose apps.connections.open calls pass through gate, the read
// limit, and the ping deadline.
func newSocketClient(cfg Config, opts []slack.Option, gate *reconnectGate, log *slog.Logger) *socketmode.Client {
	opts = append(opts[:len(opts):len(opts)], slack.OptionHTTPClient(gate))
	api := slack.New(cfg.BotToken, opts...)
	return socketmode.New(api,
		socketmode.OptionLog(slogWriter{log: log, src: "socketmode"}),
		socketmode.OptionReadLimit(cfg.ReadLimit),
		socketmode.OptionPingInterval(cfg.PingTimeout),
	)
}
