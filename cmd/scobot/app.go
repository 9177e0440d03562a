package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/brief"
	"github.com/scobot/scobot/rag/chunk"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/llm"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
	"github.com/scobot/scobot/rag/vecscan"
	"github.com/scobot/scobot/render"
)

// app is the loaded pipeline: the corpus, its chunks, the synced index, and
// the assistant and briefer that answer from them.
type app struct {
	docs    []corpus.Document // metadata only: Parts nil (the text is in the engine's chunks, DocChunks)
	store   *store.Store
	engine  *retrieve.Engine
	ask     *answer.Assistant
	briefs  *brief.Briefer
	stats   store.Stats
	skipped []corpus.Skipped
	corpus  string // the corpus cache's identifier of the files built from; "" if none
}

// openOptions tune how the app is loaded.
type openOptions struct {
	progress func(done, total int) // called while embedding; nil for none
	rebuild  bool                  // ignore the existing index; replace it once the new one is saved
	// mustSave makes a snapshot that cannot be written an error; otherwise
	// the app warns and answers from the index in memory.
	mustSave bool
	// strict makes a failure to embed the corpus an error; otherwise the
	// app answers by keyword search alone.
	strict bool
	// exclude leaves these documents out of the corpus (the other half of
	// an evaluation split).
	exclude map[string]bool
	// dbKey is added to the corpus setting when naming the default index
	// folder, so that runs over different subsets keep separate indexes.
	dbKey string
	// params, when not nil, replaces retrieval's default parameters.
	params *retrieve.Params
	// retrievals bounds the retrievals worked on at once (BOT_WORKERS for
	// serve); 0 → the cores.
	retrievals int
	// noAdded leaves the reports added with scobot add out (evaluations
	// score fixed corpora).
	noAdded bool
	// live builds the app for serve, whose corpus is reloaded while it
	// answers: each engine keeps its own copy of the vectors.
	live bool
	// unchangedFrom, when not "", is the corpus of the app answering
	// now: a build finding the same files (and the index synced with
	// them) stops with errCorpusUnchanged instead of building it again.
	unchangedFrom string
	// corpus, when not nil, gives the corpus loaded while the index was
	// opened (openApp); buildApp loads it itself otherwise.
	corpus func() (*loadedCorpus, error)
	// warm has the engine do in the background what it would otherwise
	// do at the first questions (retrieve.Engine.Warm): for commands that
	// keep answering (chat, serve), not for one question.
	warm bool
}

// errCorpusUnchanged is buildApp's answer to a reload that finds the
// corpus as the app answering already has it.
var errCorpusUnchanged = errors.New("the corpus is unchanged")

// embedder is what both the index and the questions are embedded with.
type embedder interface {
	store.Embedder
	retrieve.QueryEmbedder
}

// resources are what an app is built on and a reload of the corpus
// reuses: the index folder, the glossary and lexicon, the language-model
// client, the embedder and the open index.
type resources struct {
	dbDir  string
	gl     *glossary.Glossary
	lex    *glossary.Glossary
	client *llm.Client // nil without a model
	emb    embedder
	st     *store.Store
}

// openApp loads the corpus (through the corpus cache beside the index), brings the index up to date (embedding only what
// changed), builds the engine and gives it the embedder's measured share in
// fusion (vectorShare).
func openApp(ctx context.Context, cfg config, log *slog.Logger, opts openOptions) (*app, error) {
	res, first, err := openLoading(ctx, cfg, log, opts)
	if err != nil {
		return nil, err
	}
	return buildApp(ctx, cfg, res, log, first)
}

