package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render"
)

const (
	testToken = "123456:SECRET-test-token-abcdef"
	botID     = 999
	botName   = "scobot"
)

// apiCall is one request the fake Bot API received.
type apiCall struct {
	method string
	form   url.Values
}

// fakeTG is an in-process fake of the Telegram Bot API: it serves
// updates pushed by the test to getUpdates, records every call, and
// answers sendMessage and friends like Telegram does. hook may replace any
// answer, to inject failures.
type fakeTG struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	calls   []apiCall
	updates []json.RawMessage
	newUpd  chan struct{}
	acked   int // highest offset a getUpdates sent
	nextID  int
	hook    func(method string, form url.Values) (status int, body string, ok bool)
	files   map[string][]byte // served at /file/bot<token>/<path>; getFile gives documents/<file_id>
	changed chan struct{}     // closed and replaced on every call
}

func newFakeTG(t testing.TB) *fakeTG {
	f := &fakeTG{t: t, newUpd: make(chan struct{}, 1), nextID: 1000, changed: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTG) serve(w http.ResponseWriter, r *http.Request) {
	prefix := "/bot" + testToken + "/"
	if path, ok := strings.CutPrefix(r.URL.Path, "/file"+prefix); ok {
		f.mu.Lock()
		data, found := f.files[path]
		f.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
		return
	}
	if !strings.HasPrefix(r.URL.Path, prefix) {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	method := strings.TrimPrefix(r.URL.Path, prefix)
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, apiCall{method: method, form: r.PostForm})
	close(f.changed)
	f.changed = make(chan struct{})
	hook := f.hook
	f.mu.Unlock()
	if hook != nil {
		if status, body, ok := hook(method, r.PostForm); ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return
		}
	}
	var result any = true
	switch method {
	case "getMe":
		result = map[string]any{"id": botID, "is_bot": true, "first_name": "SCO bot", "username": botName}
	case "getUpdates":
		result = f.getUpdates(r)
	case "getFile":
		id := r.PostForm.Get("file_id")
		f.mu.Lock()
		data, found := f.files["documents/"+id]
		f.mu.Unlock()
		if !found {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}`)
			return
		}
		result = map[string]any{"file_id": id, "file_unique_id": id, "file_size": len(data), "file_path": "documents/" + id}
	case "sendMessage", "editMessageText":
		f.mu.Lock()
		id := f.nextID
		if method == "sendMessage" {
			f.nextID++
		} else {
			id, _ = strconv.Atoi(r.PostForm.Get("message_id"))
		}
		f.mu.Unlock()
		chat, _ := strconv.ParseInt(r.PostForm.Get("chat_id"), 10, 64)
		result = map[string]any{"message_id": id, "date": 1, "chat": map[string]any{"id": chat, "type": "private"},
			"from": map[string]any{"id": botID, "is_bot": true, "first_name": "SCO bot"}, "text": r.PostForm.Get("text")}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// getUpdates returns at most limit of the pushed updates from the offset
// on (and never one confirmed before), waiting a little for some when
// there are none.
func (f *fakeTG) getUpdates(r *http.Request) []json.RawMessage {
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	limit, err := strconv.Atoi(r.PostForm.Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 100 // Telegram's default and most
	}
	deadline := time.After(50 * time.Millisecond)
	if r.PostForm.Get("timeout") == "0" {
		deadline = time.After(0)
	}
	for {
		f.mu.Lock()
		// Like Telegram, updates once confirmed (below an offset sent
		// before) are gone, whatever offset comes now.
		f.acked = max(f.acked, offset)
		var out []json.RawMessage
		for _, u := range f.updates {
			var id struct {
				UpdateID int `json:"update_id"`
			}
			json.Unmarshal(u, &id)
			if id.UpdateID >= f.acked && len(out) < limit {
				out = append(out, u)
			}
		}
		f.mu.Unlock()
		if len(out) > 0 {
			return out
		}
		select {
		case <-f.newUpd:
		case <-deadline:
			return []json.RawMessage{}
		case <-r.Context().Done():
			return []json.RawMessage{}
		}
	}
}

// push queues an update for getUpdates.
func (f *fakeTG) push(u map[string]any) {
	raw, err := json.Marshal(u)
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	f.updates = append(f.updates, raw)
	f.mu.Unlock()
	select {
	case f.newUpd <- struct{}{}:
	default:
	}
}

func (f *fakeTG) setHook(h func(method string, form url.Values) (int, string, bool)) {
	f.mu.Lock()
	f.hook = h
	f.mu.Unlock()
}

// callsOf returns the calls of the given methods so far.
func (f *fakeTG) callsOf(methods ...string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		for _, m := range methods {
			if c.method == m {
				out = append(out, c)
			}
		}
	}
	return out
}

// waitFor waits until cond holds of the calls of methods, or fails.
func (f *fakeTG) waitFor(cond func([]apiCall) bool, methods ...string) []apiCall {
	f.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cs := f.callsOf(methods...); cond(cs) {
			return cs
		}
		select {
		case <-ch:
		case <-timeout:
			f.t.Fatalf("timed out waiting for %v calls; got %d", methods, len(f.callsOf(methods...)))
		}
	}
}

// waitSent waits for n sendMessage calls and returns them.
func (f *fakeTG) waitSent(n int) []apiCall {
	f.t.Helper()
	return f.waitFor(func(cs []apiCall) bool { return len(cs) >= n }, "sendMessage")
}

// apiURL is what TELEGRAM_API_URL would be set to.
func (f *fakeTG) apiURL() string { return f.srv.URL }

// Updates as Telegram sends them.

var nextUpdateID = struct {
	sync.Mutex
	n int
}{n: 100}

func updateID() int {
	nextUpdateID.Lock()
	defer nextUpdateID.Unlock()
	nextUpdateID.n++
	return nextUpdateID.n
}

func privateMsg(user int64, msgID int, text string) map[string]any {
	return map[string]any{"update_id": updateID(), "message": map[string]any{
		"message_id": msgID, "date": 1, "text": text,
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "Ann"},
		"chat": map[string]any{"id": user, "type": "private"},
	}}
}

func groupMsg(chat, user int64, msgID int, text string, extra map[string]any) map[string]any {
	m := map[string]any{
		"message_id": msgID, "date": 1, "text": text,
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "Bob"},
		"chat": map[string]any{"id": chat, "type": "supergroup", "title": "Newsroom"},
	}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": render.UTF16Len(cmd)}}
	}
	for k, v := range extra {
		m[k] = v
	}
	return map[string]any{"update_id": updateID(), "message": m}
}

// fakeAsker answers with a fixed answer, recording the requests; block,
// when set, holds each Ask until it is closed.
type fakeAsker struct {
	mu      sync.Mutex
	reqs    []rag.Request
	answer  func(req rag.Request) rag.Answer
	err     error
	started chan struct{} // receives once per Ask, if set
	block   chan struct{}
}

var _ Asker = (*fakeAsker)(nil)

func (a *fakeAsker) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	a.mu.Lock()
	a.reqs = append(a.reqs, req)
	a.mu.Unlock()
	if a.started != nil {
		a.started <- struct{}{}
	}
	if a.block != nil {
		<-a.block
	}
	if a.err != nil {
		return rag.Answer{}, a.err
	}
	if a.answer != nil {
		return a.answer(req), nil
	}
	return testAnswer(req.Question), nil
}

func (a *fakeAsker) questions() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var qs []string
	for _, r := range a.reqs {
		qs = append(qs, r.Question)
	}
	return qs
}

func testAnswer(q string) rag.Answer {
	return rag.Answer{
		Question: q, Resolved: q, Mode: rag.AnswerExtractive, Lang: "en",
		Text: "Wang Yi met Lavrov in Astana [1].",
		Citations: []rag.Citation{{N: 1, Doc: "001_14086ad8159a262e", Title: "Wang Yi attends the SCO foreign ministers' meeting",
			Date: "2024-05-21", Source: "Ministry of Foreign Affairs of the PRC", URL: "https://www.fmprc.gov.cn/eng/x.html"}},
	}
}

var testDocs = []DocInfo{
	{ID: "001_14086ad8159a262e", Title: "王毅出席上海合作组织成员国外长理事会会议", Date: "2024-05-21", Source: "Ministry of Foreign Affairs of the PRC"},
	{ID: "003_e29fc6cbd48e96a3", Title: "Wang Yi Attends Meeting of SCO Council of Foreign Ministers", Date: "2021-07-14", Source: "Ministry of Foreign Affairs of the PRC", URL: "https://www.fmprc.gov.cn/eng/y.html"},
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
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

// testBot is a running Bot against a fake Bot API.
type testBot struct {
	*Bot
	fake   *fakeTG
	asker  *fakeAsker
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	sleeps chan time.Duration // every retry or backoff wait asked for
}

// startBot starts a bot against f with asker; mod adjusts the config.
func startBot(t *testing.T, f *fakeTG, asker *fakeAsker, mod func(*Config)) *testBot {
	t.Helper()
	tb := startBotWith(t, f, asker, mod)
	tb.asker = asker
	return tb
}

// startBotWith starts a bot against f with any Asker; mod adjusts the
// config.
func startBotWith(t *testing.T, f *fakeTG, asker Asker, mod func(*Config)) *testBot {
	t.Helper()
	return startBotWithCore(t, f, asker, mod, CoreOptions{})
}

// startBotWithCore starts a bot against f whose core answers with asker
// and has the options opts.
func startBotWithCore(t *testing.T, f *fakeTG, asker Asker, mod func(*Config), opts CoreOptions) *testBot {
	t.Helper()
	logs := &syncBuffer{}
	tb := &testBot{fake: f, logs: logs, done: make(chan error, 1), sleeps: make(chan time.Duration, 100)}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := Config{
		Token: NewToken(testToken), APIURL: f.apiURL(), Logger: log,
		PollTimeout: time.Second, ShutdownGrace: 5 * time.Second,
		sleep: func(ctx context.Context, d time.Duration) error {
			select {
			case tb.sleeps <- d:
			default:
			}
			return sleepCtx(ctx, time.Millisecond) // never really wait in tests
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	opts.Logger = log
	core := NewCore(asker, testDocs, opts)
	b, err := New(context.Background(), cfg, core)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tb.Bot = b
	ctx, cancel := context.WithCancel(context.Background())
	tb.cancel = cancel
	go func() { tb.done <- b.Run(ctx) }()
	t.Cleanup(func() { tb.stop(t) })
	return tb
}

// stop cancels the bot and returns what Run returned.
func (tb *testBot) stop(t *testing.T) error {
	t.Helper()
	tb.cancel()
	select {
	case err, ok := <-tb.done:
		if ok {
			close(tb.done)
		}
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
	return nil
}

// addFile makes a file a user sent available under file_id id.
func (f *fakeTG) addFile(id string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	f.files["documents/"+id] = data
}

// quickShutdown makes a bot stop at once: answers still in work at
// shutdown are left unfinished, as after a hung model.
func quickShutdown(c *Config) {
	c.ShutdownGrace = 10 * time.Millisecond
	c.FallbackTime = 10 * time.Millisecond
	c.DeliveryTimeout = 100 * time.Millisecond
	c.RepollInterval = 5 * time.Millisecond
}
