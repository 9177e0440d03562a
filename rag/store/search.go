package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/rag"
)

// defaultPerDocMax is the largest number of documents in a filter that Search
// queries one by one (a chromem where-filter on the chunk's doc); larger
// filters over-fetch from one unfiltered query and drop other documents'
// chunks. Every chromem query walks the whole collection to apply its filter,
// so a per-document query costs about as much as an unfiltered one: on 100k
// chunks (2 CPUs, BenchmarkSearchFilter) one document took 72 ms per-doc vs
// 173 ms over-fetching, two took 155 vs 105 ms, ten 857 vs 105 ms.
const defaultPerDocMax = 1

// Search returns the k chunks nearest to vec by cosine similarity, best first
// (ties ordered by Doc and Pos). k larger than the index is fine; k <= 0, an
// empty index or a zero vector give nil, nil. A vector of the wrong dimension
// is an error.
//
// docs, if not nil, restricts the search to chunks whose Doc maps to true; an
// empty non-nil map therefore matches nothing.
func (s *Store) Search(ctx context.Context, vec []float32, k int, docs map[string]bool) ([]rag.Passage, error) {
	if k <= 0 {
		return nil, nil
	}
	// chromem-go is the reference search: an index opened from its
	// segment file reads its snapshot for it.
	if err := s.ensureDB(); err != nil {
		return nil, fmt.Errorf("couldn't search index: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.n == 0 {
		return nil, nil
	}
	if len(vec) != s.dim {
		return nil, fmt.Errorf("couldn't search index: query vector has %d dimensions, index of %q has %d", len(vec), s.embID, s.dim)
	}
	if isZero(vec) {
		return nil, nil
	}

	var (
		res []chromem.Result
		err error
	)
	if docs == nil {
		res, err = s.chunks.QueryEmbedding(ctx, vec, min(k, s.n), nil, nil)
	} else {
		res, err = s.searchFiltered(ctx, vec, k, docs)
	}
	if err == nil {
		// chromem stops early without an error when ctx ends mid-query.
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("couldn't search index: %w", err)
	}
	out := make([]rag.Passage, 0, len(res))
	for _, r := range res {
		c, err := fromDocument(r.ID, r.Metadata, r.Content)
		if err != nil {
			return nil, fmt.Errorf("couldn't search index: %w", err)
		}
		out = append(out, rag.Passage{Chunk: c, Score: float64(r.Similarity)})
	}
	slices.SortFunc(out, func(a, b rag.Passage) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Pos, b.Pos))
	})
	if len(out) > k {
		out = out[:k]
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// searchFiltered returns at least the k best results among the chunks of docs
// (fewer only if those documents hold fewer chunks). The caller holds s.mu.
func (s *Store) searchFiltered(ctx context.Context, vec []float32, k int, docs map[string]bool) ([]chromem.Result, error) {
	var (
		ids    []string
		wanted int // chunks in the filtered documents
	)
	for id, ok := range docs {
		if e, indexed := s.docs[id]; ok && indexed && len(e.chunks) > 0 {
			ids = append(ids, id)
			wanted += len(e.chunks)
		}
	}
	switch {
	case wanted == 0:
		return nil, nil
	case wanted == s.n:
		return s.chunks.QueryEmbedding(ctx, vec, min(k, s.n), nil, nil)
	case len(ids) <= s.perDocMax:
		var all []chromem.Result
		for _, id := range ids {
			n := min(k, len(s.docs[id].chunks))
			// The where map is never empty: an empty one would match every chunk.
			res, err := s.chunks.QueryEmbedding(ctx, vec, n, map[string]string{metaDoc: id}, nil)
			if err != nil {
				return nil, err
			}
			all = append(all, res...)
		}
		return all, nil
	}
	// Over-fetch: ask for as many as the filtered share of the index
	// suggests will hold k matches, with headroom, and widen until it does.
	fetch := min(s.n, max(2*k, int(math.Ceil(2*float64(k)*float64(s.n)/float64(wanted)))))
	for {
		res, err := s.chunks.QueryEmbedding(ctx, vec, fetch, nil, nil)
		if err != nil {
			return nil, err
		}
		kept := res[:0]
		for _, r := range res {
			if docs[r.Metadata[metaDoc]] {
				kept = append(kept, r)
			}
		}
		if len(kept) >= k || fetch == s.n {
			return kept, nil
		}
		fetch = min(s.n, 4*fetch)
	}
}

// isZero reports whether every component of v is zero.
func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}
