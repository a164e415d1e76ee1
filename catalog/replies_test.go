package catalog

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// loadReplies reads data/replies.json as it is on disk, in file order.
func loadReplies(t *testing.T) []*Entry {
	t.Helper()
	var replies []*Entry
	if err := readJSON("data/replies.json", &replies); err != nil {
		t.Fatal(err)
	}
	if len(replies) == 0 {
		t.Fatal("data/replies.json lists no reply codes")
	}
	for _, e := range replies {
		e.Kind = KindReply
		if err := e.check(); err != nil {
			t.Error(err)
		}
	}
	return replies
}

func repliesByKey(t *testing.T) map[string]*Entry {
	t.Helper()
	m := map[string]*Entry{}
	for _, e := range loadReplies(t) {
		m[e.Key] = e
	}
	return m
}

func cites(e *Entry, rfc int) bool {
	return slices.ContainsFunc(e.Refs, func(r Ref) bool { return r.RFC == rfc })
}

func TestRepliesLoad(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, e := range loadReplies(t) {
		r, err := ParseReply(e.Key)
		if err != nil {
			t.Errorf("%s: %v", e.Key, err)
			continue
		}
		got, ok := c.Reply(r)
		if !ok || got.Key != e.Key || got.Kind != KindReply {
			t.Errorf("Reply(%s) = %v, %v; want the entry of %s", r, got, ok, e.Key)
		}
	}
}

// TestRepliesRFC5321 checks that every reply code of RFC 5321 sections
// 4.2.2 and 4.2.3 is registered and cites RFC 5321.
func TestRepliesRFC5321(t *testing.T) {
	byKey := repliesByKey(t)
	for _, code := range []string{
		"211", "214", "220", "221", "250", "251", "252", "354",
		"421", "450", "451", "452", "455",
		"500", "501", "502", "503", "504",
		"550", "551", "552", "553", "554", "555",
	} {
		t.Run(code, func(t *testing.T) {
			e, ok := byKey[code]
			if !ok {
				t.Fatalf("%s is missing from data/replies.json", code)
			}
			if !cites(e, 5321) {
				t.Errorf("%s refs = %v; want RFC 5321 among them", code, e.Refs)
			}
		})
	}
}

// TestRepliesExtensions checks that the codes of the extensions cite the
// document that defines or reuses them.
func TestRepliesExtensions(t *testing.T) {
	byKey := repliesByKey(t)
	tests := []struct {
		rfc   int
		what  string
		codes []string
	}{
		{7504, "521 and 556", []string{"521", "556"}},
		{4954, "AUTH", []string{"235", "334", "432", "454", "500", "530", "534", "535", "538"}},
		{3207, "STARTTLS", []string{"220", "454", "530"}},
		{1985, "ETRN", []string{"250", "251", "252", "253", "458", "459"}},
		{1870, "SIZE", []string{"452", "552"}},
		{6531, "SMTPUTF8", []string{"550", "553"}},
		{5248, "the enhanced-code registry", []string{"523", "525"}},
	}
	for _, tt := range tests {
		for _, code := range tt.codes {
			t.Run(strconv.Itoa(tt.rfc)+"/"+code, func(t *testing.T) {
				e, ok := byKey[code]
				if !ok {
					t.Fatalf("%s (%s) is missing from data/replies.json", code, tt.what)
				}
				if !cites(e, tt.rfc) {
					t.Errorf("%s refs = %v; want RFC %d (%s)", code, e.Refs, tt.rfc, tt.what)
				}
			})
		}
	}
}

// TestRepliesRetry keeps every reply code on its class's retry advice. RFC
// 5321 section 4.5.3.1.10 makes a 552 temporary only when it answers RCPT TO
// for too many recipients; a full mailbox or an oversized message is not, so
// 552 as a whole keeps the permanent advice and its fix text explains the
// exception.
func TestRepliesRetry(t *testing.T) {
	byKey := repliesByKey(t)
	f, _ := byKey["552"].In(ClassPermanentNegative)
	if got := RetryFor(ClassPermanentNegative, f); got != RetryAfterFix {
		t.Errorf("RetryFor(5, 552) = %q; want %q", got, RetryAfterFix)
	}
	// The overrides a defining document backs: RFC 4954 section 6 says a
	// 432 is cleared by authenticating once with another mechanism
	// (typically PLAIN), so retrying the same AUTH fails the same way.
	// 454 answers AUTH (RFC 4954 section 6) or STARTTLS (RFC 3207 section
	// 4), which mail servers and mail apps both send: only a server
	// requeues the message. 458 and 459 answer ETRN (RFC 1985 section 5),
	// which carries no message: nothing bounced, and a node that is not
	// allowed stays refused until the provider allows it.
	allowed := map[string]Retry{"432": RetryAfterFix, "454": RetryClientLater,
		"458": RetryCommandLater, "459": RetryAfterFix}
	noMessage := map[string]bool{"458": true, "459": true}
	for key, e := range byKey {
		if e.Retry != allowed[key] {
			t.Errorf("%s overrides retry with %q, want %q; only codes whose defining document says so may", key, e.Retry, allowed[key])
		}
		if e.NoMessage != noMessage[key] {
			t.Errorf("%s: no_message = %v, want %v; only replies to ETRN carry no message", key, e.NoMessage, noMessage[key])
		}
	}
}