// openLoading opens the resources (openResources) while it loads the
// corpus, each on a core (at a million chunks a second each), when the
// index folder exists already and is not being rebuilt (the corpus cache
// lives in it). The options it returns give that corpus to the first
// buildApp (openOptions.corpus); a later build must use opts.
func openLoading(ctx context.Context, cfg config, log *slog.Logger, opts openOptions) (*resources, openOptions, error) {
	first := opts
	var loaded chan struct{} // closed once lc and lerr are set
	var lc *loadedCorpus
	var lerr error
	if dbDir := indexDir(cfg, opts); !opts.rebuild && isDir(dbDir) {
		loaded = make(chan struct{})
		go func() {
			defer close(loaded)
			lc, lerr = loadCorpusCached(ctx, loadSetting(cfg, opts), opts.exclude, dbDir, log)
		}()
		first.corpus = func() (*loadedCorpus, error) { <-loaded; return lc, lerr }
	}
	res, err := openResources(ctx, cfg, log, opts)
	if err != nil {
		if loaded != nil {
			<-loaded // not left writing the cache
		}
		return nil, opts, err
	}
	return res, first, nil
}

// indexDir is the index folder of cfg: DB, or the default one for its
// corpus and embedder.
func indexDir(cfg config, opts openOptions) string {
	if cfg.DB != "" {
		return cfg.DB
	}
	return defaultDBDir(cfg.Corpus, opts.dbKey, cfg.LLM.EmbeddingModel)
}

// isDir reports whether path is a folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// openResources opens what every build of the app shares: the glossary,
// the lexicon, the model client, the embedder and the index.
func openResources(ctx context.Context, cfg config, log *slog.Logger, opts openOptions) (*resources, error) {
	start := time.Now()
	dbDir := indexDir(cfg, opts)
	gl, err := loadGlossary(cfg.Glossary)
	if err != nil {
		return nil, err
	}
	lex, err := glossary.Lexicon()
	if err != nil {
		return nil, fmt.Errorf("couldn't load the built-in lexicon: %w", err)
	}
	client, err := newLLM(cfg.LLM, log)
	if err != nil {
		return nil, err
	}
	var emb embedder = hashembed.New(hashembed.Config{Extra: gl.Concepts, ExtraID: "glossary-" + gl.ID()})
	if client != nil && client.Embedder() != nil {
		emb = client.Embedder()
	}
	st, err := openStore(ctx, dbDir, emb, log, opts.rebuild, opts.mustSave)
	if err != nil {
		return nil, err
	}
	log.Debug("start-up phase done", "phase", "open index", "seconds", time.Since(start).Seconds())
	if old, rebuilt := st.Rebuilt(); rebuilt {
		log.Warn("the embedder changed; rebuilding the index", "was", old, "now", emb.ID())
	}
	return &resources{dbDir: dbDir, gl: gl, lex: lex, client: client, emb: emb, st: st}, nil
}

