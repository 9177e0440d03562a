package retrieve

import (
	"slices"

	"github.com/scobot/scobot/rag/glossary"
)

// vocab numbers the terms of the corpus, so that a document's terms are kept
// as a sorted list of numbers (a idSet) instead of a map of strings, and
// each term's string is held once.
type vocab struct {
	ids map[string]uint32 // term → term number
	df  []int32           // term number → number of documents holding it
}

// newVocab returns an empty vocabulary.
func newVocab() *vocab { return &vocab{ids: make(map[string]uint32)} }

// add returns the number of term, numbering it when it is new.
func (v *vocab) add(term string) uint32 {
	if id, ok := v.ids[term]; ok {
		return id
	}
	id := uint32(len(v.df))
	v.ids[term] = id
	v.df = append(v.df, 0)
	return id
}

// id returns the number of term and whether the corpus holds it.
func (v *vocab) id(term string) (uint32, bool) {
	id, ok := v.ids[term]
	return id, ok
}

// docFreq returns the number of documents holding term.
func (v *vocab) docFreq(term string) int {
	id, ok := v.ids[term]
	if !ok {
		return 0
	}
	return int(v.df[id])
}

// idSet is the set of a document's terms: their numbers in the engine's
// vocab, sorted and without repeats.
type idSet []uint32

// newIDSet sorts ids and drops repeats, reusing ids' storage.
func newIDSet(ids []uint32) idSet {
	slices.Sort(ids)
	return idSet(slices.Compact(ids))
}

// union returns the set of the numbers in s or in t, in new storage of
// exactly that size.
func (s idSet) union(t idSet) idSet {
	out := make(idSet, 0, unionLen(s, t))
	i, j := 0, 0
	for i < len(s) && j < len(t) {
		switch {
		case s[i] < t[j]:
			out = append(out, s[i])
			i++
		case s[i] > t[j]:
			out = append(out, t[j])
			j++
		default:
			out = append(out, s[i])
			i++
			j++
		}
	}
	out = append(out, s[i:]...)
	return append(out, t[j:]...)
}

// unionLen returns the size of the union of s and t.
func unionLen(s, t idSet) int {
	n, i, j := 0, 0, 0
	for i < len(s) && j < len(t) {
		switch {
		case s[i] < t[j]:
			i++
		case s[i] > t[j]:
			j++
		default:
			i++
			j++
		}
		n++
	}
	return n + len(s) - i + len(t) - j
}

// has reports whether the set holds the term numbered id.
func (s idSet) has(id uint32) bool {
	_, ok := slices.BinarySearch(s, id)
	return ok
}

// conceptIndex tells, for each document, which concepts of a glossary it
// names: a concept is named when all the terms of one of its renderings
// (Engine.renderings) are in the document. It is built once with the
// engine, so checking a candidate document is a lookup.
type conceptIndex struct {
	num   map[string]uint32   // concept ID → concept number
	byDoc map[string][]uint32 // document → numbers of the concepts it names, sorted
}

// names reports whether doc names concept.
func (ci *conceptIndex) names(doc, concept string) bool {
	n, ok := ci.num[concept]
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(ci.byDoc[doc], n)
	return found
}

// newConceptIndex works out which concepts of g each document of docTerms
// names, given each concept's renderings. A rendering is found through its
// rarest term: only the documents holding that term are checked for the
// rest, so the work grows with the corpus's terms, not with documents
// times renderings.
func newConceptIndex(g *glossary.Glossary, rend map[string][][]string, v *vocab, docTerms map[string]idSet) *conceptIndex {
	ci := &conceptIndex{num: map[string]uint32{}, byDoc: map[string][]uint32{}}
	if g == nil {
		return ci
	}
	// rendering is one rendering of concept number c, as term numbers.
	type rendering struct {
		c     uint32
		terms []uint32
	}
	byTerm := map[uint32][]rendering{} // rarest term → renderings it leads
	for _, id := range g.IDs() {
		c := uint32(len(ci.num))
		ci.num[id] = c
	next:
		for _, ts := range rend[id] {
			r := rendering{c: c}
			for _, t := range ts {
				tn, ok := v.id(t)
				if !ok {
					continue next // no document holds this rendering
				}
				r.terms = append(r.terms, tn)
			}
			rarest := r.terms[0]
			for _, tn := range r.terms[1:] {
				if v.df[tn] < v.df[rarest] {
					rarest = tn
				}
			}
			byTerm[rarest] = append(byTerm[rarest], r)
		}
	}
	for doc, terms := range docTerms {
		var named []uint32
		for _, tn := range terms {
			for _, r := range byTerm[tn] {
				if holdsAllIDs(terms, r.terms) {
					named = append(named, r.c)
				}
			}
		}
		if len(named) > 0 {
			ci.byDoc[doc] = slices.Clip(newIDSet(named))
		}
	}
	return ci
}

// holdsAllIDs reports whether s holds every one of ids.
func holdsAllIDs(s idSet, ids []uint32) bool {
	for _, id := range ids {
		if !s.has(id) {
			return false
		}
	}
	return true
}
