package retrieve

import (
	"context"
	"fmt"
	"slices"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/tokens"
)

// VectorFit is how well the vector index finds a report from one of its
// own sentences, measured beside the lexical index: the mean reciprocal
// rank of the report for each ranking. An embedder that does not know a
// language of the corpus (an English model on Chinese reports) scores low
// where the lexical index does not.
type VectorFit struct {
	Lexical, Vector float64 // mean reciprocal rank, 0–1
	Queries         int     // sentences asked
}

// Share is the vector ranking's share of the lexical ranking's mean
// reciprocal rank, from minVectorShare to 1: how much to trust it in fusion.
func (f VectorFit) Share() float64 {
	if f.Queries == 0 || f.Lexical == 0 {
		return 1
	}
	return min(1, max(minVectorShare, f.Vector/f.Lexical))
}

// minVectorShare keeps a weak vector ranking in fusion at all: it still
// breaks ties.
const minVectorShare = 0.2

// calibrationDepth is how deep each ranking is searched for the report.
const calibrationDepth = 20

// CalibrateVector measures VectorFit on up to n sentences, one from each of
// n chunks spread evenly over the index (the same ones every time for the
// same chunks): each asks for its own report. It needs a vector index.
func (e *Engine) CalibrateVector(ctx context.Context, n int) (VectorFit, error) {
	var fit VectorFit
	if e.vec == nil || e.emb == nil || n <= 0 {
		return fit, nil
	}
	ids := make([]string, 0, len(e.chunks))
	for id := range e.chunks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	step := max(1, len(ids)/n)
	var probes []string
	var from []rag.Chunk
	for i := 0; i < len(ids) && len(probes) < n; i += step {
		c := e.chunks[ids[i]]
		if s := probeSentence(c.Text); s != "" {
			probes = append(probes, s)
			from = append(from, c)
		}
	}
	vecs, err := e.embedAll(ctx, probes)
	if err != nil {
		return fit, fmt.Errorf("couldn't calibrate the vector index: %w", err)
	}
	for i, s := range probes {
		c := from[i]
		terms := map[string]float64{}
		for _, t := range tokens.Terms(s) {
			terms[t] = 1
		}
		lex := e.lex.Search(terms, calibrationDepth)
		lexDocs := make([]string, len(lex))
		for j, h := range lex {
			lexDocs[j] = e.chunks[h.ID].Doc
		}
		ps, err := e.vec.Search(ctx, vecs[i], calibrationDepth, nil)
		if err != nil {
			return fit, fmt.Errorf("couldn't calibrate the vector index: %w", err)
		}
		fit.Lexical += reciprocalRank(lexDocs, c.Doc)
		fit.Vector += reciprocalRank(rag.DistinctDocs(ps), c.Doc)
		fit.Queries++
	}
	if fit.Queries > 0 {
		fit.Lexical /= float64(fit.Queries)
		fit.Vector /= float64(fit.Queries)
	}
	return fit, nil
}

// batchEmbedder embeds many texts in one call, as the index's embedders do;
// an API embedder then measures itself in one request.
type batchEmbedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// embedAll embeds texts as queries: in one batch when the embedder can.
func (e *Engine) embedAll(ctx context.Context, texts []string) ([][]float32, error) {
	if b, ok := e.emb.(batchEmbedder); ok && len(texts) > 0 {
		vs, err := b.Embed(ctx, texts)
		if err == nil && len(vs) != len(texts) {
			err = fmt.Errorf("got %d vectors for %d texts", len(vs), len(texts))
		}
		return vs, err
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v, err := e.emb.EmbedQuery(ctx, t)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// probeSentence is the sentence of a chunk with the most terms, if it has
// at least six: a question a reader might paste.
func probeSentence(text string) string {
	best, most := "", 5
	for _, s := range tokens.Sentences(text) {
		if n := len(tokens.Terms(s)); n > most {
			best, most = s, n
		}
	}
	return best
}

// reciprocalRank is 1/rank of doc among the distinct documents of docs, 0
// when it is not there.
func reciprocalRank(docs []string, doc string) float64 {
	seen := map[string]bool{}
	rank := 0
	for _, d := range docs {
		if seen[d] {
			continue
		}
		seen[d] = true
		rank++
		if d == doc {
			return 1 / float64(rank)
		}
	}
	return 0
}

// WithVectorShare returns a copy of the engine that fuses the vector
// ranking at share (VectorFit.Share) of Params.VectorWeight. The copy
// shares the engine's indexes; both are safe for concurrent use.
func (e *Engine) WithVectorShare(share float64) *Engine {
	c := *e
	c.vectorShare = share
	return &c
}
