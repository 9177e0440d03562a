package retrieve

import (
	"context"
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
// Config.MaxRetrievals allows: no more than that many search at once.
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

	// A retrieval whose context has ended (a deadline passed, a shutdown)
	// still takes its turn: the answer falls back on it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := e.Retrieve(ctx, "Wang Yi Astana", Options{}); err != nil || len(r.Passages) == 0 {
		t.Errorf("Retrieve with an ended context = %d passages, %v; want the lexical ranking", len(r.Passages), err)
	}
}
