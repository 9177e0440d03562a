package retrieve

import (
	"github.com/scobot/scobot/rag"
)

// coverage is the weighted share of a question's units that a text with
// the terms has holds.
func coverage(has func(term string) bool, us []Unit) float64 {
	var total, got float64
	for _, u := range us {
		total += u.Weight
		got += u.Weight * u.Holds(has)
	}
	if total == 0 {
		return 0
	}
	return got / total
}

func holdsAll(has func(string) bool, ts []string) bool {
	for _, t := range ts {
		if !has(t) {
			return false
		}
	}
	return true
}

// rerankByCoverage boosts the best fused passages by how much of the
// question each holds.
func (e *Engine) rerankByCoverage(ps []rag.Passage, q Query) []rag.Passage {
	us := q.Units
	if len(us) == 0 || len(ps) == 0 {
		return ps
	}
	out := make([]rag.Passage, len(ps))
	copy(out, ps)
	for i := range out[:min(len(out), e.params.CoverageDepth)] {
		id := out[i].ID
		out[i].Score *= 1 + e.params.CoverageBoost*coverage(func(t string) bool { return e.lex.Has(id, t) }, us)
	}
	sortPassages(out)
	return out
}
