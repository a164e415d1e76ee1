package store

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// TestRedisOptions: each mode from its variables, and the mistakes refused
// with an error that never quotes the password.
func TestRedisOptions(t *testing.T) {
	ok := []struct {
		name    string
		opts    RedisOptions
		addrs   []string
		master  string
		cluster bool
		tls     bool
		db      int
		user    string
	}{
		{"one server", RedisOptions{URL: "redis://10.0.0.5:6379"}, []string{"10.0.0.5:6379"}, "", false, false, 0, ""},
		{"password and db", RedisOptions{URL: "redis://bot:s3cret@cache:6380/2"}, []string{"cache:6380"}, "", false, false, 2, "bot"},
		{"TLS", RedisOptions{URL: "rediss://cache.example.com:6380"}, []string{"cache.example.com:6380"}, "", false, true, 0, ""},
		{"sentinel", RedisOptions{URL: "redis://s1:26379", Addrs: []string{"s2:26379", "s3:26379"}, SentinelMaster: "mymaster"},
			[]string{"s1:26379", "s2:26379", "s3:26379"}, "mymaster", false, false, 0, ""},
		{"cluster", RedisOptions{URL: "rediss://n1:6379", Addrs: []string{"n2:6379"}, Cluster: true},
			[]string{"n1:6379", "n2:6379"}, "", true, true, 0, ""},
		{"cluster from one seed", RedisOptions{URL: "redis://n1:6379", Cluster: true}, []string{"n1:6379"}, "", true, false, 0, ""},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			u, err := c.opts.universal()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(u.Addrs, ",") != strings.Join(c.addrs, ",") || u.MasterName != c.master ||
				u.IsClusterMode != c.cluster || (u.TLSConfig != nil) != c.tls || u.DB != c.db || u.Username != c.user {
				t.Errorf("got addrs %v master %q cluster %v tls %v db %d user %q",
					u.Addrs, u.MasterName, u.IsClusterMode, u.TLSConfig != nil, u.DB, u.Username)
			}
		})
	}
	bad := []struct {
		name string
		opts RedisOptions
		want string
	}{
		{"empty", RedisOptions{}, "REDIS_URL is empty"},
		{"no scheme", RedisOptions{URL: "cache:6379"}, "must look like redis://"},
		{"http", RedisOptions{URL: "http://:s3cret@cache:6379"}, "must look like redis://"},
		{"bad db", RedisOptions{URL: "redis://:s3cret@cache:6379/x"}, "REDIS_URL"},
		{"both modes", RedisOptions{URL: "redis://a:1", SentinelMaster: "m", Cluster: true}, "exclude each other"},
		{"cluster db", RedisOptions{URL: "redis://a:1/3", Cluster: true}, "only database 0"},
		{"addrs without a mode", RedisOptions{URL: "redis://a:1", Addrs: []string{"b:2"}}, "REDIS_SENTINEL_MASTER"},
		{"addr without port", RedisOptions{URL: "redis://a:1", Addrs: []string{"b"}, Cluster: true}, "not host:port"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.opts.universal()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v; want ErrInvalid saying %q", err, c.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("the error quotes the password: %v", err)
			}
		})
	}
}

// FuzzRedisURL: whatever REDIS_URL holds, checking it neither panics nor
// quotes its password in the error.
func FuzzRedisURL(f *testing.F) {
	for _, s := range []string{
		"redis://:s3cret@cache:6379/0", "rediss://bot:s3cret@cache:6380", "redis://:s3cret@cache:6379/x",
		"redis://:s3cret@cache:port", "redis://:s3cret@[::1:6379", "redis://:s3cret@cache:6379?dial_timeout=x",
		"unix://:s3cret@/tmp/redis.sock", "redis://:%zz@cache:6379",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := RedisOptions{URL: raw}.Validate()
		if err == nil {
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil {
			return
		}
		if p, ok := u.User.Password(); ok && len(p) >= 4 && strings.Contains(err.Error(), p) {
			t.Fatalf("the error quotes the password: %v", err)
		}
	})
}
