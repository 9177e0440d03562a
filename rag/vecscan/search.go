package vecscan

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/scobot/scobot/rag"
)

// hit is one scored row.
type hit struct {
	score float32
	row   int32
}

// better orders hits best first: higher score, then lower row (rows are
// ordered by Doc and Pos, the reference's tie order).
func better(a, b hit) bool {
	return a.score > b.score || (a.score == b.score && a.row < b.row)
}

// topK keeps the best k hits pushed into it, in a heap whose root is the
// worst kept.
type topK struct {
	k    int
	hits []hit
}

func (t *topK) reset(k int) { t.k, t.hits = k, t.hits[:0] }

// push offers h.
func (t *topK) push(h hit) {
	if len(t.hits) < t.k {
		t.hits = append(t.hits, h)
		// sift up
		i := len(t.hits) - 1
		for i > 0 {
			parent := (i - 1) / 2
			if !better(t.hits[parent], t.hits[i]) {
				break
			}
			t.hits[parent], t.hits[i] = t.hits[i], t.hits[parent]
			i = parent
		}
		return
	}
	if !better(h, t.hits[0]) {
		return
	}
	t.hits[0] = h
	// sift down
	i, n := 0, len(t.hits)
	for {
		worst := i
		if l := 2*i + 1; l < n && better(t.hits[worst], t.hits[l]) {
			worst = l
		}
		if r := 2*i + 2; r < n && better(t.hits[worst], t.hits[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.hits[i], t.hits[worst] = t.hits[worst], t.hits[i]
		i = worst
	}
}

// worker is one goroutine's scratch space.
type worker struct {
	acc []float32 // the sparse scan's accumulator, one block long
	top topK
}

// scratch is one search's scratch space, reused across searches, and the
// search's parameters, which its workers read.
type scratch struct {
	workers []worker
	qdims   []uint16 // the query's non-zero dimensions, ascending
	docOK   []bool   // document number → allowed, when filtered
	blockOK []bool   // block → holds an allowed row, when filtered
	merged  []hit

	ctx      context.Context
	p        *packed
	q        []float32
	pool     int // hits each worker keeps
	nBlocks  int
	filtered bool
	next     atomic.Int64 // the next block to score
}

// search scores every allowed row against the unit query q and returns the
// best k as passages, best first, with the reference's scores.
func (p *packed) search(ctx context.Context, q []float32, k int, docs map[string]bool, workers int) ([]rag.Passage, error) {
	blockRows := denseBlock
	if p.sparse != nil {
		blockRows = sparseBlock
	}
	nBlocks := (p.n + blockRows - 1) / blockRows
	workers = max(1, min(workers, nBlocks))

	s := p.getScratch(workers)
	defer func() {
		s.ctx, s.q = nil, nil
		p.scratch.Put(s)
	}()

	filtered := docs != nil
	if filtered {
		clear(s.docOK)
		clear(s.blockOK)
		any := false
		for id, ok := range docs {
			d, indexed := p.docs[id]
			if !ok || !indexed {
				continue
			}
			any = true
			s.docOK[d.num] = true
			for b := d.lo / blockRows; b <= (d.hi-1)/blockRows; b++ {
				s.blockOK[b] = true
			}
		}
		if !any {
			return nil, nil
		}
	}

	pool := k
	if p.sparse == nil {
		// The dense scan's sums are reordered for speed; rescoring a wider
		// pool in the reference's order gives the reference's top k.
		pool = 2*k + 16
	} else {
		s.qdims = s.qdims[:0]
		for d, x := range q {
			if x != 0 {
				s.qdims = append(s.qdims, uint16(d))
			}
		}
	}
	s.ctx, s.p, s.q, s.pool, s.nBlocks, s.filtered = ctx, p, q, pool, nBlocks, filtered
	s.next.Store(0)
	if workers == 1 {
		s.run(&s.workers[0])
	} else {
		var wg sync.WaitGroup
		for i := range workers {
			wg.Go(func() { s.run(&s.workers[i]) })
		}
		wg.Wait()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	s.merged = s.merged[:0]
	for i := range workers {
		s.merged = append(s.merged, s.workers[i].top.hits...)
	}
	if p.sparse == nil {
		for i, h := range s.merged {
			r := int(h.row)
			s.merged[i].score = dotRef(q, p.dense[r*p.dim:(r+1)*p.dim])
		}
	}
	slices.SortFunc(s.merged, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.row, b.row))
	})
	best := s.merged[:min(k, len(s.merged))]
	if len(best) == 0 {
		return nil, nil
	}
	out := make([]rag.Passage, len(best))
	for i, h := range best {
		out[i] = rag.Passage{Chunk: p.chunks[h.row], Score: float64(h.score)}
	}
	return out, nil
}

