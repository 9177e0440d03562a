// Command readyrun measures how soon a started scobot serve is ready and
// with how much memory: it runs the built binary against a fake Telegram
// Bot API on loopback, over a corpus and an index folder it is given
// (built already: index them first with scobot index), and reports the
// seconds from the start to the bot's first getUpdates and the process's
// peak resident memory then (VmHWM), for each of -runs starts.
//
//	go run ./tools/readyrun -corpus DIR -db DIR [-bin scobot] [-runs 3]
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/scobot/scobot/tools/internal/fakeapi"
)

func main() {
	bin := flag.String("bin", "", "scobot binary (default: build ./cmd/scobot)")
	corpusDir := flag.String("corpus", "", "the corpus folder (required)")
	db := flag.String("db", "", "the index folder, built already (required)")
	runs := flag.Int("runs", 3, "how many starts to time")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if *corpusDir == "" || *db == "" {
		log.Fatal("readyrun: -corpus and -db are required")
	}
	if err := run(*bin, *corpusDir, *db, *runs); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(bin, corpusDir, db string, runs int) error {
	work, err := os.MkdirTemp("", "scobot-readyrun-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		if bin, err = fakeapi.Build(work); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	for i := 1; i <= runs; i++ {
		secs, rss, err := start(bin, corpusDir, db, work)
		if err != nil {
			return err
		}
		fmt.Printf("start %d: ready in %.2f s, peak RSS %d MB\n", i, secs, rss>>10)
	}
	return nil
}

// start runs serve once until it polls, and returns the seconds it took
// and its peak resident memory in KiB.
func start(bin, corpusDir, db, work string) (float64, int, error) {
	tg := fakeapi.NewTelegram("Ready", "ready_bot")
	tgURL, stop, err := fakeapi.Serve(tg)
	if err != nil {
		return 0, 0, err
	}
	defer stop()
	logPath := filepath.Join(work, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, 0, err
	}
	defer logFile.Close()
	serve := exec.Command(bin, "serve", "--corpus", corpusDir, "--db", db)
	serve.Env = append(os.Environ(), "TELEGRAM_BOT_TOKEN=123456:ready", "TELEGRAM_API_URL="+tgURL,
		"CHAT_MODEL=", "EMBEDDING_MODEL=", "CORPUS_WATCH=off", "SCOBOT_ADDED="+filepath.Join(work, "added"),
		"SCOBOT_STATE="+filepath.Join(work, "state.db"), "FEEDS=")
	serve.Stdout, serve.Stderr = logFile, logFile
	began := time.Now()
	if err := serve.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
	}()
	if err := tg.WaitPolling(10 * time.Minute); err != nil {
		return 0, 0, fmt.Errorf("%w%s", err, fakeapi.Tail(logPath))
	}
	secs := time.Since(began).Seconds()
	rss, err := peakRSS(serve.Process.Pid)
	return secs, rss, err
}

// peakRSS reads a process's VmHWM (KiB) from /proc.
func peakRSS(pid int) (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}
