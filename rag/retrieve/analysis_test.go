package retrieve

import (
	"reflect"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
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
	if again := NewEngine(Config{Chunks: chunks, Glossary: g, Analysis: data, RecordAnalysis: true}); !reflect.DeepEqual(must(again.Analysis()), data) {
		t.Error("the analysis of a loaded engine differs from the one it was loaded from")
	}
}

// must returns the analysis's bytes.
func must(data []byte, _ bool) []byte { return data }

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
	flip := func(i int) []byte { b := append([]byte(nil), data...); b[i] ^= 0x55; return b }
	tests := []struct {
		name   string
		chunks []rag.Chunk
		data   []byte
	}{
		{"other text, same IDs", edited, data},
		{"fewer chunks", chunks[:39], data},
		{"another version", chunks, append([]byte{analysisVersion + 1}, data[1:]...)},
		{"truncated", chunks, cut(len(data) - 1)},
		{"cut in half", chunks, cut(len(data) / 2)},
		{"byte flipped in the terms", chunks, flip(len(data) / 3)},
		{"byte flipped in the forms", chunks, flip(len(data) - 3)},
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
