package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKey is the API key tests use; it must never show up in an error or a
// log line.
const testKey = "sk-test-KEY-0123456789abcdef"

// recorded is one request the fake server saw.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// fakeAPI is an httptest fake of an OpenAI-compatible API. handle answers
// the n-th request (1-based); every request is recorded.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	handle func(w http.ResponseWriter, r *http.Request, n int, body []byte)

	mu   sync.Mutex
	reqs []recorded
}

// newFakeAPI starts a fake API; it is closed when the test ends.
func newFakeAPI(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int, body []byte)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, handle: handle}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("fake API: couldn't read request body: %v", err)
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		n := len(f.reqs)
		f.mu.Unlock()
		f.handle(w, r, n, body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// requests returns the requests seen so far.
func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// fakeClock is a clock that only moves when something sleeps on it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// newFakeClock returns a fakeClock at a fixed instant.
func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d and moves the clock on by it, at once.
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// Sleeps returns the waits so far.
func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// hooks returns transport hooks on this clock, with the largest possible
// jitter, so waits are predictable.
func (c *fakeClock) hooks() hooks {
	return hooks{now: c.Now, sleep: c.Sleep, jitter: func(max time.Duration) time.Duration { return max }}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes (log output).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testClient returns a Client for f with a fake clock and a debug log
// captured in the returned buffer. edit, if not nil, adjusts the config.
func testClient(t *testing.T, f *fakeAPI, clock *fakeClock, edit func(*Config)) (*Client, *syncBuffer) {
	t.Helper()
	h := hooks{}
	if clock != nil {
		h = clock.hooks()
	}
	return testClientHooks(t, f, h, edit)
}

// testClientHooks is testClient with any transport hooks.
func testClientHooks(t *testing.T, f *fakeAPI, h hooks, edit func(*Config)) (*Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := Config{
		BaseURL:        f.srv.URL + "/v1",
		APIKey:         testKey,
		ChatModel:      "test-chat",
		EmbeddingModel: "test-embed",
		Timeout:        5 * time.Second,
		HTTPClient:     f.srv.Client(),
		Logger:         slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := newClient(cfg, h)
	if err != nil {
		t.Fatalf("newClient: %v", err)
	}
	return c, logs
}

// writeJSON writes v as a JSON response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// chatReply is a non-streamed chat completion with text as its reply.
func chatReply(text string) map[string]any {
	return map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-chat",
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": text},
		}},
	}
}

// apiError is an OpenAI-style error body.
func apiError(msg, typ string) map[string]any {
	return map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}}
}

// sseChunk is one streamed chat chunk carrying content.
func sseChunk(content string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "test-chat",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": content}, "finish_reason": nil}},
	})
	return fmt.Sprintf("data: %s\n\n", b)
}

// sseFinish is the last streamed chat chunk: no content, and the reason
// the reply finished ("stop", "length").
func sseFinish(reason string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "test-chat",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": reason}},
	})
	return fmt.Sprintf("data: %s\n\n", b)
}

// embeddingReply answers an embeddings request: the vector of input text
// "t<i>" is [i, 1]. order, if not nil, reorders the data items.
func embeddingReply(t *testing.T, body []byte, order func(n int) []int) map[string]any {
	t.Helper()
	var req struct {
		Input []string `json:"input"`
		Model string   `json:"model"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Errorf("embeddings request body: %v", err)
	}
	idx := make([]int, len(req.Input))
	for i := range idx {
		idx[i] = i
	}
	if order != nil {
		idx = order(len(req.Input))
	}
	data := make([]any, 0, len(idx))
	for _, i := range idx {
		var n float32
		if _, err := fmt.Sscanf(req.Input[i], "t%g", &n); err != nil {
			t.Errorf("unexpected input %q", req.Input[i])
		}
		data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": []float32{n, 1}})
	}
	return map[string]any{"object": "list", "model": req.Model, "data": data}
}

// mustNotLeak fails the test if the key shows up in any of texts.
func mustNotLeak(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, testKey) || strings.Contains(s, testKey[3:]) {
			t.Errorf("%s leaks the key: %s", what, s)
		}
	}
}
