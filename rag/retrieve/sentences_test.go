package retrieve

import (
	"slices"
	"sync"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

func TestSentencesKeptAcrossQuestions(t *testing.T) {
	chunks := ragtest.Fixture()
	e := newGlossaryEngine(t, chunks)
	c := chunks[0]
	p := rag.Passage{Chunk: c}
	first := e.sentences(p)
	if len(first) == 0 || len(first[0].Terms) == 0 {
		t.Fatalf("%s splits into %d sentences: the test checks nothing", c.ID, len(first))
	}
	first[0].Has(first[0].Terms[0])
	first[0].read = true
	second := e.sentences(p)
	want := SplitSentences(c.Text)
	if len(second) != len(want) {
		t.Fatalf("kept %d sentences, want %d", len(second), len(want))
	}
	for i := range want {
		if second[i].Text != want[i].Text || !slices.Equal(second[i].Terms, want[i].Terms) {
			t.Errorf("sentence %d: %q %q, want %q %q", i, second[i].Text, second[i].Terms, want[i].Text, want[i].Terms)
		}
	}
	second[0].Has(second[0].Terms[0])
	second[0].read = true
	third := e.sentences(p)
	if &second[0].Terms[0] != &third[0].Terms[0] {
		t.Error("the sentences were split again, not kept")
	}
	if third[0].set != nil || third[0].read {
		t.Error("what one question filled in leaks into the next")
	}
	other := p
	other.Text = "Lavrov met Wang Yi."
	if got := e.sentences(other); len(got) != 1 || got[0].Text != other.Text {
		t.Errorf("a passage with another text under the same ID gets the sentences of the kept text (%d, the first %q)", len(got), got[0].Text)
	}
}

func TestSentencesConcurrent(t *testing.T) {
	chunks := ragtest.Fixture()
	e := newGlossaryEngine(t, chunks)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, c := range chunks {
				for _, s := range e.sentences(rag.Passage{Chunk: c}) {
					s.Has("sco")
				}
			}
		})
	}
	wg.Wait()
}
