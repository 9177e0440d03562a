package vecscan

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/scobot/scobot/rag"
)

// Block sizes: how many rows one goroutine scores at a time.
const (
	// sparseBlock rows share one inverted block; it bounds a row's local
	// number to uint16 and keeps the block's float32 accumulator (64 KiB)
	// in the CPU's L2 cache.
	sparseBlock = 1 << 14
	// denseBlock rows are one unit of work of the dense scan.
	denseBlock = 1 << 10
)

// maxSparseShare is the largest share of non-zero components for which the
// sparse form is kept. A non-zero costs 6 bytes in it (a uint16 row, a
// float32 value) against 4 bytes a component dense, so at 1/4 the sparse
// form is still 2.7 times smaller, and a query touches only its own
// dimensions. rag/hashembed's vectors are about 1/8 non-zero.
const maxSparseShare = 0.25

// packed is one immutable packed copy of a Source's vectors.
type packed struct {
	gen    uint64
	dim    int
	n      int
	chunks []rag.Chunk // by row, ordered by (Doc, Pos)
	rowDoc []int32     // row → document number
	docs   map[string]docRows

	sparse []invBlock // the sparse form, or
	dense  []float32  // the dense form: row r is dense[r*dim:(r+1)*dim]

	scratch sync.Pool // of *scratch: searches reuse their scratch space
}

// docRows is the rows [lo, hi) of one document and its number.
type docRows struct {
	num    int32
	lo, hi int
}

// invBlock is the inverted form of rows [lo, lo+len) of the index: the
// postings of dimension d are rows[start[d]:start[d+1]] (numbered from lo)
// with their values in vals.
type invBlock struct {
	lo, len int
	start   []uint32
	rows    []uint16
	vals    []float32
}

// pack reads every vector of src into the sparse form while they are sparse
// enough, else into the dense form.
func pack(ctx context.Context, src Source) (*packed, error) {
	p := &packed{docs: map[string]docRows{}}
	var (
		// The sparse rows read so far (CSR), until the vectors prove dense.
		rowStart = []int{0}
		idx      []uint16
		vals     []float32
		isDense  bool
		dim      int
	)
	gen, srcDim, err := src.EachVector(ctx, func(c rag.Chunk, vec []float32) error {
		if dim == 0 {
			dim = len(vec)
		}
		if len(vec) != dim || dim == 0 {
			return fmt.Errorf("vector of %d dimensions among vectors of %d", len(vec), dim)
		}
		row := len(p.chunks)
		d, ok := p.docs[c.Doc]
		switch {
		case !ok:
			d = docRows{num: int32(len(p.docs)), lo: row}
		case d.hi != row:
			return errors.New("chunks of one document are not contiguous")
		}
		d.hi = row + 1
		p.docs[c.Doc] = d
		p.chunks = append(p.chunks, c)
		p.rowDoc = append(p.rowDoc, d.num)

		if isDense {
			p.dense = append(p.dense, vec...)
			return nil
		}
		for i, x := range vec {
			if x != 0 {
				idx = append(idx, uint16(i))
				vals = append(vals, x)
			}
		}
		rowStart = append(rowStart, len(idx))
		if dim > 1<<16 || float64(len(idx)) > maxSparseShare*float64(len(p.chunks)*dim) {
			isDense = true
			p.dense = csrToDense(rowStart, idx, vals, dim)
			rowStart, idx, vals = nil, nil, nil
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(p.chunks) > 0 && srcDim != dim {
		return nil, fmt.Errorf("index says its vectors have %d dimensions, they have %d", srcDim, dim)
	}
	p.gen, p.dim, p.n = gen, srcDim, len(p.chunks)
	if !isDense && p.n > 0 {
		p.sparse = invert(rowStart, idx, vals, dim)
	}
	return p, nil
}

// csrToDense expands sparse rows into a dense row-major matrix.
func csrToDense(rowStart []int, idx []uint16, vals []float32, dim int) []float32 {
	n := len(rowStart) - 1
	m := make([]float32, n*dim, 2*n*dim)
	for r := range n {
		row := m[r*dim : (r+1)*dim]
		for j := rowStart[r]; j < rowStart[r+1]; j++ {
			row[idx[j]] = vals[j]
		}
	}
	return m
}

// invert turns sparse rows into inverted blocks of sparseBlock rows.
func invert(rowStart []int, idx []uint16, vals []float32, dim int) []invBlock {
	n := len(rowStart) - 1
	var blocks []invBlock
	for lo := 0; lo < n; lo += sparseBlock {
		hi := min(lo+sparseBlock, n)
		b := invBlock{lo: lo, len: hi - lo, start: make([]uint32, dim+1)}
		for j := rowStart[lo]; j < rowStart[hi]; j++ {
			b.start[idx[j]+1]++
		}
		for d := range dim {
			b.start[d+1] += b.start[d]
		}
		nnz := rowStart[hi] - rowStart[lo]
		b.rows = make([]uint16, nnz)
		b.vals = make([]float32, nnz)
		next := make([]uint32, dim)
		copy(next, b.start[:dim])
		for r := lo; r < hi; r++ {
			for j := rowStart[r]; j < rowStart[r+1]; j++ {
				d := idx[j]
				b.rows[next[d]] = uint16(r - lo)
				b.vals[next[d]] = vals[j]
				next[d]++
			}
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// bytes is the packed form's memory: the vectors, the row tables and the
// chunk table (whose strings are shared with the Source, not counted).
func (p *packed) bytes() int {
	n := len(p.dense)*4 + len(p.rowDoc)*4 + len(p.chunks)*int(unsafe.Sizeof(rag.Chunk{}))
	for _, b := range p.sparse {
		n += len(b.start)*4 + len(b.rows)*2 + len(b.vals)*4
	}
	return n
}

// Form names the packed form, for logs and benchmarks: "sparse", "dense" or
// "empty".
func (x *Index) Form(ctx context.Context) (string, error) {
	p, err := x.current(ctx)
	switch {
	case err != nil:
		return "", err
	case p.sparse != nil:
		return "sparse", nil
	case p.dense != nil:
		return "dense", nil
	}
	return "empty", nil
}
