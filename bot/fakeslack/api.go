package fakeslack

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// User is a workspace member served by users.info.
type User struct {
	ID     string
	Name   string
	Locale string // "th-TH"; only sent when include_locale=true
	IsBot  bool
}

// File is an uploaded file served by files.info and its url_private.
type File struct {
	ID       string // generated when empty
	Name     string // "bounce.eml"
	Title    string
	Filetype string // "text", "email", "png"
	Mimetype string
	Mode     string // "snippet", "hosted"
	Content  []byte
}

type histMsg struct {
	TS, ThreadTS, User, BotID, Text string
}

// SetUser adds or replaces a user for users.info.
func (s *Server) SetUser(u User) {
	s.stateMu.Lock()
	s.users[u.ID] = u
	s.stateMu.Unlock()
}

// AddFile stores a file for files.info and url_private and returns it with
// its id filled in.
func (s *Server) AddFile(f File) File {
	if f.ID == "" {
		f.ID = s.newID("F")
	}
	if f.Name == "" {
		f.Name = f.ID + ".txt"
	}
	if f.Title == "" {
		f.Title = f.Name
	}
	if f.Filetype == "" {
		f.Filetype = "text"
	}
	if f.Mimetype == "" {
		f.Mimetype = "text/plain"
	}
	if f.Mode == "" {
		f.Mode = "hosted"
	}
	s.stateMu.Lock()
	s.files[f.ID] = f
	s.stateMu.Unlock()
	return f
}

// AddMessage puts a message in a channel's history (for
// conversations.replies) without sending an event.
func (s *Server) AddMessage(m Message) {
	m = s.fillMessage(m)
	s.remember(m.Channel, histMsg{TS: m.TS, ThreadTS: m.ThreadTS, User: m.User, BotID: m.BotID, Text: m.Text})
}

func (s *Server) remember(channel string, h histMsg) {
	root := h.ThreadTS
	if root == "" {
		root = h.TS
	}
	key := channel + "/" + root
	s.stateMu.Lock()
	s.threads[key] = append(s.threads[key], h)
	s.stateMu.Unlock()
}

func (s *Server) fileJSON(f File) map[string]any {
	u := s.srv.URL + "/files/" + f.ID + "/" + f.Name
	return map[string]any{
		"id": f.ID, "name": f.Name, "title": f.Title, "mimetype": f.Mimetype,
		"filetype": f.Filetype, "pretty_type": f.Filetype, "mode": f.Mode,
		"size": len(f.Content), "url_private": u, "url_private_download": u + "?download=1",
		"is_external": false, "user": DefaultUser,
	}
}

