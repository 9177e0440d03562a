package lexical

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

func testIndex() *Index {
	ix := New()
	ix.Add("a", strings.Fields("wang yi attend sco meet astana"))
	ix.Add("b", strings.Fields("wang yi meet lavrov lavrov moscow"))
	ix.Add("c", strings.Fields("vaccin nationalism covid vaccin"))
	ix.Add("d", strings.Fields("sco summit video"))
	ix.Add("e", nil)
	return ix
}

func TestSearch(t *testing.T) {
	ix := testIndex()
	tests := []struct {
		name string
		q    map[string]float64
		k    int
		want []string
	}{
		{"single term", map[string]float64{"lavrov": 1}, 10, []string{"b"}},
		{"more matching terms rank first", map[string]float64{"wang": 1, "astana": 1}, 10, []string{"a", "b"}},
		{"tf counts", map[string]float64{"vaccin": 1, "meet": 1}, 10, []string{"c", "a", "b"}},
		{"k limits", map[string]float64{"wang": 1, "sco": 1}, 1, []string{"a"}},
		{"ties broken by id", map[string]float64{"sco": 1}, 10, []string{"d", "a"}},
		{"weight reorders", map[string]float64{"astana": 0.1, "moscow": 1}, 10, []string{"b", "a"}},
		{"zero and negative weights ignored", map[string]float64{"astana": 0, "moscow": -1, "video": 1}, 10, []string{"d"}},
		{"unknown term", map[string]float64{"dushanbe": 1}, 10, nil},
		{"empty query", nil, 10, nil},
		{"k zero", map[string]float64{"sco": 1}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := ix.Search(tt.q, tt.k)
			var got []string
			for _, h := range hits {
				got = append(got, h.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%v, %d) = %v, want %v", tt.q, tt.k, hits, tt.want)
			}
		})
	}
}

