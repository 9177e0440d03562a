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
