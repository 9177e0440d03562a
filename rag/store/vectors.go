package store

import (
	"context"
	"fmt"

	"github.com/scobot/scobot/rag"
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
// returned wrapped; so is a context that ends.
func (s *Store) EachVector(ctx context.Context, fn func(c rag.Chunk, vec []float32) error) (gen uint64, dim int, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.chunksLocked() {
		if err := ctx.Err(); err != nil {
			return 0, 0, fmt.Errorf("couldn't read the index's vectors: %w", err)
		}
		d, err := s.chunks.GetByID(ctx, c.ID)
		if err != nil {
			return 0, 0, fmt.Errorf("couldn't read the vector of chunk %q: %w", c.ID, err)
		}
		if err := fn(c, d.Embedding); err != nil {
			return 0, 0, fmt.Errorf("couldn't read the index's vectors at chunk %q: %w", c.ID, err)
		}
	}
	return s.gen, s.dim, nil
}
