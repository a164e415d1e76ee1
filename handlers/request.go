package handlers

import (
	"context"

	"github.com/slack-go/slack"
)

// Source is where a request came from.
type Source string

// The sources of requests.
const (
	SourceSlash    Source = "slash"    // /smtp ARGS
	SourceMessage  Source = "message"  // a message in a channel the bot is a member of
	SourceMention  Source = "mention"  // @bot TEXT, in a channel or a thread
	SourceDM       Source = "dm"       // a direct message to the bot
	SourceShortcut Source = "shortcut" // the message shortcut "Explain SMTP codes"
	SourceAction   Source = "action"   // a button or select on one of the bot's messages
	SourceHome     Source = "home"     // the user opened the App Home tab
)

// Request is one thing a user did, reduced to plain values by package bot.
type Request struct {
	Source Source
	// TeamID is the workspace the request came from, and EnterpriseID its
	// Enterprise Grid org (empty outside one). User ids are unique within
	// a workspace only; package bot answers with that workspace's token.
	TeamID, EnterpriseID string
	UserID               string
	ChannelID            string
	// TS is the timestamp of the message the request is about (the pasted
	// bounce, the mention, the DM, the message a shortcut was used on).
	TS string
	// ThreadTS is the parent's timestamp when the message is in a thread.
	ThreadTS string
	// Text is the command's arguments, the message's text (with the text of
	// attached snippet files appended by package bot), or the text of the
	// message a shortcut was used on.
	Text string
	// ParentText is the text of the thread's parent, for a mention inside a
	// thread: "@bot explain" under a bounce explains the bounce.
	ParentText string
	// Cut says how much of Text (or of ParentText, when that is what is
	// explained) package bot read, when the message and its files were
	// longer than the size limit; the replies then say what was cut.
	Cut Cut
	// ResponseURL answers slash commands, shortcuts and actions.
	ResponseURL string
	// Action is set for SourceAction.
	Action *Action
}

// Action is a click on a button or a choice in a select.
type Action struct {
	ActionID string
	Value    string
	// MessageTS is the timestamp of the message holding the button, for
	// updating it in place; Ephemeral tells whether that message was
	// ephemeral (only the response URL can replace those).
	MessageTS string
	Ephemeral bool
}

// Delivery is how package bot should deliver a reply.
type Delivery string

// The deliveries.
const (
	// DeliverEphemeral shows the reply to Reply.UserID only: via the
	// response URL when there is one, else chat.postEphemeral.
	DeliverEphemeral Delivery = "ephemeral"
	// DeliverThread posts in Reply.ChannelID under Reply.ThreadTS.
	DeliverThread Delivery = "thread"
	// DeliverChannel posts in Reply.ChannelID (a DM, or "Share in channel"
	// through the response URL with response_type in_channel).
	DeliverChannel Delivery = "channel"
	// DeliverReplace replaces the message the action was on (via the
	// response URL for ephemeral messages, chat.update for others).
	DeliverReplace Delivery = "replace"
	// DeliverHome publishes Reply.Blocks as the user's App Home view.
	DeliverHome Delivery = "home"
)

// Reply is one message to deliver. A handler returns no replies to stay
// silent, and several when one answer must be split to stay inside Slack's
// limits.
type Reply struct {
	Delivery    Delivery
	ChannelID   string
	ThreadTS    string
	UserID      string
	MessageTS   string // for DeliverReplace outside ephemeral messages
	ResponseURL string
	// Text is the plain fallback shown in notifications; always set.
	Text   string
	Blocks []slack.Block
	// Then, when set, is called once this reply is delivered, and the
	// replies it returns are delivered in turn: a slow answer (a live DNS
	// check) first shows that it is under way, then replaces that. A
	// reply from Then with no Delivery goes where this one went (the same
	// message, thread or response URL).
	Then func(ctx context.Context) []Reply
}

// Prefs is what a handler may ask about a user's language. Package bot
// implements it over its store and Slack's users.info; tests use a map.
type Prefs interface {
	// SavedLanguage returns the tag the user chose with "/smtp lang", or "".
	SavedLanguage(ctx context.Context, userID string) string
	// SaveLanguage remembers the user's choice across restarts.
	SaveLanguage(ctx context.Context, userID, tag string) error
	// SlackLocale returns the user's Slack locale ("en-US"), or "".
	SlackLocale(ctx context.Context, userID string) string
}
