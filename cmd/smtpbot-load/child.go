package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// buildBot builds ./cmd/smtpbot into dir as the Dockerfile does (static,
// trimmed, stripped) and returns the binary's path. It must run inside the
// module.
func buildBot(dir string) (string, error) {
	out := filepath.Join(dir, "smtpbot")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "github.com/smtpcodes/smtpbot/cmd/smtpbot")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/smtpbot (run from the repository, or pass -bot): %v\n%s", err, msg)
	}
	return out, nil
}

// botEnv is the bot's whole environment: the fake's URL, test tokens, a
// fresh data directory and warnings only, plus the Go runtime's own
// variables if set and the caller's extras (KEY=VALUE). Nothing else is
// passed on, so a developer's SLACK_* variables cannot leak in.
func botEnv(apiURL, dataDir string, extra []string) []string {
	env := []string{
		"SLACK_APP_TOKEN=xapp-1-A0FAKE0001-1-load",
		"SLACK_BOT_TOKEN=xoxb-1-2-0123456789load",
		"SLACK_API_URL=" + apiURL,
		"DATA_DIR=" + dataDir,
		"LOG_LEVEL=warn",
	}
	for _, k := range []string{"GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GODEBUG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}

// child is the bot running as a child process.
type child struct {
	cmd     *exec.Cmd
	started time.Time
	done    chan struct{}
	err     error // set when done is closed
	logs    *logLines
}

// startBot starts the binary in dir (where no .env file is) with env.
// Its stderr is kept (and copied to echo when not nil).
func startBot(path, dir string, env []string, echo io.Writer) (*child, error) {
	c := &child{done: make(chan struct{}), logs: &logLines{echo: echo}}
	c.cmd = exec.Command(path)
	c.cmd.Dir = dir
	c.cmd.Env = env
	c.cmd.Stdout = c.logs
	c.cmd.Stderr = c.logs
	c.cmd.SysProcAttr = sysProcAttr()
	c.started = time.Now()
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// exited reports whether the process has ended.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM and waits up to bound for the bot to exit. It
// returns the exit code (-1 when it had to be killed) and how long it took.
func (c *child) stop(bound time.Duration) (int, time.Duration) {
	t0 := time.Now()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(bound):
		_ = c.cmd.Process.Kill()
		<-c.done
		return -1, time.Since(t0)
	}
	took := time.Since(t0)
	var ee *exec.ExitError
	if errors.As(c.err, &ee) {
		return ee.ExitCode(), took
	}
	if c.err != nil {
		return -1, took
	}
	return 0, took
}

// kill ends the bot at once (when the tool itself is interrupted).
func (c *child) kill() {
	if !c.exited() {
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// memory reads the resident set (VmRSS) and its peak (VmHWM) of a process,
// in bytes, from /proc (Linux).
func memory(pid int) (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %q", k, v)
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			peak = kb << 10
		}
	}
	return rss, peak, sc.Err()
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux the tool targets.
const clockTicks = 100

// cpuTime reads the user and system CPU time a process has used so far,
// from /proc/<pid>/stat (Linux).
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields after it are fixed.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	// Fields 14 and 15 of stat (utime, stime) are 12 and 13 after ')'.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// selfCPU is the CPU time the tool itself (with the fake) has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// logLines keeps the bot's log lines: how many, and the first few.
type logLines struct {
	echo  io.Writer
	mu    sync.Mutex
	n     int
	first []string
	part  []byte
}

const keptLines = 5

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.echo != nil {
		_, _ = l.echo.Write(p)
	}
	l.part = append(l.part, p...)
	for {
		i := bytes.IndexByte(l.part, '\n')
		if i < 0 {
			break
		}
		l.n++
		if len(l.first) < keptLines {
			l.first = append(l.first, string(l.part[:i]))
		}
		l.part = l.part[i+1:]
	}
	return len(p), nil
}

func (l *logLines) snapshot() (int, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, append([]string(nil), l.first...)
}
