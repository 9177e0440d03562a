package store

import (
	"context"
	"fmt"

	"github.com/scobot/scobot/internal/parallel"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/vecscan"
)

// Generation returns a number that changes whenever the indexed vectors
// change (a Sync that adds, updates or removes documents; an Open that loads
// a snapshot). A packed copy of the vectors (rag/vecscan) compares it with
// the generation it was built from to know when to rebuild.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// EachVector calls fn with every indexed chunk and its unit vector, ordered
// by (Doc, Pos) as Chunks orders them, and returns the generation and vector
// dimension of the index it walked. The index does not change while it runs
// (a Sync waits), so fn must not call back into the Store's Sync. Each vec is
// a copy and the caller's to keep. An error from fn stops the walk and is
// returned wrapped; so is a context that ends. The vectors are read a batch
// at a time on every core; fn is called for them from one goroutine, in
// order.
func (s *Store) EachVector(ctx context.Context, fn func(c rag.Chunk, vec []float32) error) (gen uint64, dim int, err error) {
	s.mu.RLock()
	if r := s.rows; r != nil && r.Gen == s.gen {
		defer s.mu.RUnlock()
		return s.eachRow(ctx, r, fn)
	}
	s.mu.RUnlock()
	if err := s.ensureDB(); err != nil {
		return 0, 0, fmt.Errorf("couldn't read the index's vectors: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	chunks := s.chunksLocked()
	vecs := make([][]float32, min(vectorBatch, len(chunks)))
	for start := 0; start < len(chunks); start += vectorBatch {
		if err := ctx.Err(); err != nil {
			return 0, 0, fmt.Errorf("couldn't read the index's vectors: %w", err)
		}
		batch := chunks[start:min(start+vectorBatch, len(chunks))]
		if err := parallel.For(len(batch), func(i int) error {
			d, err := s.chunks.GetByID(ctx, batch[i].ID)
			if err != nil {
				return fmt.Errorf("couldn't read the vector of chunk %q: %w", batch[i].ID, err)
			}
			vecs[i] = d.Embedding
			return nil
		}); err != nil {
			return 0, 0, err
		}
		for i, c := range batch {
			if err := fn(c, vecs[i]); err != nil {
				return 0, 0, fmt.Errorf("couldn't read the index's vectors at chunk %q: %w", c.ID, err)
			}
		}
		clear(vecs)
	}
	return s.gen, s.dim, nil
}

// vectorBatch is how many vectors EachVector reads ahead of its callback.
const vectorBatch = 1024

// eachRow is EachVector over the compact rows r; the caller holds mu.
func (s *Store) eachRow(ctx context.Context, r *vecscan.Rows, fn func(c rag.Chunk, vec []float32) error) (uint64, int, error) {
	for i, c := range r.Chunks {
		if i%vectorBatch == 0 {
			if err := ctx.Err(); err != nil {
				return 0, 0, fmt.Errorf("couldn't read the index's vectors: %w", err)
			}
		}
		vec := make([]float32, r.Dim)
		if r.Dense != nil {
			copy(vec, r.Dense[i*r.Dim:(i+1)*r.Dim])
		} else {
			for j := r.Start[i]; j < r.Start[i+1]; j++ {
				vec[r.Idx[j]] = r.Vals[j]
			}
		}
		if err := fn(c, vec); err != nil {
			return 0, 0, fmt.Errorf("couldn't read the index's vectors at chunk %q: %w", c.ID, err)
		}
	}
	return s.gen, s.dim, nil
}

// vector is one chunk's unit vector as a Sync holds it from its embedding
// to its commit: sparse — the dimensions of its non-zero components, in
// increasing order, and their values — when at most maxSparseShare of it
// is non-zero (the built-in embedder's are about an eighth), as the rows
// keep it; else dense. A million sparse vectors of 1,024 dimensions hold
// 0.8 GB rather than the 4 GB of their dense form.
type vector struct {
	dense []float32 // the vector, when it is not kept sparse
	idx   []uint16
	vals  []float32
}

// maxSparseShare is the largest share of non-zero components a vector is
// kept sparse with (vecscan keeps the rows sparse up to the same share).
const maxSparseShare = 0.25

// compactVectors returns vs (of dimension dim) as vectors, the sparse ones
// in two arrays shared by the batch.
func compactVectors(vs [][]float32, dim int) []vector {
	nz := 0
	for _, v := range vs {
		for _, x := range v {
			if x != 0 {
				nz++
			}
		}
	}
	out := make([]vector, len(vs))
	idx, vals := make([]uint16, 0, nz), make([]float32, 0, nz)
	for i, v := range vs {
		n := 0
		for _, x := range v {
			if x != 0 {
				n++
			}
		}
		if dim > 1<<16 || float64(n) > maxSparseShare*float64(dim) {
			out[i].dense = v
			continue
		}
		lo := len(idx)
		for j, x := range v {
			if x != 0 {
				idx = append(idx, uint16(j))
				vals = append(vals, x)
			}
		}
		out[i].idx, out[i].vals = idx[lo:len(idx):len(idx)], vals[lo:len(vals):len(vals)]
	}
	return out
}

// sparse reports whether v is kept sparse.
func (v vector) sparse() bool { return v.dense == nil }

// expand returns v's dense form of dimension dim: v.dense, or the
// components written into scratch (cleared first; a new slice when
// scratch is nil).
func (v vector) expand(dim int, scratch []float32) []float32 {
	if !v.sparse() {
		return v.dense
	}
	if scratch == nil {
		scratch = make([]float32, dim)
	}
	clear(scratch)
	for j, d := range v.idx {
		scratch[d] = v.vals[j]
	}
	return scratch
}

// nonZero counts v's non-zero components.
func (v vector) nonZero() int {
	if v.sparse() {
		return len(v.vals)
	}
	n := 0
	for _, x := range v.dense {
		if x != 0 {
			n++
		}
	}
	return n
}