// buildApp loads the corpus (through the corpus cache), brings the open
// index res.st up to date with it and builds the engine, the assistant and
// the briefer over it. serve calls it again, on the same resources, each
// time the corpus changes: only the documents that changed are embedded.
func buildApp(ctx context.Context, cfg config, res *resources, log *slog.Logger, opts openOptions) (*app, error) {
	start := time.Now()
	phase := func(name string) {
		log.Debug("start-up phase done", "phase", name, "seconds", time.Since(start).Seconds())
		start = time.Now()
	}
	dbDir, st, emb := res.dbDir, res.st, res.emb
	setting := loadSetting(cfg, opts)
	var lc *loadedCorpus
	var err error
	if opts.corpus != nil {
		lc, err = opts.corpus()
	} else {
		lc, err = loadCorpusCached(ctx, setting, opts.exclude, dbDir, log)
	}
	if err != nil {
		return nil, err
	}
	phase("corpus")

	isSynced := synced(dbDir, lc.id, st, opts.rebuild)
	if isSynced && opts.unchangedFrom != "" && lc.id == opts.unchangedFrom {
		return nil, errCorpusUnchanged
	}
	a := &app{store: st, skipped: lc.skipped, corpus: lc.id}
	var all []rag.Chunk
	if isSynced {
		// The index holds exactly these documents' chunks: take them from
		// it rather than chunking, hashing and comparing every document
		// (whose text is then not even read from the corpus cache).
		a.docs = lc.docs
		all = st.Chunks()
		a.stats = store.Stats{Unchanged: len(a.docs), Chunks: st.Len()}
		log.Debug("index already synced with this corpus; not chunking it again", "chunks", len(all))
	} else {
		if a.docs, err = lc.whole(ctx, setting, opts.exclude, log); err != nil {
			return nil, err
		}
		// One slice of every chunk, which the engine is built over; each
		// document's chunks are a part of it.
		ends := make([]int, len(a.docs))
		for i, d := range a.docs {
			all = append(all, chunk.Document(d, chunk.Options{})...)
			ends[i] = len(all)
		}
		sdocs := make([]store.Doc, len(a.docs))
		for i, d := range a.docs {
			lo := 0
			if i > 0 {
				lo = ends[i-1]
			}
			sdocs[i] = store.Doc{ID: d.ID, Chunks: all[lo:ends[i]:ends[i]]}
		}
		// Nothing reads the documents' text once it is chunked: let it go
		// before the engine is built.
		for i := range a.docs {
			a.docs[i].Parts = nil
		}
		a.stats, err = st.Sync(ctx, sdocs, opts.progress)
		if err == nil && st.Path() != "" {
			if werr := writeSynced(dbDir, syncedRecord{Corpus: lc.id, Index: st.ContentSig()}); werr != nil {
				log.Debug("couldn't record the synced corpus", "err", werr)
			}
		}
		if errors.Is(err, store.ErrNotSaved) && !opts.mustSave {
			// The index in memory is complete: answer from it.
			log.Warn("couldn't save the index; answering from memory", "path", st.Path(), "err", err)
			err = nil
		}
		if err != nil && (opts.strict || !errors.Is(err, llm.ErrUnavailable)) {
			return nil, fmt.Errorf("couldn't update the index in %s: %w", dbDir, err)
		}
	}
	// The packed scan of st's vectors (rag/vecscan); st stays the store of
	// record. In serve each engine keeps the vectors of its own build
	// (pinnedVectors), so a reload's Sync never shows an engine chunks it
	// does not know.
	var vec retrieve.VectorIndex
	switch {
	case err != nil:
		log.Warn("couldn't embed the corpus; answering by keyword search only", "err", err)
		vec = unavailableVectors{err}
	case opts.live:
		x := vecscan.New(pinnedVectors{st: st, gen: st.Generation()}, 0)
		if _, perr := x.Refresh(ctx); perr != nil {
			return nil, perr
		}
		vec = x
	default:
		// Packed beside the engine's build rather than at the first
		// search, which waits for it (at a million chunks 0.3 s).
		x := vecscan.New(st, 0)
		go func() {
			if _, perr := x.Refresh(ctx); perr != nil {
				log.Debug("couldn't pack the vectors ahead of the first search", "err", perr)
			}
		}()
		vec = x
	}
	phase("chunk and sync")
	// The chunks' analysis is kept beside the index (analysis.go): the
	// next start takes from it the analysis of every document whose
	// chunks are unchanged and analyses only the others'.
	saved, release := readAnalysis(dbDir, log)
	engine := retrieve.NewEngine(retrieve.Config{Chunks: all, Vector: vec, Embedder: emb, Glossary: res.gl, Lexicon: res.lex, Logger: log, Params: opts.params, MaxRetrievals: opts.retrievals,
		Analysis: saved, RecordAnalysis: st.Path() != ""})
	release() // the engine copied what it took
	if st.Path() != "" {
		if err := writeAnalysis(dbDir, saved, engine); err != nil {
			log.Debug("couldn't keep the analysis of the chunks", "err", err)
		}
	}
	phase("engine")
	if _, ok := vec.(*vecscan.Index); ok {
		engine = engine.WithVectorShare(vectorShare(ctx, st, engine, log))
		phase("vector share")
	}
	var gen rag.Generator // nil: answers and briefings are extractive
	if res.client != nil && res.client.ChatModel() != "" {
		gen = generator{c: res.client, maxTokens: cfg.LLM.MaxTokens}
	}
	a.engine = engine
	a.ask = answer.NewAssistant(engine)
	if opts.warm {
		go a.ask.Warm()
	}
	if gen != nil {
		a.ask = a.ask.WithGenerator(gen, log)
	}
	a.briefs = brief.New(engine, gen, log)
	return a, nil
}

