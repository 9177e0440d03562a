package retrieve

import (
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
)

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
	params := DefaultParams()
	got := diversify(&params, ps, sig, 2)
	if got[0].ID != "zh" || got[1].ID != "other" || got[2].ID != "en" {
		t.Errorf("order = %s,%s,%s; the translation should move behind", got[0].ID, got[1].ID, got[2].ID)
	}
}
