package retrieve

import (
	"sort"

	"github.com/scobot/scobot/rag"
)

// fuse merges rankings by reciprocal rank fusion (constant rrfK); the
// first list (lexical, when present) counts fully, later ones (vector)
// count vectorWeight.
func fuse(rrfK, vectorWeight float64, lists ...[]rag.Passage) []rag.Passage {
	score := map[string]float64{}
	byID := map[string]rag.Passage{}
	for i, l := range lists {
		w := 1.0
		if i > 0 {
			w = vectorWeight
		}
		for rank, p := range l {
			score[p.ID] += w / (rrfK + float64(rank+1))
			byID[p.ID] = p
		}
	}
	out := make([]rag.Passage, 0, len(byID))
	for id, p := range byID {
		p.Score = score[id]
		out = append(out, p)
	}
	sortPassages(out)
	return out
}

func sortPassages(ps []rag.Passage) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Score != ps[j].Score {
			return ps[i].Score > ps[j].Score
		}
		return ps[i].ID < ps[j].ID
	})
}