// pinnedVectors is the index as one engine of serve sees it: at the
// generation it was built at. Its packed copy (vecscan, packed when the
// engine is built) is then never packed again after a later Sync, which a
// reload follows with an engine of its own. Syncs are serialised by the
// reloads, so the vectors walked are those of gen.
type pinnedVectors struct {
	st  *store.Store
	gen uint64
}

func (p pinnedVectors) Generation() uint64 { return p.gen }

func (p pinnedVectors) EachVector(ctx context.Context, fn func(c rag.Chunk, vec []float32) error) (uint64, int, error) {
	_, dim, err := p.st.EachVector(ctx, fn)
	return p.gen, dim, err
}

// Rows hands over the store's compact rows (from its segment file) when
// they are of the generation pinned, so serve packs them without reading
// the snapshot.
func (p pinnedVectors) Rows(ctx context.Context) (vecscan.Rows, bool, error) {
	if p.st.Generation() != p.gen {
		return vecscan.Rows{}, false, nil
	}
	return p.st.Rows(ctx)
}

// loadSetting is the corpus setting the app loads: the configured corpus
// with the managed folder of added reports (cfg.Added) after it, when that
// folder exists and the command takes it (opts.noAdded: evaluations do
// not).
func loadSetting(cfg config, opts openOptions) string {
	if opts.noAdded || cfg.Added == "" {
		return cfg.Corpus
	}
	if fi, err := os.Stat(cfg.Added); err != nil || !fi.IsDir() {
		return cfg.Corpus
	}
	base := cfg.Corpus
	if base == "" {
		base = builtinCorpus
	}
	if slices.Contains(corpusList(base), cfg.Added) {
		return base
	}
	return base + "," + cfg.Added
}

// synced reports whether the index st, kept in dbDir, was last synced with
// the corpus identified by corpusID (and is unchanged since), so that it
// holds exactly the chunks chunking that corpus would give.
func synced(dbDir, corpusID string, st *store.Store, rebuild bool) bool {
	if rebuild || corpusID == "" || st.Path() == "" {
		return false
	}
	r, ok := readSynced(dbDir)
	return ok && r.Corpus == corpusID && r.Index == st.ContentSig()
}

// vectorShareNote is the index note holding how much the index's embedder
// is trusted in fusion (retrieve.VectorFit.Share).
const vectorShareNote = "vector_share"

// calibrationQueries is how many of its own sentences an index is asked to
// measure its embedder (once per change of the index; in one batch where the
// embedder takes batches).
const calibrationQueries = 40

// vectorShare returns how much to trust the vector ranking of this index:
// measured when the index last changed and kept in it, so an embedder that
// cannot read a language of the corpus weighs less in fusion. A failure to
// measure or to save the figure is logged; the ranking then counts fully.
func vectorShare(ctx context.Context, st *store.Store, e *retrieve.Engine, log *slog.Logger) float64 {
	if v, ok := st.Note(vectorShareNote); ok {
		return v
	}
	fit, err := e.CalibrateVector(ctx, calibrationQueries)
	if err != nil {
		log.Warn("couldn't measure the embedder; fusing it at full weight", "err", err)
		return 1
	}
	share := fit.Share()
	log.Info("measured the embedder on its own index", "embedder", st.EmbedderID(), "lexical_mrr", fit.Lexical, "vector_mrr", fit.Vector, "share", share)
	if err := st.SetNotes(map[string]float64{vectorShareNote: share, "lexical_mrr": fit.Lexical, "vector_mrr": fit.Vector}); err != nil {
		log.Warn("couldn't keep the embedder's measure in the index", "err", err)
	}
	return share
}

