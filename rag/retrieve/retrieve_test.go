package retrieve

import (
	"context"
	"errors"
	"fmt"
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
	r, err := e.Retrieve(context.Background(), "What did Wang Yi propose at the foreign ministers' meeting in 2021?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) == 0 || r.Passages[0].Doc != "dushanbe" {
		t.Errorf("2021 question: first passage %+v, want the 2021 document", r.Passages)
	}
	r, _ = e.Retrieve(context.Background(), "What happened at the latest foreign ministers' meeting?", Options{})
	if len(r.Passages) == 0 || r.Passages[0].Date != "2024-05-21" {
		t.Errorf("latest: first passage dated %q, want the newest", r.Passages[0].Date)
	}
	r, _ = e.Retrieve(context.Background(), "What did the SCO do in 2030?", Options{})
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
	hybrid, err := e.Retrieve(context.Background(), q, Options{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if vec.Calls != 1 {
		t.Errorf("vector index called %d times", vec.Calls)
	}
	vonly, _ := e.Retrieve(context.Background(), q, Options{K: 3, Mode: rag.ModeVector})
	lonly, _ := e.Retrieve(context.Background(), q, Options{K: 3, Mode: rag.ModeLexical})
	if vonly.Passages[0].Doc != "briefing" || lonly.Passages[0].ID != "dushanbe#1" {
		t.Fatalf("modes: vector first %s, lexical first %s", vonly.Passages[0].ID, lonly.Passages[0].ID)
	}
	if hybrid.Passages[0].ID != "dushanbe#1" {
		t.Errorf("hybrid first = %s; the chunk both rankings hold should win", hybrid.Passages[0].ID)
	}

	// A failing vector search degrades to the lexical ranking.
	vec.Err = errors.New("boom")
	r, err := e.Retrieve(context.Background(), q, Options{K: 3})
	if err != nil || len(r.Passages) == 0 || r.Passages[0].ID != "dushanbe#1" {
		t.Errorf("fallback: err %v, passages %+v", err, r.Passages)
	}
	if _, err := e.Retrieve(context.Background(), q, Options{Mode: rag.ModeVector}); err == nil {
		t.Error("vector-only retrieval should report the vector failure")
	}
}

// TestLatestSearchesTheWholeIndex: "the latest" meeting is the newest
// report's, though thirty older ones match the question better and fill
// every candidate place.
func TestLatestSearchesTheWholeIndex(t *testing.T) {
	var chunks []rag.Chunk
	for i := 0; i < 60; i++ {
		y := 1990 + i%30
		chunks = append(chunks, rag.Chunk{
			ID: fmt.Sprintf("old%02d#0", i), Doc: fmt.Sprintf("old%02d", i), Lang: "en", Date: fmt.Sprintf("%d-06-01", y),
			Text: "The foreign ministers' meeting of the SCO was held. The foreign ministers met, and the foreign ministers' meeting closed.",
		})
	}
	chunks = append(chunks, rag.Chunk{ID: "new#0", Doc: "new", Lang: "en", Date: "2024-05-21",
		Text: "In a long report on many other matters, it was noted in passing that the foreign ministers' meeting was held in Astana."})
	e := newGlossaryEngine(t, chunks)
	r, err := e.Retrieve(context.Background(), "Where was the latest foreign ministers' meeting held?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) == 0 || r.Passages[0].Doc != "new" {
		t.Errorf("first passage %s, want the 2024 report", r.Passages[0].ID)
	}
}

// A year the reports cover, asked of names only reports of other years
// hold: the 2021 Dushanbe report cannot say what was proposed there in
// 2023, so the rules abstain; the year it is of answers, and an undated
// report of the names is no ground to abstain.
func TestRetrieveOtherYears(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, nil)
	r, err := e.Retrieve(ctx, "What did Wang Yi propose in Dushanbe in 2023?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.TimeMiss {
		t.Fatalf("2023 lies inside the years the reports cover: TimeMiss should not be set")
	}
	if len(r.OtherYears) == 0 || !r.Abstains() {
		t.Errorf("the Dushanbe report is of 2021: OtherYears %v, abstains %v; want both", r.OtherYears, r.Abstains())
	}
	r, _ = e.Retrieve(ctx, "What did Wang Yi propose in Dushanbe in 2021?", Options{})
	if len(r.OtherYears) > 0 {
		t.Errorf("2021 is the Dushanbe report's year: OtherYears should not be set")
	}
	r, _ = e.Retrieve(ctx, "What did Wang Yi propose at the foreign ministers' meeting?", Options{})
	if len(r.OtherYears) > 0 {
		t.Errorf("a question naming no year: OtherYears should not be set")
	}

	var undated []rag.Chunk
	for _, c := range ragtest.Fixture() {
		if c.Doc == "dushanbe" {
			c.Date = ""
			c.Text = strings.ReplaceAll(c.Text, "2021", "")
		}
		undated = append(undated, c)
	}
	g, _ := ragtest.Glossaries(t)
	r, _ = NewEngine(Config{Chunks: undated, Glossary: g}).Retrieve(ctx, "What did Wang Yi propose in Dushanbe in 2023?", Options{})
	if len(r.OtherYears) > 0 {
		t.Errorf("an undated report may be of 2023: OtherYears should not be set")
	}
}

// A question whose best window holds neither what it asks for (a number)
// nor all of its focus ("budget", which another report holds) is not
// answered, however well the window holds its names; the same window
// answers what it does hold.
func TestRetrieveAskedForDetail(t *testing.T) {
	ctx := context.Background()
	chunks := []rag.Chunk{
		{ID: "sec#0", Doc: "sec", Lang: "en", Title: "SCO Secretariat opens", Date: "2004-01-15",
			Text: "The SCO Secretariat opened in Beijing, attended by Foreign Minister Li Zhaoxing. The ministers welcomed the Secretariat's opening."},
		{ID: "other#0", Doc: "other", Lang: "en", Title: "Summit", Date: "2005-07-05",
			Text: "The leaders met in Astana and approved the budget of the organisation."},
	}
	e := newGlossaryEngine(t, chunks)
	r, err := e.Retrieve(ctx, "How large was the SCO Secretariat's budget when it opened in Beijing?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Evidence.Answer != 0 || r.Evidence.Missing == 0 {
		t.Fatalf("evidence %+v: want no number held and the budget missing", r.Evidence)
	}
	if !r.Abstains() {
		t.Errorf("no window holds the budget or any figure: should abstain (support %.2f)", r.Support)
	}
	r, _ = e.Retrieve(ctx, "Who attended the opening of the SCO Secretariat in Beijing?", Options{})
	if r.Abstains() {
		t.Errorf("the window holds the person asked for: should answer (evidence %+v, support %.2f)", r.Evidence, r.Support)
	}
}

// A question naming two cities asks about two events: reports that each
// name one city, and together the rest of the question's names, cover it,
// beside any that names both. With one city, the names must still meet in
// one report.
func TestTwoCitiesTwoEvents(t *testing.T) {
	chunks := []rag.Chunk{
		{ID: "bishkek#0", Doc: "bishkek", Lang: "en", Text: "The SCO summit opened in Bishkek in June 2019. Prime Minister Modi of India and Prime Minister Imran Khan of Pakistan attended."},
		{ID: "tashkent#0", Doc: "tashkent", Lang: "en", Text: "The SCO heads of government met in Tashkent in November 2019. Defence Minister Singh represented India."},
		{ID: "dushanbe#0", Doc: "dushanbe", Lang: "en", Text: "The SCO foreign ministers met in Dushanbe in July 2021 and discussed Afghanistan."},
		{ID: "timeline#0", Doc: "timeline", Lang: "en", Text: "Summits so far: Bishkek and Tashkent, with India and Pakistan as members since 2017."},
	}
	e := newGlossaryEngine(t, chunks)
	r, err := e.Retrieve(context.Background(), "Who represented India and Pakistan at the summit in Bishkek and at the meeting in Tashkent?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The timeline names everything and answers nothing: the reports of
	// each event cover the question beside it.
	if r.Unconnected || !r.Covering["bishkek"] || !r.Covering["tashkent"] || !r.Covering["timeline"] {
		t.Errorf("unconnected %v, covering %v: want the report of each city and the timeline", r.Unconnected, r.Covering)
	}
	r, _ = e.Retrieve(context.Background(), "Who represented Pakistan at the meeting in Dushanbe?", Options{})
	if !r.Unconnected {
		t.Errorf("covering %v: Pakistan and Dushanbe are never reported together", r.Covering)
	}
}
