// Command loadrun measures, as whole processes, how long a burst of chats
// waits for its answers: it runs the built scobot bot (`scobot serve`)
// against a fake Telegram Bot API and a fake OpenAI-compatible model that
// takes a fixed time per answer, both on loopback, sends one question from
// each of many chats at once, and reports the time until the last answer
// and the most model calls that were in flight at once.
//
//	go run ./tools/loadrun [-chats 50] [-model-time 2s] [-concurrency N] [-bin scobot]
//
// -concurrency sets LLM_CONCURRENCY; unset, the bot takes its default,
// which is the one for a local model (4), the fake being on loopback; -bin runs
// another binary, e.g. one built from an older commit, to compare. Nothing
// fails on purpose here (tools/soak does that); it exits 1 when a chat is
// not answered within -wait.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// question is asked by every chat: the corpus answers it, so each answer
// calls the model (a question the corpus cannot answer is declined
// without one).
const question = "Which foreign ministers did Wang Yi meet in Astana?"

func main() {
	chats := flag.Int("chats", 50, "chats asking one question each, all at once")
	modelTime := flag.Duration("model-time", 2*time.Second, "how long the fake model takes to answer")
	concurrency := flag.String("concurrency", "", "LLM_CONCURRENCY of the bot (empty: its default)")
	workers := flag.String("workers", "", "BOT_WORKERS of the bot (empty: its default)")
	bin := flag.String("bin", "", "scobot binary (default: build ./cmd/scobot)")
	wait := flag.Duration("wait", 2*time.Minute, "how long to wait for every answer")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if err := run(*bin, *chats, *modelTime, *concurrency, *workers, *wait); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(bin string, nchats int, modelTime time.Duration, concurrency, workers string, wait time.Duration) error {
	work, err := os.MkdirTemp("", "scobot-loadrun-")
	if err != nil {
		return fmt.Errorf("couldn't make a work folder: %w", err)
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "scobot")
		build := exec.Command("go", "build", "-o", bin, "./cmd/scobot")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("couldn't build scobot: %w", err)
		}
	}
	tg := newTelegram()
	tgURL, stopTG, err := serve(tg)
	if err != nil {
		return err
	}
	defer stopTG()
	m := &model{took: modelTime}
	modelURL, stopModel, err := serve(m)
	if err != nil {
		return err
	}
	defer stopModel()

	env := append(os.Environ(),
		"TELEGRAM_BOT_TOKEN=123456:loadrun",
		"TELEGRAM_API_URL="+tgURL,
		"OPENAI_BASE_URL="+modelURL+"/v1",
		"OPENAI_API_KEY=loadrun",
		"CHAT_MODEL=loadrun-model",
		"EMBEDDING_MODEL=",
		"LLM_CONCURRENCY="+concurrency,
		"BOT_WORKERS="+workers,
		"RATE_LIMIT_USER=off",
		"RATE_LIMIT_CHAT=off",
		"ALLOWED_CHAT_IDS=",
		"ALLOWED_USER_IDS=",
		"SCOBOT_DB="+filepath.Join(work, "db"),
		"XDG_CACHE_HOME="+filepath.Join(work, "cache"),
		"SCOBOT_LOG_LEVEL=info",
	)
	logf, err := os.Create(filepath.Join(work, "serve.log"))
	if err != nil {
		return fmt.Errorf("couldn't create the log: %w", err)
	}
	defer logf.Close()
	idx := exec.Command(bin, "index") // before the clock starts
	idx.Env, idx.Dir, idx.Stdout, idx.Stderr = env, work, logf, logf
	if err := idx.Run(); err != nil {
		return fmt.Errorf("couldn't build the index: %w (log: %s)", err, tail(logf.Name()))
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, work, logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("couldn't start serve: %w", err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	if err := tg.waitPolling(30 * time.Second); err != nil {
		return fmt.Errorf("%w (log: %s)", err, tail(logf.Name()))
	}

	start := time.Now()
	for i := range nchats {
		tg.enqueue(int64(1000+i), question)
	}
	deadline := start.Add(wait)
	for tg.answered() < nchats && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	took := tg.latencies(start)
	if len(took) < nchats {
		return fmt.Errorf("only %d of %d chats answered within %s (log: %s)", len(took), nchats, wait, tail(logf.Name()))
	}
	slices.Sort(took)
	log.Printf("%d chats at once, model taking %s, LLM_CONCURRENCY=%q BOT_WORKERS=%q: first answer after %s, median %s, last %s; %d model calls, at most %d in flight",
		nchats, modelTime, concurrency, workers, round(took[0]), round(took[len(took)/2]), round(took[len(took)-1]), m.calls(), m.peakInFlight())
	return nil
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return "\n" + string(b)
}

// serve serves h on a loopback port and returns its URL and a stop
// function.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("couldn't listen: %w", err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// telegram is a fake Bot API: getUpdates with Telegram's offset rule,
// sendMessage and editMessageText recorded with the time the first final
// answer (parse_mode HTML, in reply to the question) of each question
// came; everything else answered true.
type telegram struct {
	mu      sync.Mutex
	updates []update // unconfirmed
	nextUpd int
	nextMsg int
	polled  chan struct{} // closed at the first getUpdates
	once    sync.Once
	replyOf map[int]int       // bot message → question message it answers
	final   map[int]time.Time // question message → when its final answer came
}

type update struct {
	ID   int
	Chat int64
	Msg  int
	Text string
}

func newTelegram() *telegram {
	return &telegram{nextUpd: 1, nextMsg: 1, polled: make(chan struct{}), replyOf: map[int]int{}, final: map[int]time.Time{}}
}

// waitPolling waits until the bot polls for updates: it is ready.
func (t *telegram) waitPolling(limit time.Duration) error {
	select {
	case <-t.polled:
		return nil
	case <-time.After(limit):
		return errors.New("the bot did not poll for updates")
	}
}

func (t *telegram) enqueue(chat int64, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.updates = append(t.updates, update{ID: t.nextUpd, Chat: chat, Msg: t.nextMsg, Text: text})
	t.nextUpd++
	t.nextMsg++
}

// answered is how many questions have a final answer.
func (t *telegram) answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.final)
}

