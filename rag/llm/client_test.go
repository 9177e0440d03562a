package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"defaults", Config{ChatModel: "gpt-4o-mini"}, false},
		{"ollama", Config{BaseURL: "http://localhost:11434/v1", ChatModel: "qwen2.5", EmbeddingModel: "bge-m3"}, false},
		{"embeddings only", Config{EmbeddingModel: "text-embedding-3-small"}, false},
		{"no model", Config{BaseURL: "http://localhost:11434/v1"}, true},
		{"relative URL", Config{BaseURL: "localhost:11434/v1", ChatModel: "m"}, true},
		{"no host", Config{BaseURL: "http:///v1", ChatModel: "m"}, true},
		{"ftp", Config{BaseURL: "ftp://example.com/v1", ChatModel: "m"}, true},
		{"unparsable", Config{BaseURL: "http://[::1", ChatModel: "m"}, true},
		{"model with newline", Config{ChatModel: "m\n"}, true},
		{"model with space", Config{EmbeddingModel: " m"}, true},
		{"negative timeout", Config{ChatModel: "m", Timeout: -time.Second}, true},
		{"negative attempts", Config{ChatModel: "m", MaxAttempts: -1}, true},
		{"negative batch", Config{ChatModel: "m", EmbedBatch: -1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New() error = %v, want error: %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := c.ChatModel(); got != tt.cfg.ChatModel {
				t.Errorf("ChatModel() = %q, want %q", got, tt.cfg.ChatModel)
			}
			if (c.Embedder() != nil) != (tt.cfg.EmbeddingModel != "") {
				t.Errorf("Embedder() = %v with EmbeddingModel %q", c.Embedder(), tt.cfg.EmbeddingModel)
			}
		})
	}
}

func TestNewDoesNotEchoBaseURL(t *testing.T) {
	_, err := New(Config{BaseURL: "nonsense/" + testKey, ChatModel: "m"})
	if err == nil {
		t.Fatal("New accepted a relative base URL")
	}
	mustNotLeak(t, "New's error", err.Error())
}

func TestCompleteRequestShape(t *testing.T) {
	tests := []struct {
		name      string
		key       Secret
		model     string
		opts      ChatOptions
		wantTemp  any // float64, or nil for "absent"
		wantMax   string
		wantMaxOf float64
	}{
		{"temperature 0 is sent", testKey, "test-chat", ChatOptions{}, float64(zeroTemperature), "", 0},
		{"temperature and max tokens", testKey, "test-chat", ChatOptions{Temperature: 0.7, MaxTokens: 300}, 0.7, "max_tokens", 300},
		{"no key", "", "test-chat", ChatOptions{Temperature: 0.2}, 0.2, "", 0},
		{"reasoning model", testKey, "o3-mini", ChatOptions{MaxTokens: 500}, nil, "max_completion_tokens", 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				writeJSON(w, http.StatusOK, chatReply("Hello."))
			})
			c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.APIKey, cfg.ChatModel = tt.key, tt.model })
			msgs := []Message{{"system", "Be brief."}, {"user", "Hi?"}, {"assistant", "Hi."}, {"user", "上合组织？"}}
			got, err := c.Complete(context.Background(), msgs, tt.opts)
			if err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if got != "Hello." {
				t.Errorf("Complete = %q, want %q", got, "Hello.")
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v1/chat/completions" {
				t.Errorf("request = %s %s, want POST /v1/chat/completions", r.Method, r.Path)
			}
			wantAuth := ""
			if tt.key != "" {
				wantAuth = "Bearer " + testKey
			}
			if got := r.Header.Get("Authorization"); got != wantAuth {
				t.Errorf("Authorization = %q, want %q", got, wantAuth)
			}
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("request body: %v", err)
			}
			if body["model"] != tt.model {
				t.Errorf("model = %v, want %q", body["model"], tt.model)
			}
			gotMsgs, _ := json.Marshal(body["messages"])
			wantMsgs := `[{"content":"Be brief.","role":"system"},{"content":"Hi?","role":"user"},{"content":"Hi.","role":"assistant"},{"content":"上合组织？","role":"user"}]` // keys sorted by re-encoding
			if string(gotMsgs) != wantMsgs {
				t.Errorf("messages = %s, want %s", gotMsgs, wantMsgs)
			}
			temp, ok := body["temperature"]
			switch {
			case tt.wantTemp == nil && ok:
				t.Errorf("temperature = %v, want none", temp)
			case tt.wantTemp != nil && !ok:
				t.Errorf("no temperature, want %v", tt.wantTemp)
			case tt.wantTemp != nil:
				if d := temp.(float64) - tt.wantTemp.(float64); d > 1e-6 || d < -1e-6 {
					t.Errorf("temperature = %v, want %v", temp, tt.wantTemp)
				}
			}
			if tt.wantTemp == float64(zeroTemperature) && temp.(float64) >= 1e-5 {
				t.Errorf("temperature 0 sent as %v, not below vLLM's greedy threshold", temp)
			}
			for _, k := range []string{"max_tokens", "max_completion_tokens"} {
				v, ok := body[k]
				if k == tt.wantMax && v != tt.wantMaxOf {
					t.Errorf("%s = %v, want %v", k, v, tt.wantMaxOf)
				}
				if k != tt.wantMax && ok {
					t.Errorf("%s = %v, want none", k, v)
				}
			}
			if body["stream"] == true {
				t.Errorf("stream = true for Complete")
			}
		})
	}
}

