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
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/scobot/scobot/tools/internal/fakeapi"
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
		if bin, err = fakeapi.Build(work); err != nil {
			return fmt.Errorf("couldn't build scobot: %w", err)
		}
	}
	tg := fakeapi.NewTelegram("Load", "load_bot")
	tg.PollEvery = 5 * time.Millisecond
	tgURL, stopTG, err := fakeapi.Serve(tg)
	if err != nil {
		return fmt.Errorf("couldn't listen: %w", err)
	}
	defer stopTG()
	m := &model{took: modelTime}
	modelURL, stopModel, err := fakeapi.Serve(m)
	if err != nil {
		return fmt.Errorf("couldn't listen: %w", err)
	}
	defer stopModel()

	env := fakeapi.Env(work, "loadrun", tgURL, modelURL,
		"LLM_CONCURRENCY="+concurrency,
		"BOT_WORKERS="+workers,
	)
	logf, err := os.Create(filepath.Join(work, "serve.log"))
	if err != nil {
		return fmt.Errorf("couldn't create the log: %w", err)
	}
	defer logf.Close()
	idx := exec.Command(bin, "index") // before the clock starts
	idx.Env, idx.Dir, idx.Stdout, idx.Stderr = env, work, logf, logf
	if err := idx.Run(); err != nil {
		return fmt.Errorf("couldn't build the index: %w (log: %s)", err, fakeapi.Tail(logf.Name()))
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
	if err := tg.WaitPolling(30 * time.Second); err != nil {
		return fmt.Errorf("%w (log: %s)", err, fakeapi.Tail(logf.Name()))
	}

	start := time.Now()
	for i := range nchats {
		tg.Enqueue(int64(1000+i), question)
	}
	deadline := start.Add(wait)
	for tg.Answered() < nchats && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	took := latencies(tg, start)
	if len(took) < nchats {
		return fmt.Errorf("only %d of %d chats answered within %s (log: %s)", len(took), nchats, wait, fakeapi.Tail(logf.Name()))
	}
	slices.Sort(took)
	log.Printf("%d chats at once, model taking %s, LLM_CONCURRENCY=%q BOT_WORKERS=%q: first answer after %s, median %s, last %s; %d model calls, at most %d in flight",
		nchats, modelTime, concurrency, workers, round(took[0]), round(took[len(took)/2]), round(took[len(took)-1]), m.Calls(), m.Peak())
	return nil
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }

// latencies returns, for every answered question, how long after start
// its first final answer came.
func latencies(tg *fakeapi.Telegram, start time.Time) []time.Duration {
	answers := tg.Answers()
	out := make([]time.Duration, 0, len(answers))
	for _, as := range answers {
		out = append(out, as[0].At.Sub(start))
	}
	return out
}

// model is a fake OpenAI-compatible chat model: it takes `took` to start
// its streamed answer, which cites source [1], and counts the calls in
// flight.
type model struct {
	took time.Duration
	fakeapi.Gauge
}

func (m *model) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	stream, ok := fakeapi.ReadChat(w, r)
	if !ok {
		return
	}
	defer m.Enter()()
	select {
	case <-time.After(m.took):
	case <-r.Context().Done():
		return
	}
	answer := "Wang Yi met the foreign ministers in Astana [1]."
	if !stream {
		fakeapi.WriteCompletion(w, "loadrun-model", answer)
		return
	}
	out := fakeapi.NewStream(w, "loadrun-model")
	out.Chunk(answer)
	out.Stop()
}