// builtinCorpus is the name that, in a list of corpus folders, stands for the
// corpus built into the binary; ./builtin names a folder of that name.
const builtinCorpus = "builtin"

// loadCorpus loads the documents of the corpus setting: "" for the built-in
// corpus, else a comma-separated list of folders ("builtin" for the built-in
// corpus among them). Documents whose ID is in exclude are left out. A
// document ID found in two folders is kept from the first and the second is
// skipped with a warning.
func loadCorpus(ctx context.Context, setting string, exclude map[string]bool, log *slog.Logger) ([]corpus.Document, []corpus.Skipped, error) {
	return loadCorpusWith(ctx, setting, exclude, log, func(ctx context.Context, _ int, fsys fs.FS) (corpus.Result, error) {
		return corpus.Load(ctx, fsys, log)
	})
}

// loadFolder loads the i-th folder of the corpus setting, whose files are
// fsys: corpus.Load, or corpus.LoadReusing through the corpus cache.
type loadFolder func(ctx context.Context, i int, fsys fs.FS) (corpus.Result, error)

// loadCorpusWith is loadCorpus with each folder loaded by load: everything
// decided across folders (exclusions, duplicate IDs, order) is decided
// here, whichever way the folders were loaded. Skipped files are logged to
// log.
func loadCorpusWith(ctx context.Context, setting string, exclude map[string]bool, log *slog.Logger, load loadFolder) ([]corpus.Document, []corpus.Skipped, error) {
	var docs []corpus.Document
	var skipped []corpus.Skipped
	from := map[string]string{} // document ID → where it was loaded from
	excluded := map[string]bool{}
	for i, dir := range corpusDirs(setting) {
		fsys, where, done, err := corpusFS(dir)
		if err != nil {
			return nil, nil, err
		}
		res, err := load(ctx, i, fsys)
		done()
		if err != nil {
			return nil, nil, fmt.Errorf("couldn't load the corpus %s: %w", where, err)
		}
		skipped = append(skipped, res.Skipped...)
		for _, d := range res.Docs {
			if exclude[d.ID] {
				excluded[d.ID] = true
				continue
			}
			if prev, dup := from[d.ID]; dup {
				reason := fmt.Sprintf("duplicate document ID %s (also in %s)", d.ID, prev)
				skipped = append(skipped, corpus.Skipped{File: filepath.Join(where, d.File), Reason: reason})
				log.Warn(skippedMsg, "file", filepath.Join(where, d.File), "reason", reason)
				continue
			}
			from[d.ID] = where
			docs = append(docs, d)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(exclude)) {
		if !excluded[id] {
			// Renamed, perhaps: left in under its new name, it would leak
			// the other half's report into this one.
			return nil, nil, fmt.Errorf("the split leaves out document %s, which no folder of the corpus %s holds: fix the split file", id, cmp.Or(setting, "(built-in)"))
		}
	}
	if len(docs) == 0 {
		return nil, nil, fmt.Errorf("no documents found in the corpus %s (want .txt, .md or .html files)", cmp.Or(setting, "(built-in)"))
	}
	slices.SortFunc(docs, func(a, b corpus.Document) int { return strings.Compare(a.ID, b.ID) })
	return docs, skipped, nil
}

// corpusDirs splits the corpus setting into its folders; "" is the built-in
// corpus alone.
func corpusDirs(setting string) []string {
	out := corpusList(setting)
	if len(out) == 0 {
		return []string{builtinCorpus}
	}
	return out
}

// corpusFS returns the documents of one corpus folder ("builtin": the
// built-in corpus), a name for them in messages, and a function to call
// when done with them.
//
// A folder is opened as an os.Root: every open stays inside it, so a
// symbolic link is followed only to a file inside the folder, and one that
// leads out (to a .env, to /etc, through another link) is skipped with a
// warning naming it; corpus.Load reads nothing but regular files.
func corpusFS(dir string) (fsys fs.FS, where string, done func(), err error) {
	if dir == builtinCorpus {
		return corpus.Embedded(), "(built-in)", func() {}, nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", nil, fmt.Errorf("corpus folder %s does not exist", dir)
		}
		return nil, "", nil, fmt.Errorf("couldn't open the corpus folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, "", nil, fmt.Errorf("corpus %s is not a folder", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", nil, fmt.Errorf("couldn't open the corpus folder %s: %w", dir, err)
	}
	return root.FS(), dir, func() { root.Close() }, nil
}

// loadGlossary returns the built-in glossary, extended by the user's file.
func loadGlossary(path string) (*glossary.Glossary, error) {
	gl, err := glossary.Default()
	if err != nil {
		return nil, fmt.Errorf("couldn't load the built-in glossary: %w", err)
	}
	if path == "" {
		return gl, nil
	}
	f, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("couldn't open the glossary %s: %w", path, err)
	}
	defer f.Close()
	extra, err := glossary.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("glossary %s: %w", path, err)
	}
	return gl.Merge(extra), nil
}

