package retrieve

import (
	"slices"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/tokens"
)

// specificNames returns the question's glossary entities (states, places,
// people, offices, organisations, initiatives) that are not shared context
// (Unit.Specific): the SCO or Wang Yi, named everywhere, tell nothing.
// Phrases are left out: "met" may be written "held talks", so a report need
// not hold the word.
func (e *Engine) specificNames(q Query) []string {
	var out []string
	for _, u := range q.Units {
		if u.Specific() {
			out = append(out, u.Concept)
		}
	}
	return out
}

// covers reports whether a document names every one of concepts of the
// glossary, in any language: a lookup in the concept sets worked out at
// build (conceptIndex).
func (e *Engine) covers(doc string, concepts []string) bool {
	for _, c := range concepts {
		if !e.named.names(doc, c) {
			return false
		}
	}
	return true
}

// applyNames prefers the passages of documents that name all of the
// question's specific names, and for a question naming several cities
// those that name one of them (coverEach), and returns those documents.
// An empty result means no retrieved document covers the question.
func (e *Engine) applyNames(ps []rag.Passage, specific []string) ([]rag.Passage, map[string]bool) {
	covering := map[string]bool{}
	if len(specific) == 0 {
		return ps, covering
	}
	docs := rag.DistinctDocs(ps)
	for _, doc := range docs {
		if e.covers(doc, specific) {
			covering[doc] = true
		}
	}
	// A question about several cities' events may be answered by a
	// report of each, beside one that names them all (a timeline of
	// summits that names no one asked about).
	for doc := range e.coverEach(docs, specific) {
		covering[doc] = true
	}
	if len(covering) == 0 {
		return ps, covering
	}
	out := make([]rag.Passage, len(ps))
	for i, p := range ps {
		if covering[p.Doc] {
			p.Score *= e.params.NameBoost
		}
		out[i] = p
	}
	sortPassages(out)
	return out, covering
}

// partCovering returns the documents of ps that name every specific
// name of q outside one of its sub-questions, when those names are in two
// or more sub-questions (see Retrieval.PartCovering).
func (e *Engine) partCovering(ps []rag.Passage, q Query) map[string]bool {
	byPart := map[int][]string{}
	for _, u := range q.Units {
		if u.Specific() && !slices.Contains(byPart[u.Part], u.Concept) {
			byPart[u.Part] = append(byPart[u.Part], u.Concept)
		}
	}
	out := map[string]bool{}
	if len(byPart) < 2 {
		return out
	}
	for _, doc := range rag.DistinctDocs(ps) {
		for skip := range byPart {
			var rest []string
			for p, names := range byPart {
				if p != skip {
					rest = append(rest, names...)
				}
			}
			if e.covers(doc, rest) {
				out[doc] = true
				break
			}
		}
	}
	return out
}

// NamesAll reports whether the document doc itself names every one of the
// question's specific names, in any language (one of Retrieval.Covering
// need not, for a question about several cities' events).
func (e *Engine) NamesAll(doc string, q Query) bool { return e.covers(doc, e.specificNames(q)) }

// coverEach returns, for a question naming two or more cities (the June
// summit in Bishkek and the November council in Tashkent), the documents
// that name one of them, when every city has such a document and
// together they name all of the question's other specific names: such a
// question asks about several events, and no one report need name them
// all (the Tashkent council's name is not the Bishkek summit's).
// Otherwise it returns an empty set.
func (e *Engine) coverEach(docs, specific []string) map[string]bool {
	var places []string
	for _, c := range specific {
		if e.gloss.Kind(c) == glossary.KindPlace {
			places = append(places, c)
		}
	}
	covering := map[string]bool{}
	if len(places) < 2 {
		return covering
	}
	for _, place := range places {
		found := false
		for _, doc := range docs {
			if e.named.names(doc, place) {
				covering[doc], found = true, true
			}
		}
		if !found {
			return map[string]bool{}
		}
	}
	for _, c := range specific {
		named := false
		for doc := range covering {
			named = named || e.named.names(doc, c)
		}
		if !named {
			return map[string]bool{}
		}
	}
	return covering
}

// rendered reports whether some rendering of concept, in a language of the
// corpus, has all of its terms held.
func (e *Engine) rendered(concept string, held func(term string) bool) bool {
	for _, ts := range e.renderings(e.gloss, concept) {
		if holdsAll(held, ts) {
			return true
		}
	}
	return false
}

// renderings returns the terms of each rendering of a concept of g (the
// engine's glossary or lexicon) in the corpus's languages, leaving out
// renderings with no terms. Those of the engine's glossaries were worked
// out once at build: the slices are shared, not to be modified.
func (e *Engine) renderings(g *glossary.Glossary, concept string) [][]string {
	if rs, ok := e.renders[g]; ok {
		return rs[concept]
	}
	return e.renderingsOf(g, concept)
}

// renderingsOf computes renderings.
func (e *Engine) renderingsOf(g *glossary.Glossary, concept string) [][]string {
	var out [][]string
	for _, lang := range e.langs {
		for _, alt := range g.Terms(concept, lang) {
			if ts := tokens.Terms(alt); len(ts) > 0 {
				out = append(out, ts)
			}
		}
	}
	return out
}

// ConceptCredit is the best credit of any rendering of a concept of g (the
// engine's Glossary or Lexicon) in the corpus's languages: a rendering
// counts as its least credited term, and credit gives a term's credit
// from 0 to 1.
func (e *Engine) ConceptCredit(g *glossary.Glossary, concept string, credit func(string) float64) float64 {
	best := 0.0
	for _, ts := range e.renderings(g, concept) {
		c := 1.0
		for _, t := range ts {
			c = min(c, credit(t))
		}
		best = max(best, c)
	}
	return best
}

// unnamed returns the question's entities (countries, places, people,
// offices, organisations, initiatives) that no document names: glossary
// concepts by their ID, and foreign names the glossary lacks (Unit.Absent)
// as the question writes them. Phrases are left out: "meet" may be written
// "hold talks". A rendering counts as named when each of its terms is in
// some document, which errs towards answering.
func (e *Engine) unnamed(q Query) []string {
	var out []string
	for _, c := range q.Concepts {
		if !e.gloss.Kind(c).Entity() {
			continue
		}
		if !e.rendered(c, func(t string) bool { return e.terms.docFreq(t) > 0 }) {
			out = append(out, c)
		}
	}
	for _, u := range q.Units {
		if u.Absent {
			out = append(out, u.Text)
		}
	}
	return out
}
