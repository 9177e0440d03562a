// Command liverun measures how soon a running bot answers from a report
// that lands in its corpus: it runs the built scobot serve (default
// settings: CORPUS_WATCH on, extractive answers) against a fake Telegram
// Bot API on loopback, over a copy of the built-in corpus in a folder,
// then
//
//  1. copies a report into that folder,
//  2. adds another with `scobot add` (a second process), and
//  3. has an editor (ADMIN_USER_IDS) send /add <url> of a third, served
//     by a loopback news site, and
//  4. puts a fourth in that site's feed, which the bot polls (FEEDS,
//     FEED_INTERVAL=1s),
//
// and after each asks the question only that report answers, again and
// again, until an answer cites it. It prints the seconds from the copy (or
// from the start of `scobot add`) to that answer.
//
//	go run ./tools/liverun [-bin scobot] [-wait 60s] [-corpus DIR]
//
// CORPUS_WATCH is passed on to the bot (unset: the default, on; with
// off it never answers from the new report, and liverun fails). -corpus
// adds the reports of DIR (a tools/gencorpus archive, say) to the copy, to
// see how the figure grows with the corpus.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/tools/internal/fakeapi"
)

// The reports landed and the questions only they answer (their titles
// appear in an answer that cites them).
const (
	testdata   = "cmd/scobot/testdata/live"
	bankFile   = "tianjin_development_bank.txt"
	bankQ      = "When did SCO leaders agree to set up the SCO Development Bank?"
	bankTitle  = "SCO leaders agree to set up a development bank at the Tianjin summit"
	filmFile   = "sco_film_festival_qingdao.txt"
	filmQ      = "Where did the second SCO Film Festival open?"
	filmTitle  = "The second SCO Film Festival opens in Qingdao"
	gridFile   = "sco_energy_ministers_bishkek.txt"
	gridQ      = "What did SCO energy ministers agree in Bishkek about power grids?"
	gridTitle  = "SCO energy ministers meet in Bishkek on power grid links"
	editor     = 2 // the editor's chat and user ID
	youthFile  = "sco_youth_council_almaty.txt"
	youthQ     = "Where did the SCO Youth Council hold its annual session?"
	youthTitle = "SCO Youth Council holds its annual session in Almaty"
)

