package retrieve

import (
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
)

// unit is one thing a question asks about: a name or word, found when any of
// its renderings is, or a remaining term of the question. Its weight is its
// focus: a unit every report holds tells little about which passage answers.
type unit struct {
	alts [][]string // renderings, each as its terms
	w    float64
}

// units breaks a parsed question into what it asks about.
func (e *Engine) units(q Query) []unit {
	var us []unit
	for _, c := range q.Concepts {
		us = append(us, e.conceptUnit(e.gloss, c))
	}
	for _, c := range q.Words {
		us = append(us, e.conceptUnit(e.lexicon, c))
	}
	for _, t := range q.RestTerms() {
		us = append(us, unit{alts: [][]string{{t}}, w: e.focusDF(e.docFreq[t])})
	}
	return us
}

// conceptUnit is the unit of a glossary or lexicon concept: its renderings
// in the corpus's languages, weighed by the number of documents holding the
// most widespread one.
func (e *Engine) conceptUnit(g *glossary.Glossary, concept string) unit {
	u := unit{alts: e.renderings(g, concept)}
	df := 0
	for _, ts := range u.alts {
		least := e.docFreq[ts[0]]
		for _, t := range ts[1:] {
			least = min(least, e.docFreq[t])
		}
		df = max(df, least)
	}
	u.w = e.focusDF(df)
	return u
}

// coverage is the weighted share of units that a chunk holds; has reports
// whether it holds a term.
func coverage(has func(term string) bool, us []unit) float64 {
	var total, got float64
	for _, u := range us {
		total += u.w
		for _, alt := range u.alts {
			if holdsAll(has, alt) {
				got += u.w
				break
			}
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// rerankByCoverage boosts the best fused passages by how much of the
// question each holds.
func (e *Engine) rerankByCoverage(ps []rag.Passage, q Query) []rag.Passage {
	us := e.units(q)
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
