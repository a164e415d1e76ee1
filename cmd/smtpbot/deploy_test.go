package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The deployment examples (compose.yaml, deploy/kubernetes/*.yaml) are
// parsed here, so a typo, a health check on the wrong path or port, or a
// variable the bot does not read fails the tests rather than a user's
// first deploy.

// exampleVars are the variables .env.example documents, set or commented
// out ("# REDIS_URL=...").
func exampleVars(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]bool{}
	re := regexp.MustCompile(`(?m)^#? ?([A-Z][A-Z0-9_]*)=`)
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		vars[m[1]] = true
	}
	if len(vars) < 10 {
		t.Fatalf("found only %d variables in .env.example", len(vars))
	}
	return vars
}

// metricsPort is the port of a METRICS_ADDR value, checked as the bot
// checks it.
func metricsPort(t *testing.T, where, addr string) string {
	t.Helper()
	v, err := metricsAddr(func(string) string { return addr })
	if err != nil || v == "" {
		t.Fatalf("%s: METRICS_ADDR %q: %v", where, addr, err)
	}
	_, port, _ := net.SplitHostPort(v)
	return port
}

// pinned reports whether an image names a tag other than latest.
func pinned(image string) bool {
	i := strings.LastIndex(image, ":")
	return i > strings.LastIndex(image, "/") && image[i+1:] != "latest"
}

func mustDuration(t *testing.T, where, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatalf("%s: %q is not a duration", where, s)
	}
	return d
}

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		EnvFile     any               `yaml:"env_file"`
		Environment map[string]string `yaml:"environment"`
		Healthcheck struct {
			Test     []string `yaml:"test"`
			Interval string   `yaml:"interval"`
		} `yaml:"healthcheck"`
		DependsOn map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		StopGracePeriod string `yaml:"stop_grace_period"`
	} `yaml:"services"`
}

func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	vars := exampleVars(t)
	bots, stores := 0, map[string]bool{}
	for name, s := range c.Services {
		if !pinned(s.Image) {
			t.Errorf("%s: image %q has no version tag", name, s.Image)
		}
		if s.Image != "smtpbot:local" {
			if len(s.Healthcheck.Test) == 0 {
				t.Errorf("%s: no health check", name)
			}
			stores[name] = true
			continue
		}
		bots++
		if s.Build == nil || s.EnvFile != ".env" {
			t.Errorf("%s: build %v, env_file %v; want the Dockerfile and .env", name, s.Build, s.EnvFile)
		}
		for k := range s.Environment {
			if !vars[k] {
				t.Errorf("%s: sets %s, which .env.example does not document", name, k)
			}
		}
		port := metricsPort(t, name, s.Environment["METRICS_ADDR"])
		test := s.Healthcheck.Test
		if len(test) != 5 || test[0] != "CMD" || test[1] != "/smtpbot" || test[2] != "healthcheck" || test[3] != "--url" {
			t.Fatalf("%s: health check %q, want [CMD /smtpbot healthcheck --url URL] (the image has no shell)", name, test)
		}
		u, err := url.Parse(test[4])
		if err != nil || u.Path != "/healthz" || u.Port() != port {
			t.Errorf("%s: health check asks %q, want /healthz on METRICS_ADDR's port %s", name, test[4], port)
		}
		r, err := url.Parse(s.Environment["REDIS_URL"])
		if err != nil || r.Scheme != "redis" && r.Scheme != "rediss" {
			t.Errorf("%s: REDIS_URL %q", name, s.Environment["REDIS_URL"])
		} else {
			if !stores[r.Hostname()] && c.Services[r.Hostname()].Image == "" {
				t.Errorf("%s: REDIS_URL names %q, which is no service here", name, r.Hostname())
			}
			if s.DependsOn[r.Hostname()].Condition != "service_healthy" {
				t.Errorf("%s: does not wait for %s to be healthy", name, r.Hostname())
			}
		}
		grace := mustDuration(t, name, s.StopGracePeriod)
		if drain := mustDuration(t, name, s.Environment["SHUTDOWN_TIMEOUT"]); grace <= drain {
			t.Errorf("%s: stop_grace_period %v is not above SHUTDOWN_TIMEOUT %v: replies in flight would be killed", name, grace, drain)
		}
	}
	if bots != 2 {
		t.Errorf("%d bot services, want two replicas", bots)
	}
}

// TestComposeSchema has Compose itself check compose.yaml against its
// schema (a misspelt key such as "healtcheck" fails), when docker-compose
// (Debian's, 1.29) or the docker compose plugin is installed.
func TestComposeSchema(t *testing.T) {
	var cmd []string
	if _, err := exec.LookPath("docker-compose"); err == nil {
		cmd = []string{"docker-compose"}
	} else if exec.Command("docker", "compose", "version").Run() == nil {
		cmd = []string{"docker", "compose"}
	} else {
		t.Skip("neither docker-compose nor docker compose is installed")
	}
	// A copy beside an empty .env: env_file must exist, and the user's
	// own .env (tokens) is neither needed nor read.
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(repoRoot, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"compose.yaml": b, ".env": nil} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := exec.Command(cmd[0], append(cmd[1:], "-f", filepath.Join(dir, "compose.yaml"), "config", "-q")...)
	c.Dir = dir
	if out, err := c.CombinedOutput(); err != nil {
		t.Errorf("%s config: %v\n%s", strings.Join(cmd, " "), err, out)
	}
}

// k8sObject is the part of a Kubernetes object the test reads.
type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	StringData map[string]string `yaml:"stringData"`
	Spec       struct {
		Replicas *int `yaml:"replicas"`
		Template struct {
			Spec struct {
				TerminationGracePeriodSeconds int         `yaml:"terminationGracePeriodSeconds"`
				Containers                    []container `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type container struct {
	Name    string `yaml:"name"`
	Image   string `yaml:"image"`
	EnvFrom []struct {
		SecretRef struct {
			Name string `yaml:"name"`
		} `yaml:"secretRef"`
	} `yaml:"envFrom"`
	Env []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
}

func readK8s(t *testing.T) []k8sObject {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "deploy", "kubernetes", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no deploy/kubernetes/*.yaml: %v", err)
	}
	var objs []k8sObject
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var o k8sObject
			err := dec.Decode(&o)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if o.Kind == "" || o.Metadata.Name == "" {
				t.Errorf("%s: an object without kind or name", f)
			}
			objs = append(objs, o)
		}
	}
	return objs
}

func TestKubernetesExample(t *testing.T) {
	objs := readK8s(t)
	vars := exampleVars(t)
	secrets := map[string]k8sObject{}
	for _, o := range objs {
		if o.Kind == "Secret" {
			secrets[o.Metadata.Name] = o
		}
	}
	var bot *k8sObject
	for i, o := range objs {
		if o.Kind == "Deployment" && o.Metadata.Name == "smtpbot" {
			bot = &objs[i]
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			if !pinned(c.Image) {
				t.Errorf("%s %s: image %q has no version tag", o.Kind, o.Metadata.Name, c.Image)
			}
		}
	}
	if bot == nil {
		t.Fatal("no Deployment named smtpbot")
	}
	if bot.Spec.Replicas == nil || *bot.Spec.Replicas != 2 {
		t.Errorf("replicas %v, want 2", bot.Spec.Replicas)
	}
	pod := bot.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want the bot alone", len(pod.Containers))
	}
	c := pod.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
		if !vars[e.Name] {
			t.Errorf("env %s: .env.example does not document it", e.Name)
		}
	}
	if len(c.EnvFrom) == 0 {
		t.Error("the tokens are not taken from a Secret")
	}
	for _, ef := range c.EnvFrom {
		s, ok := secrets[ef.SecretRef.Name]
		if !ok {
			t.Errorf("envFrom names Secret %q, which the example does not define", ef.SecretRef.Name)
		}
		for _, k := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"} {
			if _, ok := s.StringData[k]; !ok {
				t.Errorf("Secret %s lacks %s", s.Metadata.Name, k)
			}
		}
		for k := range s.StringData {
			if !vars[k] {
				t.Errorf("Secret %s: %s is not a variable of .env.example", s.Metadata.Name, k)
			}
		}
	}
	port := metricsPort(t, "Deployment", env["METRICS_ADDR"])
	portNames := map[string]string{}
	for _, p := range c.Ports {
		portNames[p.Name] = strconv.Itoa(p.ContainerPort)
	}
	for name, p := range map[string]*k8sProbe{"readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s: none over HTTP", name)
			continue
		}
		got := ""
		switch v := p.HTTPGet.Port.(type) {
		case string:
			got = portNames[v]
		case int:
			got = strconv.Itoa(v)
		}
		if p.HTTPGet.Path != "/healthz" || got != port {
			t.Errorf("%s: GET %s on port %v (%s), want /healthz on METRICS_ADDR's port %s", name, p.HTTPGet.Path, p.HTTPGet.Port, got, port)
		}
	}
	drain := mustDuration(t, "SHUTDOWN_TIMEOUT", env["SHUTDOWN_TIMEOUT"])
	if grace := time.Duration(pod.TerminationGracePeriodSeconds) * time.Second; grace <= drain {
		t.Errorf("terminationGracePeriodSeconds %v is not above SHUTDOWN_TIMEOUT %v", grace, drain)
	}
	r, err := url.Parse(env["REDIS_URL"])
	if err != nil || r.Scheme != "redis" && r.Scheme != "rediss" {
		t.Fatalf("REDIS_URL %q", env["REDIS_URL"])
	}
	found := false
	for _, o := range objs {
		found = found || o.Kind == "Service" && o.Metadata.Name == r.Hostname()
	}
	if !found {
		t.Errorf("REDIS_URL names %q, which is no Service of the example", r.Hostname())
	}
}
