// Package lexical is scobot's in-memory BM25 index over chunk terms.
//
// It knows nothing of tokenisation: callers add documents as term lists
// (from rag/tokens.Terms) and search with weighted term maps, so glossary
// expansions of a query can count for less than the words the user typed.
package lexical

import (
	"cmp"
	"container/heap"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// BM25 parameters. k1=1.2 and b=0.75 are the standard values; on chunks of
// one or two paragraphs, which are close to each other in length, b matters
// little, and nothing in the dev questions argued for tuning them.
const (
	k1 = 1.2
	b  = 0.75
)

// Index is a BM25 index. Build it with Add, then Search it: once the last
// Add has returned, any number of goroutines may call Search, IDF, DocFreq
// and Len at the same time. Add must not run concurrently with anything,
// nor be called on an index from FromPostings.
type Index struct {
	ids      []string         // document number → id
	byID     map[string]int32 // id → document number
	lens     []int32          // document number → number of terms
	totalLen int64
	terms    map[string]int32          // term → term number
	postings [][]Posting               // term number → postings, in document-number order
	lazy     *encodedPostings          // FromPostings's postings, decoded when first read; then postings is nil
	tf       map[string]int32          // Add's scratch term counts, cleared after each use
	norms    atomic.Pointer[[]float64] // document number → BM25 length norm, made at the first search after an Add

	pool sync.Pool // *scratch, reused by Search
}

// Hit is one search result.
type Hit struct {
	ID    string
	Score float64
}

// New returns an empty index.
func New() *Index {
	return &Index{byID: make(map[string]int32), terms: make(map[string]int32), tf: make(map[string]int32)}
}

// Add indexes one document (a chunk) under id with the given terms,
// duplicates counting towards term frequency. A document with no terms is
// counted (it has length 0) but never found. Add panics if id was already
// added: one document per id is the index's invariant, and chunk IDs are
// unique by construction.
func (ix *Index) Add(id string, terms []string) {
	if _, ok := ix.byID[id]; ok {
		panic(fmt.Sprintf("lexical: document %q added twice", id))
	}
	if ix.lazy != nil {
		panic("lexical: Add on an index of encoded postings")
	}
	doc := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.byID[id] = doc
	ix.lens = append(ix.lens, int32(len(terms)))
	ix.totalLen += int64(len(terms))
	ix.norms.Store(nil)

	tf := ix.tf
	defer clear(tf)
	for _, t := range terms {
		tf[t]++
	}
	for t, n := range tf {
		tn, ok := ix.terms[t]
		if !ok {
			tn = int32(len(ix.postings))
			ix.terms[t] = tn
			ix.postings = append(ix.postings, nil)
		}
		ix.postings[tn] = append(ix.postings[tn], Posting{Doc: doc, TF: n})
	}
}

// Len returns the number of documents in the index.
func (ix *Index) Len() int { return len(ix.ids) }

// DocFreq returns the number of documents that contain term.
func (ix *Index) DocFreq(term string) int {
	tn, ok := ix.terms[term]
	if !ok {
		return 0
	}
	if ix.lazy != nil {
		return int(ix.lazy.df[tn])
	}
	return len(ix.postings[tn])
}

// list returns the postings of term number tn.
func (ix *Index) list(tn int32) []Posting {
	if ix.lazy != nil {
		return ix.lazy.list(tn)
	}
	return ix.postings[tn]
}

// Has reports whether the document with id holds term.
func (ix *Index) Has(id, term string) bool {
	doc, ok := ix.byID[id]
	if !ok {
		return false
	}
	tn, ok := ix.terms[term]
	if !ok {
		return false
	}
	_, found := slices.BinarySearchFunc(ix.list(tn), doc, func(p Posting, d int32) int { return cmp.Compare(p.Doc, d) })
	return found
}

// IDF returns the BM25 inverse document frequency of term,
// ln(1 + (N - df + 0.5) / (df + 0.5)), which is always positive for a known
// term; it is 0 for a term no document contains.
func (ix *Index) IDF(term string) float64 {
	df := ix.DocFreq(term)
	if df == 0 {
		return 0
	}
	return idf(len(ix.ids), df)
}

func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// Search ranks documents for the weighted query q (term → weight; a term's
// BM25 contribution is multiplied by its weight, and terms with a weight of
// zero or less are ignored). It returns at most k hits with a positive score,
// best first, ties broken by ascending id. Only the postings of the query's
// terms are read; when they are many (parallelPostings), ranges of
// documents are scored on every core at once, each term's postings in
// them in the same order, so the scores are the same.
func (ix *Index) Search(q map[string]float64, k int) []Hit {
	if k <= 0 || len(ix.ids) == 0 {
		return nil
	}
	// Terms are scored in sorted order so that floating-point sums, and so
	// ties, are the same on every run.
	var lists []weighted
	total := 0
	for _, term := range slices.Sorted(maps.Keys(q)) {
		w := q[term]
		tn, ok := ix.terms[term]
		if !ok || w <= 0 {
			continue
		}
		ps := ix.list(tn)
		lists = append(lists, weighted{ps, w * idf(len(ix.ids), len(ps))})
		total += len(ps)
	}
	parts := 1
	if total >= parallelPostings {
		parts = runtime.GOMAXPROCS(0)
	}
	return ix.search(lists, k, parts)
}

// search returns the best k documents for lists, scoring the documents in
// parts ranges at once.
func (ix *Index) search(lists []weighted, k, parts int) []Hit {
	parts = max(1, min(parts, len(ix.ids)))
	sc := ix.scratch()
	defer ix.pool.Put(sc)
	for len(sc.touched) < parts {
		sc.touched = append(sc.touched, nil)
	}
	if parts == 1 {
		ix.score(sc, 0, lists, 0, int32(len(ix.ids)))
		return ix.top(sc, 0, k)
	}
	tops := make([][]Hit, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := int32(p*len(ix.ids)/parts), int32((p+1)*len(ix.ids)/parts)
		wg.Go(func() {
			ix.score(sc, p, lists, lo, hi)
			tops[p] = ix.top(sc, p, k)
		})
	}
	wg.Wait()
	hits := slices.Concat(tops...)
	slices.SortFunc(hits, compareHits)
	return hits[:min(k, len(hits))]
}

// parallelPostings is how many postings a search reads before it scores
// on every core: about 0.1 ms of scoring, against microseconds to start
// the goroutines. Measured with BenchmarkSearch (8-term questions over
// Zipf-distributed text, 227k postings read on average at 100k documents,
// 2 cores, 3 runs each): docs=100000 0.95-1.06 ms at 1<<18, 0.64 ms at
// 1<<15, 0.66-0.68 ms at 1<<12; docs=10000 and docs=1000 equal within the
// noise at all three.
const parallelPostings = 1 << 15

// weighted is the postings of one query term with its weight times IDF.
type weighted struct {
	ps   []Posting
	wIDF float64
}

// score adds the BM25 scores of the documents numbered lo to hi (not
// included) for lists into sc.scores, noting the documents first touched
// in sc.touched[part]. It goes through the documents a block at a time,
// every list's postings in the block in turn: each document's sum is
// added up in the lists' order as in one pass list by list, while the
// block's scores and norms stay in the core's cache (a pass list by list
// over a million documents reads 16 MB of them again for every list).
func (ix *Index) score(sc *scratch, part int, lists []weighted, lo, hi int32) {
	norms := ix.lengthNorms()
	scores := sc.scores[:len(norms)] // locals: an append cannot change them
	touched := sc.touched[part]
	next := make([]int, len(lists)) // each list's first posting not scored
	for i, l := range lists {
		next[i], _ = slices.BinarySearchFunc(l.ps, lo, func(p Posting, d int32) int { return cmp.Compare(p.Doc, d) })
	}
	for blo := lo; blo < hi; blo += scoreBlock {
		bhi := min(hi, blo+scoreBlock)
		for i, l := range lists {
			ps := l.ps[next[i]:]
			n := 0
			for _, p := range ps {
				if p.Doc >= bhi {
					break
				}
				tf := float64(p.TF)
				s := scores[p.Doc]
				if s == 0 {
					touched = append(touched, p.Doc)
				}
				scores[p.Doc] = s + l.wIDF*tf*(k1+1)/(tf+norms[p.Doc])
				n++
			}
			next[i] += n
		}
	}
	sc.touched[part] = touched
}

// scoreBlock is how many documents score takes at a time: their scores
// and norms, 16 bytes a document, fit in a core's L2 cache.
const scoreBlock = 1 << 15

// lengthNorms returns each document's BM25 length norm, k1·(1 − b +
// b·length/average length), worked out once for all searches until the
// next Add (goroutines searching at once may each work it out).
func (ix *Index) lengthNorms() []float64 {
	if p := ix.norms.Load(); p != nil {
		return *p
	}
	avgLen := float64(ix.totalLen) / float64(len(ix.ids))
	if avgLen == 0 {
		avgLen = 1
	}
	norms := make([]float64, len(ix.lens))
	for d, l := range ix.lens {
		norms[d] = k1 * (1 - b + b*float64(l)/avgLen)
	}
	ix.norms.Store(&norms)
	return norms
}

// scratch is per-search working memory: a dense score array indexed by
// document number, and for each range of documents scored apart the
// documents whose score became non-zero, so that resetting it costs only
// what the search touched.
type scratch struct {
	scores  []float64
	touched [][]int32
}

func (ix *Index) scratch() *scratch {
	sc, _ := ix.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.scores) < len(ix.ids) {
		sc.scores = make([]float64, len(ix.ids))
	}
	return sc
}

