package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
)

// TestMain keeps the tests away from the user's cache: the default index
// folders and the folder of added reports live under a temporary one.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "scobot-cmd-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	liveDir = "testdata/live"
	// bankQ is answered only by liveDir's tianjin_development_bank.txt.
	bankQ     = "When did SCO leaders agree to set up the SCO Development Bank?"
	bankTitle = "SCO leaders agree to set up a development bank at the Tianjin summit"
	// filmQ is answered only by liveDir's sco_film_festival_qingdao.txt.
	filmQ     = "Where did the second SCO Film Festival open?"
	filmTitle = "The second SCO Film Festival opens in Qingdao"
)

// copyFile copies the file src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeFollowsItsCorpus runs serve against a fake Bot API, through the
// real Telegram client: a report copied into its corpus folder while it
// runs, and one added with scobot add, are answered with their citation
// (and listed by /sources) without a restart; one removed with scobot
// remove is no longer cited.
func TestServeFollowsItsCorpus(t *testing.T) {
	dir, db, added := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "added")
	copyDir(t, "../../corpus/docs", dir)
	tg := newFakeBotAPI(t)
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_API_URL": tg.srv.URL, "ALLOWED_USER_IDS": "7",
		"RATE_LIMIT_USER": "off", "RATE_LIMIT_CHAT": "off", "RATE_LIMIT_INFO": "off",
		"CORPUS_WATCH": "200ms", "SCOBOT_ADDED": added, "SCOBOT_LOG_LEVEL": "info",
	}
	getenv := func(k string) string { return vars[k] }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &lockedBuffer{}, Stderr: &errOut, Getenv: getenv}
	exited := make(chan int, 1)
	go func() { exited <- m.Run(ctx, []string{"serve", "--corpus", dir, "--db", db}) }()
	tg.waitPolling(t, 30*time.Second)

	// askUntil asks q until a reply holds want (or, with absent, until
	// none does), for up to 30 s.
	askUntil := func(q, want string, absent bool) string {
		t.Helper()
		var last string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			last = tg.reply(tg.ask(q), 10*time.Second)
			if strings.Contains(last, want) != absent {
				return last
			}
		}
		t.Fatalf("asked %q for 30 s; last reply %q (log %s)", q, last, errOut.String())
		return ""
	}

	if r := tg.reply(tg.ask(bankQ), 10*time.Second); r == "" || strings.Contains(r, bankTitle) {
		t.Fatalf("before the report: reply %q, want one not citing it", r)
	}

	copied := time.Now()
	copyFile(t, filepath.Join(liveDir, "tianjin_development_bank.txt"), filepath.Join(dir, "tianjin_development_bank.txt"))
	askUntil(bankQ, bankTitle, false)
	t.Logf("a report copied into the corpus folder was answered with its citation %.1f s later", time.Since(copied).Seconds())
	if r := tg.reply(tg.ask("/sources"), 10*time.Second); !strings.Contains(r, bankTitle) {
		t.Errorf("/sources after the reload does not list the new report: %q", r)
	}
	if !strings.Contains(errOut.String(), "reloaded the changed corpus") {
		t.Errorf("no reload logged: %s", errOut.String())
	}

	// scobot add and remove, as another process would run them.
	other := &Main{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: getenv}
	if code := other.Run(ctx, []string{"add", "--corpus", dir, "--db", t.TempDir(), filepath.Join(liveDir, "sco_film_festival_qingdao.txt")}); code != 0 {
		t.Fatalf("add: exit %d: %s", code, other.Stderr)
	}
	askUntil(filmQ, filmTitle, false)
	if code := other.Run(ctx, []string{"remove", "--corpus", dir, "--db", t.TempDir(), "sco_film_festival_qingdao"}); code != 0 {
		t.Fatalf("remove: exit %d: %s", code, other.Stderr)
	}
	askUntil(filmQ, filmTitle, true)

	cancel()
	if code := <-exited; code != 0 {
		t.Errorf("serve exited %d: %s", code, errOut.String())
	}
}

