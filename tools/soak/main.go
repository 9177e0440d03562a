// Command soak runs the built scobot bot against a fake Telegram Bot API and
// a fault-injecting OpenAI-compatible model, both on loopback, and checks
// that nothing is lost: every question gets exactly one final answer, none
// is lost and none is answered twice, across a SIGTERM and a restart in the
// middle of the run.
//
//	go run ./tools/soak [-questions 200] [-chats 50] [-bin scobot]
//
// The model takes turns: an answer, a 500, a hang, a stream cut midway;
// Telegram refuses one sendMessage in ten with a 429. A
// final answer is a message or an edit sent with parse_mode HTML in reply to
// the question (the bot's streamed previews are plain text); two such
// messages for one question of one part each are an answer given twice.
// It exits 1 when a question is lost or answered twice.
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
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	questions := flag.Int("questions", 200, "questions to ask")
	chats := flag.Int("chats", 50, "chats asking them")
	bin := flag.String("bin", "", "scobot binary (default: build ./cmd/scobot)")
	qa := flag.String("qa", "eval/qa.jsonl", "JSONL file whose questions are asked")
	wait := flag.Duration("wait", 4*time.Minute, "how long to wait for the answers after the restart")
	timeout := flag.Duration("llm-timeout", 20*time.Second, "LLM_TIMEOUT of the bot: how long a hung model call lasts")
	retry := flag.Duration("llm-retry", 20*time.Second, "LLM_RETRY_TIME of the bot")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if err := run(*bin, *qa, *questions, *chats, *wait, *timeout, *retry); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(bin, qaPath string, nq, nchats int, wait, timeout, retry time.Duration) error {
	work, err := os.MkdirTemp("", "scobot-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "scobot")
		build := exec.Command("go", "build", "-o", bin, "./cmd/scobot")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	texts, err := readQuestions(qaPath)
	if err != nil {
		return err
	}

	tg := newTelegram()
	tgURL, stopTG, err := serve(tg)
	if err != nil {
		return err
	}
	defer stopTG()
	model := &model{}
	modelURL, stopModel, err := serve(model)
	if err != nil {
		return err
	}
	defer stopModel()

	env := append(os.Environ(),
		"TELEGRAM_BOT_TOKEN=123456:soak",
		"TELEGRAM_API_URL="+tgURL,
		"OPENAI_BASE_URL="+modelURL+"/v1",
		"OPENAI_API_KEY=soak",
		"CHAT_MODEL=soak-model",
		"EMBEDDING_MODEL=",
		"LLM_TIMEOUT="+timeout.String(),
		"LLM_RETRY_TIME="+retry.String(),
		"BOT_SHUTDOWN_GRACE=2s", // shorter than a hung model call: the fallback path
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
		return err
	}
	defer logf.Close()
	// The index is built once before the clock starts.
	idx := exec.Command(bin, "index")
	idx.Env, idx.Dir, idx.Stdout, idx.Stderr = env, work, logf, logf
	if err := idx.Run(); err != nil {
		return fmt.Errorf("index: %w (log: %s)", err, tail(logf.Name()))
	}

	start := time.Now()
	first, err := startServe(bin, work, env, logf)
	if err != nil {
		return err
	}
	ask := func(i int) {
		chat := int64(1000 + i%nchats)
		tg.enqueue(chat, texts[i%len(texts)])
	}
	half := nq / 2
	for i := 0; i < half; i++ {
		ask(i)
		time.Sleep(20 * time.Millisecond)
	}
	// SIGTERM while about a third of the first half is answered.
	deadline := time.Now().Add(60 * time.Second)
	for tg.answered() < half/3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	atTerm := tg.answered()
	termAt := time.Now()
	_ = first.Process.Signal(syscall.SIGTERM)
	firstErr := waitExit(first, 90*time.Second)
	stopped := time.Since(termAt)
	log.Printf("first run: SIGTERM with %d of %d answered; exit after %s: %v; acknowledged up to update %d",
		atTerm, half, stopped.Round(time.Millisecond), exitText(firstErr), tg.acked())
	for i := half; i < nq; i++ {
		ask(i)
	}
	second, err := startServe(bin, work, env, logf)
	if err != nil {
		return err
	}
	deadline = time.Now().Add(wait)
	for tg.answered() < nq && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	// Let late duplicates arrive, then stop.
	time.Sleep(2 * time.Second)
	_ = second.Process.Signal(syscall.SIGTERM)
	secondErr := waitExit(second, 90*time.Second)

	r := tg.report()
	log.Printf("second run: exit %v", exitText(secondErr))
	log.Printf("model calls: %s; Telegram: %d sendMessage, %d refused with 429", model.summary(), tg.sends, tg.throttled)
	log.Printf("%d questions from %d chats in %s: %d answered exactly once, %d lost, %d answered twice or more, %d multi-part",
		nq, nchats, time.Since(start).Round(time.Second), r.once, len(r.lost), len(r.twice), r.multi)
	if len(r.lost) > 0 || len(r.twice) > 0 {
		return fmt.Errorf("lost %v, answered twice %v (log: %s)", r.lost, r.twice, tail(logf.Name()))
	}
	return nil
}

func readQuestions(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		var q struct {
			Question string `json:"question"`
		}
		if json.Unmarshal([]byte(line), &q) == nil && q.Question != "" {
			out = append(out, q.Question)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return out, nil
}

func startServe(bin, dir string, env []string, logf *os.File) (*exec.Cmd, error) {
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, dir, logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return cmd, nil
}

func waitExit(cmd *exec.Cmd, limit time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("did not stop within %s; killed", limit)
	}
}

func exitText(err error) string {
	if err == nil {
		return "exit 0"
	}
	return err.Error()
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return "\n" + string(b)
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// telegram is a fake Bot API: getUpdates with Telegram's offset rule (an
// offset confirms every update before it), sendMessage and editMessageText
// recorded, everything else answered true.
type telegram struct {
	mu        sync.Mutex
	cond      *sync.Cond
	updates   []update // unconfirmed, by ID
	nextUpd   int
	nextMsg   int
	confirm   int              // every update before it is confirmed
	sends     int              // sendMessage calls
	throttled int              // of them refused with a 429
	asked     map[int64][]int  // chat → its questions' message IDs
	replyOf   map[int]int      // bot message → question message it answers
	final     map[int][]string // question message → final HTML texts, by bot message, in order
	finalOf   map[int]map[int]bool
}

type update struct {
	ID   int
	Chat int64
	Msg  int
	Text string
}

func newTelegram() *telegram {
	t := &telegram{nextUpd: 1, nextMsg: 1, asked: map[int64][]int{}, replyOf: map[int]int{},
		final: map[int][]string{}, finalOf: map[int]map[int]bool{}}
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *telegram) enqueue(chat int64, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := update{ID: t.nextUpd, Chat: chat, Msg: t.nextMsg, Text: text}
	t.nextUpd++
	t.nextMsg++
	t.updates = append(t.updates, u)
	t.asked[chat] = append(t.asked[chat], u.Msg)
	t.cond.Broadcast()
}

func (t *telegram) acked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.confirm - 1
}

// answered is how many questions have a final answer.
func (t *telegram) answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.finalOf)
}

