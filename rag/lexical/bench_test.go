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
