package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const fsArticle = "ASTANA, July 4 (Xinhua) -- Leaders of the Shanghai Cooperation Organization adopted the Astana Declaration on Thursday.\n\nThe next summit will be held in China, officials said after the meeting."

// A corpus folder an attacker prepared: a named pipe called x.txt, links
// out of the folder (directly and through a link inside it) to a .env-like
// file with a token, and a link that stays inside. Every command must load
// it promptly, read the inside link and nothing from outside.
func TestCorpusFolderTrustsNothing(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "corpus")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeCorpus(t, dir, map[string]string{"a.txt": fsArticle})
	writeCorpus(t, top, map[string]string{"env.txt": fsArticle + "\n\nTELEGRAM_BOT_TOKEN=123456:SECRET-TOKEN"})
	for name, target := range map[string]string{
		"in.txt":    "a.txt",
		"out.txt":   "../env.txt",
		"sub/hop":   "../../env.txt",
		"chain.txt": "sub/hop", // stays inside on its face, then leaves
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	fifo := filepath.Join(dir, "x.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	t.Cleanup(func() { // frees a reader stuck on the pipe, should there be one
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})

	// The timeout is a hang guard only, far above any real run.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := runCtx(ctx, nil, "docs", "--corpus", dir, "--db", filepath.Join(top, "db"), "--json", "--chunks")
		done <- result{code, out, errs}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		t.Fatal("scobot docs did not return: it is blocked on the named pipe")
	}
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.errs)
	}
	if strings.Contains(r.out, "SECRET") {
		t.Errorf("text from outside the corpus folder was indexed:\n%s", r.out)
	}
	for _, id := range []string{`"id": "a"`, `"id": "in"`} {
		if !strings.Contains(r.out, id) {
			t.Errorf("%s missing from the documents:\n%s", id, r.out)
		}
	}
	for _, f := range []string{"x.txt", "out.txt", "chain.txt"} {
		if !strings.Contains(r.errs, "file="+f) {
			t.Errorf("no warning naming %s:\n%s", f, r.errs)
		}
	}
}

// runCtx is run with a context of the caller's.
func runCtx(ctx context.Context, env map[string]string, args ...string) (int, string, string) {
	var out, errOut strings.Builder
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code := m.Run(ctx, args)
	return code, out.String(), errOut.String()
}

// SIGINT and SIGTERM cancel the context main hands to Run; a command whose
// context ends stops with "interrupted" rather than carrying on. (That
// corpus.Load itself stops is TestLoadErrors/cancelled.)
func TestCommandsStopWhenInterrupted(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, map[string]string{"a.txt": fsArticle, "b.txt": fsArticle})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, cmd := range []string{"docs", "index"} {
		code, _, errs := runCtx(ctx, nil, cmd, "--corpus", dir, "--db", filepath.Join(t.TempDir(), "db"))
		if code != exitError || !strings.Contains(errs, "interrupted") {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and interrupted", cmd, code, errs, exitError)
		}
	}
}

// A .env or a glossary that is a named pipe is refused at once, not waited
// on.
func TestSettingsFilesMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	t.Cleanup(func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	done := make(chan [2]error, 1)
	go func() {
		_, envErr := readDotenv(fifo)
		_, glErr := loadGlossary(fifo)
		done <- [2]error{envErr, glErr}
	}()
	select {
	case errs := <-done:
		for i, err := range errs {
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("file %d: err %v, want 'not a regular file'", i, err)
			}
		}
	case <-time.After(2 * time.Minute): // a hang guard only
		t.Fatal("reading a named pipe as a settings file hung")
	}
}

// notifyWriter collects what is written and closes seen once it holds
// want.
type notifyWriter struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
	seen chan struct{}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.b.String(), w.want)
	w.b.Write(p)
	if !had && strings.Contains(w.b.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

// Ctrl-C while chat waits for the next line ends the chat at once, not
// when a line comes.
func TestChatStopsWhileWaitingForALine(t *testing.T) {
	stdin, feed := io.Pipe()
	defer feed.Close()
	out := &notifyWriter{want: "Sources:", seen: make(chan struct{})}
	var errOut strings.Builder
	m := &Main{Stdin: stdin, Stdout: out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"chat", "--db", t.TempDir()}) }()
	go func() { _, _ = io.WriteString(feed, "What did Wang Yi say about vaccine nationalism?\n") }()
	select {
	case <-out.seen:
	case <-time.After(2 * time.Minute): // hang guard only
		t.Fatal("the first question was not answered")
	}
	cancel() // the chat now waits for a line that never comes
	select {
	case code := <-done:
		if code != exitError || !strings.Contains(errOut.String(), "interrupted") {
			t.Errorf("exit %d, stderr %q; want %d and interrupted", code, errOut.String(), exitError)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("chat did not stop when interrupted while waiting for a line")
	}
}
