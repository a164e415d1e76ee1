// Package store keeps the state smtpbot needs beyond one request, behind
// one interface (Store) with two implementations:
//
//   - Embedded: a bbolt file (or memory), for one process with nothing to
//     run beside it; the default.
//   - Redis: a Redis 7+ or Valkey 7+ server (standalone, Sentinel-managed,
//     or a Cluster) shared by every replica of the bot, when REDIS_URL is
//     set.
//
// What is kept: the language each user chose, the installation of the app
// in each workspace, claims (at-most-once handling of redelivered
// requests) and locks (one replica at a time refreshes a token). The
// contract is in the doc comments of Store's methods; storetest.Exercise
// checks it, and every implementation runs it (the Redis one against a
// real redis-server).
package store