func TestSearchTiesByID(t *testing.T) {
	ix := New()
	for _, id := range []string{"z", "m", "a", "q"} {
		ix.Add(id, []string{"x", "y"})
	}
	hits := ix.Search(map[string]float64{"x": 1}, 3)
	got := []string{hits[0].ID, hits[1].ID, hits[2].ID}
	if want := []string{"a", "m", "q"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSearchScore(t *testing.T) {
	// One document, one term: score = idf * tf*(k1+1)/(tf + k1*(1-b+b*dl/avgdl)).
	ix := New()
	ix.Add("a", []string{"x", "x", "y"})
	ix.Add("b", []string{"y"})
	avg := 2.0
	want := ix.IDF("x") * 2 * (k1 + 1) / (2 + k1*(1-b+b*3/avg))
	hits := ix.Search(map[string]float64{"x": 0.5}, 1)
	if len(hits) != 1 || math.Abs(hits[0].Score-0.5*want) > 1e-12 {
		t.Errorf("Search = %v, want score %v", hits, 0.5*want)
	}
}

func TestIDF(t *testing.T) {
	ix := testIndex()
	tests := []struct {
		term string
		df   int
		idf  float64
	}{
		{"lavrov", 1, math.Log(1 + (5-1+0.5)/(1+0.5))},
		{"wang", 2, math.Log(1 + (5-2+0.5)/(2+0.5))},
		{"nothing", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.term, func(t *testing.T) {
			if got := ix.DocFreq(tt.term); got != tt.df {
				t.Errorf("DocFreq(%q) = %d, want %d", tt.term, got, tt.df)
			}
			if got := ix.IDF(tt.term); math.Abs(got-tt.idf) > 1e-12 {
				t.Errorf("IDF(%q) = %v, want %v", tt.term, got, tt.idf)
			}
		})
	}
	if ix.IDF("lavrov") <= ix.IDF("wang") {
		t.Error("rarer term should have higher idf")
	}
	if ix.Len() != 5 {
		t.Errorf("Len() = %d, want 5", ix.Len())
	}
}

func TestEmptyIndex(t *testing.T) {
	ix := New()
	if hits := ix.Search(map[string]float64{"x": 1}, 5); hits != nil {
		t.Errorf("Search on empty index = %v", hits)
	}
	if ix.IDF("x") != 0 || ix.DocFreq("x") != 0 || ix.Len() != 0 {
		t.Error("empty index should know nothing")
	}
}

func TestAddTwicePanics(t *testing.T) {
	ix := New()
	ix.Add("a", []string{"x"})
	defer func() {
		if recover() == nil {
			t.Error("second Add of the same id did not panic")
		}
	}()
	ix.Add("a", []string{"y"})
}

// TestSearchMatchesBruteForce compares Search with a direct BM25 over every
// document on random data.
func TestSearchMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := synthDocs(rng, 300, 40)
	ix := New()
	for i, d := range docs {
		ix.Add(docID(i), d)
	}
	for qi := range 50 {
		q := map[string]float64{}
		for range 1 + rng.IntN(5) {
			q[synthTerm(rng)] = 0.25 + rng.Float64()
		}
		want := bruteForce(docs, q, 10)
		got := ix.Search(q, 10)
		if len(got) != len(want) {
			t.Fatalf("query %d %v: got %d hits, want %d", qi, q, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-9 {
				t.Fatalf("query %d %v: hit %d = %v, want %v", qi, q, i, got[i], want[i])
			}
		}
	}
}

func bruteForce(docs [][]string, q map[string]float64, k int) []Hit {
	n := len(docs)
	total := 0
	df := map[string]int{}
	for _, d := range docs {
		total += len(d)
		seen := map[string]bool{}
		for _, t := range d {
			if !seen[t] {
				df[t]++
				seen[t] = true
			}
		}
	}
	avg := float64(total) / float64(n)
	var hits []Hit
	for i, d := range docs {
		tf := map[string]int{}
		for _, t := range d {
			tf[t]++
		}
		s := 0.0
		for term, w := range q {
			if tf[term] == 0 {
				continue
			}
			f := float64(tf[term])
			s += w * idf(n, df[term]) * f * (k1 + 1) / (f + k1*(1-b+b*float64(len(d))/avg))
		}
		if s > 0 {
			hits = append(hits, Hit{ID: docID(i), Score: s})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case math.Abs(a.Score-b.Score) > 1e-12:
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return hits[:min(k, len(hits))]
}

func TestConcurrentSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ix := New()
	for i, d := range synthDocs(rng, 500, 30) {
		ix.Add(docID(i), d)
	}
	q := map[string]float64{"t1": 1, "t7": 0.5, "t30": 1}
	want := ix.Search(q, 10)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := ix.Search(q, 10); !slices.Equal(got, want) {
					t.Errorf("concurrent Search = %v, want %v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestSearchInParts: scored in ranges of documents at once, a search
// finds what it finds in one pass, scores and order alike.
func TestSearchInParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ix := New()
	for i, d := range synthDocs(rng, 3000, 60) {
		ix.Add(docID(i), d)
	}
	for _, terms := range [][]string{{"t0", "t1", "t2", "t5"}, {"t3"}, {"t8", "t900", "t4"}} {
		var lists []weighted
		for _, term := range terms {
			ps := ix.list(ix.terms[term])
			lists = append(lists, weighted{ps, ix.IDF(term)})
		}
		want := ix.search(lists, 40, 1)
		for _, parts := range []int{2, 3, 7} {
			if got := ix.search(lists, 40, parts); !slices.Equal(got, want) {
				t.Errorf("%v in %d parts: %v, want %v", terms, parts, got, want)
			}
		}
	}
}

// synthDocs returns n documents of about size terms each, drawn from a
// Zipf-distributed vocabulary like natural text.
func synthDocs(rng *rand.Rand, n, size int) [][]string {
	docs := make([][]string, n)
	for i := range docs {
		l := size/2 + rng.IntN(size)
		d := make([]string, l)
		for j := range d {
			d[j] = synthTerm(rng)
		}
		docs[i] = d
	}
	return docs
}

// synthTerm draws a term from a 50,000-word vocabulary with a Zipf-like
// distribution (term "t<r>" with probability about proportional to 1/(r+1)).
func synthTerm(rng *rand.Rand) string {
	r := int(math.Exp(rng.Float64()*math.Log(50000))) - 1
	return fmt.Sprintf("t%d", r)
}

func docID(i int) string { return fmt.Sprintf("doc%06d#0", i) }

func TestHas(t *testing.T) {
	ix := testIndex()
	for _, c := range []struct {
		id, term string
		want     bool
	}{
		{"a", "astana", true},
		{"b", "lavrov", true},
		{"d", "video", true},
		{"a", "lavrov", false},   // the term is elsewhere
		{"e", "sco", false},      // an empty document
		{"a", "dushanbe", false}, // an unknown term
		{"z", "sco", false},      // an unknown document
	} {
		if got := ix.Has(c.id, c.term); got != c.want {
			t.Errorf("Has(%q, %q) = %v, want %v", c.id, c.term, got, c.want)
		}
	}
}

// TestDumpRoundTrip: an index built again from its Dump searches as it
// does; a Dump whose numbers disagree is refused.
func TestDumpRoundTrip(t *testing.T) {
	ix := New()
	ix.Add("a", []string{"sco", "summit", "astana", "summit"})
	ix.Add("b", []string{"sco", "dushanbe"})
	ix.Add("c", nil)
	ix.Add("d", []string{"astana", "astana", "wang"})
	again, err := FromDump(dump(ix))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []map[string]float64{{"sco": 1}, {"astana": 1, "summit": 0.5}, {"wang": 1, "dushanbe": 2}, {"none": 1}} {
		if got, want := again.Search(q, 10), ix.Search(q, 10); !slices.Equal(got, want) {
			t.Errorf("Search(%v) = %v, want %v", q, got, want)
		}
	}
	if again.Len() != ix.Len() || again.IDF("sco") != ix.IDF("sco") || !again.Has("d", "wang") {
		t.Error("Len, IDF or Has differ after the round trip")
	}
	d := dump(ix)
	bad := []Dump{
		{IDs: d.IDs, Lens: d.Lens[:1], Terms: d.Terms, Postings: d.Postings},
		{IDs: []string{"a", "a", "b", "c"}, Lens: d.Lens, Terms: d.Terms, Postings: d.Postings},
		{IDs: d.IDs, Lens: d.Lens, Terms: d.Terms, Postings: append([][]Posting{{{Doc: 9, TF: 1}}}, d.Postings[1:]...)},
	}
	for i, b := range bad {
		if _, err := FromDump(b); err == nil {
			t.Errorf("bad dump %d accepted", i)
		}
	}
}

// dump returns ix as the plain data FromDump takes: the index's own slices,
// and its postings decoded.
func dump(ix *Index) Dump {
	terms := make([]string, len(ix.terms))
	for t, n := range ix.terms {
		terms[n] = t
	}
	ps := ix.postings
	if ix.lazy != nil {
		ps = make([][]Posting, len(terms))
		for i := range ps {
			ps[i] = ix.lazy.list(int32(i))
		}
	}
	return Dump{IDs: ix.ids, Lens: ix.lens, Terms: terms, Postings: ps}
}
