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

// Rows is a Source's vectors already laid out compactly, one row per chunk
// (as rag/store keeps them in its segment file): sparse rows, or a dense
// matrix when Dense is not nil.
type Rows struct {
	Gen    uint64
	Dim    int
	Chunks []rag.Chunk // by row, ordered by (Doc, Pos)
	// Start, Idx and Vals are sparse rows: the non-zero components of row
	// r are at the dimensions Idx[Start[r]:Start[r+1]], in increasing
	// order, with the values Vals[Start[r]:Start[r+1]].
	Start []uint32
	Idx   []uint16
	Vals  []float32
	// Dense, when not nil, holds the rows instead: row r is
	// Dense[r*Dim:(r+1)*Dim].
	Dense []float32
	// Inverted, when not nil, is the sparse rows already inverted
	// (Invert), which an Index then scans where it lies instead of
	// inverting them again. It must be of these rows.
	Inverted *Inverted
}

// RowSource is a Source that may have its vectors at hand as Rows, so that
// an Index packs them without a copy of each vector (and, for the dense
// form, without any copy).
type RowSource interface {
	Source
	// Rows returns the vectors as Rows and true, or false when it has
	// none at hand (the Index then walks EachVector). The slices are
	// read-only and stay valid until the Source's generation changes.
	Rows(ctx context.Context) (Rows, bool, error)
}

// pack reads every vector of src into the sparse form while they are sparse
// enough, else into the dense form.
func pack(ctx context.Context, src Source) (*packed, error) {
	if rs, ok := src.(RowSource); ok {
		r, ok, err := rs.Rows(ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			return packRows(r)
		}
	}
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

// packRows packs r as pack packs what EachVector hands over: the sparse
// form while every prefix of the rows is sparse enough, else the dense
// form (r.Dense itself when r is dense already).
func packRows(r Rows) (*packed, error) {
	n := len(r.Chunks)
	p := &packed{gen: r.Gen, dim: r.Dim, n: n, chunks: r.Chunks, docs: map[string]docRows{}, rowDoc: make([]int32, n)}
	if n == 0 {
		return p, nil
	}
	if r.Dim <= 0 {
		return nil, fmt.Errorf("vectors of %d dimensions", r.Dim)
	}
	for row, c := range r.Chunks {
		d, ok := p.docs[c.Doc]
		switch {
		case !ok:
			d = docRows{num: int32(len(p.docs)), lo: row}
		case d.hi != row:
			return nil, errors.New("chunks of one document are not contiguous")
		}
		d.hi = row + 1
		p.docs[c.Doc] = d
		p.rowDoc[row] = d.num
	}
	if r.Dense != nil {
		if len(r.Dense) != n*r.Dim {
			return nil, fmt.Errorf("%d dense components for %d rows of %d", len(r.Dense), n, r.Dim)
		}
		p.dense = r.Dense
		return p, nil
	}
	rowStart, err := sparseRowStarts(r)
	if err != nil {
		return nil, err
	}
	dense := r.Dim > 1<<16 // a row's dimension is a uint16 in the sparse form
	for i := 1; !dense && i <= n; i++ {
		dense = float64(rowStart[i]) > maxSparseShare*float64(i*r.Dim)
	}
	if dense {
		p.dense = csrToDense(rowStart, r.Idx, r.Vals, r.Dim)
		return p, nil
	}
	if r.Inverted != nil {
		if p.sparse, err = r.Inverted.blocks(n, r.Dim, len(r.Idx)); err == nil {
			return p, nil
		}
	}
	p.sparse = invertFlat(rowStart, r.Idx, r.Vals, r.Dim).blocksUnchecked(n, r.Dim)
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
	return invertFlat(rowStart, idx, vals, dim).blocksUnchecked(len(rowStart)-1, dim)
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
