package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/store"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// TestEmbeddedFile runs the suite on a bbolt file.
func TestEmbeddedFile(t *testing.T) {
	clock := storetest.NewClock()
	open := func(path string) store.Store {
		s, err := store.OpenEmbedded(store.EmbeddedOptions{Path: path, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	paths := map[store.Store]string{}
	storetest.Exercise(t, storetest.Harness{
		Open: func(t *testing.T) store.Store {
			p := filepath.Join(t.TempDir(), "sub", "smtpbot.db")
			s := open(p)
			paths[s] = p
			return s
		},
		Reopen: func(t *testing.T, s store.Store) store.Store {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return open(paths[s])
		},
		TTL:  10 * time.Minute,
		Pass: clock.Advance,
	})
}

// TestEmbeddedMemory runs the suite with no file.
func TestEmbeddedMemory(t *testing.T) {
	clock := storetest.NewClock()
	storetest.Exercise(t, storetest.Harness{
		Open: func(t *testing.T) store.Store {
			s, err := store.OpenEmbedded(store.EmbeddedOptions{Now: clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		TTL:  10 * time.Minute,
		Pass: clock.Advance,
	})
}

// TestEmbeddedFileLocked: a second process on one file is refused, with a
// message that says why, instead of waiting forever.
func TestEmbeddedFileLocked(t *testing.T) {
	p := filepath.Join(t.TempDir(), "smtpbot.db")
	s, err := store.OpenEmbedded(store.EmbeddedOptions{Path: p})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = store.OpenEmbedded(store.EmbeddedOptions{Path: p})
	if err == nil || !strings.Contains(err.Error(), "another smtpbot") {
		t.Fatalf("second open of a file in use: %v", err)
	}
}

// openRedis connects to srv with a key prefix of the test's own, so that
// the suite's cases share one server without seeing each other's keys.
func openRedis(t *testing.T, url, prefix string) *store.Redis {
	t.Helper()
	r, err := store.OpenRedis(store.RedisOptions{URL: url, KeyPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRedis runs the suite on a real redis-server. Against a server the
// test cannot move the clock: claims and locks that must expire get 150ms.
func TestRedis(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{})
	prefixes := map[store.Store]string{}
	storetest.Exercise(t, storetest.Harness{
		Open: func(t *testing.T) store.Store {
			p := "test:" + t.Name() + ":"
			r := openRedis(t, srv.URL, p)
			if err := r.Ping(context.Background()); err != nil {
				t.Fatal(err)
			}
			prefixes[r] = p
			return r
		},
		Another: func(t *testing.T, s store.Store) store.Store {
			return openRedis(t, srv.URL, prefixes[s])
		},
		Reopen: func(t *testing.T, s store.Store) store.Store {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return openRedis(t, srv.URL, prefixes[s])
		},
		TTL:  150 * time.Millisecond,
		Pass: time.Sleep,
	})
}

// TestRedisOutage: the server dies in the middle of the bot's work and
// comes back. While it is away every call fails fast with ErrUnavailable
// and Claim answers first (fail open); once it is back the same client
// works again without being rebuilt, and no language choice saved before
// is lost. The server persists like a production one (append-only file).
func TestRedisOutage(t *testing.T) {
	srv := storetest.StartRedis(t, storetest.RedisOptions{Persist: true})
	ctx := context.Background()
	r := openRedis(t, srv.URL, "")
	defer r.Close()
	choices := map[string]string{"U1": "vi", "U2": "th", "U3": "en"}
	for u, tag := range choices {
		if err := r.SetLanguage(ctx, "T1", u, tag); err != nil {
			t.Fatal(err)
		}
	}
	if first, err := r.Claim(ctx, "event/Ev1", time.Hour); !first || err != nil {
		t.Fatalf("Claim before the outage: %v, %v", first, err)
	}

	srv.Stop()
	start := time.Now()
	first, err := r.Claim(ctx, "event/Ev1", time.Hour)
	if !errors.Is(err, store.ErrUnavailable) || !first {
		t.Fatalf("Claim with the server down = %v, %v; want true (fail open), ErrUnavailable", first, err)
	}
	if _, err := r.Language(ctx, "T1", "U1"); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Language with the server down: %v; want ErrUnavailable", err)
	}
	if err := r.SetLanguage(ctx, "T1", "U4", "th"); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("SetLanguage with the server down: %v; want ErrUnavailable", err)
	}
	// A generous bound against a client that waits out long timeouts or
	// retries for ever while the bot has a request to answer.
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("three calls with the server down took %v", d)
	}

	t.Logf("three calls with the server down: %v", time.Since(start))
	srv.Start()
	restarted := time.Now()
	deadline := time.Now().Add(10 * time.Second)
	for r.Ping(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the client did not reconnect within 10s of the server's restart")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("reconnected %v after the restart", time.Since(restarted))
	for u, tag := range choices {
		if got, err := r.Language(ctx, "T1", u); got != tag || err != nil {
			t.Errorf("after the restart Language(%s) = %q, %v; want %q", u, got, err, tag)
		}
	}
	if first, err := r.Claim(ctx, "event/Ev1", time.Hour); first || err != nil {
		t.Errorf("Claim of a key claimed before the outage = %v, %v; want false, nil", first, err)
	}
	if first, err := r.Claim(ctx, "event/Ev2", time.Hour); !first || err != nil {
		t.Errorf("Claim of a new key after the outage = %v, %v; want true, nil", first, err)
	}
}
