package retrieve

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// Compile-time checks of the fakes the tests use.
var (
	_ VectorIndex   = (*ragtest.Vectors)(nil)
	_ QueryEmbedder = ragtest.Embedder{}
)

// newTestEngine builds an engine over ragtest.Fixture with the built-in
// glossary; vec, when not nil, is its vector index.
func newTestEngine(t *testing.T, vec VectorIndex) *Engine {
	t.Helper()
	g, _ := ragtest.Glossaries(t)
	cfg := Config{Chunks: ragtest.Fixture(), Glossary: g}
	if vec != nil {
		cfg.Vector, cfg.Embedder = vec, ragtest.Embedder{}
	}
	return NewEngine(cfg)
}

// newGlossaryEngine builds a lexical engine over chunks with the built-in
// glossary and lexicon.
func newGlossaryEngine(t testing.TB, chunks []rag.Chunk) *Engine {
	t.Helper()
	g, lex := ragtest.Glossaries(t)
	return NewEngine(Config{Chunks: chunks, Glossary: g, Lexicon: lex})
}

func TestRetrieveTimeConstraint(t *testing.T) {
	e := newTestEngine(t, nil)
	r, err := e.Retrieve(context.Background(), "What did Wang Yi propose at the foreign ministers' meeting in 2021?", RetrieveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) == 0 || r.Passages[0].Doc != "dushanbe" {
		t.Errorf("2021 question: first passage %+v, want the 2021 document", r.Passages)
	}
	r, _ = e.Retrieve(context.Background(), "What happened at the latest foreign ministers' meeting?", RetrieveOptions{})
	if len(r.Passages) == 0 || r.Passages[0].Date != "2024-05-21" {
		t.Errorf("latest: first passage dated %q, want the newest", r.Passages[0].Date)
	}
	r, _ = e.Retrieve(context.Background(), "What did the SCO do in 2030?", RetrieveOptions{})
	if !r.TimeMiss || !r.Abstains() {
		t.Errorf("a year no document covers should abstain: %+v", r)
	}
}

func TestRetrieveFusesVectorAndFallsBack(t *testing.T) {
	cs := ragtest.Fixture()
	// The vector ranking prefers the briefing; lexical prefers Dushanbe.
	vec := &ragtest.Vectors{Order: []rag.Chunk{cs[5], cs[4], cs[3]}}
	e := newTestEngine(t, vec)
	q := "What did Wang Yi say about vaccine nationalism?"
	hybrid, err := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if vec.Calls != 1 {
		t.Errorf("vector index called %d times", vec.Calls)
	}
	vonly, _ := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3, Mode: rag.ModeVector})
	lonly, _ := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3, Mode: rag.ModeLexical})
	if vonly.Passages[0].Doc != "briefing" || lonly.Passages[0].ID != "dushanbe#1" {
		t.Fatalf("modes: vector first %s, lexical first %s", vonly.Passages[0].ID, lonly.Passages[0].ID)
	}
	if hybrid.Passages[0].ID != "dushanbe#1" {
		t.Errorf("hybrid first = %s; the chunk both rankings hold should win", hybrid.Passages[0].ID)
	}

	// A failing vector search degrades to the lexical ranking.
	vec.Err = errors.New("boom")
	r, err := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3})
	if err != nil || len(r.Passages) == 0 || r.Passages[0].ID != "dushanbe#1" {
		t.Errorf("fallback: err %v, passages %+v", err, r.Passages)
	}
	if _, err := e.Retrieve(context.Background(), q, RetrieveOptions{Mode: rag.ModeVector}); err == nil {
		t.Error("vector-only retrieval should report the vector failure")
	}
}

func TestFuse(t *testing.T) {
	p := func(id string) rag.Passage { return rag.Passage{Chunk: rag.Chunk{ID: id}} }
	lexical := []rag.Passage{p("a"), p("b"), p("c")}
	vector := []rag.Passage{p("c"), p("b"), p("d")}
	got := fuse(lexical, vector)
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

func TestDiversifyDefersNearDuplicates(t *testing.T) {
	sig := func(p rag.Passage) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(p.Text) {
			m[w] = true
		}
		return m
	}
	ps := []rag.Passage{
		{Chunk: rag.Chunk{ID: "zh", Text: "wang-yi astana sco lavrov 2024"}},
		{Chunk: rag.Chunk{ID: "en", Text: "wang-yi astana sco lavrov 2024"}},
		{Chunk: rag.Chunk{ID: "other", Text: "dushanbe vaccine proposal five 2021"}},
	}
	got := diversify(ps, sig, 2)
	if got[0].ID != "zh" || got[1].ID != "other" || got[2].ID != "en" {
		t.Errorf("order = %s,%s,%s; the translation should move behind", got[0].ID, got[1].ID, got[2].ID)
	}
}

func TestChineseDateUnitsAreNotWords(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	// "2020年" is a date: the year constraint weighs it, and "年" must not
	// become the word "year", which would favour every English "years".
	q := e.ParseQuery("2020年上合组织外长会的核心任务是什么?")
	if slices.Contains(q.Words, "year") || q.Terms["year"] > 0 {
		t.Errorf("a date's 年 became the word year: words %v", q.Words)
	}
	if len(q.Time.Years) != 1 || q.Time.Years[0] != 2020 {
		t.Errorf("years = %v, want [2020]", q.Time.Years)
	}
	// "哪一年" asks for a year: still the word.
	if q := e.ParseQuery("伊朗是哪一年成为成员国的?"); !slices.Contains(q.Words, "year") {
		t.Errorf("哪一年 lost the word year: words %v", q.Words)
	}
}

func TestSupportNeedsBothRankings(t *testing.T) {
	cs := ragtest.Fixture()
	q := "What did Wang Yi say about vaccine nationalism in Dushanbe?"
	// Both rankings find the Dushanbe report.
	agree := newTestEngine(t, &ragtest.Vectors{Order: []rag.Chunk{cs[4], cs[3]}})
	a, err := agree.Retrieve(context.Background(), q, RetrieveOptions{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The vector ranking finds only the Astana report.
	disagree := newTestEngine(t, &ragtest.Vectors{Order: []rag.Chunk{cs[2], cs[0]}})
	d, err := disagree.Retrieve(context.Background(), q, RetrieveOptions{K: 2})
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
	l, _ := disagree.Retrieve(context.Background(), q, RetrieveOptions{K: 2, Mode: rag.ModeLexical})
	if l.Agreed {
		t.Error("a lexical-only retrieval has one ranking")
	}
}
