package main

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// The repository's root, from this package's folder.
const repoRoot = "../.."

// dockerContext reports which paths `docker build .` would send, reading
// .dockerignore with the matcher Docker itself uses (moby/patternmatcher:
// last matching pattern wins, a path is excluded with its folder).
func dockerContext(t *testing.T) func(path string) bool {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatalf("no .dockerignore: `docker build` would send .env, .git and data/: %v", err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return func(path string) bool {
		excluded, err := pm.MatchesOrParentMatches(filepath.ToSlash(path))
		if err != nil {
			t.Fatal(err)
		}
		return !excluded
	}
}

// secret is true for what must never reach an image: the tokens (.env and
// its variants), the repository's history, and the saved data.
func secret(path string) bool {
	path = filepath.ToSlash(path)
	base := filepath.Base(path)
	return strings.HasPrefix(base, ".env") && base != ".env.example" ||
		path == ".git" || strings.HasPrefix(path, ".git/") ||
		path == "data" || strings.HasPrefix(path, "data/") ||
		strings.HasSuffix(path, ".db")
}

func TestDockerignoreKeepsSecretsOut(t *testing.T) {
	sent := dockerContext(t)
	// What the README's steps create, whether or not this checkout has it.
	for _, p := range []string{
		".env", ".env.local", ".env.production", ".git", ".git/config", ".git/objects/ab/cdef",
		"data", "data/smtpbot.db", "cmd/smtpbot/.env", "cmd/smtpbot/data/smtpbot.db",
		"bot/.env", "locales/.env", "catalog/smtpbot.db",
	} {
		if sent(p) {
			t.Errorf(".dockerignore lets %s into the build", p)
		}
	}
	// And everything actually here, including a real .env or data/.
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, p)
		if rel == "." {
			return nil
		}
		if sent(rel) && (secret(rel) || strings.HasSuffix(rel, "_test.go") || strings.Contains(rel, "testdata")) {
			t.Errorf(".dockerignore lets %s into the build", rel)
		}
		if d.IsDir() && rel == ".git" {
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The allow-list must admit every file the image's build reads, or the
// build fails: go.mod, go.sum, and the Go and embedded files of every
// package of this module that cmd/smtpbot imports.
func TestDockerignoreAdmitsTheBuild(t *testing.T) {
	sent := dockerContext(t)
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command(goTool, "list", "-deps", "-json=Dir,GoFiles,EmbedFiles,Module", "./cmd/smtpbot")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	need := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var pkg struct {
			Dir                 string
			GoFiles, EmbedFiles []string
			Module              *struct{ Main bool }
		}
		if err := dec.Decode(&pkg); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if pkg.Module == nil || !pkg.Module.Main {
			continue
		}
		dir, err := filepath.Rel(abs, pkg.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range append(pkg.GoFiles, pkg.EmbedFiles...) {
			need = append(need, filepath.Join(dir, f))
		}
	}
	if len(need) < 20 {
		t.Fatalf("go list found only %v", need)
	}
	for _, f := range need {
		if !sent(f) {
			t.Errorf(".dockerignore leaves out %s, which the image's build needs; admit its folder", f)
		}
	}
}

// After the README's steps, `git status` must not offer .env or data/ for
// committing. git itself reads .gitignore, so its rules are the real ones.
func TestGitignore(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	for _, p := range []string{".env", ".env.local", "data/smtpbot.db", "smtpbot", "smtpbot-load", "cmd/smtpbot/data/smtpbot.db"} {
		cmd := exec.Command(git, "check-ignore", "-q", "--no-index", p)
		cmd.Dir = repoRoot
		if err := cmd.Run(); err != nil {
			t.Errorf(".gitignore does not ignore %s (%v)", p, err)
		}
	}
	// Files to commit must stay visible: the example config and new data
	// files of the catalog and the languages (folders also named data).
	for _, p := range []string{".env.example", "catalog/data/new.json", "locales/data/fr/ui.json", "docs/docker.md", "cmd/smtpbot/config.go"} {
		cmd := exec.Command(git, "check-ignore", "-q", "--no-index", p)
		cmd.Dir = repoRoot
		if err := cmd.Run(); err == nil {
			t.Errorf(".gitignore hides %s", p)
		}
	}
}

var (
	goModVersion     = regexp.MustCompile(`(?m)^go (\d+\.\d+(?:\.\d+)?)\s*$`)
	dockerGoVersion  = regexp.MustCompile(`(?m)^ARG GO_IMAGE=golang:(\d+\.\d+\.\d+)-\S+\s*$`)
	readmeGoVersion  = regexp.MustCompile(`\(Go (\d+\.\d+(?:\.\d+)?) or newer\)`)
	dockerUser       = regexp.MustCompile(`(?m)^USER (\d+):(\d+)\s*$`)
	dockerDataDir    = regexp.MustCompile(`(?m)^ENV DATA_DIR=(\S+)\s*$`)
	readmeStdinInput = regexp.MustCompile(`smtpbot explain[^\n<]*< (\S+)`)
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func find(t *testing.T, re *regexp.Regexp, name, text string) []string {
	t.Helper()
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s has no line like %s", name, re)
	}
	return m[1:]
}

// go.mod's go line, the Dockerfile's Go image and the README's "Go X or
// newer" name one version: an image with an older Go sets
// GOTOOLCHAIN=local and cannot build the module.
func TestGoVersionsAgree(t *testing.T) {
	mod := find(t, goModVersion, "go.mod", read(t, "go.mod"))[0]
	docker := find(t, dockerGoVersion, "Dockerfile", read(t, "Dockerfile"))[0]
	readme := find(t, readmeGoVersion, "README.md", read(t, "README.md"))[0]
	if mod != docker || mod != readme {
		t.Errorf("Go versions differ: go.mod %s, Dockerfile golang:%s, README %s", mod, docker, readme)
	}
}

// The Dockerfile runs as the UID the data-folder error names, with the data
// folder the image owns.
func TestDockerfileUserAndDataDir(t *testing.T) {
	dockerfile := read(t, "Dockerfile")
	ids := find(t, dockerUser, "Dockerfile", dockerfile)
	for _, id := range ids {
		if n, _ := strconv.Atoi(id); n != imageUID {
			t.Errorf("Dockerfile: USER %s:%s, but errors tell people to give the data folder to %d", ids[0], ids[1], imageUID)
		}
	}
	if dir := find(t, dockerDataDir, "Dockerfile", dockerfile)[0]; dir != "/data" {
		t.Errorf("Dockerfile: DATA_DIR=%s, the README and docs/docker.md say /data", dir)
	}
}

// The README's stdin example reads a file that exists, and explains it.
func TestReadmeSampleExists(t *testing.T) {
	readme := read(t, "README.md")
	m := readmeStdinInput.FindAllStringSubmatch(readme, -1)
	if len(m) == 0 {
		t.Fatal("README.md has no `smtpbot explain ... < FILE` example")
	}
	for _, sub := range m {
		b, err := os.ReadFile(filepath.Join(repoRoot, sub[1]))
		if err != nil {
			t.Errorf("README.md reads %s: %v", sub[1], err)
			continue
		}
		if _, errOut, code := call(t, string(b), nil, "explain", "--lang", "vi"); code != 0 {
			t.Errorf("explain < %s: exit %d, %s", sub[1], code, errOut)
		}
	}
}

// docker.md's "What goes into the build" names what .dockerignore admits
// and, of what it leaves out again inside those folders, the named
// folders. A package admitted without a word in the doc, or a doc that
// still names a folder no longer admitted, fails here.
func TestDockerDocListsTheBuild(t *testing.T) {
	var admitted, reexcluded []string
	for line := range strings.Lines(read(t, ".dockerignore")) {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || line == "*":
		case strings.HasPrefix(line, "!"):
			admitted = append(admitted, line[1:])
		case !strings.ContainsAny(line, "*?["):
			reexcluded = append(reexcluded, line)
		}
	}
	doc := read(t, "docs/docker.md")
	_, section, ok := strings.Cut(doc, "## What goes into the build\n")
	if !ok {
		t.Fatal(`docs/docker.md has no "## What goes into the build"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, after, ok := strings.Cut(section, " admits ")
	if !ok {
		t.Fatalf(`the section has no "admits ...": %s`, section)
	}
	admits, minus, ok := strings.Cut(after, ", minus ")
	if !ok {
		t.Fatalf(`the section has no "admits ..., minus ...": %s`, section)
	}
	minus, _, _ = strings.Cut(minus, ". ")
	quoted := regexp.MustCompile("`([^`]+)`")
	names := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, q := range quoted.FindAllStringSubmatch(s, -1) {
			m[q[1]] = true
		}
		return m
	}
	compare := func(what string, want []string, got map[string]bool) {
		t.Helper()
		for _, p := range want {
			if !got[p] {
				t.Errorf("docs/docker.md does not say that .dockerignore %s `%s`", what, p)
			}
			delete(got, p)
		}
		for p := range got {
			t.Errorf("docs/docker.md says that .dockerignore %s `%s`; it does not", what, p)
		}
	}
	if len(admitted) < 5 || len(reexcluded) == 0 {
		t.Fatalf("read too little of .dockerignore: admits %v, leaves out again %v", admitted, reexcluded)
	}
	compare("admits", admitted, names(admits))
	got := names(minus)
	delete(got, "testdata") // **/testdata, a pattern
	compare("leaves out again", reexcluded, got)
}
