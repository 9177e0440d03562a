package lexical

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// encodedCopy returns an index made by FromPostings from ix's postings,
// with its terms and their encoding.
func encodedCopy(t *testing.T, ix *Index) (*Index, []string, []byte) {
	t.Helper()
	d := dump(ix)
	enc := ix.AppendPostings(nil, d.Terms)
	again, err := FromPostings(d.IDs, d.Lens, d.Terms, bytes.Clone(enc))
	if err != nil {
		t.Fatal(err)
	}
	return again, d.Terms, enc
}

// TestPostingsRoundTrip: an index made from its encoded postings searches,
// counts and finds terms as the index it was saved from, before and after
// its postings are decoded, and saves the same bytes again.
func TestPostingsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ix := New()
	for i, d := range synthDocs(rng, 2000, 40) {
		ix.Add(docID(i), d)
	}
	ix.Add("empty", nil)
	again, terms, enc := encodedCopy(t, ix)
	if again.lazy == nil {
		t.Fatal("FromPostings decoded the postings at once")
	}
	if got := again.AppendPostings(nil, terms); !bytes.Equal(got, enc) {
		t.Error("the postings, saved again undecoded, differ")
	}
	queries := []map[string]float64{{"t1": 1}, {"t3": 1, "t40": 0.5, "t999": 2}, {"t2": 1, "nothing": 1}}
	for _, q := range queries {
		if got, want := again.Search(q, 20), ix.Search(q, 20); !slices.Equal(got, want) {
			t.Errorf("Search(%v) = %v, want %v", q, got, want)
		}
	}
	for _, term := range []string{"t1", "t17", "t4999", "nothing"} {
		if again.DocFreq(term) != ix.DocFreq(term) || again.IDF(term) != ix.IDF(term) {
			t.Errorf("DocFreq or IDF of %q differ", term)
		}
		for _, id := range []string{docID(0), docID(1999), "empty"} {
			if again.Has(id, term) != ix.Has(id, term) {
				t.Errorf("Has(%q, %q) differs", id, term)
			}
		}
	}
	if got := again.AppendPostings(nil, terms); !bytes.Equal(got, enc) {
		t.Error("the postings, saved again partly decoded, differ")
	}
	if d, want := dump(again), dump(ix); !slices.EqualFunc(d.Postings, want.Postings, slices.Equal) {
		t.Error("Dump of the encoded index differs")
	}
	// Decoded whole, it lets the encoding go and still answers and saves
	// the same.
	fresh, _, _ := encodedCopy(t, ix)
	fresh.DecodeAll()
	if fresh.lazy.enc.Load() != nil {
		t.Error("DecodeAll kept the encoding")
	}
	for _, q := range queries {
		if got, want := fresh.Search(q, 20), ix.Search(q, 20); !slices.Equal(got, want) {
			t.Errorf("decoded whole, Search(%v) = %v, want %v", q, got, want)
		}
	}
	if got := fresh.AppendPostings(nil, terms); !bytes.Equal(got, enc) {
		t.Error("the postings, saved again decoded whole, differ")
	}
	// Terms in another order, and one the index lacks, are numbered as
	// given.
	other := append(slices.Clone(terms[1:]), "absent", terms[0])
	re, err := FromPostings(dump(ix).IDs, dump(ix).Lens, other, ix.AppendPostings(nil, other))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := re.Search(queries[1], 20), ix.Search(queries[1], 20); !slices.Equal(got, want) {
		t.Errorf("with terms reordered, Search = %v, want %v", got, want)
	}
}

// TestPostingsDamage: encodings whose table disagrees with the postings
// are refused; a term whose postings are out of order decodes to none,
// without a panic, and the others are still found.
func TestPostingsDamage(t *testing.T) {
	ix := New()
	ix.Add("a", []string{"sco", "summit", "astana", "summit"})
	ix.Add("b", []string{"sco", "dushanbe"})
	ix.Add("c", []string{"astana", "astana", "wang"})
	d := dump(ix)
	enc := ix.AppendPostings(nil, d.Terms)
	for name, bad := range map[string][]byte{
		"cut short":       enc[:len(enc)-1],
		"a byte too many": append(bytes.Clone(enc), 1),
		"table only":      enc[:2],
		"nothing":         nil,
	} {
		if _, err := FromPostings(d.IDs, d.Lens, d.Terms, bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := FromPostings(d.IDs, d.Lens[:1], d.Terms, enc); err == nil {
		t.Error("lengths of fewer documents accepted")
	}
	// "sco" is in a and b: (1, 1) then (1, 1). Point its second posting
	// back at a document number past the last.
	terms := []string{"sco", "wang"}
	good := ix.AppendPostings(nil, terms)
	broken := bytes.Clone(good)
	// table: 2 4 | 1 2 ; postings of sco: 1 1 1 1 ; of wang: 3 1
	if !bytes.Equal(broken, []byte{2, 4, 1, 2, 1, 1, 1, 1, 3, 1}) {
		t.Fatalf("encoding %v, the test expects another", broken)
	}
	broken[6] = 9
	got, err := FromPostings(d.IDs, d.Lens, terms, broken)
	if err != nil {
		t.Fatal(err)
	}
	if hits := got.Search(map[string]float64{"sco": 1}, 5); len(hits) != 0 {
		t.Errorf("damaged postings found %v", hits)
	}
	if !got.Has("c", "wang") || got.Has("a", "sco") {
		t.Error("Has read damaged postings, or lost good ones")
	}
}

// TestPostingsConcurrentDecode: searches at once on a fresh encoded index,
// decoding the same terms together, agree (run with -race).
func TestPostingsConcurrentDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ix := New()
	for i, d := range synthDocs(rng, 500, 30) {
		ix.Add(docID(i), d)
	}
	again, _, _ := encodedCopy(t, ix)
	q := map[string]float64{"t1": 1, "t7": 0.5, "t30": 1}
	want := ix.Search(q, 10)
	var wg sync.WaitGroup
	wg.Go(again.DecodeAll)
	for range 8 {
		wg.Go(func() {
			if got := again.Search(q, 10); !slices.Equal(got, want) {
				t.Errorf("concurrent Search = %v, want %v", got, want)
			}
		})
	}
	wg.Wait()
}