// top returns the best k documents of sc.touched[part] and resets their
// scratch space.
func (ix *Index) top(sc *scratch, part, k int) []Hit {
	touched := sc.touched[part]
	h := hitHeap(make([]Hit, 0, min(k, len(touched))))
	for _, d := range touched {
		score := sc.scores[d]
		sc.scores[d] = 0
		if len(h) == k && score < h[0].Score {
			continue // not among the best: the common case, cheaply
		}
		hit := Hit{ID: ix.ids[d], Score: score}
		switch {
		case len(h) < k:
			heap.Push(&h, hit)
		case better(hit, h[0]):
			h[0] = hit
			heap.Fix(&h, 0)
		}
	}
	sc.touched[part] = touched[:0]
	hits := []Hit(h)
	slices.SortFunc(hits, compareHits)
	return hits
}

// compareHits orders hits best first: higher score, then smaller id.
func compareHits(a, b Hit) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
}

// better reports whether a ranks before b: higher score, then smaller id.
func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return cmp.Less(a.ID, b.ID)
}

// hitHeap is a min-heap with the worst kept hit at the root.
type hitHeap []Hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(Hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Posting records that document number Doc (in Add order) holds a term TF
// times.
type Posting struct {
	Doc int32
	TF  int32
}

// Dump is an Index as plain data, for building it with FromDump without
// the Adds (the engine lays out its postings itself, then makes the index
// of them).
type Dump struct {
	IDs      []string    // document number (Add order) → id
	Lens     []int32     // document number → number of terms
	Terms    []string    // term number → term
	Postings [][]Posting // term number → postings, in document-number order
}

// Documents returns the ids and lengths (in terms) of the index's
// documents in document-number order, as a Dump holds them. The slices are the index's own: do not modify them.
func (ix *Index) Documents() (ids []string, lens []int32) { return ix.ids, ix.lens }

// FromDump returns the index d describes (as the index gave it, or with the
// terms numbered otherwise: numbering is not observable). It keeps d's
// slices. It checks that the numbers in d agree.
func FromDump(d Dump) (*Index, error) {
	if len(d.Postings) != len(d.Terms) {
		return nil, fmt.Errorf("couldn't load a BM25 index: %d terms, %d posting lists", len(d.Terms), len(d.Postings))
	}
	ix, err := newFrom(d.IDs, d.Lens, d.Terms)
	if err != nil {
		return nil, err
	}
	ix.postings = make([][]Posting, len(d.Postings))
	for i, t := range d.Terms {
		prev := int32(-1)
		for _, p := range d.Postings[i] {
			if p.Doc <= prev || int(p.Doc) >= len(d.IDs) || p.TF <= 0 {
				return nil, fmt.Errorf("couldn't load a BM25 index: postings of %q out of order or range", t)
			}
			prev = p.Doc
		}
		ix.postings[i] = d.Postings[i]
	}
	return ix, nil
}

// newFrom returns an index of the documents ids of lengths lens, with
// terms numbered in their order, and no postings yet. It keeps ids and
// lens.
func newFrom(ids []string, lens []int32, terms []string) (*Index, error) {
	if len(lens) != len(ids) {
		return nil, fmt.Errorf("couldn't load a BM25 index: %d ids, %d lengths", len(ids), len(lens))
	}
	ix := &Index{ids: ids, lens: lens, byID: make(map[string]int32, len(ids)), terms: make(map[string]int32, len(terms)), tf: make(map[string]int32)}
	for i, id := range ids {
		if _, dup := ix.byID[id]; dup {
			return nil, fmt.Errorf("couldn't load a BM25 index: document %q twice", id)
		}
		ix.byID[id] = int32(i)
		ix.totalLen += int64(lens[i])
	}
	for i, t := range terms {
		if _, dup := ix.terms[t]; dup {
			return nil, fmt.Errorf("couldn't load a BM25 index: term %q twice", t)
		}
		ix.terms[t] = int32(i)
	}
	return ix, nil
}
