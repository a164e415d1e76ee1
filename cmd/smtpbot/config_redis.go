package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/smtpcodes/smtpbot/store"
)

// redisConfig reads the shared store's variables (all documented in
// .env.example). An empty REDIS_URL means no shared store: the bot keeps
// its state in DATA_DIR and memory, as a single process.
func redisConfig(getenv func(string) string) (store.RedisOptions, error) {
	o := store.RedisOptions{
		URL:              strings.TrimSpace(getenv("REDIS_URL")),
		SentinelMaster:   strings.TrimSpace(getenv("REDIS_SENTINEL_MASTER")),
		SentinelPassword: getenv("REDIS_SENTINEL_PASSWORD"),
		KeyPrefix:        getenv("REDIS_KEY_PREFIX"),
	}
	for _, a := range strings.Split(getenv("REDIS_ADDRS"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			o.Addrs = append(o.Addrs, a)
		}
	}
	var err error
	if o.Cluster, err = parseBool(getenv, "REDIS_CLUSTER", false); err != nil {
		return o, err
	}
	if o.URL == "" {
		if len(o.Addrs) > 0 || o.SentinelMaster != "" || o.Cluster {
			return o, errors.New("REDIS_ADDRS, REDIS_SENTINEL_MASTER or REDIS_CLUSTER is set without REDIS_URL; " +
				"set REDIS_URL to redis://host:port (the first server) too")
		}
		return o, nil
	}
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), store.ErrInvalid.Error()+": "))
	}
	return o, nil
}
