package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// The tests that run the built program, and signal or kill it.

var (
	builtOnce sync.Once
	builtBin  string
	builtErr  error
)

// TestMain removes the program builtBot built, which no test's cleanup
// can do: it is built once and shared by every test that signals it.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// builtBot builds the real program once for the tests that signal it.
func builtBot(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "smtpbot-sigterm-")
		if err != nil {
			builtErr = err
			return
		}
		builtBin = filepath.Join(dir, "smtpbot")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", builtBin, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			builtErr = err
			t.Logf("go build: %s", out)
		}
	})
	if builtErr != nil {
		t.Fatalf("building smtpbot: %v", builtErr)
	}
	return builtBin
}

// syncBuffer is a bytes.Buffer the child's stderr and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// botProcess is the built program running against a fake Slack.
type botProcess struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	// exited is closed once the process is reaped; err is then how it
	// exited.
	exited chan struct{}
	err    error
}

// startBot runs the built program in socket mode against fake, with JSON
// logs and a data folder of its own; extra variables ("NAME=value") win
// over those. The process is killed at the end of the test if it still
// runs.
func startBot(t *testing.T, bin string, fake *fakeslack.Server, extra ...string) *botProcess {
	t.Helper()
	envFile, err := filepath.Abs("testdata/empty.env")
	if err != nil {
		t.Fatal(err)
	}
	p := &botProcess{cmd: exec.Command(bin, "--env-file", envFile), stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = append([]string{
		"SLACK_APP_TOKEN=" + goodAppToken, "SLACK_BOT_TOKEN=" + goodBotToken,
		"SLACK_API_URL=" + fake.URL(), "DATA_DIR=" + t.TempDir(), "LOG_FORMAT=json",
	}, extra...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.exited })
	return p
}

// terminate sends SIGTERM and fails the test unless the program exits 0
// within the time given; it returns how long the exit took.
func (p *botProcess) terminate(t *testing.T, within time.Duration) time.Duration {
	t.Helper()
	begin := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Fatalf("exit: %v\n%s", p.err, p.stderr.String())
		}
	case <-time.After(within):
		t.Fatalf("no exit %v after SIGTERM\n%s", within, p.stderr.String())
	}
	return time.Since(begin)
}
