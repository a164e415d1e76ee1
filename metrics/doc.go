// Package metrics serves the bot's health and Prometheus metrics over HTTP:
// /healthz answers 200 only while the bot is connected to Slack and its
// workers keep up, and /metrics exposes counters and histograms in the
// Prometheus text format through the official Go client library.
//
// Metrics implements bot.Observer and handlers.Observer without importing
// package bot or handlers; no label
// ever holds user text, a channel name or an address.
package metrics