// TestEditorAddsByURLThroughTelegram: through the real client against the
// fake Bot API, an editor adds a report by URL and another user's question
// is answered citing it, without a restart; the other user cannot add.
func TestEditorAddsByURLThroughTelegram(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(liveDir, "sco_film_festival_qingdao.txt"))
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(page)
	}))
	defer site.Close()
	db, added := t.TempDir(), filepath.Join(t.TempDir(), "added")
	tg := newFakeBotAPI(t)
	const editor = 9
	errOut, stop := startServe(t, tg, map[string]string{
		"ALLOWED_USER_IDS": "7,9", "ADMIN_USER_IDS": "9",
		"RATE_LIMIT_USER": "off", "RATE_LIMIT_CHAT": "off", "RATE_LIMIT_INFO": "off",
		"CORPUS_WATCH": "100ms", "SCOBOT_ADDED": added, "INGEST_ALLOW_PRIVATE": "1", "SCOBOT_LOG_LEVEL": "info",
	}, "--db", db)
	defer stop()

	url := site.URL + "/2025/06/12/sco-film-festival"
	if r := tg.reply(tg.ask("/add "+url), 10*time.Second); !strings.Contains(r, "Only the newsroom's editors") {
		t.Errorf("a reader's /add: %q, want a polite refusal", r)
	}
	if r := tg.reply(tg.askAs(editor, "/add "+url), 30*time.Second); !strings.Contains(r, "Added") || !strings.Contains(r, filmTitle) {
		t.Fatalf("the editor's /add: %q (log %s)", r, errOut.String())
	}
	// The addition itself reloads, at once: answered without waiting for
	// the watcher, whose reload after it finds nothing to build.
	if r := tg.reply(tg.ask(filmQ), 10*time.Second); !strings.Contains(r, filmTitle) {
		t.Errorf("asked after the addition: %q, want it cited", r)
	}
	time.Sleep(time.Second) // the watcher's turn
	if n := strings.Count(errOut.String(), "reloaded the changed corpus"); n != 1 {
		t.Errorf("the addition was reloaded %d times, want once:\n%s", n, errOut.String())
	}
	if r := tg.reply(tg.askAs(editor, "/sources"), 10*time.Second); strings.Index(r, filmTitle) < 0 || strings.Index(r, filmTitle) > strings.Index(r, "王毅") {
		t.Errorf("/sources does not list the addition first: %q", r)
	}
}

// TestServePollsFeeds: a report that appears in a feed serve polls
// (FEEDS) is answered with its citation, without a restart and without a
// watcher (the addition reloads).
func TestServePollsFeeds(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(liveDir, "sco_film_festival_qingdao.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	items := ""
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rss.xml" {
			mu.Lock()
			defer mu.Unlock()
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test news</title><link>http://%s/</link>%s</channel></rss>`, r.Host, items)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(page)
	}))
	defer site.Close()
	db, added := t.TempDir(), filepath.Join(t.TempDir(), "added")
	tg := newFakeBotAPI(t)
	errOut, stop := startServe(t, tg, map[string]string{
		"ALLOWED_USER_IDS": "7", "RATE_LIMIT_USER": "off", "RATE_LIMIT_CHAT": "off", "RATE_LIMIT_INFO": "off",
		"CORPUS_WATCH": "off", "SCOBOT_ADDED": added, "INGEST_ALLOW_PRIVATE": "1",
		"FEEDS": site.URL + "/rss.xml", "FEED_INTERVAL": "100ms",
	}, "--db", db)
	defer stop()
	if r := tg.reply(tg.ask(filmQ), 10*time.Second); strings.Contains(r, filmTitle) {
		t.Fatalf("before the feed item: %q", r)
	}
	mu.Lock()
	items = `<item><title>` + filmTitle + `</title><link>` + site.URL + `/2025/06/12/film-festival</link><guid>film-1</guid><pubDate>Thu, 12 Jun 2025 09:00:00 GMT</pubDate></item>`
	mu.Unlock()
	appeared := time.Now()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if r := tg.reply(tg.ask(filmQ), 10*time.Second); strings.Contains(r, filmTitle) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the feed's report was not answered from within 30 s (log %s)", errOut.String())
		}
	}
	t.Logf("a feed item was answered with its citation %.1f s after it appeared", time.Since(appeared).Seconds())
}

