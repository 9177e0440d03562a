package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/corpus/watch"
	"github.com/scobot/scobot/rag"
)

// envCorpusWatch turns serve's following of its corpus on or off, or sets
// the interval of its rescan. .env.example documents it.
const envCorpusWatch = "CORPUS_WATCH" // on (default), off, or the rescan interval (30s)

// watchSetting is what CORPUS_WATCH says.
type watchSetting struct {
	on     bool
	rescan time.Duration
}

// readWatchSetting reads CORPUS_WATCH: unset or "on", on with the default
// rescan interval; "off" (or "false", "0"), off; a duration, on with that
// rescan interval. A bad value warns and keeps the default.
func readWatchSetting(e env, warn func(string)) watchSetting {
	def := watchSetting{on: true, rescan: watch.DefaultRescan}
	v := strings.ToLower(strings.TrimSpace(e.get(envCorpusWatch)))
	switch v {
	case "", "on", "true", "1":
		return def
	case "off", "false", "0":
		return watchSetting{}
	}
	def.rescan = readDuration(e, envCorpusWatch, def.rescan, func(string) {
		warn(fmt.Sprintf("%s=%q is neither on, off nor a positive duration (like 30s); watching with a rescan every %s", envCorpusWatch, v, def.rescan))
	})
	return def
}

// liveApp is the app serve answers from, swapped whole when the corpus
// changes. The bot's core holds it as its Asker, Briefer and Timeliner:
// each call takes the app current when it starts and finishes on it, so a
// reload neither waits for questions in flight nor pauses new ones.
type liveApp struct {
	cur  atomic.Pointer[app]
	cfg  config
	res  *resources
	opts openOptions
	log  *slog.Logger
	core *bot.Core // its documents follow the reloads; nil until set

	reloading sync.Mutex // one reload at a time
}

var (
	_ bot.Asker     = (*liveApp)(nil)
	_ bot.Briefer   = (*liveApp)(nil)
	_ bot.Timeliner = (*liveApp)(nil)
)

// newLiveApp returns a liveApp answering from a, which was built from res
// with opts; reloads build on the same resources.
func newLiveApp(a *app, cfg config, res *resources, opts openOptions, log *slog.Logger) *liveApp {
	l := &liveApp{cfg: cfg, res: res, opts: opts, log: log}
	l.cur.Store(a)
	return l
}

// Ask answers from the current app.
func (l *liveApp) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	return l.cur.Load().ask.Ask(ctx, req)
}

// Brief writes a briefing from the current app.
func (l *liveApp) Brief(ctx context.Context, topic, lang string) (rag.Answer, error) {
	return briefer{l.cur.Load().briefs}.Brief(ctx, topic, lang)
}

// Timeline lists the events of the current app.
func (l *liveApp) Timeline(ctx context.Context, filter, lang string) (rag.Answer, error) {
	return briefer{l.cur.Load().briefs}.Timeline(ctx, filter, lang)
}

// newCore returns the conversation core over l, whose documents follow
// the reloads, with opts (its library, history and languages; l is its
// asker, briefer and timeline).
func (l *liveApp) newCore(opts bot.CoreOptions) *bot.Core {
	opts.Briefer, opts.Timeliner, opts.Logger = l, l, l.log
	l.core = bot.NewCore(l, docInfos(l.cur.Load().docs, l.cfg.Added), opts)
	return l.core
}

// reload builds the app again from the corpus as it is now, on the same
// index (only changed documents are embedded), and swaps it in. A reload
// that fails (a metadata file that does not parse, a corpus folder gone,
// the embedder down) logs one warning and keeps the app that was
// answering. Reloads run one at a time; it reports whether it swapped.
func (l *liveApp) reload(ctx context.Context) bool {
	l.reloading.Lock()
	defer l.reloading.Unlock()
	start := time.Now()
	opts := l.opts
	opts.strict = true // keep the engine with vectors rather than swap to keyword search
	// An addition reloads at once and the watcher after it: the second
	// finds nothing to build.
	opts.unchangedFrom = l.cur.Load().corpus
	a, err := buildApp(ctx, l.cfg, l.res, l.log, opts)
	if errors.Is(err, errCorpusUnchanged) {
		l.log.Debug("the corpus is as the app answering has it; not reloading")
		return false
	}
	if err != nil {
		if ctx.Err() == nil {
			l.log.Warn("couldn't reload the changed corpus; answering from the one loaded before", "err", err)
		}
		return false
	}
	l.cur.Store(a)
	if l.core != nil {
		l.core.SetDocs(docInfos(a.docs, l.cfg.Added))
	}
	st := a.stats
	l.log.Info("reloaded the changed corpus", "documents", len(a.docs), "added", st.Added, "updated", st.Updated,
		"removed", st.Removed, "unchanged", st.Unchanged, "chunks", st.Chunks, "embedded", st.Embedded,
		"skipped", len(a.skipped), "seconds", time.Since(start).Seconds())
	return true
}

