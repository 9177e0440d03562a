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
	if r.Abstains() || r.Threshold != DefaultParams().AbstainThreshold || len(r.Passages) != 5 {
		t.Fatalf("defaults: abstains %v, threshold %v, %d passages", r.Abstains(), r.Threshold, len(r.Passages))
	}
	p := DefaultParams()
	p.DefaultK, p.AbstainThreshold = 2, 1.01 // support never exceeds 1
	r, err = engine(&p).Retrieve(context.Background(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Abstains() || r.Threshold != 1.01 || len(r.Passages) != 2 {
		t.Errorf("custom: abstains %v, threshold %v, %d passages", r.Abstains(), r.Threshold, len(r.Passages))
	}
}