// TestRepliesData checks the shape of every entry: order, fields, enhanced
// codes and cross references.
func TestRepliesData(t *testing.T) {
	replies := loadReplies(t)
	keys := map[string]bool{}
	for _, e := range replies {
		keys[e.Key] = true
	}
	prev := 0
	for i, e := range replies {
		n, err := strconv.Atoi(e.Key)
		if err != nil {
			t.Errorf("entry %d: code %q is not a number", i, e.Key)
			continue
		}
		if n <= prev {
			t.Errorf("entry %d: %s comes after %d; data/replies.json must be sorted, without duplicates", i, e.Key, prev)
		}
		prev = n
		r, err := ParseReply(e.Key)
		if err != nil {
			t.Errorf("%s: %v", e.Key, err)
			continue
		}
		if strings.TrimSpace(e.Title) == "" {
			t.Errorf("%s has no title", e.Key)
		}
		if len(e.Refs) == 0 {
			t.Errorf("%s cites no document", e.Key)
		}
		for _, ref := range e.Refs {
			if ref.RFC <= 0 {
				t.Errorf("%s cites RFC %d", e.Key, ref.RFC)
			}
		}
		switch e.Actor {
		case ActorNobody, ActorSender, ActorSenderAdmin, ActorRecipientSide:
		default:
			t.Errorf("%s: actor %q is not one of nobody, sender, sender_admin, recipient_side", e.Key, e.Actor)
		}
		if e.Retry != "" && !slices.Contains(Retries, e.Retry) {
			t.Errorf("%s: retry %q is not a known advice", e.Key, e.Retry)
		}
		if c := r.Class(); (c == ClassPositiveCompletion || c == ClassPositiveIntermediate) && e.Actor != ActorNobody {
			t.Errorf("%s succeeded or waits for the next step, so nobody has to act, not %q", e.Key, e.Actor)
		}
		if len(e.Enhanced) > 5 {
			t.Errorf("%s lists %d enhanced codes; keep the 5 most typical", e.Key, len(e.Enhanced))
		}
		for _, s := range e.Enhanced {
			en, err := ParseEnhanced(s)
			if err != nil {
				t.Errorf("%s: enhanced %v", e.Key, err)
				continue
			}
			if Class(en.Class) != r.Class() {
				t.Errorf("%s carries %s, whose class %d differs from the reply's %d", e.Key, s, en.Class, r.Class())
			}
		}
		if len(e.Replies) != 0 {
			t.Errorf("%s: replies is for enhanced codes; a reply code lists enhanced instead", e.Key)
		}
		if len(e.Related) == 0 || len(e.Related) > 4 {
			t.Errorf("%s names %d related codes; want 1 to 4", e.Key, len(e.Related))
		}
		seen := map[string]bool{}
		for _, rel := range e.Related {
			switch {
			case rel == e.Key:
				t.Errorf("%s names itself as related", e.Key)
			case seen[rel]:
				t.Errorf("%s names %s twice as related", e.Key, rel)
			case !keys[rel]:
				t.Errorf("%s names %s as related, which is not in data/replies.json", e.Key, rel)
			}
			seen[rel] = true
		}
	}
}

// TestRepliesEnglish checks that every reply code has complete English
// texts, and that the English file holds no text for unknown codes.
func TestRepliesEnglish(t *testing.T) {
	texts := readEnglishTexts(t, "replies.json")
	byKey := repliesByKey(t)
	for key := range texts {
		if _, ok := byKey[key]; !ok {
			t.Errorf("English text for %s, which data/replies.json does not list", key)
		}
	}
	for key := range byKey {
		tx, ok := texts[key]
		if !ok {
			t.Errorf("%s has no English text", key)
			continue
		}
		f, _ := byKey[key].In(Class(key[0] - '0'))
		checkEnglishText(t, key, tx, len(f.Steps))
		if len(tx.Classes) > 0 {
			t.Errorf("%s: a reply code has one class; its texts take no per-class part", key)
		}
	}
}

// textProblem returns what is wrong with a text, or "".

func TestTextProblem(t *testing.T) {
	for s, bad := range map[string]bool{
		"The server is ready.":              false,
		"":                                  true,
		"The the server is ready.":          true,
		"TODO":                              true,
		"Use **bold**.":                     true,
		"Send to <user@example.com>.":       true,
		"Ready…":                            true,
		"Ends with a space. ":               true,
		"It is ready. It is also fine.":     false,
		"Dots 4.5.3.1.10 and 5.1.1 are ok.": false,
	} {
		if got := plainTextProblem(s) != ""; got != bad {
			t.Errorf("plainTextProblem(%q) = %q; want a problem: %v", s, plainTextProblem(s), bad)
		}
	}
}