// latencies returns, for every answered question, how long after start
// its final answer came.
func (t *telegram) latencies(start time.Time) []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]time.Duration, 0, len(t.final))
	for _, at := range t.final {
		out = append(out, at.Sub(start))
	}
	return out
}

func (t *telegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		_ = r.ParseForm()
	}
	reply := func(result any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}
	switch method {
	case "getMe":
		reply(map[string]any{"id": 1, "is_bot": true, "first_name": "Load", "username": "load_bot"})
	case "getUpdates":
		t.once.Do(func() { close(t.polled) })
		reply(t.getUpdates(r.Context(), atoi(r.FormValue("offset")), atoi(r.FormValue("timeout"))))
	case "sendMessage":
		reply(t.sent(r, 0))
	case "editMessageText":
		reply(t.sent(r, atoi(r.FormValue("message_id"))))
	default:
		reply(true)
	}
}

func (t *telegram) getUpdates(ctx context.Context, offset, timeout int) []map[string]any {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := t.updates[:0]
	for _, u := range t.updates {
		if u.ID >= offset {
			kept = append(kept, u)
		}
	}
	t.updates = kept
	end := time.Now().Add(time.Duration(min(timeout, 1)) * time.Second)
	for len(t.updates) == 0 && time.Now().Before(end) && ctx.Err() == nil {
		t.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		t.mu.Lock()
	}
	var out []map[string]any
	for _, u := range t.updates {
		if len(out) == 100 {
			break
		}
		out = append(out, map[string]any{"update_id": u.ID, "message": map[string]any{
			"message_id": u.Msg, "date": time.Now().Unix(), "text": u.Text,
			"from": map[string]any{"id": u.Chat, "is_bot": false, "first_name": "Reader", "language_code": "en"},
			"chat": map[string]any{"id": u.Chat, "type": "private", "first_name": "Reader"},
		}})
	}
	return out
}

// sent records a sendMessage (edit 0) or an editMessageText of message edit.
func (t *telegram) sent(r *http.Request, edit int) map[string]any {
	t.mu.Lock()
	defer t.mu.Unlock()
	chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	id := edit
	if edit == 0 {
		id = t.nextMsg
		t.nextMsg++
		t.replyOf[id] = atoi(r.FormValue("reply_to_message_id"))
	}
	if q := t.replyOf[id]; q != 0 && r.FormValue("parse_mode") == "HTML" {
		if _, ok := t.final[q]; !ok {
			t.final[q] = time.Now()
		}
	}
	return map[string]any{"message_id": id, "date": time.Now().Unix(), "text": r.FormValue("text"),
		"chat": map[string]any{"id": chat, "type": "private"}}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// model is a fake OpenAI-compatible chat model: it takes `took` to start
// its streamed answer, which cites source [1], and counts the calls in
// flight.
type model struct {
	took time.Duration

	mu   sync.Mutex
	n    int
	now  int
	peak int
}

func (m *model) calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

func (m *model) peakInFlight() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak
}

func (m *model) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		http.Error(w, `{"error":{"message":"not here"}}`, http.StatusNotFound)
		return
	}
	var req struct {
		Stream bool `json:"stream"`
	}
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &req)
	m.mu.Lock()
	m.n++
	m.now++
	m.peak = max(m.peak, m.now)
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.now--
		m.mu.Unlock()
	}()
	select {
	case <-time.After(m.took):
	case <-r.Context().Done():
		return
	}
	answer := "Wang Yi met the foreign ministers in Astana [1]."
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "model": "loadrun-model",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": answer}}}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	chunk := func(content string, finish any) {
		b, _ := json.Marshal(map[string]any{"id": "x", "object": "chat.completion.chunk", "model": "loadrun-model",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": content}, "finish_reason": finish}}})
		fmt.Fprintf(w, "data: %s\n\n", b)
	}
	chunk(answer, nil)
	chunk("", "stop")
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
}
