package vecscan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/scobot/scobot/rag"
)

// randomSparseRows returns n sparse rows of dim dimensions with about nnz
// non-zero components each, spread over documents of ten chunks.
func randomSparseRows(n, dim, nnz int) Rows {
	r := rand.New(rand.NewPCG(1, 2))
	rows := Rows{Dim: dim, Start: []uint32{0}}
	for i := range n {
		rows.Chunks = append(rows.Chunks, rag.Chunk{ID: fmt.Sprintf("d%05d#%d", i/10, i%10), Doc: fmt.Sprintf("d%05d", i/10), Pos: i % 10})
		var ds []uint16
		for range nnz {
			if d := uint16(r.IntN(dim)); !slices.Contains(ds, d) {
				ds = append(ds, d)
			}
		}
		slices.Sort(ds)
		for _, d := range ds {
			rows.Idx = append(rows.Idx, d)
			rows.Vals = append(rows.Vals, r.Float32()-0.5)
		}
		rows.Start = append(rows.Start, uint32(len(rows.Idx)))
	}
	return rows
}

// Rows handed over already inverted are scanned where they lie, with the
// same results as rows the Index inverts itself; an inverted form that
// does not fit the rows is not used.
func TestInvertedInPlace(t *testing.T) {
	ctx := context.Background()
	rows := randomSparseRows(2*BlockRows+123, 256, 12)
	inv, err := Invert(rows)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := packRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	with := rows
	with.Inverted = &inv
	kept, err := packRows(with)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept.sparse) != 3 || unsafe.SliceData(kept.sparse[1].rows) != &inv.Rows[inv.Off[1]] {
		t.Fatalf("the inverted rows were copied or not used (%d blocks)", len(kept.sparse))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 10 {
		q := make([]float32, rows.Dim)
		for range 20 {
			q[r.IntN(rows.Dim)] = r.Float32()
		}
		want, err := plain.search(ctx, q, 20, nil, 2)
		if err != nil {
			t.Fatal(err)
		}
		got, err := kept.search(ctx, q, 20, nil, 2)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("search over the inverted rows handed over differs:\n got %v\nwant %v", got, want)
		}
	}

	for name, bad := range map[string]func(*Inverted){
		"short":         func(b *Inverted) { b.Rows = b.Rows[:len(b.Rows)-1] },
		"row too large": func(b *Inverted) { b.Rows[len(b.Rows)-1] = 200 },
		"start":         func(b *Inverted) { b.Start[1] = b.Start[2] + 1 },
	} {
		b := Inverted{Start: slices.Clone(inv.Start), Off: slices.Clone(inv.Off), Rows: slices.Clone(inv.Rows), Vals: slices.Clone(inv.Vals)}
		bad(&b)
		w := rows
		w.Inverted = &b
		p, err := packRows(w)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if unsafe.SliceData(p.sparse[0].rows) == unsafe.SliceData(b.Rows) {
			t.Errorf("%s: an inverted form that does not fit the rows was used", name)
		}
	}
}