// openStore opens the index in dir. The index is a cache of the corpus, so
// nothing about its folder stops a command: an unreadable snapshot is
// rebuilt from the corpus, and a folder that cannot be created gives an
// index in memory only (each with one warning). With rebuild the existing
// snapshot is ignored and replaced only once the new one is saved. With
// mustSave (scobot index, whose point is the snapshot) a folder that cannot
// be created is an error.
func openStore(ctx context.Context, dir string, emb store.Embedder, log *slog.Logger, rebuild, mustSave bool) (*store.Store, error) {
	if rebuild {
		st, err := store.OpenEmpty(ctx, dir, emb, log)
		if err != nil {
			return nil, fmt.Errorf("couldn't open the index in %s: %w", dir, err)
		}
		return st, nil
	}
	st, err := store.Open(ctx, dir, emb, log)
	switch {
	case err == nil:
		return st, nil
	case errors.Is(err, store.ErrUnreadable):
		log.Warn("the index is unreadable; rebuilding it from the corpus", "err", err)
		st, err = store.OpenEmpty(ctx, dir, emb, log)
		if err != nil {
			return nil, fmt.Errorf("couldn't open the index in %s: %w", dir, err)
		}
		return st, nil
	case ctx.Err() != nil || mustSave:
		return nil, fmt.Errorf("couldn't open the index in %s: %w", dir, err)
	}
	log.Warn("couldn't open the index folder; keeping the index in memory only", "dir", dir, "err", err)
	st, err = store.Open(ctx, "", emb, log)
	if err != nil {
		return nil, fmt.Errorf("couldn't open an index in memory: %w", err)
	}
	return st, nil
}

// core returns the conversation core every front shares: the Telegram bot
// and the terminal chat answer, keep history and take commands alike.
func (a *app) core(log *slog.Logger) *bot.Core {
	return bot.NewCore(a.ask, docInfos(a.docs, ""), bot.CoreOptions{Briefer: briefer{a.briefs}, Timeliner: briefer{a.briefs}, Logger: log})
}

// briefer gives the bot's /brief and /timeline the briefings and the
// timeline, in the shape of answers.
type briefer struct{ b *brief.Briefer }

var (
	_ bot.Briefer   = briefer{}
	_ bot.Timeliner = briefer{}
)

func (b briefer) Brief(ctx context.Context, topic, lang string) (rag.Answer, error) {
	br, err := b.b.Brief(ctx, brief.Request{Topic: topic, Lang: lang})
	if err != nil {
		return rag.Answer{}, err
	}
	return render.BriefAnswer(br), nil
}

func (b briefer) Timeline(_ context.Context, filter, lang string) (rag.Answer, error) {
	return render.TimelineAnswer(b.b.Timeline(filter, lang)), nil
}
