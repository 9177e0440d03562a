package retrieve

import (
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/tokens"
)

func TestRerankByCoverage(t *testing.T) {
	repeats := rag.Passage{Chunk: rag.Chunk{ID: "a#0", Doc: "a", Lang: "en", Text: "Wang Yi, Wang Yi and again Wang Yi in Dushanbe."}, Score: 1}
	answers := rag.Passage{Chunk: rag.Chunk{ID: "b#0", Doc: "b", Lang: "en", Text: "In Dushanbe Wang Yi opposed vaccine nationalism."}, Score: 0.8}
	// The same in Chinese: coverage counts a name in any of its renderings.
	answersZh := rag.Passage{Chunk: rag.Chunk{ID: "c#0", Doc: "c", Lang: "zh", Text: "王毅在杜尚别反对疫苗民族主义。"}, Score: 0.8}
	chunks := append(ragtest.Fixture(), repeats.Chunk, answers.Chunk, answersZh.Chunk)
	e := newGlossaryEngine(t, chunks)
	q := e.ParseQuery("What did Wang Yi say about vaccine nationalism in Dushanbe?")
	got := e.rerankByCoverage([]rag.Passage{repeats, answers, answersZh}, q)
	if got[2].ID != "a#0" {
		t.Errorf("order %s %s %s; want a#0 last", got[0].ID, got[1].ID, got[2].ID)
	}
	us := q.Units
	if c := coverage(holds(answers.Text), us); c < 0.99 {
		t.Errorf("coverage of the answering passage = %.2f, want 1", c)
	}
	if cEn, cZh := coverage(holds(answers.Text), us), coverage(holds(answersZh.Text), us); cZh < cEn-0.01 {
		t.Errorf("coverage in Chinese %.2f < in English %.2f", cZh, cEn)
	}
	if c := coverage(holds(repeats.Text), us); c > 0.7 {
		t.Errorf("coverage of the repeating passage = %.2f, want at most 0.7 (it lacks vaccine nationalism)", c)
	}
}

// holds is the term test of a text that is not in the index.
func holds(text string) func(string) bool {
	terms := map[string]bool{}
	for _, t := range tokens.Terms(text) {
		terms[t] = true
	}
	return func(t string) bool { return terms[t] }
}
