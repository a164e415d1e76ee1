package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/smtpcodes/smtpbot/catalog"
	"github.com/smtpcodes/smtpbot/internal/ascii"
)

// This file judges where a code-shaped token stands. A server's reply is
// found where mail software puts one: at the start of a line, after "said:",
// "smtp;", "Status:", "dsn=", "returned '", "<<<", "#". Anywhere else it is
// prose, which may mention a code but does not report one.

// anchor is how firmly a token is placed where a code is reported.
type anchor uint8

const (
	// anchorProse: mid-sentence; at most a quoted code.
	anchorProse anchor = iota
	// anchorWord: after a word that introduces a reply ("error 550",
	// "returned 550"); a report in a bounce, a mention in chatter.
	anchorWord
	// anchorStrong: where mail software writes a reply.
	anchorStrong
)

// anchorOf places token t in line, whose content (past indentation, quoting
// and "<<<") starts at content.
func anchorOf(line string, content int, t codeToken) anchor {
	if t.start <= content || t.hash {
		return anchorStrong
	}
	k := t.start
	for k > content && isBlank(line[k-1]) {
		k--
	}
	if k <= content || k < t.start && bulletOnly(line[content:k]) {
		// At the start of the line, or after a list's bullet: Mimecast
		// lists its reasons as "-- 5.4.1 Recipient address rejected".
		return anchorStrong
	}
	if key := jsonKey(line, content, k); key != "" {
		return anchorStrong
	}
	if !t.code.Enhanced.IsZero() && t.code.Reply.IsZero() && k-3 >= content && ascii.IsDigit(line[k-1]) && ascii.IsDigit(line[k-2]) && ascii.IsDigit(line[k-3]) && k < t.start && (k-3 == content || !ascii.IsAlnum(line[k-4])) {
		// "550 4.2.2 ...": an enhanced code right after a reply code
		// stands where the reply does.
		return anchorOf(line, content, codeToken{start: k - 3, code: catalog.Code{Reply: 200}})
	}
	if o, closer := curlyOpener(line, k); o >= content {
		if quotedReplyUntil(line, t, closer) {
			return anchorStrong
		}
		return bracketAnchor(line, content, o)
	}
	switch line[k-1] {
	case ':', ';':
		return anchorStrong
	case '>':
		// A transcript written the other way round: "Received >>> 550".
		if k-3 >= content && line[k-3:k] == ">>>" {
			return anchorStrong
		}
		return anchorProse
	case '=':
		// "dsn=5.1.1", "status=550"; but not "pri=120" or "size=550".
		if w, _ := wordBefore(line, k-1); inWords(w, keyWords[:]) {
			return anchorStrong
		}
		return anchorProse
	case '`', '"':
		if quotedReply(line, k-1, t) {
			return anchorStrong
		}
		return bracketAnchor(line, content, k-1)
	case '\'', '(', '[', '<':
		return bracketAnchor(line, content, k-1)
	}
	if ascii.IsAlpha(line[k-1]) && k < t.start {
		w, _ := wordBefore(line, k)
		if inWords(w, replyWords[:]) {
			return anchorWord
		}
	}
	return anchorProse
}

// quotedReply reports whether reply t, opened by the backtick or double
// quote at o, is quoted with the server's words: a reply code, with its
// enhanced code or words that open as a server's do (a capital, an
// address), and at least two words before the quote closes on the same
// line. On-call chat quotes what a server said so ("getting `550 5.4.1
// Recipient address rejected: Access denied` from o365"); a code quoted
// alone ("`550`"), prose in quotes ("`550 means the mailbox is
// unavailable`") or a quote left open is a mention.
func quotedReply(line string, o int, t codeToken) bool {
	return quotedReplyUntil(line, t, line[o:o+1])
}

// quotedReplyUntil is quotedReply for a quote that closer closes, as
// curly quotes are ("“550 5.1.1 User unknown”").
func quotedReplyUntil(line string, t codeToken, closer string) bool {
	if t.code.Reply.IsZero() {
		return false
	}
	end := strings.Index(line[t.end:], closer)
	if end < 0 {
		return false
	}
	if t.code.Enhanced.IsZero() {
		i := t.end
		for i < t.end+end && isBlank(line[i]) {
			i++
		}
		if c := line[i]; !(c >= 'A' && c <= 'Z') && c != '<' && c != '[' {
			return false
		}
	}
	words := 0
	for in, i := false, t.end; i < t.end+end; i++ {
		alpha := ascii.IsAlpha(line[i])
		if alpha && !in {
			words++
		}
		in = alpha
	}
	return words >= 2
}

