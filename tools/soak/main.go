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
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/scobot/scobot/tools/internal/fakeapi"
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
		if bin, err = fakeapi.Build(work); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	texts, err := readQuestions(qaPath)
	if err != nil {
		return err
	}

	th := &throttle{}
	tg := fakeapi.NewTelegram("Soak", "soak_bot")
	tg.Refuse = th.refuse
	tgURL, stopTG, err := fakeapi.Serve(tg)
	if err != nil {
		return err
	}
	defer stopTG()
	model := &model{}
	modelURL, stopModel, err := fakeapi.Serve(model)
	if err != nil {
		return err
	}
	defer stopModel()

	env := fakeapi.Env(work, "soak", tgURL, modelURL,
		"LLM_TIMEOUT="+timeout.String(),
		"LLM_RETRY_TIME="+retry.String(),
		"BOT_SHUTDOWN_GRACE=2s", // shorter than a hung model call: the fallback path
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
		return fmt.Errorf("index: %w (log: %s)", err, fakeapi.Tail(logf.Name()))
	}

	start := time.Now()
	first, err := startServe(bin, work, env, logf)
	if err != nil {
		return err
	}
	ask := func(i int) {
		chat := int64(1000 + i%nchats)
		tg.Enqueue(chat, texts[i%len(texts)])
	}
	half := nq / 2
	for i := 0; i < half; i++ {
		ask(i)
		time.Sleep(20 * time.Millisecond)
	}
	// SIGTERM while about a third of the first half is answered.
	deadline := time.Now().Add(60 * time.Second)
	for tg.Answered() < half/3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	atTerm := tg.Answered()
	termAt := time.Now()
	_ = first.Process.Signal(syscall.SIGTERM)
	firstErr := waitExit(first, 90*time.Second)
	stopped := time.Since(termAt)
	log.Printf("first run: SIGTERM with %d of %d answered; exit after %s: %v; acknowledged up to update %d",
		atTerm, half, stopped.Round(time.Millisecond), exitText(firstErr), tg.Acked())
	for i := half; i < nq; i++ {
		ask(i)
	}
	second, err := startServe(bin, work, env, logf)
	if err != nil {
		return err
	}
	deadline = time.Now().Add(wait)
	for tg.Answered() < nq && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	// Let late duplicates arrive, then stop.
	time.Sleep(2 * time.Second)
	_ = second.Process.Signal(syscall.SIGTERM)
	secondErr := waitExit(second, 90*time.Second)

	r := newReport(tg)
	log.Printf("second run: exit %v", exitText(secondErr))
	log.Printf("model calls: %s; Telegram: %d sendMessage, %d refused with 429", model.summary(), th.sends, th.throttled)
	log.Printf("%d questions from %d chats in %s: %d answered exactly once, %d lost, %d answered twice or more, %d multi-part",
		nq, nchats, time.Since(start).Round(time.Second), r.once, len(r.lost), len(r.twice), r.multi)
	if len(r.lost) > 0 || len(r.twice) > 0 {
		return fmt.Errorf("lost %v, answered twice %v (log: %s)", r.lost, r.twice, fakeapi.Tail(logf.Name()))
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

// throttle refuses one sendMessage in ten with a 429, as Telegram does to a
// bot sending fast; it counts them. The fake Bot API calls it one at a time.
type throttle struct {
	sends     int // sendMessage calls
	throttled int // of them refused with a 429
}

func (th *throttle) refuse() bool {
	th.sends++
	if th.sends%10 == 0 {
		th.throttled++
		return true
	}
	return false
}

type report struct {
	once, multi int
	lost, twice []int
}

func newReport(tg *fakeapi.Telegram) report {
	answers := tg.Answers()
	var r report
	for _, q := range tg.Questions() {
		switch n := len(answers[q]); {
		case n == 0:
			r.lost = append(r.lost, q)
		case n == 1:
			r.once++
		case answeredTwice(answers[q]):
			r.twice = append(r.twice, q)
		default:
			r.multi++
			r.once++
		}
	}
	sort.Ints(r.lost)
	sort.Ints(r.twice)
	return r
}

// answeredTwice reports whether the final answers of one question hold one
// answer more than once: the same first part twice.
func answeredTwice(answers []fakeapi.Answer) bool {
	seen := map[string]bool{}
	for _, a := range answers {
		head := a.Text
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
	stream, ok := fakeapi.ReadChat(w, r)
	if !ok {
		return
	}
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
	if !stream {
		if kind == 3 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"The foreign`)
			return
		}
		fakeapi.WriteCompletion(w, "soak-model", strings.Join(answer, ""))
		return
	}
	out := fakeapi.NewStream(w, "soak-model")
	for i, part := range answer {
		if kind == 3 && i == 2 {
			return // cut: no finish_reason, no [DONE]
		}
		out.Chunk(part)
	}
	out.Stop()
}
