package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
	"github.com/smtpcodes/smtpbot/store/storetest"
)

// Several replicas of the real program in HTTP mode, one Redis, a load
// balancer in front, and the fake Slack delivering to the balancer as
// Slack delivers to a request URL: a request that gets no 200 within 3 s
// is sent again, up to 3 times.

var httpReplicaRate = flag.Int("http-replicas.rate", 400, "requests a second offered by -http-replicas.table")

var httpReplicaTable = flag.Bool("http-replicas.table", false,
	"measure 1, 2 and 3 replicas in HTTP mode for BENCHMARKS.md (slow)")

// balancer is a round-robin load balancer with passive health checks, as
// most are: a backend that refused or dropped a connection is left out
// for a while, and the request that failed gets a 502, which Slack takes
// as a failure and sends again.
type balancer struct {
	mu       sync.Mutex
	backends []*url.URL
	proxies  []*httputil.ReverseProxy
	downTill []time.Time
	next     int
}

func newBalancer(backends []string) *balancer {
	lb := &balancer{downTill: make([]time.Time, len(backends))}
	for i, b := range backends {
		u, _ := url.Parse(b)
		p := httputil.NewSingleHostReverseProxy(u)
		p.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
			lb.mu.Lock()
			lb.downTill[i] = time.Now().Add(5 * time.Second)
			lb.mu.Unlock()
			w.WriteHeader(http.StatusBadGateway)
		}
		lb.backends = append(lb.backends, u)
		lb.proxies = append(lb.proxies, p)
	}
	return lb
}

func (lb *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lb.mu.Lock()
	now := time.Now()
	pick := -1
	for range lb.backends {
		i := lb.next
		lb.next = (lb.next + 1) % len(lb.backends)
		if now.After(lb.downTill[i]) {
			pick = i
			break
		}
	}
	lb.mu.Unlock()
	if pick < 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	lb.proxies[pick].ServeHTTP(w, r)
}

// httpReplica is one bot process in HTTP mode.
type httpReplica struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	exited chan error
}

func startHTTPReplica(t *testing.T, bin string, env []string) *httpReplica {
	t.Helper()
	addr := freeAddr(t)
	envFile, err := filepath.Abs("testdata/empty.env")
	if err != nil {
		t.Fatal(err)
	}
	r := &httpReplica{url: "http://" + addr, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	r.cmd = exec.Command(bin, "--env-file", envFile)
	r.cmd.Env = append(slices.Clone(env), "HTTP_ADDR="+addr)
	r.cmd.Stderr = r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.exited <- r.cmd.Wait() }()
	t.Cleanup(func() {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.exited:
		case <-time.After(15 * time.Second):
			_ = r.cmd.Process.Kill()
		}
	})
	return r
}

// replicaRun is one measured run.
type replicaRun struct {
	replicas, sent, answered, lost, duplicated int
	took                                       time.Duration
	p50, p99                                   time.Duration
	failedPosts                                int
}

