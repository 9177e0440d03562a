package brief

import (
	"regexp"
	"sort"
	"strings"
	"time"
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
//
// Its Date is the event's own date when a report's text states one ("will
// attend the summit on November 10" in a report of November 5 dates the
// summit 2020-11-10), else its report's date; DateFrom says which, and
// renderers mark a report's date as such.
type Event struct {
	Date      string `json:"date"`              // ISO 8601; "" if unknown
	DateFrom  string `json:"date_from"`         // DateFromText or DateFromReport
	Reported  string `json:"reported"`          // the date of its earliest report
	Kind      string `json:"kind"`              // KindSummit, KindForeignMinisters or KindOther
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

// meetingConcepts are the SCO meetings a report may be about, in order of
// preference when a report names several. headConcepts are those a title
// or lead may name it by as well: a "summit" said in passing elsewhere in
// the text does not make a report one of a summit.
var (
	meetingConcepts = []string{"sco-cfm", "sco-chs"}
	headConcepts    = []string{"sco-cfm", "sco-chs", "summit", "video-summit"}
)

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

// docEvent is what one document reports: its event, lead sentences and
// metadata.
type docEvent struct {
	doc, title, date, source, url string
	langs                         []string
	leads                         map[string]leadSentence // by language
	place, meeting                string                  // glossary concepts
	// eventDate is the event's date: stated in the text (dateFrom is
	// DateFromText) or the report's (DateFromReport).
	eventDate, dateFrom string
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
	var leads []string
	for _, lang := range d.langs {
		leads = append(leads, d.leads[lang].full)
	}
	if e.Glossary() == nil {
		d.eventDate, d.dateFrom, _ = datedEvent(d.date, leads)
		return d
	}
	// The meeting: named in the title, else in a lead, else anywhere.
	for _, t := range append([]string{d.title}, leads...) {
		if d.meeting = firstConcept(e.Glossary(), t, headConcepts); d.meeting != "" {
			break
		}
	}
	if d.meeting == "" {
		d.meeting = firstConcept(e.Glossary(), docText(e, doc), meetingConcepts)
	}
	// The place and the date: where and when the leads or a sentence
	// naming the meeting say it happened ("在阿斯塔纳出席", "in Dushanbe",
	// "on November 10").
	where := append([]string(nil), leads...)
	whereLang := append([]string(nil), d.langs...)
	for _, lang := range d.langs {
		for _, para := range answer.Paragraphs(e.DocChunks(doc), lang) {
			for _, s := range tokens.Sentences(para) {
				if d.meeting != "" && contains(e.Glossary().Concepts(s), d.meeting) {
					where = append(where, s)
					whereLang = append(whereLang, lang)
				}
			}
		}
	}
	for _, s := range where {
		if d.place = locativePlace(e, s); d.place != "" {
			break
		}
	}
	var at int
	d.eventDate, d.dateFrom, at = datedEvent(d.date, where)
	// The sentence that dates the event says best what happened when: the
	// timeline quotes it rather than a lead that gives no date ("The
	// Ministry held a briefing on the 5th" → "… will attend the 20th
	// meeting of the Council of Heads of State … on November 10").
	if at >= len(d.langs) {
		lang := whereLang[at]
		if iso, _ := eventDateIn([]string{d.leads[lang].full}, d.date); iso == "" {
			d.leads[lang] = leadSentence{full: where[at], text: shortenLead(stripDateline(where[at]))}
		}
	}
	return d
}

// datedEvent dates a report's event: the first plausible date its
// sentences state (at is the index of the sentence), else the report's
// own date (at is -1).
func datedEvent(reportDate string, sentences []string) (date, from string, at int) {
	if iso, i := eventDateIn(sentences, reportDate); iso != "" {
		return iso, DateFromText, i
	}
	return reportDate, DateFromReport, -1
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

// key is the event key of a document's event.
func (d docEvent) key() eventKey { return eventKey{d.eventDate, d.place, d.meeting} }

// maxReportLag is how long after an event a report whose text gives no
// date may still be of it: such a report joins the event of the same
// place and meeting that another report's text dates in the days before.
const maxReportLag = 7 * 24 * time.Hour

// alignDates gives a report whose text states no date the date another
// report's text states for the same place and meeting, when that date
// falls in the maxReportLag before it.
func alignDates(des []docEvent) {
	for i := range des {
		d := &des[i]
		if d.dateFrom != DateFromReport || d.meeting == "" {
			continue
		}
		reported, ok := parseDay(d.date)
		if !ok {
			continue
		}
		for _, o := range des {
			if o.dateFrom != DateFromText || o.place != d.place || o.meeting != d.meeting {
				continue
			}
			if t, ok := parseDay(o.eventDate); ok && !t.After(reported) && reported.Sub(t) <= maxReportLag {
				d.eventDate = o.eventDate
				break
			}
		}
	}
}

// events groups documents into events, oldest first (undated last), and
// renders them in lang. An event's date is its own (see Event); glosses
// render each line's names, except the concepts in topic.
func events(e *retrieve.Engine, des []docEvent, lang string, topic map[string]bool) []Event {
	des = append([]docEvent(nil), des...)
	alignDates(des)
	byKey := map[eventKey][]docEvent{}
	var keys []eventKey
	for _, d := range des {
		k := d.key()
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
		ev := Event{Date: k.date, DateFrom: DateFromReport, Kind: eventKind(k.meeting), Citations: []int{}, concept: k.meeting, place: k.place}
		for _, d := range group {
			if d.dateFrom == DateFromText {
				ev.DateFrom = DateFromText
			}
			if ev.Reported == "" || d.date != "" && d.date < ev.Reported {
				ev.Reported = d.date
			}
		}
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
				ev.Gloss = trimGloss(answer.Gloss(e, ev.Text, lang, copySet(topic)))
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

// copySet returns a copy of a set, for a function that adds to it.
func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
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

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// maxBriefGloss bounds the names glossed on one line of a briefing.
const maxBriefGloss = 5

// trimGloss keeps the first maxBriefGloss glosses that are names, not
// dates ("9月 = September" only clutters).
func trimGloss(gs []rag.GlossPair) []rag.GlossPair {
	var out []rag.GlossPair
	for _, g := range gs {
		if len(out) == maxBriefGloss {
			break
		}
		if !strings.ContainsAny(g.From+g.To, "0123456789") {
			out = append(out, g)
		}
	}
	return out
}
