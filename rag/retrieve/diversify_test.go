package retrieve

import (
	"regexp"
	"slices"
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

// TestNextNumber: the numbers a Signature counts are those of the regular
// expression [0-9]+(?:\.[0-9]+)?, which nextNumber replaced for speed.
func TestNextNumber(t *testing.T) {
	re := regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?`)
	for _, s := range []string{"", "no numbers", "2024", "on 15 June 2024, 3.5 per cent", "1.2.3", "v1.", "12.x", ".5", "第3次 2019年6月14日", "a1b22c333", "9.99.", "１２３ (full-width)", "3..4"} {
		var got []string
		for rest := s; ; {
			m, after := nextNumber(rest)
			if m == "" {
				break
			}
			got = append(got, m)
			rest = after
		}
		if want := re.FindAllString(s, -1); !slices.Equal(got, want) {
			t.Errorf("numbers of %q = %q, want %q", s, got, want)
		}
		if IsNumber(s) != (s != "" && re.FindString(s) == s) {
			t.Errorf("IsNumber(%q) = %v", s, IsNumber(s))
		}
	}
}
