package retrieve

import (
	"bytes"
	"context"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// sameEngine reports how got's structures built from the chunks differ from
// want's; "" when they do not.
func sameEngine(t *testing.T, got, want *Engine) {
	t.Helper()
	checks := []struct {
		name     string
		got, exp any
	}{
		{"terms", got.terms, want.terms},
		{"document term sets", got.docTerms, want.docTerms},
		{"forms", got.forms, want.forms},
		{"years", got.docYears, want.docYears},
		{"newest", got.newest, want.newest},
		{"chunks", got.chunks, want.chunks},
		{"documents", got.byDoc, want.byDoc},
		{"concept index", got.named, want.named},
		{"languages", got.langs, want.langs},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.exp) {
			t.Errorf("%s differ", c.name)
		}
	}
	if got.lex.Len() != want.lex.Len() {
		t.Fatalf("lexical index holds %d chunks, want %d", got.lex.Len(), want.lex.Len())
	}
	for term := range want.terms.ids {
		q := map[string]float64{term: 1, "wang": 0.5}
		if g, w := got.lex.Search(q, 1000), want.lex.Search(q, 1000); !reflect.DeepEqual(g, w) {
			t.Fatalf("lexical search for %q differs", term)
		}
		if got.lex.IDF(term) != want.lex.IDF(term) {
			t.Fatalf("IDF of %q differs", term)
		}
	}
}

// buildSaving builds an engine as a start does: from the analysis kept at
// path, recording its own, which it then saves there.
func buildSaving(t testing.TB, path string, cfg Config) *Engine {
	t.Helper()
	return buildSavingWith(t, newAnalysisWriter(), path, cfg)
}

