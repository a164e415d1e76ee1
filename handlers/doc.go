// Package handlers turns a request (a slash command, a pasted bounce, a
// mention, a DM, a shortcut, a button click, an App Home visit, or a command
// line) into a reply value: localized explanations of the SMTP codes it
// carries, as Block Kit for Slack or as text and JSON for a terminal. The
// catalog decides what an explanation says (catalog.Explanation); inWords
// only looks up its words in the chosen language.
//
// It knows nothing of websockets or of the Slack Web API: package bot
// delivers requests and posts replies, so every handler is testable with
// plain values.
package handlers
