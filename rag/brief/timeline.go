package brief

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// Event is one event of a timeline: what one report (or several
// reports of the same day, place and meeting) says happened. Text is quoted
// from the report Citations[0] points at; the other citations report the
// same event.
type Event struct {
	Date      string `json:"date"`              // the report's date, ISO 8601; "" if unknown
	Place     string `json:"place"`             // where it happened, in the asker's language; "" if unknown
	Meeting   string `json:"meeting,omitempty"` // the SCO meeting it concerns, in the asker's language
	Text      string `json:"text"`              // the report's lead sentence, shortened
	Citations []int  `json:"citations"`         // numbers in the Sources list
	Lang      string `json:"lang"`              // language of Text
	// Gloss renders the names of a Text in another language into the
	// asker's.
	Gloss []rag.GlossPair `json:"-"`
	// Doc is the document Text is quoted from.
	Doc string `json:"-"`

	docs    []string // every document reporting the event
	concept string   // the meeting's glossary concept
	place   string   // the place's glossary concept
}

// Timeline is every event of the corpus (or those matching a filter) in date
// order, with the sources its events cite.
type Timeline struct {
	Filter  string         `json:"filter"`
	Lang    string         `json:"lang"`
	Events  []Event        `json:"events"`
	Sources []rag.Citation `json:"sources"`
}

// meetingConcepts are the SCO meetings a report may be about, in order of
// preference when a report names several.
var meetingConcepts = []string{"sco-cfm", "sco-chs"}

// locativeZh and locativeEn end the text right before a place where
// something happened: "在阿斯塔纳", "赴俄罗斯", "in Dushanbe".
var (
	locativeZh = []string{"在", "赴", "于"}
	locativeEn = regexp.MustCompile(`(?i)\b(in|at)( the)?\s+$`)
)

// Datelines open a news report ("中新社阿斯塔纳5月21日电 (记者 …)",
// "BEIJING, May 21, 2023 (Xinhua) — "); a timeline line leaves them out.
var (
	datelineZh = regexp.MustCompile(`^\S{0,12}?[0-9]{1,2}月[0-9]{1,2}日电\s*(?:[（(][^）)]{0,40}[）)])?\s*`)
	datelineEn = regexp.MustCompile(`^(?:[A-Z][\w.’' -]*,\s+){1,3}` + monthNames + `\.?\s+[0-9]{1,2}(?:,\s+[0-9]{4})?\s*(?:\([^)]{0,60}\))?\s*[—–-]*\s*`)
)

// monthNames matches an English month name or abbreviation.
const monthNames = `(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)`

// maxLeadWidth bounds a timeline line, counting a Han character as two.
const maxLeadWidth = 260

// readEvent is what one document reports: its event, lead sentences and
// metadata.
type docEvent struct {
	doc, title, date, source, url string
	langs                         []string
	leads                         map[string]leadSentence // by language
	place, meeting                string                  // glossary concepts
}

// leadSentence is a report's first real sentence in one language.
type leadSentence struct {
	full string // as written, dateline included
	text string // dateline removed and shortened for a timeline
}

// readEvent reads the event a document reports.
func readEvent(e *retrieve.Engine, doc string) docEvent {
	cs := e.DocChunks(doc)
	d := docEvent{doc: doc, leads: map[string]leadSentence{}}
	if len(cs) == 0 {
		return d
	}
	d.title, d.date, d.source, d.url = cs[0].Title, cs[0].Date, cs[0].Source, cs[0].URL
	for _, c := range cs {
		if !contains(d.langs, c.Lang) {
			d.langs = append(d.langs, c.Lang)
		}
	}
	for _, lang := range d.langs {
		if s := leadOf(e, doc, lang, d.title); s != "" {
			d.leads[lang] = leadSentence{full: s, text: shortenLead(stripDateline(s))}
		}
	}
	if e.Glossary() == nil {
		return d
	}
	// The meeting: named in the title, else in a lead, else anywhere.
	texts := []string{d.title}
	for _, lang := range d.langs {
		texts = append(texts, d.leads[lang].full)
	}
	texts = append(texts, docText(e, doc))
	for _, t := range texts {
		if d.meeting = firstConcept(e.Glossary(), t, meetingConcepts); d.meeting != "" {
			break
		}
	}
	// The place: where the leads or a sentence naming the meeting say it
	// happened ("在阿斯塔纳出席", "in Dushanbe").
	var where []string
	for _, lang := range d.langs {
		where = append(where, d.leads[lang].full)
	}
	for _, lang := range d.langs {
		for _, para := range answer.Paragraphs(e.DocChunks(doc), lang) {
			for _, s := range tokens.Sentences(para) {
				if d.meeting != "" && contains(e.Glossary().Concepts(s), d.meeting) {
					where = append(where, s)
				}
			}
		}
	}
	for _, s := range where {
		if d.place = locativePlace(e, s); d.place != "" {
			break
		}
	}
	return d
}