type report struct {
	once, multi int
	lost, twice []int
}

func (t *telegram) report() report {
	t.mu.Lock()
	defer t.mu.Unlock()
	var r report
	for _, msgs := range t.asked {
		for _, q := range msgs {
			switch n := len(t.finalOf[q]); {
			case n == 0:
				r.lost = append(r.lost, q)
			case n == 1:
				r.once++
			case answeredTwice(t.final[q]):
				r.twice = append(r.twice, q)
			default:
				r.multi++
				r.once++
			}
		}
	}
	sort.Ints(r.lost)
	sort.Ints(r.twice)
	return r
}

// answeredTwice reports whether the final texts of one question hold one
// answer more than once: the same first part twice.
func answeredTwice(texts []string) bool {
	seen := map[string]bool{}
	for _, s := range texts {
		head := s
		if len(head) > 80 {
			head = head[:80]
		}
		if seen[head] {
			return true
		}
		seen[head] = true
	}
	return false
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
		reply(map[string]any{"id": 1, "is_bot": true, "first_name": "Soak", "username": "soak_bot"})
	case "getUpdates":
		reply(t.getUpdates(r.Context(), atoi(r.FormValue("offset")), atoi(r.FormValue("timeout"))))
	case "sendMessage":
		if t.throttle() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
			return
		}
		reply(t.sent(r, 0))
	case "editMessageText":
		reply(t.sent(r, atoi(r.FormValue("message_id"))))
	default:
		reply(true)
	}
}

// throttle reports whether this sendMessage is refused with a 429, as
// Telegram does to a bot sending fast: one in ten.
func (t *telegram) throttle() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sends++
	if t.sends%10 == 0 {
		t.throttled++
		return true
	}
	return false
}

func (t *telegram) getUpdates(ctx context.Context, offset, timeout int) []map[string]any {
	t.mu.Lock()
	defer t.mu.Unlock()
	if offset > t.confirm {
		t.confirm = offset
		kept := t.updates[:0]
		for _, u := range t.updates {
			if u.ID >= offset {
				kept = append(kept, u)
			}
		}
		t.updates = kept
	}
	end := time.Now().Add(time.Duration(min(timeout, 1)) * time.Second)
	for len(t.updates) == 0 && time.Now().Before(end) && ctx.Err() == nil {
		t.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
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
		if t.finalOf[q] == nil {
			t.finalOf[q] = map[int]bool{}
		}
		if !t.finalOf[q][id] {
			t.finalOf[q][id] = true
			t.final[q] = append(t.final[q], r.FormValue("text"))
		}
	}
	return map[string]any{"message_id": id, "date": time.Now().Unix(), "text": r.FormValue("text"),
		"chat": map[string]any{"id": chat, "type": "private"}}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// model is a fake OpenAI-compatible chat model taking turns: an answer, a
// 500, a hang until the caller gives up, a stream cut midway.
type model struct {
	mu    sync.Mutex
	calls int
	kinds [4]int
}

var kindNames = [4]string{"answered", "500", "hung", "cut"}

func (m *model) summary() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	parts := make([]string, 4)
	for i, n := range m.kinds {
		parts[i] = fmt.Sprintf("%d %s", n, kindNames[i])
	}
	return strings.Join(parts, ", ")
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
	kind := m.calls % 4
	m.calls++
	m.kinds[kind]++
	m.mu.Unlock()
	answer := []string{"The foreign ministers ", "met in Astana ", "and discussed ", "regional security [1]."}
	switch kind {
	case 1:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"error":{"message":"injected failure","type":"server_error"}}`)
		return
	case 2:
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Minute):
		}
		return
	}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		if kind == 3 {
			_, _ = io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"The foreign`)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "model": "soak-model",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": strings.Join(answer, "")}}}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	chunk := func(content string, finish any) {
		b, _ := json.Marshal(map[string]any{"id": "x", "object": "chat.completion.chunk", "model": "soak-model",
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": content}, "finish_reason": finish}}})
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	for i, part := range answer {
		if kind == 3 && i == 2 {
			return // cut: no finish_reason, no [DONE]
		}
		chunk(part, nil)
	}
	chunk("", "stop")
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
}
