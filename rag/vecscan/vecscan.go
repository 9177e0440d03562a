// Package vecscan is scobot's fast exact vector search: the vectors of a
// rag/store index packed into one contiguous, compact matrix and scanned by
// a bounded number of goroutines, one block of rows at a time.
//
// rag/store (chromem-go) stays the store of record and its Search the
// reference; an Index is a read-only copy of its vectors, rebuilt on the
// first Search after the store's vectors change (Store.Generation).
//
// The form is chosen by the data when the index is packed:
//
//   - Sparse vectors (rag/hashembed's: about 131 of 1,024 components are
//     not zero) are kept inverted: per block of rows, per dimension, the
//     rows where it is not zero and their values (6 bytes a non-zero). A
//     query walks only its own non-zero dimensions, adding into a
//     per-block accumulator that fits the CPU cache. Each row's score is
//     summed in the same order as chromem-go's dense dot product, so the
//     scores are bit-identical to it.
//   - Dense vectors (an embedding API's) are kept as one float32 matrix
//     scanned with four accumulators; the best candidates are rescored with
//     chromem-go's summation order, so the scores returned are again those
//     of the reference.
//
// Results are ordered like Store.Search: by score, then Doc, then Pos.
package vecscan

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/scobot/scobot/rag"
)

// Source is the index whose vectors an Index packs; *store.Store is one.
type Source interface {
	// Generation changes whenever the vectors change.
	Generation() uint64
	// EachVector calls fn with every chunk and its unit vector, ordered by
	// (Doc, Pos), and returns the generation and dimension it walked.
	EachVector(ctx context.Context, fn func(c rag.Chunk, vec []float32) error) (gen uint64, dim int, err error)
}

// Index searches a packed copy of a Source's vectors. It implements
// rag/retrieve's VectorIndex. It is safe for concurrent use: searches run
// in parallel, and a rebuild (after the Source changed) happens once while
// other searches wait for it.
type Index struct {
	src     Source
	workers int

	mu     sync.Mutex // serialises rebuilds; guards packed
	packed *packed
}

// New returns an Index over src that scans with up to workers goroutines
// per search (0 means runtime.GOMAXPROCS). Nothing is packed until the first
// Search (or Refresh).
func New(src Source, workers int) *Index {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return &Index{src: src, workers: workers}
}

// Refresh packs the Source's vectors again if they changed since the last
// pack, and returns the packed form's memory in bytes.
func (x *Index) Refresh(ctx context.Context) (int, error) {
	p, err := x.current(ctx)
	if err != nil {
		return 0, err
	}
	return p.bytes(), nil
}

// current returns the packed form of the Source as it is now, packing it
// again if its generation moved.
func (x *Index) current(ctx context.Context) (*packed, error) {
	gen := x.src.Generation()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.packed != nil && x.packed.gen == gen {
		return x.packed, nil
	}
	p, err := pack(ctx, x.src)
	if err != nil {
		return nil, fmt.Errorf("couldn't pack the vector index: %w", err)
	}
	x.packed = p
	return p, nil
}

// Search returns the k chunks nearest to vec by cosine similarity, best
// first (ties ordered by Doc and Pos), with the same contract as
// store.Store.Search: k <= 0, an empty index or a zero vector give nil,
// nil; a vector of the wrong dimension is an error; docs, if not nil,
// restricts the search to chunks whose Doc maps to true.
func (x *Index) Search(ctx context.Context, vec []float32, k int, docs map[string]bool) ([]rag.Passage, error) {
	if k <= 0 {
		return nil, nil
	}
	p, err := x.current(ctx)
	if err != nil {
		return nil, fmt.Errorf("couldn't search index: %w", err)
	}
	if p.n == 0 {
		return nil, nil
	}
	if len(vec) != p.dim {
		return nil, fmt.Errorf("couldn't search index: query vector has %d dimensions, index has %d", len(vec), p.dim)
	}
	if isZero(vec) {
		return nil, nil
	}
	if !isNormalized(vec) {
		vec = normalize(vec)
	}
	out, err := p.search(ctx, vec, k, docs, x.workers)
	if err != nil {
		return nil, fmt.Errorf("couldn't search index: %w", err)
	}
	return out, nil
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

// isNormalized and normalize are chromem-go's (v0.7.0), so that a query is
// scaled exactly as the reference scales it.
func isNormalized(v []float32) bool {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	return math.Abs(math.Sqrt(sq)-1) < 1e-6
}

func normalize(v []float32) []float32 {
	var norm float32
	for _, x := range v {
		norm += x * x
	}
	norm = float32(math.Sqrt(float64(norm)))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / norm
	}
	return out
}
