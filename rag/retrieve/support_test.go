package retrieve

import (
	"context"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

func TestSupportNeedsBothRankings(t *testing.T) {
	cs := ragtest.Fixture()
	q := "What did Wang Yi say about vaccine nationalism in Dushanbe?"
	// Both rankings find the Dushanbe report.
	agree := newTestEngine(t, &ragtest.Vectors{Order: []rag.Chunk{cs[4], cs[3]}})
	a, err := agree.Retrieve(context.Background(), q, Options{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The vector ranking finds only the Astana report.
	disagree := newTestEngine(t, &ragtest.Vectors{Order: []rag.Chunk{cs[2], cs[0]}})
	d, err := disagree.Retrieve(context.Background(), q, Options{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Agreed || !d.Agreed {
		t.Fatal("support of a hybrid retrieval should weigh both rankings")
	}
	if a.Abstains() || a.Support <= d.Support {
		t.Errorf("support %.2f when the rankings agree, %.2f when not; want the first higher and answered", a.Support, d.Support)
	}
	// With the lexical ranking alone, the single threshold applies.
	l, _ := disagree.Retrieve(context.Background(), q, Options{K: 2, Mode: rag.ModeLexical})
	if l.Agreed {
		t.Error("a lexical-only retrieval has one ranking")
	}
}
