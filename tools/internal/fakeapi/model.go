package fakeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// ReadChat reads a chat completion request to a fake model and reports
// whether it asks for a stream. For a path other than …/chat/completions
// it answers 404 and returns ok false.
func ReadChat(w http.ResponseWriter, r *http.Request) (stream, ok bool) {
	req, ok := ReadChatRequest(w, r)
	return req.Stream, ok
}

// ChatRequest is what a fake model reads of a chat completion request.
type ChatRequest struct {
	Stream   bool `json:"stream"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

// ReadChatRequest reads a chat completion request to a fake model. For a
// path other than …/chat/completions it answers 404 and returns ok false.
func ReadChatRequest(w http.ResponseWriter, r *http.Request) (req ChatRequest, ok bool) {
	if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		http.Error(w, `{"error":{"message":"not here"}}`, http.StatusNotFound)
		return req, false
	}
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &req)
	return req, true
}

// WriteCompletion answers a non-streamed chat completion from model with
// content.
func WriteCompletion(w http.ResponseWriter, model, content string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "model": model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}}})
}

// Stream writes a streamed chat completion as server-sent events, each
// flushed as it is written.
type Stream struct {
	w       http.ResponseWriter
	flusher http.Flusher
	model   string
}

// NewStream starts a streamed chat completion from model on w.
func NewStream(w http.ResponseWriter, model string) *Stream {
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	return &Stream{w: w, flusher: flusher, model: model}
}

// Chunk sends the next piece of the answer.
func (s *Stream) Chunk(content string) { s.chunk(content, nil) }

// Stop ends the answer: a chunk with finish_reason stop, then [DONE]. A
// stream left without it is one cut midway.
func (s *Stream) Stop() {
	s.chunk("", "stop")
	_, _ = io.WriteString(s.w, "data: [DONE]\n\n")
}

func (s *Stream) chunk(content string, finish any) {
	b, _ := json.Marshal(map[string]any{"id": "x", "object": "chat.completion.chunk", "model": s.model,
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": content}, "finish_reason": finish}}})
	fmt.Fprintf(s.w, "data: %s\n\n", b)
	if s.flusher != nil {
		s.flusher.Flush()
	}
}

// Gauge counts calls and how many are in flight at once.
type Gauge struct {
	mu    sync.Mutex
	calls int
	now   int
	peak  int
}

// Enter counts a call that starts; the call ends with the function it
// returns.
func (g *Gauge) Enter() (leave func()) {
	g.mu.Lock()
	g.calls++
	g.now++
	g.peak = max(g.peak, g.now)
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		g.now--
		g.mu.Unlock()
	}
}

// Calls is how many calls have started.
func (g *Gauge) Calls() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls
}

// Peak is the most calls that were in flight at once.
func (g *Gauge) Peak() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}
