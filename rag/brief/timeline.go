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
// lexicon bridge them: "Astana" finds 阿斯塔纳); of their events, those of
// the kind it names (see askedKinds) and, when it names years, those dated
// or reported in one of them. An empty filter keeps everything.
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
	match, years := docFilter(e, filter)
	var des []docEvent
	for _, doc := range docs {
		if match(doc) {
			des = append(des, readEvent(e, doc))
		}
	}
	evs := keepKinds(events(e, des, lang, map[string]bool{}), askedKinds(e.Glossary(), filter))
	evs = keepYears(evs, years)
	cites, _ := numberSources(e, evs)
	if evs == nil {
		evs = []Event{}
	}
	return Timeline{Filter: filter, Lang: lang, Events: evs, Sources: cites}
}

// keepYears returns the events dated, or reported, in one of years (all
// of them when there are none).
func keepYears(evs []Event, years []string) []Event {
	if len(years) == 0 {
		return evs
	}
	var out []Event
	for _, ev := range evs {
		for _, y := range years {
			if strings.HasPrefix(ev.Date, y) || strings.HasPrefix(ev.Reported, y) {
				out = append(out, ev)
				break
			}
		}
	}
	return out
}

// docFilter returns the test a document must pass for filter's words, and
// the years it names (which keepYears applies to the events).
func docFilter(e *retrieve.Engine, filter string) (func(doc string) bool, []string) {
	if filter == "" {
		return func(string) bool { return true }, nil
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
	}, years
}
