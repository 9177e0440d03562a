package brief

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/render/words"
)

// extractiveBrief quotes the key points from the reports.
func extractiveBrief(e *retrieve.Engine, p briefPlan) Briefing {
	b := p.base(rag.AnswerExtractive)
	b.Headline = extractiveHeadline(p)
	b.Points = pickPoints(e, p)
	return b
}

// pickPoints selects the key points: the best sentence of each event first,
// then the next best, at most maxPointsPerEvent per event, never repeating
// one already chosen (in either language), ordered by event and position.
func pickPoints(e *retrieve.Engine, p briefPlan) []Point {
	type scored struct {
		c     answer.Candidate
		score float64
		ev    int
		gloss []rag.GlossPair // a point in another language: its renderings
	}
	var all []scored
	sameLang := map[int]bool{} // events with a candidate in the briefing's language
	others := map[int]int{}    // events' candidates other than a lead
	isLead := func(c answer.Candidate) bool { return p.des[c.Passage.Doc].leads[c.Lang].full == c.Text }
	topic := topicConcepts(p.r)
	for _, c := range answer.Candidates(e, p.wide) {
		ev, ok := p.eventOf[c.Passage.Doc]
		if !ok || strings.HasSuffix(c.Text, "?") || strings.HasSuffix(c.Text, "？") || textWidth(c.Text) > maxPointWidth {
			continue
		}
		s := c.Score * informative(e, c.Text, topic)
		var gloss []rag.GlossPair
		if c.Lang != p.lang {
			s *= otherLangPoint
			if gloss = pointGloss(e, c.Text, p.lang, topic); len(gloss) == 0 {
				continue
			}
		}
		sameLang[ev] = sameLang[ev] || c.Lang == p.lang
		if !isLead(c) {
			others[ev]++
		}
		all = append(all, scored{c, s, ev, gloss})
	}
	// Quote an event in the briefing's language when its reports allow,
	// and not by the lead the timeline quotes when there is more to say.
	var pool []scored
	for _, s := range all {
		if sameLang[s.ev] && s.c.Lang != p.lang || isLead(s.c) && others[s.ev] > 0 {
			continue
		}
		pool = append(pool, s)
	}
	sort.SliceStable(pool, func(i, j int) bool { return pool[i].score > pool[j].score })
	var chosen []scored
	var sigs []map[string]bool
	perEvent := map[int]int{}
	take := func(s scored) bool {
		sig := e.Signature(s.c.Text)
		for _, t := range sigs {
			if len(sig) >= 2 && retrieve.Jaccard(sig, t) >= 0.6 {
				return false
			}
		}
		for _, c := range chosen {
			if c.c.Text == s.c.Text {
				return false
			}
		}
		chosen = append(chosen, s)
		sigs = append(sigs, sig)
		perEvent[s.ev]++
		return true
	}
	for _, s := range pool {
		if len(chosen) < maxPoints && perEvent[s.ev] == 0 {
			take(s)
		}
	}
	for _, s := range pool {
		if len(chosen) < maxPoints && perEvent[s.ev] < maxPointsPerEvent {
			take(s)
		}
	}
	sort.SliceStable(chosen, func(i, j int) bool {
		a, b := chosen[i].c, chosen[j].c
		if chosen[i].ev != chosen[j].ev {
			return chosen[i].ev < chosen[j].ev
		}
		if p.num[a.Passage.Doc] != p.num[b.Passage.Doc] {
			return p.num[a.Passage.Doc] < p.num[b.Passage.Doc]
		}
		if a.Passage.Pos != b.Passage.Pos {
			return a.Passage.Pos < b.Passage.Pos
		}
		return strings.Index(a.Passage.Text, a.Text) < strings.Index(b.Passage.Text, b.Text)
	})
	out := []Point{}
	for _, s := range chosen {
		c := s.c
		out = append(out, Point{Text: c.Text, Date: c.Passage.Date, Citations: []int{p.num[c.Passage.Doc]}, Lang: c.Lang, Gloss: s.gloss, Doc: c.Passage.Doc, Chunk: c.Passage.ID})
	}
	return out
}

// pointGloss renders the names of a key point in another language than
// the briefing's: those the topic did not name, else all of them. A point
// that names nothing the glossary renders gets none, and is not shown: a
// reader of the briefing's language could not tell what it says.
func pointGloss(e *retrieve.Engine, text, lang string, topic map[string]bool) []rag.GlossPair {
	if g := trimGloss(answer.Gloss(e, text, lang, copySet(topic))); len(g) > 0 {
		return g
	}
	return trimGloss(answer.Gloss(e, text, lang, map[string]bool{}))
}

// newsWeight is how much each name or number a sentence adds to what the
// topic names makes it a better key point (a sentence naming who met whom,
// or announcing a four-point proposal, says more than a general one), up
// to maxNewsBoost.
const (
	newsWeight   = 0.1
	maxNewsBoost = 1.6
)

// informative weighs a sentence by the names and numbers it adds to the
// topic's.
func informative(e *retrieve.Engine, s string, topic map[string]bool) float64 {
	n := 0
	for c := range e.Signature(s) {
		if !topic[c] {
			n++
		}
	}
	if answer.AnnouncesList(s) {
		n += 2
	}
	return min(1+newsWeight*float64(n), maxNewsBoost)
}

// textWidth counts a Han character as two.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if tokens.IsHan(r) {
			w++
		}
	}
	return w
}

// extractiveHeadline sums the events up in one line: the topic, how many
// events (meetings, when they all are one kind), over which years, the
// latest with its place, and the Since day of a digest.
func extractiveHeadline(p briefPlan) string {
	evs := p.events
	meeting := evs[0].Meeting
	for _, ev := range evs {
		if ev.concept == "" || ev.Meeting != meeting {
			meeting = ""
		}
	}
	last := evs[len(evs)-1]
	y1, y2 := year(evs[0].Date), year(last.Date)
	span := y1
	if y2 != y1 {
		span = words.Text(p.lang, words.YearSpan, y1, y2)
	}
	when := last.Date
	switch {
	case last.Place != "" && meeting != "":
		when = words.Text(p.lang, words.WhenHeldIn, last.Date, last.Place)
	case last.Place != "":
		when = words.Text(p.lang, words.WhenIn, last.Date, last.Place)
	case meeting != "":
		when = words.Text(p.lang, words.WhenHeld, last.Date)
	}
	topic := p.topic
	// A Chinese headline keeps the topic as written, Latin letters too.
	if r, size := utf8.DecodeRuneInString(topic); unicode.IsLower(r) && p.lang != "zh" {
		topic = string(unicode.ToUpper(r)) + topic[size:]
	}
	var s string
	switch {
	case len(evs) == 1:
		s = words.Text(p.lang, words.HeadlineOne, topic, when)
	case meeting != "":
		n := words.Count(p.lang, len(evs), words.MeetingsOne, words.MeetingsFew, words.MeetingsMany)
		s = words.Text(p.lang, words.HeadlineMeetings, topic, n, meeting, span, when)
	default:
		n := words.Count(p.lang, len(evs), words.EventsOne, words.EventsFew, words.EventsMany)
		s = words.Text(p.lang, words.HeadlineEvents, topic, n, span, when)
	}
	if p.since != "" {
		s = words.Text(p.lang, words.HeadlineSince, s, p.since)
	}
	return s
}

func year(date string) string {
	if len(date) >= 4 {
		return date[:4]
	}
	return "?"
}