// docText is the text of a whole document.
func docText(e *retrieve.Engine, doc string) string {
	var b strings.Builder
	for _, c := range e.DocChunks(doc) {
		b.WriteString(c.Text)
		b.WriteString("\n\n")
	}
	return b.String()
}

// leadOf returns the first sentence of a document's text in lang that is
// not a heading or the title again.
func leadOf(e *retrieve.Engine, doc, lang, title string) string {
	for _, para := range answer.Paragraphs(e.DocChunks(doc), lang) {
		for _, s := range tokens.Sentences(para) {
			if utf8.RuneCountInString(s) < answer.MinSentenceRunes || answer.IsHeading(s, para) || isTitle(s, title) {
				continue
			}
			return s
		}
	}
	return ""
}

// isTitle reports whether s repeats the title.
func isTitle(s, title string) bool {
	title = strings.TrimSpace(title)
	if title == "" {
		return false
	}
	s = strings.TrimRight(s, ".。 ")
	return s == title || strings.HasPrefix(title, s) && utf8.RuneCountInString(s) > utf8.RuneCountInString(title)/2
}

// firstConcept returns the first of want named in text, in want's order.
func firstConcept(g *glossary.Glossary, text string, want []string) string {
	found := g.Concepts(text)
	for _, c := range want {
		if contains(found, c) {
			return c
		}
	}
	return ""
}

// locativePlace returns the first place concept a sentence names right after
// "在", "赴", "于", "in" or "at".
func locativePlace(e *retrieve.Engine, s string) string {
	for _, m := range e.Glossary().Find(s) {
		if k := e.Glossary().Kind(m.Concept); k != glossary.KindState && k != glossary.KindPlace {
			continue
		}
		before := s[:m.Start]
		trimmed := strings.TrimRight(before, " ")
		for _, p := range locativeZh {
			if strings.HasSuffix(trimmed, p) {
				return m.Concept
			}
		}
		if locativeEn.MatchString(before) {
			return m.Concept
		}
	}
	return ""
}

// stripDateline removes a news dateline from the start of a sentence, unless
// too little would be left.
func stripDateline(s string) string {
	for _, re := range []*regexp.Regexp{datelineZh, datelineEn} {
		if loc := re.FindStringIndex(s); loc != nil {
			if rest := s[loc[1]:]; utf8.RuneCountInString(rest) >= answer.MinSentenceRunes {
				return rest
			}
		}
	}
	return s
}

// shortenLead cuts a sentence to maxLeadWidth at a word or clause boundary,
// marking the cut with "…". The kept part is verbatim.
func shortenLead(s string) string {
	width := 0
	cut := -1   // byte offset where the width limit is passed
	lastOK := 0 // last boundary before it
	for i, r := range s {
		w := 1
		if tokens.IsHan(r) {
			w = 2
		}
		if width+w > maxLeadWidth {
			cut = i
			break
		}
		width += w
		if r == ' ' || r == '，' || r == '、' || r == '；' || r == ',' || r == ';' {
			lastOK = i
		}
	}
	if cut < 0 {
		return s
	}
	if lastOK == 0 {
		lastOK = cut
	}
	return strings.TrimRight(s[:lastOK], " ,，、;；") + "…"
}

// eventKey groups reports of one event: the same day, place and meeting.
type eventKey struct{ date, place, meeting string }

// events groups documents into events, oldest first (undated last), and
// renders them in lang. Sources are numbered by num.
func events(e *retrieve.Engine, des []docEvent, lang string, glossed map[string]bool) []Event {
	byKey := map[eventKey][]docEvent{}
	var keys []eventKey
	for _, d := range des {
		k := eventKey{d.date, d.place, d.meeting}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], d)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a.date == "") != (b.date == "") {
			return b.date == ""
		}
		if a.date != b.date {
			return a.date < b.date
		}
		return byKey[a][0].doc < byKey[b][0].doc
	})
	var out []Event
	for _, k := range keys {
		group := byKey[k]
		sort.SliceStable(group, func(i, j int) bool { return group[i].doc < group[j].doc })
		// Quote the first report with a lead in the asker's language,
		// else the first with any lead.
		quote := -1
		for i, d := range group {
			if _, ok := d.leads[lang]; ok {
				quote = i
				break
			}
		}
		if quote < 0 {
			for i, d := range group {
				if len(d.leads) > 0 {
					quote = i
					break
				}
			}
		}
		ev := Event{Date: k.date, Citations: []int{}, concept: k.meeting, place: k.place}
		if quote >= 0 {
			group[0], group[quote] = group[quote], group[0]
			d := group[0]
			ll := lang
			if _, ok := d.leads[ll]; !ok {
				ll = d.langs[0]
				for _, l := range d.langs {
					if _, ok := d.leads[l]; ok {
						ll = l
						break
					}
				}
			}
			ev.Text, ev.Lang, ev.Doc = d.leads[ll].text, ll, d.doc
			if ll != lang {
				ev.Gloss = trimGloss(answer.Gloss(e, ev.Text, lang, glossed))
			}
		}
		for _, d := range group {
			ev.docs = append(ev.docs, d.doc)
		}
		if g := e.Glossary(); g != nil {
			ev.Place = g.Term(k.place, lang)
			ev.Meeting = meetingName(g, k.meeting, lang)
		}
		out = append(out, ev)
	}
	return out
}

