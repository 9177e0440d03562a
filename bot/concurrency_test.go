package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/llm"
)

// fakeModel is an httptest fake of an OpenAI-compatible chat endpoint
// that streams a short reply and counts the requests in flight. Each
// request is held until `release` requests are in flight at once, or for
// hold at most: the model's (scaled) time to answer. Holding until the
// target is reached makes the peak a property of the bot, not of the
// machine's speed.
type fakeModel struct {
	srv     *httptest.Server
	release int
	hold    time.Duration

	mu      sync.Mutex
	now     int
	peak    int
	reached chan struct{} // closed when release requests are in flight
}

func newFakeModel(t *testing.T, release int, hold time.Duration) *fakeModel {
	m := &fakeModel{release: release, hold: hold, reached: make(chan struct{})}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *fakeModel) serve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Messages []struct{ Content string } `json:"messages"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	m.mu.Lock()
	m.now++
	m.peak = max(m.peak, m.now)
	if m.now == m.release {
		close(m.reached)
	}
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.now--
		m.mu.Unlock()
	}()
	select {
	case <-m.reached:
	case <-time.After(m.hold):
	case <-r.Context().Done():
		return
	}
	chunk := func(delta map[string]any, finish any) string {
		b, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}})
		return "data: " + string(b) + "\n\n"
	}
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprint(w, chunk(map[string]any{"content": "Answer to " + req.Messages[len(req.Messages)-1].Content + " [1]."}, nil))
	fmt.Fprint(w, chunk(map[string]any{}, "stop"))
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// peakInFlight returns the most requests that were in flight at once.
func (m *fakeModel) peakInFlight() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak
}

// modelAsker answers every question with the real language-model client,
// streaming, as rag/answer's Assistant does once it has retrieved.
type modelAsker struct{ c *llm.Client }

var _ Asker = modelAsker{}

func (a modelAsker) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	text, err := a.c.Stream(ctx, []llm.Message{{Role: "user", Content: req.Question}}, llm.ChatOptions{}, req.OnText)
	if err != nil {
		return rag.Answer{}, err
	}
	ans := testAnswer(req.Question)
	ans.Text, ans.Mode = text, rag.AnswerLLM
	return ans, nil
}

// newModelClient returns a real client for m allowing concurrency
// requests in flight.
func newModelClient(t *testing.T, m *fakeModel, concurrency int) *llm.Client {
	t.Helper()
	c, err := llm.New(llm.Config{BaseURL: m.srv.URL + "/v1", ChatModel: "m", Concurrency: concurrency,
		Timeout: 10 * time.Second, RetryTime: 10 * time.Second, HTTPClient: m.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestManyChatsAnsweredConcurrently sends one question from each of many
// chats at once to a bot whose model takes a while to answer, through the
// real Telegram and language-model clients: every chat is answered, with
// as many model calls in flight at once as the model client allows
// (LLM_CONCURRENCY), not a fixed number of workers (once 8).
func TestManyChatsAnsweredConcurrently(t *testing.T) {
	tests := []struct {
		name        string
		chats       int
		concurrency int // the model client's Concurrency
		release     int // the fake model answers once this many are in flight
		hold        time.Duration
		wantPeak    int
	}{
		// hold is only a fallback: with the calls in flight at once, the
		// model answers as soon as release arrive; a shared, loaded machine
		// may take more than a second to start fifty.
		{"50 chats, endpoint allows 50", 50, 50, 50, 5 * time.Second, 50},
		{"12 chats, endpoint allows 3", 12, 3, 4, 100 * time.Millisecond, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFakeModel(t, tt.release, tt.hold)
			f := newFakeTG(t)
			tb := startBotWith(t, f, modelAsker{newModelClient(t, m, tt.concurrency)}, nil)
			for i := range tt.chats {
				f.push(privateMsg(int64(1000+i), 1, fmt.Sprintf("question %d", i)))
			}
			// Not f.waitFor: with too few calls in flight the answers come in
			// waves of hold, and the peak below should say so.
			var sent []apiCall
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				sent = finalReplies(f.callsOf("sendMessage", "editMessageText"))
				if len(sent) >= tt.chats || time.Now().After(deadline) {
					break
				}
			}
			answered := map[string]bool{}
			for _, c := range sent {
				answered[c.form.Get("chat_id")] = true
			}
			if len(answered) != tt.chats {
				t.Errorf("%d chats answered, want %d", len(answered), tt.chats)
			}
			if got := m.peakInFlight(); got != tt.wantPeak {
				t.Errorf("at most %d model calls in flight at once, want %d", got, tt.wantPeak)
			}
			if err := tb.stop(t); err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
		})
	}
}

// finalReplies returns the answers among calls: HTML messages, sent or
// edited into a streamed preview.
func finalReplies(calls []apiCall) []apiCall {
	var out []apiCall
	for _, c := range calls {
		if c.form.Get("parse_mode") == "HTML" && strings.Contains(c.form.Get("text"), "Answer to") {
			out = append(out, c)
		}
	}
	return out
}

// orderAsker records, per chat, the questions in the order their answers
// began, and any question begun while another of its chat was in work.
type orderAsker struct {
	mu      sync.Mutex
	busy    map[string]bool
	order   map[string][]string
	overlap []string
}

var _ Asker = (*orderAsker)(nil)

func (a *orderAsker) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	chat, _, _ := strings.Cut(req.Question, "#")
	a.mu.Lock()
	if a.busy[chat] {
		a.overlap = append(a.overlap, req.Question)
	}
	a.busy[chat] = true
	a.order[chat] = append(a.order[chat], req.Question)
	a.mu.Unlock()
	time.Sleep(5 * time.Millisecond) // the model's time
	a.mu.Lock()
	a.busy[chat] = false
	a.mu.Unlock()
	return testAnswer(req.Question), nil
}

// TestChatOrderKept sends several questions in each of many chats at once:
// chats are answered concurrently, but within a chat one at a time and in
// the order asked, replies included.
func TestChatOrderKept(t *testing.T) {
	const chats, perChat = 20, 5
	f := newFakeTG(t)
	a := &orderAsker{busy: map[string]bool{}, order: map[string][]string{}}
	tb := startBotWith(t, f, a, nil)
	for n := range perChat {
		for c := range chats {
			f.push(privateMsg(int64(2000+c), n+1, fmt.Sprintf("%d#%d", 2000+c, n)))
		}
	}
	sent := f.waitSent(chats * perChat)
	if err := tb.stop(t); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.overlap) > 0 {
		t.Errorf("answered while another question of the same chat was in work: %v", a.overlap)
	}
	for c := range chats {
		chat := strconv.Itoa(2000 + c)
		var want []string
		for n := range perChat {
			want = append(want, fmt.Sprintf("%s#%d", chat, n))
		}
		if got := a.order[chat]; !slices.Equal(got, want) {
			t.Errorf("chat %s answered in the order %v, want %v", chat, got, want)
		}
		last := 0
		for _, s := range sent {
			if s.form.Get("chat_id") != chat {
				continue
			}
			n, _ := strconv.Atoi(s.form.Get("reply_to_message_id"))
			if n < last {
				t.Errorf("chat %s: reply to message %d sent after the reply to %d", chat, n, last)
			}
			last = n
		}
	}
}
