package brief

import (
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
)

// briefPlan is what both kinds of briefing are built from: the relevant
// reports, their events (numbered sources) and disagreements.
type briefPlan struct {
	topic, lang string
	r           retrieve.Retrieval
	// wide is r with every chunk of the relevant reports after the
	// retrieved passages: key points may come from any part of them.
	wide          retrieve.Retrieval
	prompt        []rag.Passage // what the language model is shown
	events        []Event
	sources       []rag.Citation
	num           map[string]int      // document → source number
	eventOf       map[string]int      // document → index in events
	des           map[string]docEvent // by document
	disagreements []Disagreement
}

// planBrief picks the reports relevant to the topic, groups them into
// events and finds where they disagree.
func planBrief(e *retrieve.Engine, topic, lang string, r retrieve.Retrieval) briefPlan {
	p := briefPlan{topic: topic, lang: lang, r: r, eventOf: map[string]int{}, des: map[string]docEvent{}}
	var des []docEvent
	for _, doc := range relevantDocs(e, r) {
		d := readEvent(e, doc)
		p.des[doc] = d
		des = append(des, d)
	}
	des = append(des, sameEvents(e, des, p.des)...)
	p.events = events(e, des, lang, topicConcepts(r))
	p.sources, p.num = numberSources(e, p.events)
	for i, ev := range p.events {
		for _, doc := range ev.docs {
			p.eventOf[doc] = i
		}
		p.disagreements = append(p.disagreements, disagreements(e, ev, p.des, p.num, lang)...)
	}
	if p.disagreements == nil {
		p.disagreements = []Disagreement{}
	}
	p.wide, p.prompt = widen(e, r, p.sources)
	return p
}

// sameEvents returns the other reports of the events of des (another
// outlet's report of the same meeting that retrieval left out as a near
// duplicate), adding them to byDoc.
func sameEvents(e *retrieve.Engine, des []docEvent, byDoc map[string]docEvent) []docEvent {
	keys := map[eventKey]bool{}
	dates := map[string]bool{}
	for _, d := range des {
		if d.date != "" {
			keys[eventKey{d.date, d.place, d.meeting}] = true
			dates[d.date] = true
		}
	}
	var docs []string
	for _, doc := range e.Docs() {
		cs := e.DocChunks(doc)
		if _, ok := byDoc[doc]; !ok && len(cs) > 0 && dates[cs[0].Date] {
			docs = append(docs, doc)
		}
	}
	var out []docEvent
	for _, doc := range docs {
		d := readEvent(e, doc)
		if keys[eventKey{d.date, d.place, d.meeting}] {
			byDoc[doc] = d
			out = append(out, d)
		}
	}
	return out
}

// promptChunks is how many chunks of a source that retrieval did not reach
// the language model is shown.
const promptChunks = 2

// widen returns the retrieval with every chunk of the cited reports after
// the retrieved passages (for key points), and the passages the language
// model is shown: the retrieved ones of the cited reports, and the opening
// chunks of a report retrieval did not reach.
func widen(e *retrieve.Engine, r retrieve.Retrieval, sources []rag.Citation) (retrieve.Retrieval, []rag.Passage) {
	cited := map[string]bool{}
	for _, c := range sources {
		cited[c.Doc] = true
	}
	seen := map[string]bool{}
	var wide, prompt []rag.Passage
	for _, p := range r.Passages {
		if cited[p.Doc] {
			wide = append(wide, p)
			prompt = append(prompt, p)
			seen[p.ID] = true
		}
	}
	for _, c := range sources {
		reached := false
		for _, p := range prompt {
			reached = reached || p.Doc == c.Doc
		}
		for i, ch := range e.DocChunks(c.Doc) {
			if !reached && i < promptChunks {
				prompt = append(prompt, rag.Passage{Chunk: ch})
			}
			if !seen[ch.ID] {
				wide = append(wide, rag.Passage{Chunk: ch})
			}
		}
	}
	w := r
	w.Passages = wide
	w.Covering = nil
	return w, prompt
}

// topicConcepts are the names the asker used: never glossed back to them.
func topicConcepts(r retrieve.Retrieval) map[string]bool {
	m := map[string]bool{}
	for _, c := range r.Query.Concepts {
		m[c] = true
	}
	return m
}

// relevantDocs returns the retrieved documents that are about the topic:
// those naming the most of the topic's requirements (its names and
// ordinary words, matched through the glossary and lexicon in any language,
// and its other words), in rank order.
func relevantDocs(e *retrieve.Engine, r retrieve.Retrieval) []string {
	docs := rag.DistinctDocs(r.Passages)
	q := r.Query
	rest := q.RestTerms()
	if len(q.Concepts)+len(q.Words)+len(rest) == 0 {
		return docs
	}
	best := 0
	score := map[string]int{}
	for _, doc := range docs {
		text := docText(e, doc)
		n := 0
		if e.Glossary() != nil {
			found := e.Glossary().Concepts(text)
			for _, c := range q.Concepts {
				if contains(found, c) {
					n++
				}
			}
		}
		if e.Lexicon() != nil {
			found := e.Lexicon().Concepts(text)
			for _, c := range q.Words {
				if contains(found, c) {
					n++
				}
			}
		}
		for _, t := range rest {
			if e.DocHas(doc, t) {
				n++
			}
		}
		score[doc] = n
		best = max(best, n)
	}
	if best == 0 {
		return docs
	}
	var out []string
	for _, doc := range docs {
		if score[doc] == best {
			out = append(out, doc)
		}
	}
	return out
}

// base is a briefing with the plan's timeline, sources and disagreements.
func (p briefPlan) base(mode string) Briefing {
	return Briefing{
		Topic: p.topic, Lang: p.lang, Mode: mode,
		Points: []Point{}, Timeline: p.events, Sources: p.sources, Disagreements: p.disagreements,
	}
}
