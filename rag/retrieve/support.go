package retrieve

import (
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/tokens"
)

// support estimates how much of the question the corpus covers: the weighted
// share of its units (glossary concepts, other words, Han characters) found
// in the retrieved passages, with partial credit for units found elsewhere
// in the corpus. Units nowhere in the corpus get none: a question about the
// World Cup names things no report mentions.
func (e *Engine) support(q Query, ps []rag.Passage) float64 {
	if len(ps) == 0 {
		return 0
	}
	// held asks the lexical index, which holds every chunk's terms, rather
	// than tokenising the passages again for each estimate.
	held := func(t string) bool {
		for _, p := range ps {
			if e.lex.Has(p.ID, t) {
				return true
			}
		}
		return false
	}
	credit := func(t string) float64 {
		switch {
		case held(t):
			return 1
		case e.lex.DocFreq(t) > 0:
			return e.params.InCorpusCredit
		}
		return 0
	}

	var total, got float64
	// Names: the question is about them, so the passages must hold them.
	for _, c := range q.Concepts {
		total += e.params.ConceptWeight
		if e.rendered(c, held) {
			got += e.params.ConceptWeight
		}
	}
	// Ordinary words: found in any language they may be written in.
	for _, w := range q.Words {
		total += e.params.WordWeight
		got += e.params.WordWeight * e.ConceptCredit(e.lexicon, w, credit)
	}
	// The rest, word by word (Han text character by character).
	hanCredit := map[rune]float64{} // each Han character: best credit of a term holding it
	for _, t := range q.RestTerms() {
		r, _ := utf8.DecodeRuneInString(t)
		if tokens.IsHan(r) {
			c := credit(t)
			for _, ch := range t {
				if old, ok := hanCredit[ch]; !ok || c > old {
					hanCredit[ch] = c
				}
			}
			continue
		}
		w := e.lex.IDF(t)
		if w == 0 {
			w = e.maxIDF
		}
		total += w
		got += w * credit(t)
	}
	for _, c := range hanCredit {
		total += e.params.HanCharWeight
		got += e.params.HanCharWeight * c
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// Abstains reports whether a retrieval is too weak to answer from: it found
// nothing, the question names a year no report covers, names never
// reported together or an entity no report names, or Support is below
// Threshold.
func (r Retrieval) Abstains() bool {
	return len(r.Passages) == 0 || r.TimeMiss || r.Unconnected || len(r.Unnamed) > 0 || r.Support < r.Threshold
}