func TestCompleteRejectsBadInput(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		writeJSON(w, http.StatusOK, chatReply("x"))
	})
	c, _ := testClient(t, f, nil, nil)
	tests := []struct {
		name string
		msgs []Message
		opts ChatOptions
	}{
		{"no messages", nil, ChatOptions{}},
		{"bad role", []Message{{"tool", "x"}}, ChatOptions{}},
		{"negative temperature", []Message{{"user", "x"}}, ChatOptions{Temperature: -1}},
		{"temperature above 2", []Message{{"user", "x"}}, ChatOptions{Temperature: 2.5}},
		{"negative max tokens", []Message{{"user", "x"}}, ChatOptions{MaxTokens: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.Complete(context.Background(), tt.msgs, tt.opts); err == nil || errors.Is(err, ErrUnavailable) {
				t.Errorf("Complete = %v, want an input error", err)
			}
		})
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}

func TestNotConfigured(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1/v1", EmbeddingModel: "e"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := []Message{{"user", "hi"}}
	if _, err := c.Complete(context.Background(), msgs, ChatOptions{}); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Complete = %v, want ErrNotConfigured", err)
	}
	if _, err := c.Stream(context.Background(), msgs, ChatOptions{}, nil); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Stream = %v, want ErrNotConfigured", err)
	}
	c, err = New(Config{BaseURL: "http://127.0.0.1:1/v1", ChatModel: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Embedder() != nil {
		t.Errorf("Embedder() = %v without an embedding model", c.Embedder())
	}
}

func TestCompleteEmptyReply(t *testing.T) {
	tests := []struct {
		name  string
		reply any
	}{
		{"no choices", map[string]any{"id": "x", "choices": []any{}}},
		{"blank content", chatReply("  \n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				writeJSON(w, http.StatusOK, tt.reply)
			})
			c, _ := testClient(t, f, newFakeClock(), nil)
			_, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "empty reply") {
				t.Errorf("Complete = %v, want ErrUnavailable with \"empty reply\"", err)
			}
		})
	}
}

// sseHandler streams pieces as SSE chunks, with keep-alive comments and
// blank lines between them (more than go-openai's default limit of 300).
func sseHandler(t *testing.T, pieces []string) func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
	return func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		fl := w.(http.Flusher)
		fmt.Fprint(w, ": connected\n\n")
		for i, p := range pieces {
			if i == 1 {
				fmt.Fprint(w, strings.Repeat(": keep-alive\n\n", 400))
			}
			fmt.Fprint(w, sseChunk(p))
			fl.Flush()
		}
		// The finish reason, a final chunk with no choices (usage), then the
		// end marker.
		fmt.Fprint(w, sseFinish("stop"))
		fmt.Fprint(w, `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}}`+"\n\n")
		fmt.Fprint(w, "data: [DONE]\n\n")
	}
}

func TestStream(t *testing.T) {
	pieces := []string{"The SCO ", "summit ", "", "opened in ", "天津。"}
	f := newFakeAPI(t, sseHandler(t, pieces))
	c, _ := testClient(t, f, nil, nil)
	var got []string
	text, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, func(s string) { got = append(got, s) })
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	want := []string{"The SCO ", "The SCO summit ", "The SCO summit opened in ", "The SCO summit opened in 天津。"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("texts so far = %q, want %q", got, want)
	}
	if text != want[len(want)-1] {
		t.Errorf("text = %q, want %q", text, want[len(want)-1])
	}
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if reqs[0].Path != "/v1/chat/completions" || body["stream"] != true {
		t.Errorf("request = %s with stream %v, want /v1/chat/completions with stream true", reqs[0].Path, body["stream"])
	}
	if _, ok := body["temperature"]; !ok {
		t.Errorf("stream request has no temperature")
	}
}

