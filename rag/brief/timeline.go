package brief

import (
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// Timeline is every event of the corpus (or those matching a filter) in date
// order, with the sources its events cite.
type Timeline struct {
	Filter  string         `json:"filter"`
	Lang    string         `json:"lang"`
	Events  []Event        `json:"events"`
	Sources []rag.Citation `json:"sources"`
}

// Timeline returns the events of the corpus in date order, rendered in lang
// ("" → the filter's language, English without a filter). A filter keeps the
// reports that name all of its words, in any language (the glossary and the
// lexicon bridge them: "Astana" finds 阿斯塔纳), and, when it names years,
// that are dated in one of them. An empty filter keeps everything.
func (br *Briefer) Timeline(filter, lang string) Timeline {
	e := br.engine
	filter = strings.TrimSpace(filter)
	if lang == "" {
		lang = "en"
		if filter != "" {
			lang = tokens.Lang(filter)
		}
	}
	docs := e.Docs()
	match := docFilter(e, filter)
	var des []docEvent
	for _, doc := range docs {
		if match(doc) {
			des = append(des, readEvent(e, doc))
		}
	}
	evs := events(e, des, lang, map[string]bool{})
	cites, _ := numberSources(e, evs)
	if evs == nil {
		evs = []Event{}
	}
	return Timeline{Filter: filter, Lang: lang, Events: evs, Sources: cites}
}

// docFilter returns the test a document must pass for filter.
func docFilter(e *retrieve.Engine, filter string) func(doc string) bool {
	if filter == "" {
		return func(string) bool { return true }
	}
	q := e.ParseQuery(filter)
	var years []string
	for _, y := range q.Time.Years {
		years = append(years, strconv.Itoa(y))
	}
	var words []string
	for _, t := range q.RestTerms() {
		if !contains(years, t) {
			words = append(words, t)
		}
	}
	return func(doc string) bool {
		cs := e.DocChunks(doc)
		if len(cs) == 0 {
			return false
		}
		if len(years) > 0 {
			ok := false
			for _, y := range years {
				ok = ok || strings.HasPrefix(cs[0].Date, y)
			}
			if !ok {
				return false
			}
		}
		has := func(t string) float64 {
			if e.DocHas(doc, t) {
				return 1
			}
			return 0
		}
		for _, c := range q.Concepts {
			if e.ConceptCredit(e.Glossary(), c, has) < 1 {
				return false
			}
		}
		for _, c := range q.Words {
			if e.ConceptCredit(e.Lexicon(), c, has) < 1 {
				return false
			}
		}
		for _, w := range words {
			if !e.DocHas(doc, w) {
				return false
			}
		}
		return true
	}
}
