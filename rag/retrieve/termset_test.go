package retrieve

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/tokens"
)

// mapTerms is what the engine used to keep for each document: the set of
// its terms as a map of strings. The compact sets must answer as it did.
func mapTerms(chunks []rag.Chunk) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, c := range chunks {
		if out[c.Doc] == nil {
			out[c.Doc] = map[string]bool{}
		}
		for _, t := range tokens.Terms(c.Text) {
			out[c.Doc][t] = true
		}
	}
	return out
}

func TestDocTermSetsAnswerLikeMaps(t *testing.T) {
	chunks := ragtest.Fixture()
	e := newGlossaryEngine(t, chunks)
	want := mapTerms(chunks)
	all := map[string]bool{"no-such-term": true, "": true}
	for _, ts := range want {
		for term := range ts {
			all[term] = true
		}
	}
	df := map[string]int{}
	for _, ts := range want {
		for term := range ts {
			df[term]++
		}
	}
	for doc, ts := range want {
		if got := len(e.docTerms[doc]); got != len(ts) {
			t.Errorf("%s: %d terms kept, want %d", doc, got, len(ts))
		}
		for term := range all {
			if got := e.DocHas(doc, term); got != ts[term] {
				t.Errorf("DocHas(%q, %q) = %v, want %v", doc, term, got, ts[term])
			}
		}
	}
	for term := range all {
		if got := e.terms.docFreq(term); got != df[term] {
			t.Errorf("docFreq(%q) = %d, want %d", term, got, df[term])
		}
	}
	if e.DocHas("no-such-doc", "sco") {
		t.Error("an unknown document holds a term")
	}
}

// partialNames returns chunks that each hold an English name of the
// glossary but one of its words, so that a document may hold a rendering's
// rarest term and not the rest.
func partialNames(t *testing.T) []rag.Chunk {
	g, _ := ragtest.Glossaries(t)
	var out []rag.Chunk
	for _, c := range g.IDs() {
		for _, name := range g.Terms(c, "en") {
			words := strings.Fields(name)
			if len(words) < 2 || len(out) > 200 {
				continue
			}
			for i := range words {
				rest := slices.Concat(words[:i], words[i+1:])
				id := fmt.Sprintf("partial-%d", len(out))
				out = append(out, rag.Chunk{ID: id + "#0", Doc: id, Lang: "en", Text: strings.Join(rest, " ") + "."})
			}
		}
	}
	return out
}

func TestConceptSetsAnswerLikeRenderings(t *testing.T) {
	chunks := append(ragtest.Fixture(), partialNames(t)...)
	e := newGlossaryEngine(t, chunks)
	terms := mapTerms(chunks)
	named, multi := 0, 0
	for doc, ts := range terms {
		for _, c := range e.gloss.IDs() {
			want := false
			for _, r := range e.renderingsOf(e.gloss, c) {
				if holdsAll(func(t string) bool { return ts[t] }, r) {
					want = true
					if len(r) > 1 {
						multi++
					}
				}
			}
			if got := e.covers(doc, []string{c}); got != want {
				t.Errorf("covers(%q, %q) = %v, want %v", doc, c, got, want)
			}
			if want {
				named++
			}
		}
		if e.covers(doc, []string{"no-such-concept"}) {
			t.Errorf("%s names a concept the glossary lacks", doc)
		}
	}
	if named == 0 || multi == 0 {
		t.Fatalf("the fixture names %d concepts, %d by renderings of several terms: the test checks nothing", named, multi)
	}
}

func TestRenderingsTokenisedAtBuild(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	for _, g := range []struct {
		name string
		g    *glossary.Glossary
	}{{"glossary", e.gloss}, {"lexicon", e.lexicon}} {
		rs, ok := e.renders[g.g]
		if !ok {
			t.Fatalf("%s: renderings not worked out at build", g.name)
		}
		for _, c := range g.g.IDs() {
			got, want := e.renderings(g.g, c), e.renderingsOf(g.g, c)
			if len(got) != len(want) || len(rs[c]) != len(want) {
				t.Fatalf("%s %q: %d renderings kept, want %d", g.name, c, len(got), len(want))
			}
			for i := range want {
				if len(got[i]) != len(want[i]) {
					t.Errorf("%s %q rendering %d: %q, want %q", g.name, c, i, got[i], want[i])
				}
			}
		}
	}
}

func TestIDSetUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		want := map[uint32]bool{}
		var a, b []uint32
		for range rng.IntN(40) {
			a = append(a, uint32(rng.IntN(60)))
		}
		for range rng.IntN(40) {
			b = append(b, uint32(rng.IntN(60)))
		}
		for _, id := range slices.Concat(a, b) {
			want[id] = true
		}
		got := newIDSet(a).union(newIDSet(b))
		if len(got) != len(want) || cap(got) != len(want) || !slices.IsSorted(got) {
			t.Fatalf("union of %v and %v = %v (cap %d), want the %d numbers sorted", a, b, got, cap(got), len(want))
		}
		for id := range uint32(61) {
			if got.has(id) != want[id] {
				t.Fatalf("union of %v and %v: has(%d) = %v", a, b, id, got.has(id))
			}
		}
	}
}
