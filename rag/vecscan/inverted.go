package vecscan

import (
	"errors"
	"fmt"
)

// Inverted is sparse Rows in the inverted blocks an Index scans, laid out
// flat so that it can be kept in a file and used where it lies: the rows
// in blocks of BlockRows, and in each block, for each dimension, the rows
// (numbered within the block) holding a non-zero there and its value.
// Inverting 100k rows takes a quarter of a second of fresh memory at the
// first search; rag/store keeps the inverted form in its segment file so
// that a cold start does not.
type Inverted struct {
	// Start holds, block after block, the Dim+1 offsets of each
	// dimension's postings within the block's.
	Start []uint32
	// Off holds where each block's postings begin in Rows and Vals, and
	// the end of the last.
	Off []uint32
	// Rows and Vals are the postings: a row's number within its block and
	// the value of its component.
	Rows []uint16
	Vals []float32
}

// BlockRows is how many rows one block of an Inverted holds.
const BlockRows = sparseBlock

// Invert returns the inverted form of sparse rows r (see Rows), checking
// them as an Index does.
func Invert(r Rows) (Inverted, error) {
	if r.Dim > 1<<16 {
		return Inverted{}, fmt.Errorf("sparse rows of %d dimensions", r.Dim)
	}
	rowStart, err := sparseRowStarts(r)
	if err != nil {
		return Inverted{}, err
	}
	return invertFlat(rowStart, r.Idx, r.Vals, r.Dim), nil
}

// sparseRowStarts checks sparse rows and returns the start of each row and
// the end, as ints.
func sparseRowStarts(r Rows) ([]int, error) {
	n := len(r.Chunks)
	if r.Dim <= 0 {
		return nil, fmt.Errorf("sparse rows of %d dimensions", r.Dim)
	}
	if len(r.Start) != n+1 || r.Start[0] != 0 || int(r.Start[n]) != len(r.Idx) || len(r.Idx) != len(r.Vals) {
		return nil, fmt.Errorf("sparse rows do not match their %d chunks", n)
	}
	rowStart := make([]int, n+1)
	for i := range n {
		lo, hi := r.Start[i], r.Start[i+1]
		if hi < lo {
			return nil, errors.New("sparse rows out of order")
		}
		for _, d := range r.Idx[lo:hi] {
			if int(d) >= r.Dim {
				return nil, fmt.Errorf("sparse component at dimension %d of %d", d, r.Dim)
			}
		}
		rowStart[i+1] = int(hi)
	}
	return rowStart, nil
}

// invertFlat inverts checked sparse rows into blocks of sparseBlock rows.
func invertFlat(rowStart []int, idx []uint16, vals []float32, dim int) Inverted {
	n := len(rowStart) - 1
	nb := (n + sparseBlock - 1) / sparseBlock
	inv := Inverted{Start: make([]uint32, nb*(dim+1)), Off: make([]uint32, nb+1),
		Rows: make([]uint16, len(idx)), Vals: make([]float32, len(idx))}
	next := make([]uint32, dim)
	for b := range nb {
		lo, hi := b*sparseBlock, min((b+1)*sparseBlock, n)
		start := inv.Start[b*(dim+1) : (b+1)*(dim+1)]
		for j := rowStart[lo]; j < rowStart[hi]; j++ {
			start[idx[j]+1]++
		}
		for d := range dim {
			start[d+1] += start[d]
		}
		base := rowStart[lo]
		inv.Off[b], inv.Off[b+1] = uint32(base), uint32(rowStart[hi])
		rows, vs := inv.Rows[base:rowStart[hi]], inv.Vals[base:rowStart[hi]]
		copy(next, start[:dim])
		for r := lo; r < hi; r++ {
			for j := rowStart[r]; j < rowStart[r+1]; j++ {
				d := idx[j]
				rows[next[d]] = uint16(r - lo)
				vs[next[d]] = vals[j]
				next[d]++
			}
		}
	}
	return inv
}

// blocks returns the Index's blocks of inv, for n rows of dim dimensions
// with nnz non-zero components, as views of inv's slices; an error when
// inv does not fit them.
func (inv Inverted) blocks(n, dim, nnz int) ([]invBlock, error) {
	nb := (n + sparseBlock - 1) / sparseBlock
	if len(inv.Off) != nb+1 || len(inv.Start) != nb*(dim+1) || len(inv.Rows) != nnz || len(inv.Vals) != nnz ||
		inv.Off[0] != 0 || int(inv.Off[nb]) != nnz {
		return nil, errors.New("inverted rows do not match the rows")
	}
	blocks := make([]invBlock, nb)
	for b := range nb {
		lo, hi := b*sparseBlock, min((b+1)*sparseBlock, n)
		from, to := inv.Off[b], inv.Off[b+1]
		start := inv.Start[b*(dim+1) : (b+1)*(dim+1)]
		if to < from || start[0] != 0 || start[dim] != to-from {
			return nil, errors.New("inverted block out of place")
		}
		for d := range dim {
			if start[d+1] < start[d] {
				return nil, errors.New("inverted block's dimensions out of order")
			}
		}
		rows := inv.Rows[from:to:to]
		for _, r := range rows {
			if int(r) >= hi-lo {
				return nil, errors.New("inverted block's row out of range")
			}
		}
		blocks[b] = invBlock{lo: lo, len: hi - lo, start: start, rows: rows, vals: inv.Vals[from:to:to]}
	}
	return blocks, nil
}

// blocksUnchecked is blocks for an Inverted that invertFlat just made.
func (inv Inverted) blocksUnchecked(n, dim int) []invBlock {
	nb := len(inv.Off) - 1
	blocks := make([]invBlock, nb)
	for b := range nb {
		lo, hi := b*sparseBlock, min((b+1)*sparseBlock, n)
		from, to := inv.Off[b], inv.Off[b+1]
		blocks[b] = invBlock{lo: lo, len: hi - lo, start: inv.Start[b*(dim+1) : (b+1)*(dim+1)], rows: inv.Rows[from:to:to], vals: inv.Vals[from:to:to]}
	}
	return blocks
}
