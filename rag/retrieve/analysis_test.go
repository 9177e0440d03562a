package retrieve

import (
	"context"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

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

// TestAnalysisRoundTrip: an engine built from the recorded analysis of the
// same chunks has the structures of one that analysed them, and says it
// reused it.
func TestAnalysisRoundTrip(t *testing.T) {
	chunks := indexChunks(2*indexBatch + 5)
	g, err := glossary.Default()
	if err != nil {
		t.Fatal(err)
	}
	built := NewEngine(Config{Chunks: chunks, Glossary: g, RecordAnalysis: true})
	data, reused := built.Analysis()
	if data == nil || reused {
		t.Fatalf("Analysis = %d bytes, reused %v; want bytes, not reused", len(data), reused)
	}
	loaded := NewEngine(Config{Chunks: chunks, Glossary: g, Analysis: data})
	if _, reused := loaded.Analysis(); !reused {
		t.Fatal("the engine analysed the chunks again instead of using the analysis")
	}
	sameEngine(t, loaded, built)
	if n := loaded.AnalysedChunks(); n != 0 {
		t.Errorf("the engine analysed %d chunks, want none", n)
	}
	again := NewEngine(Config{Chunks: chunks, Glossary: g, Analysis: data, RecordAnalysis: true})
	if data, reused := again.Analysis(); data != nil || !reused {
		t.Errorf("a loaded engine recorded %d bytes (reused %v); want none: the saved analysis is still its own", len(data), reused)
	}
	// Made from the decoded analysis, the encoding is the one made from
	// the text.
	fewer := chunks[:len(chunks)-2] // the last document loses its last chunks
	fromSaved, _ := NewEngine(Config{Chunks: fewer, Glossary: g, Analysis: data, RecordAnalysis: true}).Analysis()
	fromText, _ := NewEngine(Config{Chunks: fewer, Glossary: g, RecordAnalysis: true}).Analysis()
	if !reflect.DeepEqual(fromSaved, fromText) {
		t.Error("the analysis encoded from a saved one differs from the one encoded from the text")
	}
}

// TestAnalysisIgnoredWhenItDoesNotFit: an analysis of other chunks, of
// another version or damaged is ignored, and the engine is the one that
// analyses the chunks.
func TestAnalysisIgnoredWhenItDoesNotFit(t *testing.T) {
	chunks := indexChunks(40)
	data, _ := NewEngine(Config{Chunks: chunks, RecordAnalysis: true}).Analysis()
	want := NewEngine(Config{Chunks: chunks})

	edited := append([]rag.Chunk(nil), chunks...)
	edited[7].Text += " 2031 Samarkand"
	cut := func(n int) []byte { return data[:n] }
	flip := func(is ...int) []byte {
		b := append([]byte(nil), data...)
		for _, i := range is {
			b[i] ^= 0x55
		}
		return b
	}
	perDoc, built, err := splitAnalysis(data)
	if err != nil {
		t.Fatal(err)
	}
	other := func(b []byte) []byte { return append([]byte{analysisVersion + 1}, b[1:]...) }
	inPerDoc, inBuilt := len(data)-len(built)-len(perDoc)/2, len(data)-3 // a byte in each part
	tests := []struct {
		name   string
		chunks []rag.Chunk
		data   []byte
	}{
		{"other text, same IDs", edited, data},
		{"fewer chunks", chunks[:39], data},
		{"another version", chunks, joinAnalysis(other(perDoc), other(built))},
		{"truncated", chunks, cut(len(data) - 1)},
		{"cut in half", chunks, cut(len(data) / 2)},
		{"byte flipped in each part", chunks, flip(inPerDoc, inBuilt)},
		{"parts out of range", chunks, append([]byte{0xff, 0x7f}, data[2:]...)},
		{"trailing byte", chunks, append(append([]byte(nil), data...), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEngine(Config{Chunks: tt.chunks, Analysis: tt.data})
			ref := want
			if len(tt.chunks) != len(chunks) || tt.chunks[7].Text != chunks[7].Text {
				ref = NewEngine(Config{Chunks: tt.chunks})
			}
			if _, reused := e.Analysis(); reused {
				t.Error("the engine used an analysis that does not fit")
			}
			sameEngine(t, e, ref)
		})
	}
}

// TestAnalysisIncremental: over random sequences of documents added,
// removed, edited and reordered, an engine built from the previous
// engine's analysis analyses only the chunks of the new and edited
// documents, and is the engine built from the text: the same structures,
// the same retrievals and explanations.
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
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 99))
		held := map[string][]rag.Chunk{} // the documents indexed, as they are
		for _, id := range ids {
			if rng.IntN(2) == 0 {
				held[id] = pool[id]
			}
		}
		var saved []byte
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
			inc := NewEngine(Config{Chunks: chunks, Glossary: names, Lexicon: words, Analysis: saved, RecordAnalysis: true})
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
			if data, _ := inc.Analysis(); data != nil {
				saved = data
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
// chunk analysed again, and the analysis recorded afresh); with its
// per-document part damaged, the built structures serve alone.
func TestAnalysisPartsServeAlone(t *testing.T) {
	chunks := indexChunks(40)
	data, _ := NewEngine(Config{Chunks: chunks, RecordAnalysis: true}).Analysis()
	want := NewEngine(Config{Chunks: chunks})
	perDoc, built, err := splitAnalysis(data)
	if err != nil {
		t.Fatal(err)
	}
	damaged := func(b []byte) []byte { b = slices.Clone(b); b[len(b)/2] ^= 0x55; return b }

	e := NewEngine(Config{Chunks: chunks, Analysis: joinAnalysis(perDoc, damaged(built)), RecordAnalysis: true})
	sameEngine(t, e, want)
	if got, reused := e.Analysis(); reused || e.AnalysedChunks() != 0 || !reflect.DeepEqual(got, data) {
		t.Errorf("built structures damaged: reused %v, analysed %d chunks, recorded the same analysis %v; want false, 0, true", reused, e.AnalysedChunks(), reflect.DeepEqual(got, data))
	}
	e = NewEngine(Config{Chunks: chunks, Analysis: joinAnalysis(damaged(perDoc), built)})
	sameEngine(t, e, want)
	if _, reused := e.Analysis(); !reused {
		t.Error("per-document part damaged: the built structures were not used")
	}
}
