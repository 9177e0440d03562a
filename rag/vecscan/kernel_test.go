package vecscan

import (
	"math/rand/v2"
	"testing"
)

// dotInt8 is the kernel an int8 form (one byte a component, a scale per
// vector) would scan with; it is here only to measure that form against
// the float32 one (BenchmarkKernel), which is why the dense form is float32.
func dotInt8(a, b []int8) int32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 int32
	for i := 0; i+4 <= len(a); i += 4 {
		s0 += int32(a[i]) * int32(b[i])
		s1 += int32(a[i+1]) * int32(b[i+1])
		s2 += int32(a[i+2]) * int32(b[i+2])
		s3 += int32(a[i+3]) * int32(b[i+3])
	}
	return (s0 + s1) + (s2 + s3)
}

// BenchmarkKernel scans 100k dense 1,024-dimensional rows on one goroutine
// with the float32 kernel of the dense form (dot4, 400 MB) and with an int8
// kernel (100 MB), to weigh the two dense forms; ns/op is one full scan.
func BenchmarkKernel(b *testing.B) {
	const n, dim = 100_000, 1024
	r := rand.New(rand.NewPCG(1, 1))
	b.Run("float32", func(b *testing.B) {
		m := make([]float32, n*dim)
		for i := range m {
			m[i] = float32(r.NormFloat64())
		}
		q := m[:dim]
		var sink float32
		for b.Loop() {
			for row := range n {
				sink += dot4(q, m[row*dim:(row+1)*dim])
			}
		}
		_ = sink
	})
	b.Run("int8", func(b *testing.B) {
		m := make([]int8, n*dim)
		for i := range m {
			m[i] = int8(r.IntN(255) - 127)
		}
		q := m[:dim]
		var sink int32
		for b.Loop() {
			for row := range n {
				sink += dotInt8(q, m[row*dim:(row+1)*dim])
			}
		}
		_ = sink
	})
}
