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
	"slices"
	"sync"
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
// and Len at the same time. Add must not run concurrently with anything.
type Index struct {
	ids      []string         // document number → id
	byID     map[string]int32 // id → document number
	lens     []int32          // document number → number of terms
	totalLen int64
	terms    map[string]int32 // term → term number
	postings [][]Posting      // term number → postings, in document-number order
	tf       map[string]int32 // Add's scratch term counts, cleared after each use

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
	doc := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.byID[id] = doc
	ix.lens = append(ix.lens, int32(len(terms)))
	ix.totalLen += int64(len(terms))

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
	return len(ix.postings[tn])
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
	_, found := slices.BinarySearchFunc(ix.postings[tn], doc, func(p Posting, d int32) int { return cmp.Compare(p.Doc, d) })
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
// terms are read.
func (ix *Index) Search(q map[string]float64, k int) []Hit {
	if k <= 0 || len(ix.ids) == 0 {
		return nil
	}
	sc := ix.scratch()
	defer ix.pool.Put(sc)

	avgLen := float64(ix.totalLen) / float64(len(ix.ids))
	if avgLen == 0 {
		avgLen = 1
	}
	// Terms are scored in sorted order so that floating-point sums, and so
	// ties, are the same on every run.
	for _, term := range slices.Sorted(maps.Keys(q)) {
		w := q[term]
		tn, ok := ix.terms[term]
		if !ok || w <= 0 {
			continue
		}
		ps := ix.postings[tn]
		wIDF := w * idf(len(ix.ids), len(ps))
		for _, p := range ps {
			tf := float64(p.TF)
			norm := k1 * (1 - b + b*float64(ix.lens[p.Doc])/avgLen)
			if sc.scores[p.Doc] == 0 {
				sc.touched = append(sc.touched, p.Doc)
			}
			sc.scores[p.Doc] += wIDF * tf * (k1 + 1) / (tf + norm)
		}
	}
	return ix.top(sc, k)
}

// scratch is per-search working memory: a dense score array indexed by
// document number, and the documents whose score became non-zero, so that
// resetting it costs only what the search touched.
type scratch struct {
	scores  []float64
	touched []int32
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

// top returns the best k touched documents and resets the scratch space.
func (ix *Index) top(sc *scratch, k int) []Hit {
	h := hitHeap(make([]Hit, 0, min(k, len(sc.touched))))
	for _, d := range sc.touched {
		hit := Hit{ID: ix.ids[d], Score: sc.scores[d]}
		sc.scores[d] = 0
		switch {
		case len(h) < k:
			heap.Push(&h, hit)
		case better(hit, h[0]):
			h[0] = hit
			heap.Fix(&h, 0)
		}
	}
	sc.touched = sc.touched[:0]
	hits := []Hit(h)
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	return hits
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

// Dump is an Index as plain data, for saving it and building it again
// with FromDump without the Adds.
type Dump struct {
	IDs      []string    // document number (Add order) → id
	Lens     []int32     // document number → number of terms
	Terms    []string    // term number → term
	Postings [][]Posting // term number → postings, in document-number order
}

// Dump returns the index as plain data. The slices are the index's own: do
// not modify them. Like Search, it may run while other goroutines search.
func (ix *Index) Dump() Dump {
	terms := make([]string, len(ix.postings))
	for t, n := range ix.terms {
		terms[n] = t
	}
	return Dump{IDs: ix.ids, Lens: ix.lens, Terms: terms, Postings: ix.postings}
}

// FromDump returns the index d describes (as Dump gave it, or with the
// terms numbered otherwise: numbering is not observable). It keeps d's
// slices. It checks that the numbers in d agree.
func FromDump(d Dump) (*Index, error) {
	if len(d.Lens) != len(d.IDs) || len(d.Postings) != len(d.Terms) {
		return nil, fmt.Errorf("couldn't load a BM25 index: %d ids, %d lengths, %d terms, %d posting lists", len(d.IDs), len(d.Lens), len(d.Terms), len(d.Postings))
	}
	ix := &Index{ids: d.IDs, lens: d.Lens, byID: make(map[string]int32, len(d.IDs)), terms: make(map[string]int32, len(d.Terms)),
		postings: make([][]Posting, len(d.Postings)), tf: make(map[string]int32)}
	for i, id := range d.IDs {
		if _, dup := ix.byID[id]; dup {
			return nil, fmt.Errorf("couldn't load a BM25 index: document %q twice", id)
		}
		ix.byID[id] = int32(i)
		ix.totalLen += int64(d.Lens[i])
	}
	for i, t := range d.Terms {
		if _, dup := ix.terms[t]; dup {
			return nil, fmt.Errorf("couldn't load a BM25 index: term %q twice", t)
		}
		ix.terms[t] = int32(i)
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