func main() {
	bin := flag.String("bin", "", "scobot binary (default: build ./cmd/scobot)")
	wait := flag.Duration("wait", 60*time.Second, "how long to wait for an answer citing the new report")
	extra := flag.String("corpus", "", "a folder of reports copied into the corpus beside the built-in ones")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if err := run(*bin, *extra, *wait); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(bin, extra string, wait time.Duration) error {
	work, err := os.MkdirTemp("", "scobot-liverun-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		if bin, err = fakeapi.Build(work); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	dir := filepath.Join(work, "corpus")
	if err := os.CopyFS(dir, corpus.Embedded()); err != nil {
		return err
	}
	if extra != "" {
		if err := os.CopyFS(filepath.Join(dir, "extra"), os.DirFS(extra)); err != nil {
			return err
		}
	}
	grid, err := os.ReadFile(filepath.Join(testdata, gridFile))
	if err != nil {
		return fmt.Errorf("%w (run from the module's root)", err)
	}
	youth, err := os.ReadFile(filepath.Join(testdata, youthFile))
	if err != nil {
		return err
	}
	var feedMu sync.Mutex
	feedItems := "" // the feed's items, none at first
	siteURL, stopSite, err := fakeapi.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			feedMu.Lock()
			defer feedMu.Unlock()
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Liverun news</title><link>http://%s/</link>%s</channel></rss>`, r.Host, feedItems)
		case "/2025/11/03/sco-youth-council-almaty":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(youth)
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(grid)
		}
	}))
	if err != nil {
		return err
	}
	defer stopSite()
	tg := fakeapi.NewTelegram("Live", "live_bot")
	tgURL, stopTG, err := fakeapi.Serve(tg)
	if err != nil {
		return err
	}
	defer stopTG()
	env := append(os.Environ(),
		"TELEGRAM_BOT_TOKEN=123456:liverun", "TELEGRAM_API_URL="+tgURL,
		"CHAT_MODEL=", "EMBEDDING_MODEL=", "CORPUS_WATCH="+os.Getenv("CORPUS_WATCH"), // default: the bot's own
		"RATE_LIMIT_USER=off", "RATE_LIMIT_CHAT=off", "RATE_LIMIT_INFO=off",
		"ALLOWED_CHAT_IDS=", "ALLOWED_USER_IDS=", fmt.Sprintf("ADMIN_USER_IDS=%d", editor), "INGEST_ALLOW_PRIVATE=1",
		"FEEDS="+siteURL+"/rss.xml", "FEED_INTERVAL=1s",
		"SCOBOT_CORPUS="+dir, "SCOBOT_DB="+filepath.Join(work, "db"),
		"SCOBOT_ADDED="+filepath.Join(work, "added"),
		"XDG_CACHE_HOME="+filepath.Join(work, "cache"), "SCOBOT_LOG_LEVEL=info",
	)
	logPath := filepath.Join(work, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	serve := exec.Command(bin, "serve")
	serve.Env, serve.Stdout, serve.Stderr = env, logFile, logFile
	if err := serve.Start(); err != nil {
		return err
	}
	defer func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
	}()
	if err := tg.WaitPolling(10 * time.Minute); err != nil {
		return fmt.Errorf("%w%s", err, fakeapi.Tail(logPath))
	}
	if a, err := ask(tg, bankQ, 30*time.Second); err != nil || strings.Contains(a, bankTitle) {
		return fmt.Errorf("before the report: answer %q, err %v", a, err)
	}

	start := time.Now()
	b, err := os.ReadFile(filepath.Join(testdata, bankFile))
	if err != nil {
		return fmt.Errorf("%w (run from the module's root)", err)
	}
	if err := os.WriteFile(filepath.Join(dir, bankFile), b, 0o644); err != nil {
		return err
	}
	copied, err := untilCited(tg, bankQ, bankTitle, start, wait)
	if err != nil {
		return fmt.Errorf("copied report: %w%s", err, fakeapi.Tail(logPath))
	}
	log.Printf("copied into the corpus folder → answered citing it: %.2f s", copied.Seconds())

	start = time.Now()
	add := exec.Command(bin, "add", filepath.Join(testdata, filmFile))
	add.Env = env
	if out, err := add.CombinedOutput(); err != nil {
		return fmt.Errorf("scobot add: %w: %s", err, out)
	}
	addDone := time.Since(start)
	added, err := untilCited(tg, filmQ, filmTitle, start, wait)
	if err != nil {
		return fmt.Errorf("added report: %w%s", err, fakeapi.Tail(logPath))
	}
	log.Printf("scobot add (%.2f s itself) → answered citing it: %.2f s", addDone.Seconds(), added.Seconds())

	start = time.Now()
	tg.Enqueue(editor, "/add "+siteURL+"/2025/10/14/sco-energy-ministers-bishkek")
	url, err := untilCited(tg, gridQ, gridTitle, start, wait)
	if err != nil {
		return fmt.Errorf("report added by an editor's /add: %w%s", err, fakeapi.Tail(logPath))
	}
	log.Printf("an editor's /add <url> → answered citing it: %.2f s", url.Seconds())

	start = time.Now()
	feedMu.Lock()
	feedItems = `<item><title>` + youthTitle + `</title><link>` + siteURL + `/2025/11/03/sco-youth-council-almaty</link><guid>youth-1</guid><pubDate>Mon, 03 Nov 2025 14:00:00 GMT</pubDate></item>`
	feedMu.Unlock()
	item, err := untilCited(tg, youthQ, youthTitle, start, wait)
	if err != nil {
		return fmt.Errorf("report from the feed: %w%s", err, fakeapi.Tail(logPath))
	}
	log.Printf("a new feed item (polled every 1 s) → answered citing it: %.2f s", item.Seconds())
	fmt.Printf("copy→answer %.2f s; add→answer %.2f s; /add url→answer %.2f s; feed item→answer %.2f s\n", copied.Seconds(), added.Seconds(), url.Seconds(), item.Seconds())
	return nil
}

// ask enqueues question q and waits up to limit for its final answer.
func ask(tg *fakeapi.Telegram, q string, limit time.Duration) (string, error) {
	tg.Enqueue(1, q)
	qs := tg.Questions()
	id := qs[len(qs)-1]
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if as := tg.Answers()[id]; len(as) > 0 {
			return as[0].Text, nil
		}
	}
	return "", errors.New("no answer to " + q)
}

// untilCited asks q until an answer holds title and returns the time from
// start to that answer.
func untilCited(tg *fakeapi.Telegram, q, title string, start time.Time, wait time.Duration) (time.Duration, error) {
	for time.Since(start) < wait {
		a, err := ask(tg, q, 30*time.Second)
		if err != nil {
			return 0, err
		}
		if strings.Contains(a, title) {
			return time.Since(start), nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return 0, fmt.Errorf("no answer citing %q within %s", title, wait)
}