// buildSavingWith is buildSaving through w.
func buildSavingWith(t testing.TB, w analysisWriter, path string, cfg Config) *Engine {
	t.Helper()
	saved := ReadAnalysis(path, nil)
	cfg.Analysis, cfg.RecordAnalysis = saved, true
	e := NewEngine(cfg)
	if err := saved.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.save(path, saved, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// perDocEncoding returns the per-document analysis kept at path (base and
// log) as encode gives it for docs.
func perDocEncoding(t *testing.T, path string, docs []string) []byte {
	t.Helper()
	a, err := ReadAnalysis(path, nil).perDoc()
	if err != nil {
		t.Fatal(err)
	}
	return a.encode(docs)
}

// TestAnalysisRoundTrip: an engine built from the saved analysis of the
// same chunks has the structures of one that analysed them, and says it
// reused it; the per-document analysis kept through the log is the one
// made from the text.
func TestAnalysisRoundTrip(t *testing.T) {
	chunks := indexChunks(2*indexBatch + 5)
	g, err := glossary.Default()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "analysis")
	built := buildSaving(t, path, Config{Chunks: chunks, Glossary: g})
	if built.ReusedAnalysis() {
		t.Fatal("the first engine found an analysis to reuse")
	}
	before := analysisFiles(t, path)
	loaded := buildSaving(t, path, Config{Chunks: chunks, Glossary: g})
	if !loaded.ReusedAnalysis() {
		t.Fatal("the engine analysed the chunks again instead of using the analysis")
	}
	sameEngine(t, loaded, built)
	if n := loaded.AnalysedChunks(); n != 0 {
		t.Errorf("the engine analysed %d chunks, want none", n)
	}
	if after := analysisFiles(t, path); after != before {
		t.Error("a loaded engine wrote its analysis again")
	}
	// Kept through the log, the per-document analysis is the one made
	// from the text.
	fewer := chunks[:len(chunks)-2] // the last document loses its last chunks
	buildSaving(t, path, Config{Chunks: fewer, Glossary: g})
	if _, err := os.Stat(path + AnalysisLogSuffix); err != nil {
		t.Fatalf("the change was not appended to the log: %v", err)
	}
	other := filepath.Join(t.TempDir(), "analysis")
	buildSaving(t, other, Config{Chunks: fewer, Glossary: g})
	_, docs := docsOf(fewer)
	if !reflect.DeepEqual(perDocEncoding(t, path, docs), perDocEncoding(t, other, docs)) {
		t.Error("the analysis kept through the log differs from the one made from the text")
	}
}

// TestAnalysisIgnoredWhenItDoesNotFit: an analysis of other chunks, of
// another version or damaged is ignored, and the engine is the one that
// analyses the chunks.
func TestAnalysisIgnoredWhenItDoesNotFit(t *testing.T) {
	chunks := indexChunks(40)
	want := NewEngine(Config{Chunks: chunks})
	edited := append([]rag.Chunk(nil), chunks...)
	edited[7].Text += " 2031 Samarkand"
	other := func(b []byte) []byte { return append([]byte{b[0] + 1}, b[1:]...) } // the next version
	flip := func(b []byte) []byte { b[len(b)/2] ^= 0x55; return b }
	tests := []struct {
		name   string
		chunks []rag.Chunk
		change func(b []byte) []byte // applied to each part's section
	}{
		{"other text, same IDs", edited, nil},
		{"fewer chunks", chunks[:39], nil},
		{"another version", chunks, other},
		{"truncated", chunks, func(b []byte) []byte { return b[:len(b)-1] }},
		{"cut in half", chunks, func(b []byte) []byte { return b[:len(b)/2] }},
		{"byte flipped in each part", chunks, flip},
		{"trailing byte", chunks, func(b []byte) []byte { return append(b, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "analysis")
			buildSaving(t, path, Config{Chunks: chunks})
			if tt.change != nil {
				rewriteSection(t, path, perDocSection, tt.change)
				rewriteSection(t, path+AnalysisBuiltSuffix, builtSection, tt.change)
			}
			saved := ReadAnalysis(path, nil)
			e := NewEngine(Config{Chunks: tt.chunks, Analysis: saved})
			saved.Close()
			ref := want
			if len(tt.chunks) != len(chunks) || tt.chunks[7].Text != chunks[7].Text {
				ref = NewEngine(Config{Chunks: tt.chunks})
			}
			if e.ReusedAnalysis() {
				t.Error("the engine used an analysis that does not fit")
			}
			if tt.change != nil && e.AnalysedChunks() != len(tt.chunks) {
				t.Errorf("analysed %d chunks, want all %d", e.AnalysedChunks(), len(tt.chunks))
			}
			sameEngine(t, e, ref)
		})
	}
}

// rewriteSection writes the segfile at path again with its section name
// changed by change (its checksum made to fit: the damage is inside).
func rewriteSection(t *testing.T, path, name string, change func([]byte) []byte) {
	t.Helper()
	f, err := segfile.Read(path, analysisFileVersion)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := f.Section(name)
	data = change(slices.Clone(data))
	f.Close()
	if err := segfile.WriteFile(path, analysisFileVersion, []segfile.Section{{Name: name, Write: writeBytes(data)}}); err != nil {
		t.Fatal(err)
	}
}

// TestAnalysisIncremental: over random sequences of documents added,
// removed, edited and reordered, an engine built from the analysis the
// previous engines saved (base, change log, compactions) analyses only
// the chunks of the new and edited documents, and is the engine built
// from the text: the same structures, the same retrievals and
// explanations.
func TestAnalysisIncremental(t *testing.T) {
	names, words := ragtest.Glossaries(t)
	// pool holds each document's chunks; edited, its edited version.
	pool := map[string][]rag.Chunk{}
	for _, c := range append(ragtest.Fixture(), indexChunks(60)...) {
		pool[c.Doc] = append(pool[c.Doc], c)
	}
	edit := func(cs []rag.Chunk) []rag.Chunk {
		out := slices.Clone(cs)
		out[len(out)-1].Text += " In 2031 Lavrov met Wang Yi in Samarkand."
		return out
	}
	ids := slices.Sorted(maps.Keys(pool))
	questions := []string{
		"What did Wang Yi propose in Dushanbe?",
		"王毅在阿斯塔纳同谁举行了会谈？",
		"When was the 20th SCO summit held?",
		"Lavrov Samarkand 2031",
		"security summit Tashkent 2017",
	}
	// Through the change log, and compacting at every save the log would
	// grow past its share of the base.
	compacting := newAnalysisWriter()
	compacting.minLog = 0
	for seed := range uint64(6) {
		w := newAnalysisWriter()
		if seed%2 == 1 {
			w = compacting
		}
		rng := rand.New(rand.NewPCG(seed, 99))
		held := map[string][]rag.Chunk{} // the documents indexed, as they are
		for _, id := range ids {
			if rng.IntN(2) == 0 {
				held[id] = pool[id]
			}
		}
		path := filepath.Join(t.TempDir(), "analysis")
		var savedDocs map[string][]rag.Chunk // the documents saved is the analysis of
		for step := range 8 {
			for range 1 + rng.IntN(3) {
				id := ids[rng.IntN(len(ids))]
				switch cs, ok := held[id]; {
				case !ok:
					held[id] = pool[id]
				case rng.IntN(2) == 0:
					delete(held, id)
				default:
					held[id] = edit(cs)
				}
			}
			var chunks []rag.Chunk
			docs := slices.Sorted(maps.Keys(held))
			rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
			wantAnalysed := 0 // the chunks of documents added or edited since saved
			for _, d := range docs {
				chunks = append(chunks, held[d]...)
				if !reflect.DeepEqual(held[d], savedDocs[d]) {
					wantAnalysed += len(held[d])
				}
			}
			inc := buildSavingWith(t, w, path, Config{Chunks: chunks, Glossary: names, Lexicon: words})
			full := NewEngine(Config{Chunks: chunks, Glossary: names, Lexicon: words})
			sameEngine(t, inc, full)
			for _, q := range questions {
				got, want := retrieveLexically(t, inc, q), retrieveLexically(t, full, q)
				if !reflect.DeepEqual(passageIDs(got), passageIDs(want)) || !reflect.DeepEqual(got.Explain(), want.Explain()) {
					t.Errorf("seed %d step %d: %q retrieves %v, from the text %v", seed, step, q, passageIDs(got), passageIDs(want))
				}
			}
			if n := inc.AnalysedChunks(); n != wantAnalysed {
				t.Errorf("seed %d step %d: analysed %d chunks, want %d (those of new and edited documents)", seed, step, n, wantAnalysed)
			}
			savedDocs = maps.Clone(held)
		}
	}
}

// retrieveLexically retrieves q from e by keyword search.
func retrieveLexically(t *testing.T, e *Engine, q string) Retrieval {
	t.Helper()
	r, err := e.Retrieve(context.Background(), q, Options{Mode: rag.ModeLexical})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAnalysisPartsServeAlone: with its built structures damaged, a saved
// analysis of the same chunks serves through its per-document part (no
// chunk analysed again, and the built structures written afresh); with its
// per-document part damaged, the built structures serve alone.
func TestAnalysisPartsServeAlone(t *testing.T) {
	chunks := indexChunks(40)
	path := filepath.Join(t.TempDir(), "analysis")
	buildSaving(t, path, Config{Chunks: chunks})
	want := NewEngine(Config{Chunks: chunks})
	built, err := os.ReadFile(path + AnalysisBuiltSuffix)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte) []byte { b[len(b)/2] ^= 0x55; return b }

	rewriteSection(t, path+AnalysisBuiltSuffix, builtSection, flip)
	e := buildSaving(t, path, Config{Chunks: chunks})
	sameEngine(t, e, want)
	again, _ := os.ReadFile(path + AnalysisBuiltSuffix)
	if e.ReusedAnalysis() || e.AnalysedChunks() != 0 || !bytes.Equal(again, built) {
		t.Errorf("built structures damaged: reused %v, analysed %d chunks, wrote them again %v; want false, 0, true", e.ReusedAnalysis(), e.AnalysedChunks(), bytes.Equal(again, built))
	}
	rewriteSection(t, path, perDocSection, flip)
	e = buildSaving(t, path, Config{Chunks: chunks})
	sameEngine(t, e, want)
	if !e.ReusedAnalysis() {
		t.Error("per-document part damaged: the built structures were not used")
	}
}
