package retrieve

import (
	"context"
	"testing"

	"github.com/scobot/scobot/rag/internal/ragtest"
)

func TestConfigParams(t *testing.T) {
	g, _ := ragtest.Glossaries(t)
	q := "What did Wang Yi say about vaccine nationalism?"
	engine := func(p *Params) *Engine {
		return NewEngine(Config{Chunks: ragtest.Fixture(), Glossary: g, Params: p})
	}
	r, err := engine(nil).Retrieve(context.Background(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Abstains() || len(r.Passages) != 5 {
		t.Fatalf("defaults: abstains %v (p %.2f), %d passages", r.Abstains(), r.Support, len(r.Passages))
	}
	p := DefaultParams()
	p.DefaultK, p.AbstainBelow = 2, 1.01 // a probability never exceeds 1
	r, err = engine(&p).Retrieve(context.Background(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Abstains() || len(r.Passages) != 2 {
		t.Errorf("custom: abstains %v, %d passages", r.Abstains(), len(r.Passages))
	}
}

func TestParamsSet(t *testing.T) {
	p := DefaultParams()
	if err := p.Set("VectorWeight=0.8"); err != nil || p.VectorWeight != 0.8 {
		t.Errorf("Set float: %v, %v", err, p.VectorWeight)
	}
	if err := p.Set(" CandidateDepth = 10 "); err != nil || p.CandidateDepth != 10 {
		t.Errorf("Set int: %v, %v", err, p.CandidateDepth)
	}
	for _, bad := range []string{"VectorWeight", "Nope=1", "VectorWeight=x", "Abstention=1"} {
		if err := p.Set(bad); err == nil {
			t.Errorf("Set(%q): want an error", bad)
		}
	}
}