type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes a token from the channel's bucket.
func (s *Server) allow(channel string) bool {
	n := s.opts.RateLimitPerChannel
	if n <= 0 {
		return true
	}
	now := time.Now()
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	b := s.buckets[channel]
	if b == nil {
		b = &bucket{tokens: float64(n), last: now}
		s.buckets[channel] = b
	}
	rate := float64(n) / s.opts.RateInterval.Seconds()
	b.tokens = math.Min(float64(n), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, code string) {
	writeJSON(w, map[string]any{"ok": false, "error": code})
}

// parseCall reads a request's params: a JSON body's top-level fields or form
// values. It returns the call (without the token) and the token, or an
// error when the body could not be read whole: a client killed while
// sending leaves a request Slack never acts on.
func parseCall(r *http.Request, method string) (Call, string, error) {
	c := Call{Method: method, Time: time.Now(), Params: map[string]string{}}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			return c, token, err
		}
		c.Body = body
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(body, &fields)
		for k, raw := range fields {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				c.Params[k] = str
			} else {
				c.Params[k] = string(raw)
			}
		}
		if b, ok := fields["blocks"]; ok {
			c.Blocks = b
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return c, token, err
		}
		for k, v := range r.Form {
			if len(v) > 0 {
				c.Params[k] = v[0]
			}
		}
		if b := c.Params["blocks"]; b != "" {
			c.Blocks = json.RawMessage(b)
		}
	}
	if t := c.Params["token"]; t != "" {
		token = t
	}
	delete(c.Params, "token")
	c.Channel = c.Params["channel"]
	c.ThreadTS = c.Params["thread_ts"]
	c.TS = c.Params["ts"]
	c.User = or(c.Params["user"], c.Params["user_id"])
	c.Text = c.Params["text"]
	return c, token, nil
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	c, token, err := parseCall(r, method)
	if err != nil {
		http.Error(w, "request body cut short", http.StatusBadRequest)
		return
	}
	switch method {
	case "oauth.v2.access":
		// The app's credentials, not a token, authorize it.
		s.record(oauthRecord(c))
		if code := s.takeFailure(method); code != "" {
			apiError(w, code)
			return
		}
		s.oauthAccess(w, c)
		return
	case "apps.connections.open":
		if !strings.HasPrefix(token, "xapp-") {
			s.record(c)
			apiError(w, "invalid_auth")
			return
		}
	default:
		team, code := s.checkToken(token)
		c.Team = team
		if code != "" {
			s.record(c)
			apiError(w, code)
			return
		}
	}
	self := s.teamOf(c.Team)
	switch method {
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
		if !s.allow(c.Channel) {
			s.recordLimited(c)
			secs := int(math.Ceil(s.opts.RetryAfter.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
			w.WriteHeader(http.StatusTooManyRequests)
			writeJSON(w, map[string]any{"ok": false, "error": "ratelimited"})
			return
		}
	}
	failure := s.takeFailure(method)
	var ts string
	if method == "chat.postMessage" && failure == "" {
		// The echo is queued before the call is recorded: a test that saw
		// the call and sends an event next gets it after the echo.
		ts = s.NextTS()
		c.TS = ts
		if !s.opts.Lean {
			s.remember(c.Channel, histMsg{TS: ts, ThreadTS: c.ThreadTS, User: self.BotUserID, BotID: s.opts.BotID, Text: c.Text})
		}
		if s.opts.EchoBotMessages {
			s.SendMessage(Message{Team: c.Team, Channel: c.Channel, User: self.BotUserID, BotID: s.opts.BotID, Text: c.Text, TS: ts, ThreadTS: c.ThreadTS})
		}
	}
	s.record(c)
	if failure != "" {
		apiError(w, failure)
		return
	}
	switch method {
	case "apps.connections.open":
		u := "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws?ticket=" + s.newID("t")
		writeJSON(w, map[string]any{"ok": true, "url": u})
	case "auth.test":
		writeJSON(w, map[string]any{
			"ok": true, "url": "https://fake.slack.com/", "team": "Fake", "user": "smtpbot",
			"team_id": self.ID, "user_id": self.BotUserID, "bot_id": s.opts.BotID,
			"is_enterprise_install": false,
		})
	case "chat.postMessage":
		writeJSON(w, map[string]any{"ok": true, "channel": c.Channel, "ts": ts,
			"message": map[string]any{"type": "message", "text": c.Text, "user": self.BotUserID, "bot_id": s.opts.BotID, "ts": ts}})
	case "chat.postEphemeral":
		writeJSON(w, map[string]any{"ok": true, "message_ts": s.NextTS()})
	case "chat.update":
		writeJSON(w, map[string]any{"ok": true, "channel": c.Channel, "ts": c.TS, "text": c.Text})
	case "views.publish":
		writeJSON(w, map[string]any{"ok": true, "view": map[string]any{"id": s.newID("V"), "type": "home"}})
	case "users.info":
		s.stateMu.Lock()
		u, ok := s.users[c.User]
		s.stateMu.Unlock()
		if !ok {
			apiError(w, "user_not_found")
			return
		}
		user := map[string]any{"id": u.ID, "team_id": self.ID, "name": or(u.Name, u.ID), "is_bot": u.IsBot}
		if c.Params["include_locale"] == "true" && u.Locale != "" {
			user["locale"] = u.Locale
		}
		writeJSON(w, map[string]any{"ok": true, "user": user})
	case "conversations.replies":
		s.serveReplies(w, c)
	case "files.info":
		s.stateMu.Lock()
		f, ok := s.files[c.Params["file"]]
		s.stateMu.Unlock()
		if !ok {
			apiError(w, "file_not_found")
			return
		}
		writeJSON(w, map[string]any{"ok": true, "file": s.fileJSON(f), "comments": []any{},
			"paging": map[string]any{"count": 1, "total": 1, "page": 1, "pages": 1}})
	default:
		apiError(w, "unknown_method")
	}
}

func (s *Server) serveReplies(w http.ResponseWriter, c Call) {
	ts := c.TS
	s.stateMu.Lock()
	msgs := append([]histMsg(nil), s.threads[c.Channel+"/"+ts]...)
	s.stateMu.Unlock()
	sort.SliceStable(msgs, func(i, j int) bool {
		if (msgs[i].TS == ts) != (msgs[j].TS == ts) {
			return msgs[i].TS == ts // the parent first
		}
		return msgs[i].TS < msgs[j].TS
	})
	if len(msgs) == 0 || msgs[0].TS != ts {
		apiError(w, "thread_not_found")
		return
	}
	if n, err := strconv.Atoi(c.Params["limit"]); err == nil && n > 0 && n < len(msgs) {
		msgs = msgs[:n]
	}
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		o := map[string]any{"type": "message", "ts": m.TS, "text": m.Text}
		if m.User != "" {
			o["user"] = m.User
		}
		if m.BotID != "" {
			o["bot_id"] = m.BotID
		}
		if m.ThreadTS != "" || m.TS == ts {
			o["thread_ts"] = ts
		}
		out = append(out, o)
	}
	writeJSON(w, map[string]any{"ok": true, "messages": out, "has_more": false,
		"response_metadata": map[string]any{"next_cursor": ""}})
}

// serveFile serves url_private: the file's bytes to a bot token, a redirect
// to the sign-in page to anyone else, as Slack does.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/files/")
	id, _, _ := strings.Cut(rest, "/")
	c := Call{Method: "files.download", Time: time.Now(), Params: map[string]string{"file": id}}
	token, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	team, bad := s.checkToken(token)
	c.Team = team
	s.record(c)
	if !bearer || bad != "" {
		http.Redirect(w, r, "/signin?redir="+r.URL.Path, http.StatusFound)
		return
	}
	s.stateMu.Lock()
	f, ok := s.files[id]
	s.stateMu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.Mimetype)
	_, _ = w.Write(f.Content)
}

// serveResponseURL takes posts to response URLs. Slack answers "ok" in
// plain text, or 404 "expired_url" / "used_url" on errors.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	c, _, err := parseCall(r, "response_url")
	if err != nil {
		http.Error(w, "request body cut short", http.StatusBadRequest)
		return
	}
	c.EnvelopeID = strings.TrimPrefix(r.URL.Path, "/response/")
	c.ResponseURL = s.srv.URL + r.URL.Path
	c.ResponseType = c.Params["response_type"]
	c.ReplaceOriginal = c.Params["replace_original"] == "true"
	s.record(c)
	if code := s.takeFailure("response_url"); code != "" {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, code)
		return
	}
	_, _ = io.WriteString(w, "ok")
}
