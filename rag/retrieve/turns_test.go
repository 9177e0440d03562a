package retrieve

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// busyIndex is a vector index whose searches take a while, counting how
// many run at once.
type busyIndex struct {
	now, peak atomic.Int64
}

func (b *busyIndex) Search(context.Context, []float32, int, map[string]bool) ([]rag.Passage, error) {
	n := b.now.Add(1)
	defer b.now.Add(-1)
	for p := b.peak.Load(); n > p && !b.peak.CompareAndSwap(p, n); p = b.peak.Load() {
	}
	time.Sleep(20 * time.Millisecond)
	return nil, nil
}

// TestMaxRetrievalsBoundsRetrievals runs more retrievals at once than
// Config.MaxRetrievals allows: no more than that many search at once, and
// one waiting for its turn gives up with its context.
func TestMaxRetrievalsBoundsRetrievals(t *testing.T) {
	const limit, calls = 2, 8
	idx := &busyIndex{}
	e := NewEngine(Config{Chunks: ragtest.Fixture(), Vector: idx, Embedder: ragtest.Embedder{}, MaxRetrievals: limit})
	e = e.WithVectorShare(0.5) // copies share the bound
	var wg sync.WaitGroup
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.Retrieve(context.Background(), "Wang Yi Astana", Options{}); err != nil {
				t.Errorf("Retrieve: %v", err)
			}
		}()
	}
	wg.Wait()
	if got := idx.peak.Load(); got != limit {
		t.Errorf("%d retrievals searched at once, want MaxRetrievals = %d", got, limit)
	}

	// With every turn taken, a retrieval waits, and ends with its context.
	for range limit {
		e.turns <- struct{}{}
	}
	defer func() {
		for range limit {
			<-e.turns
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := e.Retrieve(ctx, "Wang Yi Astana", Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Retrieve waiting for a turn = %v, want context.DeadlineExceeded", err)
	}
}