// bulletOnly reports whether s is a list's bullet: one to three dashes
// or asterisks, or a "•".
func bulletOnly(s string) bool {
	if s == "•" {
		return true
	}
	if len(s) == 0 || len(s) > 3 || s[0] != '-' && s[0] != '*' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// bracketAnchor places a code that follows an opening quote or bracket at
// o: Exchange's "Remote Server returned '550 5.1.10 ...'", Postfix's log
// "status=deferred (4.4.1 ...)", "error message: [554 5.4.6 ...]".
func bracketAnchor(line string, content, o int) anchor {
	j := o
	for j > content && isBlank(line[j-1]) {
		j--
	}
	if j > content && (line[j-1] == ':' || line[j-1] == ';') {
		return anchorStrong
	}
	w, at := wordBefore(line, o)
	switch {
	case line[o] != '(' && line[o] != '[' && line[o] != '<' && inWords(w, replyWords[:]):
		return anchorStrong
	case line[o] == '(' && w != "" && at > 0 && line[at-1] == '=':
		if w2, _ := wordBefore(line, at-1); equalFold(w2, "status") || equalFold(w2, "stat") {
			return anchorStrong
		}
	}
	return anchorProse
}

// jsonKeys name the JSON fields in which delivery notifications (Amazon
// SES, SendGrid and the like) report a code. finalKeys among them hold the
// final status of a recipient, like a DSN's Status.
var jsonKeys = [...]string{
	"status", "smtpresponse", "smtp_response", "diagnosticcode", "diagnostic_code",
	"diagnostic-code", "response", "reason", "code", "error", "message", "description",
	"enhancedstatuscode", "enhanced_status_code", "bouncesubtype", "smtpcode", "smtp_code",
}

var finalKeys = [...]string{"status", "smtpresponse", "smtp_response", "diagnosticcode", "diagnostic_code", "diagnostic-code"}

// jsonKey returns the key when the code at k opens a JSON value:
// "smtpResponse":"250 2.6.0 ..." or "code": 550.
func jsonKey(line string, content, k int) string {
	j := k
	if j > content && line[j-1] == '"' {
		j--
	}
	for j > content && isBlank(line[j-1]) {
		j--
	}
	if j <= content || line[j-1] != ':' {
		return ""
	}
	j--
	for j > content && isBlank(line[j-1]) {
		j--
	}
	if j <= content || line[j-1] != '"' {
		return ""
	}
	e := j - 1
	b := e
	for b > content && (ascii.IsAlnum(line[b-1]) || line[b-1] == '_' || line[b-1] == '-') {
		b--
	}
	if b <= content || line[b-1] != '"' || !inWords(line[b:e], jsonKeys[:]) {
		return ""
	}
	return line[b:e]
}

// keyWords name a field whose value is a code: "dsn=", "status=".
var keyWords = [...]string{"dsn", "status", "stat", "code", "reply", "response", "smtp", "smtpcode", "smtp_code", "rcode"}

// replyWords introduce a server's reply in the words of mail software.
var replyWords = [...]string{
	"said", "says", "returned", "returns", "error", "reply", "replied", "response", "responded",
	"answered", "code", "status", "smtp", "esmtp", "was", "message", "reason",
}

// versionWords before or after a dotted number make it a version, not a code
// ("version 4.5.1", "the deploy of 4.5.1", "4.5.1 release"). They also rule
// out a reply-shaped number after them ("port 465", "ticket 550").
var versionWords = [...]string{
	"version", "versions", "ver", "v", "release", "releases", "released", "build", "builds",
	"deploy", "deployed", "deploying", "deployment", "upgrade", "upgraded", "upgrading",
	"update", "updated", "updating", "install", "installed", "installing", "rollout",
	"patch", "patched", "tag", "tagged", "bump", "bumped", "rc", "beta", "alpha", "changelog",
	"postfix", "exim", "sendmail", "qmail", "dovecot", "haraka", "opensmtpd", "powermta", "go",
	"python", "node", "kernel", "debian", "ubuntu", "rhel", "centos", "php", "java", "openssl",
	"port", "ports", "pid", "uid", "gid", "id", "line", "lines", "page", "pages", "room", "ext",
	"ticket", "issue", "pr", "order", "invoice", "number", "no", "size", "sizes", "length",
	"item", "step", "chapter", "section", "rfc", "iso", "route", "bus", "flight", "model",
}

// otherVersionWords are versionWords in Vietnamese and Thai: "phiên bản
// 2.0.0", "เวอร์ชัน 2.0.0". Vietnamese without its marks keeps the two
// words: "ban" alone is English.
var otherVersionWords = [...]string{"phiên bản", "bản", "phien ban", "เวอร์ชัน", "เวอร์ชั่น", "รุ่น"}

// versionWordEnds reports whether s ends with one of otherVersionWords: a
// Vietnamese one as a word of its own, a Thai one anywhere, as Thai writes
// no spaces between words.
func versionWordEnds(s string) bool {
	// Each word ends in 'n' or in a Thai letter's last byte: most words
	// before a number are turned away by one byte.
	if c := s[len(s)-1]; c != 'n' && c < utf8.RuneSelf {
		return false
	}
	for _, w := range otherVersionWords {
		if !strings.HasSuffix(s, w) {
			continue
		}
		rest := s[:len(s)-len(w)]
		if w[0] == 0xE0 || rest == "" || isBlank(rest[len(rest)-1]) {
			return true
		}
	}
	return false
}

// linkWords stand between a version word and its number: "deploy of 4.5.1".
var linkWords = [...]string{"of", "to", "from", "at", "is", "was", "on", "the", "for", "in", "with", "and"}

// afterVersionWords after a dotted number make it a version.
var afterVersionWords = [...]string{
	"release", "released", "version", "build", "beta", "rc", "patch", "changelog", "update",
	"upgrade", "deploy", "deployment", "rollout", "branch", "tag", "milestone", "sprint", "notes",
}

func inWords(w string, set []string) bool {
	if w == "" {
		return false
	}
	for _, s := range set {
		if equalFold(w, s) {
			return true
		}
	}
	return false
}

// notACode reports whether the words around t make it a version, a port, a
// ticket number or the like, wherever it stands.
func notACode(line string, content int, t codeToken) bool {
	k := t.start
	for k > content && isBlank(line[k-1]) {
		k--
	}
	if k > content && k < t.start && ascii.IsAlpha(line[k-1]) {
		w, at := wordBefore(line, k)
		if inWords(w, versionWords[:]) {
			return true
		}
		if inWords(w, linkWords[:]) {
			j := at
			for j > content && isBlank(line[j-1]) {
				j--
			}
			if j > content && j < at && ascii.IsAlpha(line[j-1]) {
				if w2, _ := wordBefore(line, j); inWords(w2, versionWords[:]) {
					return true
				}
			}
		}
	}
	if k > content && k < t.start && versionWordEnds(line[content:k]) {
		return true
	}
	// A word right after: "4.5.1 release", "550 release notes".
	j := t.end
	for j < len(line) && isBlank(line[j]) {
		j++
	}
	if j > t.end && inWords(wordAt(line, j), afterVersionWords[:]) {
		return true
	}
	return false
}

// proseCueBefore are words that, before a bare three-digit number in a
// sentence, make it an SMTP reply: "getting 550s", "got a 550".
var proseCueBefore = [...]string{
	"getting", "get", "got", "gets", "seeing", "see", "saw", "seen", "receive", "received",
	"receiving", "hit", "hitting", "hits", "throw", "throws", "threw", "throwing", "return",
	"returns", "returned", "returning", "error", "errors", "code", "codes", "reply", "response",
	"bounce", "bounced", "bounces", "smtp", "status", "with", "rejected", "rejects", "deferred",
	"say", "says", "said", "giving", "gives", "gave", "permanent", "temporary", "transient",
}

// proseCueAfter are words that, after a bare three-digit number, make it an
// SMTP reply: "550 errors", "421 from Gmail".
var proseCueAfter = [...]string{
	"error", "errors", "reply", "replies", "response", "responses", "code", "codes", "bounce",
	"bounces", "bounced", "rejection", "rejections", "reject", "rejects", "status", "from",
	"deferral", "deferrals", "failure", "failures",
}

// articles are skipped when looking for the word before a number.
var articles = [...]string{"a", "an", "the", "these", "those", "this", "that", "some", "many", "lots", "of"}

// proseOK reports whether a token in prose is worth a quoted finding. An
// enhanced code is distinctive enough on its own once versions are ruled
// out; a bare three-digit number needs a word that makes it a reply.
func proseOK(line string, content int, t codeToken) bool {
	if !t.code.Enhanced.IsZero() {
		return t.code.Enhanced.Subject <= 7
	}
	if t.plural {
		return true
	}
	k := t.start
	for i := 0; i < 3; i++ {
		for k > content && isBlank(line[k-1]) {
			k--
		}
		if k <= content || !ascii.IsAlpha(line[k-1]) {
			break
		}
		w, at := wordBefore(line, k)
		if inWords(w, proseCueBefore[:]) {
			return true
		}
		if !inWords(w, articles[:]) {
			break
		}
		k = at
	}
	j := t.end
	for j < len(line) && isBlank(line[j]) {
		j++
	}
	return j > t.end && inWords(wordAt(line, j), proseCueAfter[:])
}