// run is one worker's loop: it takes blocks until none is left (or the
// search's context ends) and keeps its best hits in w.top.
func (s *scratch) run(w *worker) {
	p := s.p
	w.top.reset(s.pool)
	var docOK []bool
	if s.filtered {
		docOK = s.docOK
	}
	for s.ctx.Err() == nil {
		b := int(s.next.Add(1) - 1)
		if b >= s.nBlocks {
			return
		}
		if s.filtered && !s.blockOK[b] {
			continue
		}
		if p.sparse != nil {
			p.scanSparse(&p.sparse[b], s.q, s.qdims, docOK, w)
		} else {
			p.scanDense(b*denseBlock, min((b+1)*denseBlock, p.n), s.q, docOK, w)
		}
	}
}

// getScratch returns a scratch space with at least workers workers.
func (p *packed) getScratch(workers int) *scratch {
	s, _ := p.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{docOK: make([]bool, len(p.docs)), blockOK: make([]bool, len(p.sparse)+(p.n+denseBlock-1)/denseBlock)}
	}
	for len(s.workers) < workers {
		w := worker{}
		if p.sparse != nil {
			w.acc = make([]float32, sparseBlock)
		}
		s.workers = append(s.workers, w)
	}
	return s
}

// scanSparse scores the rows of block b: for each of the query's non-zero
// dimensions in ascending order, it adds q[d]·v into each row's
// accumulator, which is the order in which chromem-go's dense loop adds the
// non-zero terms (its zero terms change nothing), so the sums are identical.
func (p *packed) scanSparse(b *invBlock, q []float32, qdims []uint16, docOK []bool, w *worker) {
	acc := w.acc[:b.len]
	clear(acc)
	for _, d := range qdims {
		qv := q[d]
		lo, hi := b.start[d], b.start[d+1]
		rows := b.rows[lo:hi]
		vals := b.vals[lo:hi:hi]
		for i, r := range rows {
			acc[r] += qv * vals[i]
		}
	}
	top := &w.top
	for r, sc := range acc {
		row := b.lo + r
		if docOK != nil && !docOK[p.rowDoc[row]] {
			continue
		}
		if len(top.hits) == top.k && sc < top.hits[0].score {
			continue // the common case, decided without a call
		}
		top.push(hit{score: sc, row: int32(row)})
	}
}

// scanDense scores rows [lo, hi) with a four-accumulator dot product.
func (p *packed) scanDense(lo, hi int, q []float32, docOK []bool, w *worker) {
	dim := p.dim
	top := &w.top
	for row := lo; row < hi; row++ {
		if docOK != nil && !docOK[p.rowDoc[row]] {
			continue
		}
		sc := dot4(q, p.dense[row*dim:(row+1)*dim])
		if len(top.hits) == top.k && sc < top.hits[0].score {
			continue
		}
		top.push(hit{score: sc, row: int32(row)})
	}
}

// dot4 is a·b summed in four independent accumulators, which lets the CPU
// overlap four multiply-adds; len(b) must equal len(a).
func dot4(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// dotRef is a·b summed in chromem-go's order, giving its exact scores.
func dotRef(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
