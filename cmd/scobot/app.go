package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/chunk"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/llm"
	"github.com/scobot/scobot/rag/store"
)

// app is the loaded pipeline: the corpus, its chunks, the synced index and
// the engine that answers from them.
type app struct {
	docs    []corpus.Document
	chunks  map[string][]rag.Chunk // by document ID
	store   *store.Store
	engine  *rag.Engine
	ask     *rag.Assistant
	stats   store.Stats
	skipped []corpus.Skipped
}

// openOptions tune how the app is loaded.
type openOptions struct {
	progress func(done, total int) // called while embedding; nil for none
	rebuild  bool                  // drop the existing index first
	// strict makes a failure to embed the corpus an error; otherwise the
	// app answers by keyword search alone.
	strict bool
}

// embedder is what both the index and the questions are embedded with.
type embedder interface {
	store.Embedder
	rag.QueryEmbedder
}

// openApp loads the corpus, brings the index up to date (embedding only what
// changed) and builds the engine.
func openApp(ctx context.Context, cfg config, log *slog.Logger, opts openOptions) (*app, error) {
	fsys, where, err := corpusFS(cfg.Corpus)
	if err != nil {
		return nil, err
	}
	res, err := corpus.Load(ctx, fsys, log)
	if err != nil {
		return nil, fmt.Errorf("couldn't load the corpus %s: %w", where, err)
	}
	if len(res.Docs) == 0 {
		return nil, fmt.Errorf("no documents found in the corpus %s (want .txt, .md or .html files)", where)
	}
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

	dbDir := cfg.DB
	if dbDir == "" {
		dbDir = defaultDBDir(cfg.Corpus, cfg.LLM.EmbeddingModel)
	}
	st, err := openStore(ctx, dbDir, emb, log, opts.rebuild)
	if err != nil {
		return nil, err
	}
	if old, rebuilt := st.Rebuilt(); rebuilt {
		log.Warn("the embedder changed; rebuilding the index", "was", old, "now", emb.ID())
	}

	a := &app{docs: res.Docs, chunks: map[string][]rag.Chunk{}, store: st, skipped: res.Skipped}
	var all []rag.Chunk
	sdocs := make([]store.Doc, 0, len(res.Docs))
	for _, d := range res.Docs {
		cs := chunk.Document(d, chunk.Options{})
		a.chunks[d.ID] = cs
		all = append(all, cs...)
		sdocs = append(sdocs, store.Doc{ID: d.ID, Chunks: cs})
	}
	var vec rag.VectorIndex = st
	a.stats, err = st.Sync(ctx, sdocs, opts.progress)
	if err != nil {
		if opts.strict || !errors.Is(err, llm.ErrUnavailable) {
			return nil, fmt.Errorf("couldn't update the index in %s: %w", dbDir, err)
		}
		log.Warn("couldn't embed the corpus; answering by keyword search only", "err", err)
		vec = unavailableVectors{err}
	}
	a.engine = rag.NewEngine(rag.Config{Chunks: all, Vector: vec, Embedder: emb, Glossary: gl, Lexicon: lex, Logger: log})
	a.ask = rag.NewAssistant(a.engine)
	if client != nil && client.ChatModel() != "" {
		a.ask = a.ask.WithGenerator(generator{client}, log)
	}
	return a, nil
}

// corpusFS returns the documents to load and a name for them in messages.
func corpusFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		return corpus.Embedded(), "(built-in)", nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("corpus folder %s does not exist", dir)
		}
		return nil, "", fmt.Errorf("couldn't open the corpus folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, "", fmt.Errorf("corpus %s is not a folder", dir)
	}
	return os.DirFS(dir), dir, nil
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
	f, err := os.Open(path)
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

// openStore opens the index, saying what to do when it cannot be read.
func openStore(ctx context.Context, dir string, emb store.Embedder, log *slog.Logger, rebuild bool) (*store.Store, error) {
	if rebuild {
		// Remove only the snapshot: --db may name a folder holding other files.
		path := filepath.Join(dir, store.SnapshotName)
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("couldn't remove the old index %s: %w", path, err)
		}
	}
	st, err := store.Open(ctx, dir, emb, log)
	if err != nil {
		if errors.Is(err, store.ErrUnreadable) {
			return nil, fmt.Errorf("%w; run `scobot index --rebuild` to rebuild it", err)
		}
		return nil, fmt.Errorf("couldn't open the index in %s: %w", dir, err)
	}
	return st, nil
}

// core returns the conversation core every front shares: the Telegram bot
// and the terminal chat answer, keep history and take commands alike.
func (a *app) core(log *slog.Logger) *bot.Core {
	docs := make([]bot.DocInfo, len(a.docs))
	for i, d := range a.docs {
		docs[i] = bot.DocInfo{ID: d.ID, Title: d.Title, Date: d.Date, Source: d.Source, URL: d.URL}
	}
	return bot.NewCore(a.ask, docs, bot.CoreOptions{Briefer: briefer{a.ask}, Timeliner: briefer{a.ask}, Logger: log})
}

// briefer gives the bot's /brief and /timeline the assistant's briefings
// and timeline, in the shape of answers.
type briefer struct{ a *rag.Assistant }

var (
	_ bot.Briefer   = briefer{}
	_ bot.Timeliner = briefer{}
)

func (b briefer) Brief(ctx context.Context, topic string) (rag.Answer, error) {
	br, err := b.a.Brief(ctx, rag.BriefRequest{Topic: topic})
	if err != nil {
		return rag.Answer{}, err
	}
	return br.Answer(), nil
}

func (b briefer) Timeline(_ context.Context, filter string) (rag.Answer, error) {
	return b.a.Engine().Timeline(filter, "").Answer(), nil
}