func TestStreamFallsBackToComplete(t *testing.T) {
	tests := []struct {
		name   string
		stream func(w http.ResponseWriter) // answers the stream request
	}{
		{"JSON instead of SSE", func(w http.ResponseWriter) { writeJSON(w, http.StatusOK, chatReply("Whole reply.")) }},
		{"501", func(w http.ResponseWriter) { http.Error(w, "streaming not implemented", http.StatusNotImplemented) }},
		{"400 about streaming", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusBadRequest, apiError("stream is not supported for this model", "invalid_request_error"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				if strings.Contains(string(body), `"stream":true`) {
					tt.stream(w)
					return
				}
				writeJSON(w, http.StatusOK, chatReply("Whole reply."))
			})
			c, _ := testClient(t, f, newFakeClock(), nil)
			var deltas []string
			text, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, func(d string) { deltas = append(deltas, d) })
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if text != "Whole reply." || len(deltas) != 1 || deltas[0] != text {
				t.Errorf("Stream = %q with deltas %q, want the whole reply once", text, deltas)
			}
			if n := len(f.requests()); n != 2 {
				t.Errorf("%d requests, want 2 (stream, then whole)", n)
			}
		})
	}
}

func TestStreamDoesNotFallBackOnOtherErrors(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		writeJSON(w, http.StatusBadRequest, apiError("maximum context length exceeded", "invalid_request_error"))
	})
	c, _ := testClient(t, f, newFakeClock(), nil)
	_, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, nil)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "maximum context length") {
		t.Errorf("Stream = %v, want ErrUnavailable naming the cause", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestStreamErrorEvent(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, sseChunk("Partial "))
		fmt.Fprint(w, `data: {"error":{"message":"the model is overloaded","type":"server_error"}}`+"\n\n")
	})
	c, _ := testClient(t, f, newFakeClock(), nil)
	text, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, nil)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "the model is overloaded") {
		t.Errorf("Stream error = %v, want ErrUnavailable with the server's message", err)
	}
	if text != "" {
		t.Errorf("Stream text = %q, want none: a broken reply is not an answer", text)
	}
}

func TestStreamEmpty(t *testing.T) {
	f := newFakeAPI(t, sseHandler(t, nil))
	c, _ := testClient(t, f, newFakeClock(), nil)
	_, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, nil)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "empty reply") {
		t.Errorf("Stream = %v, want ErrUnavailable with \"empty reply\"", err)
	}
}

// cutStream is a handler whose stream sends 14 chunks and then ends, as
// when the connection closes: no finish_reason, no [DONE]. dropped makes
// the end abrupt, the connection closed in the middle of an event.
func cutStream(t *testing.T, dropped bool) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		for i := range 14 {
			fmt.Fprint(w, sseChunk(fmt.Sprintf("piece%d ", i)))
		}
		w.(http.Flusher).Flush()
		if !dropped {
			return
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		fmt.Fprint(buf, `data: {"id":"chatcmpl-1","choi`)
		_ = buf.Flush()
		_ = conn.Close()
	}
}

func TestStreamCutMidwayIsAskedAgain(t *testing.T) {
	for _, dropped := range []bool{false, true} {
		t.Run(fmt.Sprintf("dropped=%v", dropped), func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				if n == 1 {
					cutStream(t, dropped)(w, r)
					return
				}
				sseHandler(t, []string{"The summit ", "opened."})(w, r, n, body)
			})
			c, _ := testClient(t, f, newFakeClock(), nil)
			var shown []string
			text, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, func(s string) { shown = append(shown, s) })
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if text != "The summit opened." {
				t.Errorf("text = %q, want the second, complete reply alone", text)
			}
			if last := shown[len(shown)-1]; last != text {
				t.Errorf("last text so far = %q, want %q", last, text)
			}
			if n := len(f.requests()); n != 2 {
				t.Errorf("%d requests, want 2 (cut, then complete)", n)
			}
		})
	}
}

func TestStreamCutEveryTimeIsAnError(t *testing.T) {
	for _, dropped := range []bool{false, true} {
		t.Run(fmt.Sprintf("dropped=%v", dropped), func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) { cutStream(t, dropped)(w, r) })
			clock := newFakeClock()
			c, _ := testClient(t, f, clock, func(cfg *Config) { cfg.MaxAttempts = 3; cfg.RetryTime = time.Minute })
			text, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, nil)
			if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "before the reply was complete") {
				t.Errorf("Stream error = %v, want ErrUnavailable saying the stream ended early", err)
			}
			if text != "" {
				t.Errorf("Stream text = %q, want none: a cut stream is no answer", text)
			}
			if n := len(f.requests()); n != 3 {
				t.Errorf("%d requests, want 3 (Config.MaxAttempts)", n)
			}
			if got := clock.Sleeps(); len(got) != 2 {
				t.Errorf("waits %v, want 2 backoffs between the 3 attempts", got)
			}
		})
	}
}