// follow watches the corpus folders (not the built-in corpus) and the
// managed folder of added reports, and reloads after each settled burst of
// changes, until ctx ends. The managed folder is created if it can be, so
// that it is watched from the start.
func (l *liveApp) follow(ctx context.Context, ws watchSetting) {
	dirs := watchDirs(l.cfg)
	if l.cfg.Added != "" && !l.opts.noAdded {
		if err := os.MkdirAll(l.cfg.Added, 0o755); err != nil {
			l.log.Debug("couldn't create the folder of added reports; its rescan picks it up once it exists", "dir", l.cfg.Added, "err", err)
		}
	}
	l.log.Info("following the corpus", "folders", dirs, "rescan", ws.rescan)
	watch.Run(ctx, dirs, watch.Options{Rescan: ws.rescan, Relevant: corpusFile, Logger: l.log}, func() { l.reload(ctx) })
}

// watchDirs returns the folders serve watches: those of the corpus setting
// and the managed folder of added reports.
func watchDirs(cfg config) []string {
	var dirs []string
	for _, d := range corpusDirs(cfg.Corpus) {
		if d != builtinCorpus {
			dirs = append(dirs, d)
		}
	}
	if cfg.Added != "" {
		dirs = append(dirs, cfg.Added)
	}
	return dirs
}

// corpusFile reports whether a change to the file at p can change the
// corpus: a document file or a metadata file.
func corpusFile(p string) bool {
	return corpus.IsDocumentFile(p) || filepath.Base(p) == corpus.MetadataFile
}

// docInfos describes the documents for /start and /sources, with when
// each report of the folder of added reports added was added.
func docInfos(docs []corpus.Document, added string) []bot.DocInfo {
	when := addedTimes(added)
	out := make([]bot.DocInfo, len(docs))
	for i, d := range docs {
		out[i] = bot.DocInfo{ID: d.ID, Title: d.Title, Date: d.Date, Source: d.Source, URL: d.URL, Added: when[d.ID]}
	}
	return out
}

// skippedMsg is the message the corpus loader logs for each file it skips.
const skippedMsg = "skipped document file"

// skippedOnce is a log handler for the builds of serve's app: it passes on
// every record but a skipped file's warning already passed on once, so a
// bad file left in a corpus folder warns at the start (or the reload that
// first sees it) and not again at every reload.
type skippedOnce struct {
	next slog.Handler
	mu   *sync.Mutex
	seen map[string]bool // file and reason of the warnings passed on
}

func newSkippedOnce(next slog.Handler) *skippedOnce {
	return &skippedOnce{next: next, mu: &sync.Mutex{}, seen: map[string]bool{}}
}

func (h *skippedOnce) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *skippedOnce) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == skippedMsg {
		key := ""
		r.Attrs(func(a slog.Attr) bool {
			key += a.Key + "=" + a.Value.String() + "\x00"
			return true
		})
		h.mu.Lock()
		seen := h.seen[key]
		h.seen[key] = true
		h.mu.Unlock()
		if seen {
			return nil
		}
	}
	return h.next.Handle(ctx, r)
}

func (h *skippedOnce) WithAttrs(as []slog.Attr) slog.Handler {
	return &skippedOnce{next: h.next.WithAttrs(as), mu: h.mu, seen: h.seen}
}

func (h *skippedOnce) WithGroup(name string) slog.Handler {
	return &skippedOnce{next: h.next.WithGroup(name), mu: h.mu, seen: h.seen}
}
