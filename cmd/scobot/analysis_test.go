package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
)

// TestAppStartsFromSavedAnalysis: the first start over a corpus keeps the
// engine's analysis of the chunks and its index's segment file; the next
// starts build the engine from them, and retrieve exactly as the first; a
// damaged analysis file is not used, and the engine is again the one built
// from the text; after a report is added, only its chunks are analysed,
// and the engine retrieves as one built from the text.
func TestAppStartsFromSavedAnalysis(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	writeCorpus(t, dir, map[string]string{
		"a.txt": "SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021. Wang Yi spoke of security.\n",
		"b.txt": "上合组织峰会在阿斯塔纳举行\n\n2024年7月4日，上海合作组织成员国元首理事会会议在阿斯塔纳举行。\n",
	})
	questions := []string{"What did Wang Yi say in Dushanbe?", "上合组织峰会在哪里举行？", "Who hosted the 2030 summit?"}
	type result struct {
		reused   bool
		analysed int // chunks analysed at build
		chunks   map[string][]rag.Chunk
		answers  []retrieve.Retrieval
	}
	open := func() result {
		t.Helper()
		a, err := openApp(context.Background(), config{Corpus: dir, DB: db}, slog.New(slog.DiscardHandler), openOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var r result
		r.reused = a.engine.ReusedAnalysis()
		r.analysed, r.chunks = a.engine.AnalysedChunks(), map[string][]rag.Chunk{}
		for _, d := range a.docs {
			r.chunks[d.ID] = a.engine.DocChunks(d.ID)
		}
		for _, q := range questions {
			got, err := a.engine.Retrieve(context.Background(), q, retrieve.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r.answers = append(r.answers, got)
		}
		return r
	}
	first := open()
	if first.reused {
		t.Fatal("the first start found an analysis to reuse")
	}
	for _, name := range []string{analysisName, store.SegmentName} {
		if _, err := os.Stat(filepath.Join(db, name)); err != nil {
			t.Fatalf("the first start did not keep %s: %v", name, err)
		}
	}
	check := func(step string, r result, wantReused bool) {
		t.Helper()
		if r.reused != wantReused {
			t.Errorf("%s: reused the saved analysis: %v, want %v", step, r.reused, wantReused)
		}
		if !reflect.DeepEqual(r.answers, first.answers) {
			t.Errorf("%s: retrieval differs from the first start's", step)
		}
	}
	check("second start", open(), true)

	path := filepath.Join(db, analysisName)
	for _, p := range []string{path, path + retrieve.AnalysisBuiltSuffix} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check("damaged analysis", open(), false)
	check("analysis written again", open(), true)

	writeCorpus(t, dir, map[string]string{"c.txt": "Lavrov met Wang Yi in Tashkent\n\nOn May 20, 2022, Sergey Lavrov met Wang Yi in Tashkent. They spoke of Afghanistan.\n"})
	added := open()
	if added.reused || added.analysed == 0 || added.analysed != len(added.chunks["c"]) {
		t.Errorf("after a report was added: analysed %d chunks (reused %v), want the %d of that report", added.analysed, added.reused, len(added.chunks["c"]))
	}
	for _, p := range []string{path, path + retrieve.AnalysisBuiltSuffix, path + retrieve.AnalysisLogSuffix} {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	fromText := open()
	if fromText.analysed != len(fromText.chunks["a"])+len(fromText.chunks["b"])+len(fromText.chunks["c"]) {
		t.Errorf("without a saved analysis: analysed %d chunks, want all", fromText.analysed)
	}
	if !reflect.DeepEqual(added.answers, fromText.answers) {
		t.Error("after a report was added, retrieval differs from an engine's built from the text")
	}
}

// Over an existing index folder the corpus is loaded while the index is
// opened, and given to the first build only: a later build (serve's
// reload) loads the corpus as it is then.
func TestCorpusLoadedWhileIndexOpens(t *testing.T) {
	ctx := context.Background()
	dir, db := t.TempDir(), t.TempDir()
	writeCorpus(t, dir, map[string]string{"a.txt": "SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021.\n"})
	cfg, log := config{Corpus: dir, DB: db}, slog.New(slog.DiscardHandler)
	res, first, err := openLoading(ctx, cfg, log, openOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if first.corpus == nil {
		t.Fatal("the corpus was not loaded while the existing index folder was opened")
	}
	a, err := buildApp(ctx, cfg, res, log, first)
	if err != nil {
		t.Fatal(err)
	}
	writeCorpus(t, dir, map[string]string{"b.txt": "上合组织峰会在阿斯塔纳举行\n\n2024年7月4日，上海合作组织成员国元首理事会会议在阿斯塔纳举行。\n"})
	b, err := buildApp(ctx, cfg, res, log, openOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.docs) != 1 || len(b.docs) != 2 {
		t.Errorf("first build has %d documents, the next %d; want 1 and 2", len(a.docs), len(b.docs))
	}
	if _, again, err := openLoading(ctx, config{Corpus: dir, DB: filepath.Join(db, "new")}, log, openOptions{}); err != nil || again.corpus != nil {
		t.Errorf("a new index folder: corpus loaded beside it (%v), err %v", again.corpus != nil, err)
	}
}
