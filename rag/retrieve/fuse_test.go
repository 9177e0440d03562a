package retrieve

import (
	"math"
	"testing"

	"github.com/scobot/scobot/rag"
)

func TestFuse(t *testing.T) {
	p := func(id string) rag.Passage { return rag.Passage{Chunk: rag.Chunk{ID: id}} }
	lexical := []rag.Passage{p("a"), p("b"), p("c")}
	vector := []rag.Passage{p("c"), p("b"), p("d")}
	params := DefaultParams()
	got := fuse(params.RRFK, params.VectorWeight, lexical, vector)
	rrfK, vectorWeight := params.RRFK, params.VectorWeight
	want := map[string]float64{
		"a": 1 / (rrfK + 1),
		"b": 1/(rrfK+2) + vectorWeight/(rrfK+2),
		"c": 1/(rrfK+3) + vectorWeight/(rrfK+1),
		"d": vectorWeight / (rrfK + 3),
	}
	for i, x := range got {
		if math.Abs(x.Score-want[x.ID]) > 1e-12 {
			t.Errorf("%s scored %v, want %v", x.ID, x.Score, want[x.ID])
		}
		if i > 0 && got[i-1].Score < x.Score {
			t.Errorf("not sorted: %s before %s", got[i-1].ID, x.ID)
		}
	}
	if len(got) != 4 || (got[0].ID != "b" && got[0].ID != "c") {
		t.Errorf("fuse = %v; a passage both rankings hold should lead", got)
	}
}
