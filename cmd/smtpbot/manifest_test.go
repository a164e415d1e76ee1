package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The HTTP-mode manifest is the socket-mode one with request URLs: the same
// commands, shortcut, events and scopes, so that switching transports
// changes nothing a user sees. Every request URL is the path the bot
// serves.
func TestManifestsInStep(t *testing.T) {
	socket, err := os.ReadFile("../../manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	httpm, err := os.ReadFile("../../manifest.http.yaml")
	if err != nil {
		t.Fatal(err)
	}
	urlLine := regexp.MustCompile(`^\s*(url|request_url|- https?)[: ]`)
	strip := func(b []byte) (kept []string, urls []string) {
		for _, l := range strings.Split(string(b), "\n") {
			switch {
			case strings.HasPrefix(strings.TrimSpace(l), "#"):
			case urlLine.MatchString(l):
				urls = append(urls, strings.TrimSpace(l))
			case strings.TrimSpace(l) == "redirect_urls:":
			case strings.Contains(l, "socket_mode_enabled"):
				kept = append(kept, strings.TrimSpace(l))
			default:
				kept = append(kept, l)
			}
		}
		return kept, urls
	}
	s, sURLs := strip(socket)
	h, hURLs := strip(httpm)
	if len(sURLs) != 0 {
		t.Errorf("manifest.yaml (socket mode) has request URLs: %q", sURLs)
	}
	if len(s) != len(h) {
		t.Fatalf("the manifests differ beyond request URLs: %d and %d lines", len(s), len(h))
	}
	for i := range s {
		want := s[i]
		if want == "socket_mode_enabled: true" {
			want = "socket_mode_enabled: false"
		}
		if h[i] != want {
			t.Errorf("line %d: manifest.http.yaml has %q, manifest.yaml %q", i+1, h[i], s[i])
		}
	}
	var events, redirects int
	for _, u := range hURLs {
		switch {
		case strings.HasSuffix(u, eventsPath):
			events++
		case strings.HasSuffix(u, "/slack/oauth_redirect"):
			redirects++
		default:
			t.Errorf("request URL %q is not one the bot serves", u)
		}
	}
	// Events, interactivity and the /smtp command; the OAuth redirect.
	if events != 3 || redirects != 1 {
		t.Errorf("%d URLs to %s and %d redirect URLs, want 3 and 1", events, eventsPath, redirects)
	}
}