// meetingName renders a meeting concept: "SCO Council of Foreign
// Ministers", "上合组织外长理事会".
func meetingName(g *glossary.Glossary, concept, lang string) string {
	t := g.Term(concept, lang)
	if t == "" {
		return ""
	}
	switch lang {
	case "zh":
		return "上合组织" + t
	case "ru":
		return t + " ШОС"
	}
	return "SCO " + t
}

// numberSources numbers the documents of events 1..n in event order and
// fills in the events' citations.
func numberSources(e *retrieve.Engine, evs []Event) ([]rag.Citation, map[string]int) {
	num := map[string]int{}
	var cites []rag.Citation
	for i := range evs {
		evs[i].Citations = []int{}
		for _, doc := range evs[i].docs {
			if _, ok := num[doc]; !ok {
				num[doc] = len(cites) + 1
				cites = append(cites, citation(e, doc, len(cites)+1))
			}
			evs[i].Citations = append(evs[i].Citations, num[doc])
		}
	}
	if cites == nil {
		cites = []rag.Citation{}
	}
	return cites, num
}

// citation is the source entry of a document.
func citation(e *retrieve.Engine, doc string, n int) rag.Citation {
	c := rag.Citation{N: n, Doc: doc}
	if cs := e.DocChunks(doc); len(cs) > 0 {
		c.Title, c.Date, c.Source, c.URL = cs[0].Title, cs[0].Date, cs[0].Source, cs[0].URL
	}
	return c
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

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Markdown renders the timeline for a newsroom CMS: a heading, one bullet
// per event, and the numbered sources with links.
func (t Timeline) Markdown() string {
	l := labelsFor(t.Lang)
	var b strings.Builder
	b.WriteString("## " + mdEscape(l.timeline))
	if t.Filter != "" {
		b.WriteString(": " + mdEscape(t.Filter))
	}
	b.WriteString("\n\n")
	if len(t.Events) == 0 {
		b.WriteString(mdEscape(l.noEvents) + "\n")
		return b.String()
	}
	writeMarkdownEvents(&b, t.Lang, t.Events)
	b.WriteString("\n")
	writeMarkdownSources(&b, l, t.Sources)
	return b.String()
}

// Text renders the timeline for a terminal.
func (t Timeline) Text() string {
	var b strings.Builder
	b.WriteString(t.body())
	if len(t.Events) > 0 {
		b.WriteString("\n")
		writeTextSources(&b, labelsFor(t.Lang), t.Sources)
	}
	return b.String()
}

// body renders the timeline as plain text without its sources.
func (t Timeline) body() string {
	l := labelsFor(t.Lang)
	var b strings.Builder
	b.WriteString(l.timeline)
	if t.Filter != "" {
		b.WriteString(": " + t.Filter)
	}
	b.WriteString("\n")
	if len(t.Events) == 0 {
		b.WriteString(l.noEvents + "\n")
		return b.String()
	}
	writeTextEvents(&b, t.Lang, t.Events)
	return b.String()
}

// Answer returns the timeline in the shape of an answer, for fronts that
// render answers: the events without the source list, which they render
// from Citations.
func (t Timeline) Answer() rag.Answer {
	return rag.Answer{
		Question:  t.Filter,
		Text:      strings.TrimRight(t.body(), "\n"),
		Mode:      rag.AnswerExtractive,
		Lang:      t.Lang,
		Citations: nonNilCitations(t.Sources),
		Passages:  []rag.Passage{},
	}
}

// eventHead is "date · place · meeting" for one event.
func eventHead(ev Event, l labels) []string {
	date := ev.Date
	if date == "" {
		date = l.undated
	}
	parts := []string{date}
	if ev.Place != "" {
		parts = append(parts, ev.Place)
	}
	if ev.Meeting != "" {
		parts = append(parts, ev.Meeting)
	}
	return parts
}

func writeMarkdownEvents(b *strings.Builder, lang string, evs []Event) {
	l := labelsFor(lang)
	for _, ev := range evs {
		head := eventHead(ev, l)
		fmt.Fprintf(b, "- **%s**", mdEscape(head[0]))
		for _, p := range head[1:] {
			b.WriteString(" · " + mdEscape(p))
		}
		b.WriteString(l.colon + mdEscape(ev.Text) + " " + markers(ev.Citations) + glossText(lang, ev.Gloss, mdEscape) + "\n")
	}
}

func writeTextEvents(b *strings.Builder, lang string, evs []Event) {
	l := labelsFor(lang)
	for _, ev := range evs {
		fmt.Fprintf(b, "  %s\n      %s %s%s\n", strings.Join(eventHead(ev, l), " · "), ev.Text, markers(ev.Citations), glossText(lang, ev.Gloss, nil))
	}
}
