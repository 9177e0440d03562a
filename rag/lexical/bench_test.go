package lexical

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var benchSizes = []int{1_000, 10_000, 100_000}

func BenchmarkAdd(b *testing.B) {
	for _, n := range benchSizes {
		docs := synthDocs(rand.New(rand.NewPCG(1, 1)), n, 120)
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix := New()
				for i, d := range docs {
					ix.Add(docID(i), d)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, n := range benchSizes {
		rng := rand.New(rand.NewPCG(1, 1))
		ix := New()
		for i, d := range synthDocs(rng, n, 120) {
			ix.Add(docID(i), d)
		}
		queries := make([]map[string]float64, 64)
		for i := range queries {
			q := map[string]float64{}
			for range 8 {
				q[synthTerm(rng)] = 1
			}
			queries[i] = q
		}
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.Search(queries[i%len(queries)], 10)
				i++
			}
		})
	}
}

// BenchmarkSearchCommon searches with eight terms each in about half of
// 200,000 documents (gencorpus's archive is like that: a 40-word
// vocabulary), the case that reads the most postings.
func BenchmarkSearchCommon(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	ix := New()
	d := make([]string, 30)
	for i := range 200_000 {
		for j := range d {
			d[j] = fmt.Sprintf("w%d", rng.IntN(40))
		}
		ix.Add(docID(i), d)
	}
	q := map[string]float64{}
	for i := range 8 {
		q[fmt.Sprintf("w%d", i)] = 1
	}
	b.ReportAllocs()
	for b.Loop() {
		ix.Search(q, 50)
	}
}
