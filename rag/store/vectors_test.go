package store

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/scobot/scobot/rag"
)

// TestEachVector checks that EachVector hands over every chunk in Chunks'
// order with its own unit vector, across batches, and that Generation moves exactly when a Sync
// or an Open changes the vectors.
func TestEachVector(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	emb := newFake("fake-8", 8)
	s := mustOpen(t, dir, emb)
	// "c" is longer than a batch of EachVector's reads.
	docs := []Doc{makeDoc("b", 3, "v1"), makeDoc("a", 2, "v1"), makeDoc("c", vectorBatch+7, "v1")}
	g0 := s.Generation()
	mustSync(t, s, docs)
	g1 := s.Generation()
	if g1 == g0 {
		t.Fatal("Generation did not move when a Sync added documents")
	}

	var got []rag.Chunk
	gen, dim, err := s.EachVector(ctx, func(c rag.Chunk, vec []float32) error {
		got = append(got, c)
		var sq float64
		want := rawVector(c.Text, 8)
		var wsq float64
		for i, x := range vec {
			sq += float64(x) * float64(x)
			wsq += float64(want[i]) * float64(want[i])
		}
		if math.Abs(sq-1) > 1e-5 {
			t.Errorf("chunk %s: vector of squared length %v, want 1", c.ID, sq)
		}
		for i := range vec {
			if w := float64(want[i]) / math.Sqrt(wsq); math.Abs(float64(vec[i])-w) > 1e-5 {
				t.Fatalf("chunk %s: component %d = %v, want %v", c.ID, i, vec[i], w)
			}
		}
		return nil
	})
	if err != nil || gen != g1 || dim != 8 {
		t.Fatalf("EachVector = %d, %d, %v; want %d, 8, nil", gen, dim, err, g1)
	}
	if !slices.Equal(got, allChunks(docs)) {
		t.Errorf("EachVector's chunks = %v, want Chunks' order %v", got, allChunks(docs))
	}

	mustSync(t, s, docs)
	if s.Generation() != g1 {
		t.Error("Generation moved on a Sync that changed nothing")
	}
	mustSync(t, s, docs[:1])
	if s.Generation() == g1 {
		t.Error("Generation did not move when a Sync removed a document")
	}
	if s2 := mustOpen(t, dir, emb); s2.Generation() == 0 {
		t.Error("an Open that loaded a snapshot left Generation at 0")
	}
}

// TestEmbedKeepsSparseVectorsSparse: a Sync holds the vectors it embeds in
// their compact form until its commit, sparse when at most a quarter of a
// vector is non-zero, and the compact form expands to the unit vector.
func TestEmbedKeepsSparseVectorsSparse(t *testing.T) {
	for _, tc := range []struct {
		emb    Embedder
		sparse bool
	}{{sparseFake{newFake("sparse-64", 64)}, true}, {newFake("fake-16", 16), false}} {
		s := mustOpen(t, "", tc.emb)
		chunks := makeDoc("a", 70, "v1").Chunks // two batches
		vecs, dim, err := s.embedAll(context.Background(), chunks, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vecs {
			if v.sparse() != tc.sparse {
				t.Fatalf("%s: vector %d sparse = %v, want %v", tc.emb.ID(), i, v.sparse(), tc.sparse)
			}
			raw, err := tc.emb.Embed(context.Background(), []string{chunks[i].Text})
			if err != nil {
				t.Fatal(err)
			}
			want, err := unit(raw[0])
			if err != nil {
				t.Fatal(err)
			}
			if got := v.expand(dim, nil); !slices.Equal(got, want) {
				t.Fatalf("%s: vector %d = %v, want %v", tc.emb.ID(), i, got, want)
			}
		}
	}
}
