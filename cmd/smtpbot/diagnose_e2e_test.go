package main

import (
	"strings"
	"testing"

	"github.com/smtpcodes/smtpbot/bot/fakeslack"
)

// A pasted bounce gets an explanation with "Check DNS"; a click updates
// the message to say the checks are running, then replaces it with the
// explanation and the checks, against the fixture DNS server on loopback.
func TestCheckDNSButtonEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		dns := fixtureDNS(t)
		start(t, fake, t.TempDir(), "DNS_RESOLVER", dns.Addr)
		fake.SendMessage(fakeslack.Message{Channel: "C40", Text: fixtureBounce(t, "spf-fail.txt")})
		post := wait(t, fake, 1, "chat.postMessage")[0]
		if !strings.Contains(visible(post), "5.7.27") || !strings.Contains(visible(post), "Check DNS") {
			t.Fatalf("the explanation lacks the code or the Check DNS button:\n%s", visible(post))
		}
		value := buttonValue(t, post.Blocks, "smtp_dns")
		if strings.Contains(value, "@") {
			t.Errorf("the button's value holds an address: %s", value)
		}
		asked := dns.Queries()
		ts := fake.NextTS()
		fake.SendAction(fakeslack.Action{ActionID: "smtp_dns", Value: value, Channel: "C40", MessageTS: ts, ThreadTS: post.ThreadTS})
		updates := wait(t, fake, 2, "chat.update")
		progress, result := updates[0], updates[1]
		if progress.TS != ts || result.TS != ts || progress.Channel != "C40" {
			t.Errorf("updates went to %s/%s and %s, want C40/%s", progress.Channel, progress.TS, result.TS, ts)
		}
		if !strings.Contains(visible(progress), "Checking 4 records…") || strings.Contains(string(progress.Blocks), "smtp_dns") {
			t.Errorf("progress update should say it checks 4 records (SPF, DMARC, PTR, FCrDNS), without the button:\n%s", visible(progress))
		}
		for _, want := range []string{"5.7.27", "DNS check", "SPF fails for 192.0.2.4", "SPF for spf-omit.test does not include the sending IP 192.0.2.4"} {
			if !strings.Contains(visible(result), want) {
				t.Errorf("result lacks %q:\n%s", want, visible(result))
			}
		}
		if dns.Queries() == asked {
			t.Error("the click made no DNS query")
		}
	})
}

// On an ephemeral answer (/smtp with a pasted bounce), both updates go
// through the response URL, replacing the original, in the user's language.
func TestCheckDNSEphemeralEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		dns := fixtureDNS(t)
		start(t, fake, t.TempDir(), "DNS_RESOLVER", dns.Addr)
		fake.SendSlash(fakeslack.Slash{Text: "lang:vi " + fixtureBounce(t, "no-ptr.txt")})
		answer := wait(t, fake, 1, "response_url")[0]
		value := buttonValue(t, answer.Blocks, "smtp_dns")
		fake.SendAction(fakeslack.Action{ActionID: "smtp_dns", Value: value, Channel: "C41", Ephemeral: true})
		calls := wait(t, fake, 3, "response_url")
		progress, result := calls[1], calls[2]
		if !progress.ReplaceOriginal || !result.ReplaceOriginal {
			t.Errorf("updates do not replace the original: %+v / %+v", progress.ReplaceOriginal, result.ReplaceOriginal)
		}
		if !strings.Contains(visible(progress), "Đang kiểm tra") {
			t.Errorf("progress not in Vietnamese:\n%s", visible(progress))
		}
		if !strings.Contains(visible(result), "IP gửi 192.0.2.66 không có reverse DNS") {
			t.Errorf("result lacks the Vietnamese summary:\n%s", visible(result))
		}
	})
}

// DIAGNOSE=auto follows the explanation with the checks in the thread, and
// DIAGNOSE=off shows no button.
func TestDiagnoseModesEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		dns := fixtureDNS(t)
		a := start(t, fake, t.TempDir(), "DNS_RESOLVER", dns.Addr, "DIAGNOSE", "auto")
		fake.SendMessage(fakeslack.Message{Channel: "C42", TS: "1700000000.000100", Text: fixtureBounce(t, "dnsbl-listed.txt")})
		posts := wait(t, fake, 2, "chat.postMessage")
		if strings.Contains(string(posts[0].Blocks), "smtp_dns") {
			t.Errorf("auto mode shows the button:\n%s", visible(posts[0]))
		}
		if posts[1].ThreadTS != "1700000000.000100" || !strings.Contains(visible(posts[1]), "192.0.2.7 is listed on bl.fake-dnsbl.test") {
			t.Errorf("second post %s in thread %q, want the checks in the bounce's thread", visible(posts[1]), posts[1].ThreadTS)
		}
		a.stop()

		fake.Reset()
		start(t, fake, t.TempDir(), "DNS_RESOLVER", dns.Addr, "DIAGNOSE", "off")
		fake.SendMessage(fakeslack.Message{Channel: "C43", Text: fixtureBounce(t, "dnsbl-listed.txt")})
		if post := wait(t, fake, 1, "chat.postMessage")[0]; strings.Contains(string(post.Blocks), "smtp_dns") {
			t.Errorf("DIAGNOSE=off shows the button:\n%s", visible(post))
		}
	})
}

// "/smtp check DOMAIN" answers "Checking 6 records…", then replaces it.
func TestSlashCheckEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		dns := fixtureDNS(t)
		start(t, fake, t.TempDir(), "DNS_RESOLVER", dns.Addr)
		fake.SendSlash(fakeslack.Slash{Text: "check nullmx.test"})
		calls := wait(t, fake, 2, "response_url")
		if !strings.Contains(visible(calls[0]), "Checking 6 records…") || calls[0].ReplaceOriginal {
			t.Errorf("first answer:\n%s", visible(calls[0]))
		}
		if !calls[1].ReplaceOriginal || !strings.Contains(visible(calls[1]), "nullmx.test publishes a null MX") {
			t.Errorf("second answer (replace %v):\n%s", calls[1].ReplaceOriginal, visible(calls[1]))
		}
	})
}

// "check DOMAIN" in a DM answers "Checking 6 records…" at once, then
// replaces that message with the checks.
func TestDMCheckEndToEnd(t *testing.T) {
	eachTransport(t, func(t *testing.T, fake *fakeslack.Server) {
		dns := fixtureDNS(t)
		start(t, fake, t.TempDir(), "DNS_RESOLVER", dns.Addr)
		fake.SendMessage(fakeslack.Message{Channel: "D9", ChannelType: "im", Text: "check nullmx.test"})
		post := wait(t, fake, 1, "chat.postMessage")[0]
		if !strings.Contains(visible(post), "Checking 6 records…") {
			t.Errorf("first answer:\n%s", visible(post))
		}
		update := wait(t, fake, 1, "chat.update")[0]
		if update.Channel != "D9" || update.TS != post.TS || !strings.Contains(visible(update), "nullmx.test publishes a null MX") {
			t.Errorf("update at %s/%s (the progress is at D9/%s):\n%s", update.Channel, update.TS, post.TS, visible(update))
		}
	})
}