func TestStreamCutStaysWithinTheRetryBudget(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) { cutStream(t, false)(w, r) })
	clock := newFakeClock()
	// Backoffs with full jitter at its maximum: 0.5s, 1s, 2s; a 2s budget
	// has room for the first two only.
	c, _ := testClient(t, f, clock, func(cfg *Config) { cfg.MaxAttempts = 10; cfg.RetryTime = 2 * time.Second })
	// Giving up is decided before a wait that would use the budget up, so
	// the error names the cut stream, not a time-out.
	if _, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, nil); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "before the reply was complete after 3 attempts") {
		t.Fatalf("Stream error = %v, want ErrUnavailable naming the cut stream and 3 attempts", err)
	}
	if n := len(f.requests()); n != 3 {
		t.Errorf("%d requests, want 3 within a 2s budget (waits %v)", n, clock.Sleeps())
	}
}

func TestReplyCutAtTheTokenLimitIsMarked(t *testing.T) {
	stream := func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, sseChunk("The summit "), sseChunk("opened in"), sseFinish("length"), "data: [DONE]\n\n")
	}
	whole := func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		reply := chatReply("The summit opened in")
		reply["choices"].([]any)[0].(map[string]any)["finish_reason"] = "length"
		writeJSON(w, http.StatusOK, reply)
	}
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, n int, body []byte)
		call   func(c *Client) (string, error)
	}{
		{"stream", stream, func(c *Client) (string, error) {
			return c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{}, nil)
		}},
		{"whole", whole, func(c *Client) (string, error) {
			return c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, tt.handle)
			c, _ := testClient(t, f, newFakeClock(), nil)
			text, err := tt.call(c)
			if !errors.Is(err, ErrTruncated) || errors.Is(err, ErrUnavailable) {
				t.Errorf("error = %v, want ErrTruncated (and not ErrUnavailable)", err)
			}
			if text != "The summit opened in" {
				t.Errorf("text = %q, want the text the server sent", text)
			}
			if n := len(f.requests()); n != 1 {
				t.Errorf("%d requests, want 1: a reply cut at the limit is not asked again", n)
			}
		})
	}
}

func TestStreamSendsMaxTokens(t *testing.T) {
	f := newFakeAPI(t, sseHandler(t, []string{"ok"}))
	c, _ := testClient(t, f, newFakeClock(), nil)
	if _, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, ChatOptions{MaxTokens: 1024}, nil); err != nil {
		t.Fatalf("Stream: %v", err)
	}
	var body struct {
		MaxTokens           *int `json:"max_tokens"`
		MaxCompletionTokens *int `json:"max_completion_tokens"`
	}
	if err := json.Unmarshal(f.requests()[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.MaxTokens == nil || *body.MaxTokens != 1024 || body.MaxCompletionTokens != nil {
		t.Errorf("request body %s: want max_tokens 1024 (the portable field), no max_completion_tokens", f.requests()[0].Body)
	}
}

func TestStreamLongerThanTheCapIsCut(t *testing.T) {
	const piece = "0123456789" // 1,000 chunks of 100 characters: 100,000
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		w.Header().Set("Content-Type", "text/event-stream")
		for range 1000 {
			if _, err := fmt.Fprint(w, sseChunk(strings.Repeat(piece, 10))); err != nil {
				return
			}
		}
		// No finish_reason: a client that read on to the end would take
		// this for a cut stream and ask again.
	})
	tests := []struct {
		name  string
		opts  ChatOptions
		limit int
	}{
		{"default cap", ChatOptions{}, DefaultMaxChars},
		{"caller's cap", ChatOptions{MaxChars: 250}, 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.requests())
			c, _ := testClient(t, f, newFakeClock(), nil)
			var last string
			text, err := c.Stream(context.Background(), []Message{{"user", "hi"}}, tt.opts, func(s string) { last = s })
			if !errors.Is(err, ErrTruncated) || errors.Is(err, ErrUnavailable) {
				t.Errorf("error = %v, want ErrTruncated", err)
			}
			if n := utf8.RuneCountInString(text); n != tt.limit || last != text {
				t.Errorf("text has %d characters (last shown %d), want %d", n, utf8.RuneCountInString(last), tt.limit)
			}
			if n := len(f.requests()) - before; n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}
