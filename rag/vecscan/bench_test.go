package vecscan_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/scobot/scobot/rag/vecscan"
)

// BenchmarkSearch compares, in one run, chromem-go's exact search
// (Store.Search) with the packed scan on the same index at 1k, 10k and 100k
// chunks, for hashembed's sparse vectors (of a 60-word vocabulary, and of
// 120-word chunks of a 30,000-word one, about as dense as real reports')
// and for dense random unit vectors (1,024 dimensions), k = 50. The vecscan runs report the packed form's
// memory (packed-bytes) beside what chromem-go holds for the same vectors
// (chromem-vec-bytes, 4 bytes a component).
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	for _, kind := range []string{"hashembed", "hashembed-wide", "dense"} {
		for _, n := range []int{1_000, 10_000, 100_000} {
			c := newCorpus(b, kind, n)
			x := vecscan.New(c.st, 0)
			packedBytes, err := x.Refresh(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, impl := range []string{"chromem", "vecscan"} {
				b.Run(fmt.Sprintf("%s/n=%d/%s", kind, n, impl), func(b *testing.B) {
					search := c.st.Search
					if impl == "vecscan" {
						search = x.Search
					}
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						if ps, err := search(ctx, c.queries[i%len(c.queries)], 50, nil); err != nil || len(ps) != 50 {
							b.Fatal(len(ps), err)
						}
						i++
					}
					if impl == "vecscan" {
						b.ReportMetric(float64(packedBytes), "packed-bytes")
						b.ReportMetric(float64(n*len(c.queries[0])*4), "chromem-vec-bytes")
					}
				})
			}
		}
	}
}
