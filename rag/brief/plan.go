package brief

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
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
	// stale is set when events of the topic were found but none is new
	// since the request's Since.
	stale bool
	since string // the Since day, ISO 8601; "" for none
}

// planBrief picks the reports relevant to the topic, groups them into
// events of the kinds the topic asks for (all kinds when it names none),
// keeps those new since since (when it is not zero; the reports seen by an
// earlier digest not new again) and finds where they disagree.
func planBrief(e *retrieve.Engine, topic, lang string, r retrieve.Retrieval, since time.Time, seen ...string) briefPlan {
	p := briefPlan{topic: topic, lang: lang, r: r, eventOf: map[string]int{}, des: map[string]docEvent{}}
	var des []docEvent
	for _, doc := range relevantDocs(e, r) {
		d := readEvent(e, doc)
		p.des[doc] = d
		des = append(des, d)
	}
	des = append(des, sameEvents(e, des, p.des)...)
	evs := keepKinds(events(e, des, lang, topicConcepts(r)), askedKinds(e.Glossary(), topic))
	p.events = keepSince(evs, p.des, since, seen)
	if !since.IsZero() {
		p.since = since.Format(time.DateOnly)
	}
	p.stale = len(evs) > 0 && len(p.events) == 0
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
// duplicate), adding them to byDoc. Only reports dated near one of the
// events (from a month before it to maxReportLag after) are read.
func sameEvents(e *retrieve.Engine, des []docEvent, byDoc map[string]docEvent) []docEvent {
	var near []time.Time
	for _, d := range des {
		if t, ok := parseDay(d.eventDate); ok {
			near = append(near, t)
		}
	}
	isNear := func(date string) bool {
		t, ok := parseDay(date)
		for _, ev := range near {
			if ok && !t.Before(ev.Add(-sameEventLead)) && !t.After(ev.Add(maxReportLag)) {
				return true
			}
		}
		return false
	}
	var cands []docEvent
	for _, doc := range e.Docs() {
		cs := e.DocChunks(doc)
		if _, ok := byDoc[doc]; !ok && len(cs) > 0 && isNear(cs[0].Date) {
			cands = append(cands, readEvent(e, doc))
		}
	}
	if len(cands) == 0 {
		return nil
	}
	all := append(append([]docEvent(nil), des...), cands...)
	alignDates(all)
	keys := map[eventKey]bool{}
	for _, d := range all[:len(des)] {
		if d.eventDate != "" {
			keys[d.key()] = true
		}
	}
	var out []docEvent
	for i, d := range all[len(des):] {
		if keys[d.key()] {
			byDoc[d.doc] = cands[i]
			out = append(out, cands[i])
		}
	}
	return out
}

// keepSince returns the events that are new since since (all of them when
// it is zero): an event dated on or after it with all its reports, and an
// older event with only its reports dated on or after it; an event whose
// reports were all seen (sent by an earlier digest) is not new.
func keepSince(evs []Event, des map[string]docEvent, since time.Time, seen []string) []Event {
	if since.IsZero() {
		return evs
	}
	day := since.Format(time.DateOnly)
	var out []Event
	for _, ev := range evs {
		unseen := slices.DeleteFunc(slices.Clone(ev.docs), func(doc string) bool { return slices.Contains(seen, doc) })
		if len(unseen) == 0 {
			continue // all its reports were in an earlier digest
		}
		if ev.Date != "" && ev.Date >= day {
			out = append(out, ev)
			continue
		}
		var docs []string
		for _, doc := range unseen {
			if des[doc].date >= day {
				docs = append(docs, doc)
			}
		}
		if len(docs) > 0 {
			ev.docs = docs
			ev.Reported = des[docs[0]].date
			for _, doc := range docs {
				ev.Reported = min(ev.Reported, des[doc].date)
			}
			out = append(out, ev)
		}
	}
	return out
}

// sameEventLead is how long before an event another report of it may be
// dated (an announcement).
const sameEventLead = 31 * 24 * time.Hour

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
	inner := map[string][]string{} // concept → the concepts its own terms name
	for _, doc := range docs {
		text := docText(e, doc)
		n := 0
		if g := e.Glossary(); g != nil {
			found := withInner(g, g.Concepts(text), inner)
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

// withInner adds to concepts those their own terms name inside them: a
// report of the "Council of Foreign Ministers" (外长理事会) speaks of
// foreign ministers (外长), though the glossary finds only the longer
// term in it. memo keeps what each concept's terms name.
func withInner(g *glossary.Glossary, concepts []string, memo map[string][]string) []string {
	out := slices.Clone(concepts)
	for _, c := range concepts {
		in, ok := memo[c]
		if !ok {
			for _, lang := range []string{"en", "zh", "ru"} {
				for _, t := range g.Terms(c, lang) {
					// The term less its first or its last character: the
					// whole term would match only itself.
					_, first := utf8.DecodeRuneInString(t)
					_, last := utf8.DecodeLastRuneInString(t)
					for _, part := range []string{t[first:], t[:len(t)-last]} {
						for _, x := range g.Concepts(part) {
							if x != c && !slices.Contains(in, x) {
								in = append(in, x)
							}
						}
					}
				}
			}
			memo[c] = in
		}
		for _, x := range in {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}