// TestReloadKeepsGoing: a reload over a corpus with bad files among good
// ones swaps in the good ones, warning once for each bad file; one that
// cannot load the corpus (a metadata file that does not parse) warns once
// (and not again for the bad files) and keeps the old app, which answers
// as before.
func TestReloadKeepsGoing(t *testing.T) {
	ctx := context.Background()
	dir, db := t.TempDir(), t.TempDir()
	copyDir(t, "../../corpus/docs", dir)
	var logs lockedBuffer
	log := slog.New(newSkippedOnce(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))) // as serve logs
	cfg := config{Corpus: dir, DB: db}
	opts := openOptions{live: true}
	res, err := openResources(ctx, cfg, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, err := buildApp(ctx, cfg, res, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	l := newLiveApp(a, cfg, res, opts, log)

	cites := func(q, title string) bool {
		ans, err := l.Ask(ctx, rag.Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ans.Citations {
			if c.Title == title {
				return true
			}
		}
		return false
	}
	steps := []struct {
		name      string
		change    func()
		swapped   bool
		bank      bool // the bank question is answered citing its report
		film      bool
		warnings  int // warnings logged by the reload: one per bad file, or one for a failed reload
		inSkipped []string
	}{
		{"bad files beside a good one", func() {
			for _, f := range []string{"binary_report.txt", "empty_report.txt", "tianjin_development_bank.txt"} {
				copyFile(t, filepath.Join(liveDir, f), filepath.Join(dir, f))
			}
		}, true, true, false, 2, []string{"binary_report.txt", "empty_report.txt"}},
		{"a metadata file that does not parse", func() {
			copyFile(t, filepath.Join(liveDir, "sco_film_festival_qingdao.txt"), filepath.Join(dir, "sco_film_festival_qingdao.txt"))
			if err := os.WriteFile(filepath.Join(dir, "metadata.json"), []byte("{not json"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, false, true, false, 1, nil}, // the failed reload; the two bad files still there warned before
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := l.cur.Load()
			logs.Reset()
			s.change()
			if got := l.reload(ctx); got != s.swapped {
				t.Errorf("reload swapped %v, want %v (log %s)", got, s.swapped, logs.String())
			}
			if s.swapped == (l.cur.Load() == before) {
				t.Errorf("the app was swapped: %v, want %v", l.cur.Load() != before, s.swapped)
			}
			if n := strings.Count(logs.String(), "level=WARN"); n != s.warnings {
				t.Errorf("%d warnings, want %d: %s", n, s.warnings, logs.String())
			}
			if n, want := strings.Count(logs.String(), "couldn't reload"), map[bool]int{true: 0, false: 1}[s.swapped]; n != want {
				t.Errorf("%d warnings of a failed reload, want %d: %s", n, want, logs.String())
			}
			if got := cites(bankQ, bankTitle); got != s.bank {
				t.Errorf("bank question cites its report: %v, want %v", got, s.bank)
			}
			if got := cites(filmQ, filmTitle); got != s.film {
				t.Errorf("film question cites its report: %v, want %v", got, s.film)
			}
			for _, f := range s.inSkipped {
				found := false
				for _, sk := range l.cur.Load().skipped {
					found = found || sk.File == f
				}
				if !found {
					t.Errorf("%s not among the skipped files %v", f, l.cur.Load().skipped)
				}
			}
		})
	}
}

// TestWatchSetting: CORPUS_WATCH is on by default, off with "off", and a
// duration sets the rescan; a bad value warns and keeps the default.
func TestWatchSetting(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  watchSetting
		warns bool
	}{
		{"", watchSetting{true, 30 * time.Second}, false},
		{"on", watchSetting{true, 30 * time.Second}, false},
		{"off", watchSetting{}, false},
		{"5s", watchSetting{true, 5 * time.Second}, false},
		{"sometimes", watchSetting{true, 30 * time.Second}, true},
	} {
		warned := false
		got := readWatchSetting(env{getenv: func(k string) string { return map[string]string{envCorpusWatch: tt.value}[k] }}, func(string) { warned = true })
		if got != tt.want || warned != tt.warns {
			t.Errorf("CORPUS_WATCH=%q: %+v (warned %v), want %+v (warns %v)", tt.value, got, warned, tt.want, tt.warns)
		}
	}
}

// Reset empties the buffer.
func (l *lockedBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}
