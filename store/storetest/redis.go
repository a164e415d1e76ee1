package storetest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// RedisServer is a real redis-server (or valkey-server) started by a test
// on a free loopback port, stopped when the test ends.
type RedisServer struct {
	// Addr is host:port; URL is redis://Addr.
	Addr, URL string

	t       testing.TB
	bin     string
	dir     string
	persist bool

	mu     sync.Mutex
	cmd    *exec.Cmd
	waitCh chan error // receives the process's exit
}

// RedisOptions configures StartRedis.
type RedisOptions struct {
	// Persist writes every change to an append-only file (fsync on each
	// write), so that a server killed and started again keeps its data,
	// as a production server configured for it would. Without it the
	// server keeps nothing on disk.
	Persist bool
}

// serverNames are the binaries StartRedis looks for, in order: Debian's
// redis-server package, then Valkey's own name.
var serverNames = []string{"redis-server", "valkey-server"}

// StartRedis starts a server and stops it at the end of the test. When no
// server binary is on PATH it skips the test, with how to install one, or
// fails it when CI=true: CI must run the Redis half of the suite.
func StartRedis(t testing.TB, opts RedisOptions) *RedisServer {
	t.Helper()
	var bin string
	for _, name := range serverNames {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		msg := "redis-server is not on PATH, so the Redis half of the store suite cannot run; " +
			"install it (Debian: apt-get install -y redis-server) or run .ci/run"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := &RedisServer{t: t, bin: bin, dir: t.TempDir(), persist: opts.Persist}
	var err error
	for range 3 { // another process may take the free port first
		var port int
		if port, err = freePort(); err != nil {
			continue
		}
		s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		s.URL = "redis://" + s.Addr
		if err = s.start(); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(s.Stop)
	return s
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts the server again after Stop, on the same port and folder.
func (s *RedisServer) Start() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatalf("restarting %s: %v", s.bin, err)
	}
}

func (s *RedisServer) start() error {
	_, port, _ := net.SplitHostPort(s.Addr)
	args := []string{
		"--port", port, "--bind", "127.0.0.1",
		"--dir", s.dir,
		"--save", "",
		"--daemonize", "no",
		"--loglevel", "warning",
	}
	if s.persist {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		args = append(args, "--appendonly", "no")
	}
	cmd := exec.Command(s.bin, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ping(s.Addr) == nil {
			break
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited (%v): %s", err, strings.TrimSpace(out.String()))
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("no answer to PING on %s within 10s: %s", s.Addr, strings.TrimSpace(out.String()))
		}
	}
	s.mu.Lock()
	s.cmd, s.waitCh = cmd, exited
	s.mu.Unlock()
	return nil
}

// Stop kills the server (SIGKILL, as a crash would) and waits until its
// port is closed. A stopped server may be started again.
func (s *RedisServer) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.waitCh
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// ping sends PING and expects +PONG, in RESP, with no client library.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		// A server still loading its append-only file answers -LOADING.
		return fmt.Errorf("PING: %s", strings.TrimSpace(line))
	}
	return nil
}
