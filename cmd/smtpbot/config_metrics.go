package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// metricsAddr reads METRICS_ADDR: where /healthz and /metrics listen, as
// host:port or :port. Empty (the default) serves neither.
func metricsAddr(getenv func(string) string) (string, error) {
	v := strings.TrimSpace(getenv("METRICS_ADDR"))
	if v == "" {
		return "", nil
	}
	_, port, err := net.SplitHostPort(v)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("METRICS_ADDR: %q is not host:port or :port, like :9090 or 127.0.0.1:9090", v)
	}
	return v, nil
}
