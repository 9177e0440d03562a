package retrieve

import (
	"context"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// echo is a vector index that finds the chunk a query was taken from: the
// fake embedder hands the query text over as its "vector".
type echo struct{ chunks []rag.Chunk }

func (x echo) Search(_ context.Context, vec []float32, k int, _ map[string]bool) ([]rag.Passage, error) {
	var out []rag.Passage
	for _, c := range x.chunks {
		if len(vec) > 0 && int(vec[0]) == len(c.Text) {
			out = append(out, rag.Passage{Chunk: c, Score: 1})
		}
	}
	return out, nil
}

// lengthEmbedder embeds a query as the length of the chunk text it is a
// sentence of, for echo.
type lengthEmbedder struct{ chunks []rag.Chunk }

func (l lengthEmbedder) EmbedQuery(_ context.Context, s string) ([]float32, error) {
	for _, c := range l.chunks {
		if probeSentence(c.Text) == s {
			return []float32{float32(len(c.Text))}, nil
		}
	}
	return []float32{0}, nil
}

func TestCalibrateVector(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	cs := ragtest.Fixture()
	ctx := context.Background()
	// An embedder that finds every report from its own sentences is
	// trusted fully.
	good := NewEngine(Config{Chunks: cs, Glossary: g, Lexicon: lex, Vector: echo{cs}, Embedder: lengthEmbedder{cs}})
	fit, err := good.CalibrateVector(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Queries == 0 || fit.Vector < 0.99 || fit.Share() != 1 {
		t.Errorf("good embedder: %+v, share %.2f", fit, fit.Share())
	}
	// One that ranks the same reports whatever is asked is not.
	bad := NewEngine(Config{Chunks: cs, Glossary: g, Lexicon: lex, Vector: &ragtest.Vectors{Order: []rag.Chunk{cs[5]}}, Embedder: ragtest.Embedder{}})
	fit, err = bad.CalibrateVector(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Share() > 0.5 {
		t.Errorf("bad embedder: %+v, share %.2f, want well below 1", fit, fit.Share())
	}
	// Its share scales the vector ranking's weight in fusion: the passage
	// only it finds loses ground.
	q := "What did Wang Yi say about vaccine nationalism?"
	score := func(e *Engine) float64 {
		r, _ := e.Retrieve(ctx, q, Options{Mode: rag.ModeHybrid, K: len(cs)})
		for _, p := range r.Passages {
			if p.ID == cs[5].ID {
				return p.Score
			}
		}
		return 0
	}
	if full, weak := score(bad), score(bad.WithVectorShare(fit.Share())); weak >= full {
		t.Errorf("the vector-only passage scores %.4f at full weight, %.4f at share %.2f", full, weak, fit.Share())
	}
	// Without a vector index there is nothing to measure.
	if fit, _ := NewEngine(Config{Chunks: cs}).CalibrateVector(ctx, 10); fit.Queries != 0 || fit.Share() != 1 {
		t.Errorf("lexical engine: %+v", fit)
	}
}
