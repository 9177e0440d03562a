package answer

import (
	"cmp"
	"slices"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/render/words"
)

// maxSuggestions is how many follow-up questions an answer suggests.
const maxSuggestions = 3

// suggestKinds are the kinds of names a follow-up may ask about, with the
// message that asks; kindRank orders them: people first, then named
// initiatives, places and topics.
var suggestKinds = map[glossary.Kind]words.Key{
	glossary.KindPerson:     words.SuggestPerson,
	glossary.KindInitiative: words.SuggestTopic,
	glossary.KindTopic:      words.SuggestTopic,
	glossary.KindEvent:      words.SuggestTopic,
	glossary.KindPlace:      words.SuggestPlace,
}

var kindRank = map[glossary.Kind]int{glossary.KindPerson: 0, glossary.KindInitiative: 1, glossary.KindPlace: 2, glossary.KindTopic: 3, glossary.KindEvent: 3}

// Suggest returns up to three follow-up questions, in the asker's
// language, about what the answer's passages also cover: the people,
// initiatives, places and topics (in that order) the glossary knows that
// they name and the question does not, those named in most passages first.
func Suggest(e *retrieve.Engine, question, lang string, passages []rag.Passage) []string {
	g := e.Glossary()
	if g == nil || len(passages) == 0 {
		return nil
	}
	asked := map[string]bool{}
	for _, m := range g.Find(question) {
		asked[m.Concept] = true
	}
	count := map[string]int{}
	first := map[string]int{}
	for i, p := range passages {
		seen := map[string]bool{}
		for _, m := range g.Find(p.Text) {
			c := m.Concept
			if asked[c] || seen[c] {
				continue
			}
			if _, ok := suggestKinds[g.Kind(c)]; !ok || g.Term(c, lang) == "" {
				continue
			}
			seen[c] = true
			count[c]++
			if _, ok := first[c]; !ok {
				first[c] = i
			}
		}
	}
	concepts := make([]string, 0, len(count))
	for c := range count {
		concepts = append(concepts, c)
	}
	slices.SortFunc(concepts, func(a, b string) int {
		return cmp.Or(kindRank[g.Kind(a)]-kindRank[g.Kind(b)], count[b]-count[a], first[a]-first[b], cmp.Compare(a, b))
	})
	var out []string
	for _, c := range concepts {
		if len(out) == maxSuggestions {
			break
		}
		out = append(out, words.Text(lang, suggestKinds[g.Kind(c)], g.Term(c, lang)))
	}
	return out
}