// runHTTPReplicas sends count requests at rate to n replicas behind the
// balancer, kills one with SIGKILL once a third are sent when kill is set,
// and waits for every answer (or 60 s).
func runHTTPReplicas(t *testing.T, n, count, rate int, kill bool) replicaRun {
	t.Helper()
	bin := builtBot(t)
	redis := storetest.StartRedis(t, storetest.RedisOptions{})
	fake := fakeslack.New(fakeslack.Options{
		// Not Lean: a takeover reads the thread to see whether the replica
		// that died posted the reply, which needs the pasted messages in
		// the fake's history, as they are in Slack's.
		SigningSecret: testSigningSecret, HTTPSenders: 32, PingInterval: -1,
	})
	t.Cleanup(fake.Close)
	fake.SetUser(fakeslack.User{ID: fakeslack.DefaultUser, Name: "jane", Locale: "en-US"})
	env := []string{
		"SLACK_BOT_TOKEN=" + goodBotToken, "SLACK_SIGNING_SECRET=" + testSigningSecret,
		"SLACK_API_URL=" + fake.URL(), "REDIS_URL=" + redis.URL,
		"LOG_LEVEL=warn", "LOG_FORMAT=json", "DIAGNOSE=off",
	}
	var reps []*httpReplica
	var backends []string
	for range n {
		r := startHTTPReplica(t, bin, env)
		reps = append(reps, r)
		backends = append(backends, r.url)
	}
	for i, r := range reps {
		waitServing(t, r.url+eventsPath, testSigningSecret, 20*time.Second)
		select {
		case err := <-r.exited:
			// Another replica answered at its address.
			t.Fatalf("replica %d stopped at start (%v); its log:\n%s", i, err, lastLines(r.stderr.String(), 40))
		default:
		}
	}
	lb := httptest.NewServer(newBalancer(backends))
	t.Cleanup(lb.Close)
	fake.SetEventsURL(lb.URL + eventsPath)

	// Three in four are bounces pasted in one of 8 channels, answered in
	// their thread; one in four is /smtp, answered at its response URL.
	type sent struct {
		at   time.Time
		slot int
	}
	byThread := map[string]sent{}
	bySlash := map[string]sent{}
	interval := time.Second / time.Duration(rate)
	begin := time.Now()
	for i := range count {
		if d := time.Until(begin.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		if kill && i == count/3 {
			if err := reps[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatalf("SIGKILL replica 0: %v; it had stopped on its own; its log:\n%s", err, lastLines(reps[0].stderr.String(), 40))
			}
		}
		ch := fmt.Sprintf("C%07d", i%8)
		if i%4 == 3 {
			id := fake.SendSlash(fakeslack.Slash{Channel: ch, Text: "550 5.1.1"})
			bySlash[id] = sent{at: time.Now(), slot: i}
			continue
		}
		ts := fake.NextTS()
		fake.SendMessage(fakeslack.Message{Channel: ch, TS: ts, Text: bounce})
		byThread[ch+"/"+ts] = sent{at: time.Now(), slot: i}
	}

	// Wait until every request has an answer, or 60 s.
	answered := func() (map[string]int, map[string]int, []fakeslack.Call) {
		threads, slashes := map[string]int{}, map[string]int{}
		calls := fake.Calls("chat.postMessage", "response_url")
		for _, c := range calls {
			if c.Method == "response_url" {
				slashes[c.EnvelopeID]++
			} else {
				threads[c.Channel+"/"+c.ThreadTS]++
			}
		}
		return threads, slashes, calls
	}
	deadline := time.Now().Add(60 * time.Second)
	var threads, slashes map[string]int
	var calls []fakeslack.Call
	for {
		threads, slashes, calls = answered()
		if len(threads)+len(slashes) >= count || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Late duplicates: a moment more for any second answer in flight.
	time.Sleep(500 * time.Millisecond)
	threads, slashes, calls = answered()

	res := replicaRun{replicas: n, sent: count, failedPosts: fake.FailedPosts()}
	var lat []time.Duration
	var last time.Time
	first := map[string]time.Time{}
	for _, c := range calls {
		key := c.Channel + "/" + c.ThreadTS
		if c.Method == "response_url" {
			key = c.EnvelopeID
		}
		if _, ok := first[key]; !ok {
			first[key] = c.Time
		}
		if c.Time.After(last) {
			last = c.Time
		}
	}
	count1 := func(m map[string]int, key string, s sent) {
		switch got := m[key]; {
		case got == 0:
			res.lost++
		default:
			res.answered++
			res.duplicated += got - 1
			lat = append(lat, first[key].Sub(s.at))
		}
	}
	for k, s := range byThread {
		count1(threads, k, s)
	}
	for k, s := range bySlash {
		count1(slashes, k, s)
	}
	res.took = last.Sub(begin)
	slices.Sort(lat)
	if len(lat) > 0 {
		res.p50 = lat[len(lat)/2]
		res.p99 = lat[len(lat)*99/100]
	}
	if res.lost > 0 || res.duplicated > 1 {
		for i, r := range reps {
			t.Logf("replica %d log:\n%s", i, lastLines(r.stderr.String(), 20))
		}
	}
	return res
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func (r replicaRun) String() string {
	return fmt.Sprintf("%d replicas: %d sent, %d answered, %d lost, %d duplicated, %d POSTs without a 200; "+
		"%.0f/s, reply p50 %v p99 %v",
		r.replicas, r.sent, r.answered, r.lost, r.duplicated, r.failedPosts,
		float64(r.answered)/r.took.Seconds(), r.p50.Round(100*time.Microsecond), r.p99.Round(100*time.Microsecond))
}

// TestHTTPReplicaKilledNothingLost: three replicas in HTTP mode on one
// Redis behind a load balancer; one is SIGKILLed a third of the way
// through 2,000 requests. Every request is answered, and a request is
// answered twice only when its reply was posted in the instant before the
// kill: at most one such duplicate per kill.
func TestHTTPReplicaKilledNothingLost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and runs three replicas and redis-server")
	}
	res := runHTTPReplicas(t, 3, 2000, 200, true)
	t.Log(res)
	if res.lost != 0 {
		t.Errorf("%d of %d requests never answered", res.lost, res.sent)
	}
	if res.duplicated > 1 {
		t.Errorf("%d requests answered twice, want at most 1 (the kill's)", res.duplicated)
	}
}

// TestHTTPReplicaTable prints the 1/2/3-replica table of BENCHMARKS.md
// ("Replicas over HTTP"); run with -http-replicas.table.
func TestHTTPReplicaTable(t *testing.T) {
	if !*httpReplicaTable {
		t.Skip("measurement for BENCHMARKS.md: go test ./cmd/smtpbot -run TestHTTPReplicaTable -http-replicas.table -v")
	}
	for _, tc := range []struct {
		n    int
		kill bool
	}{{1, false}, {2, false}, {3, false}, {2, true}, {3, true}} {
		t.Run(fmt.Sprintf("%d-kill=%v", tc.n, tc.kill), func(t *testing.T) {
			res := runHTTPReplicas(t, tc.n, 2000, *httpReplicaRate, tc.kill)
			t.Logf("kill=%v %s", tc.kill, res)
		})
	}
}
