// Package brief writes briefings for newsroom staff — a headline, dated key
// points, a timeline, where the sources differ, and the sources — and the
// timeline of the corpus's events, from what rag/retrieve finds and in the
// sentences rag/answer would quote. A language model, when there is one,
// drafts a briefing's headline and key points; their citations are checked
// and the timeline stays extractive.
package brief

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// Request asks for a briefing on a topic.
type Request struct {
	Topic string
	K     int // passages to retrieve; 0 → 16
	// OnText, when set, receives the briefing drafted so far as the
	// language model writes it (not yet citation-checked), or the finished
	// plain-text briefing when no model is used. Called from the goroutine
	// that called Brief.
	OnText func(text string)
}

// Briefing is the state of a story for newsroom staff: a headline, dated
// key points and a timeline, every line citing Sources by number, and the
// places where the sources disagree.
type Briefing struct {
	Topic    string  `json:"topic"`
	Lang     string  `json:"lang"`
	Headline string  `json:"headline"`
	Points   []Point `json:"points"`
	Timeline []Event `json:"timeline"`
	// Sources are the cited documents, numbered 1..n in timeline order;
	// points, timeline and disagreements cite these numbers.
	Sources       []rag.Citation `json:"sources"`
	Disagreements []Disagreement `json:"disagreements"`
	Mode          string         `json:"mode"` // AnswerExtractive or AnswerLLM
	// Abstained is set when the corpus does not cover the topic; the
	// headline says so and there are no sources.
	Abstained bool   `json:"abstained"`
	Note      string `json:"note,omitempty"`
}

// Point is one key point of a briefing. In an extractive briefing Text
// is a sentence quoted verbatim from the source Citations[0] points at.
type Point struct {
	Text      string `json:"text"`
	Date      string `json:"date"` // date of the report it comes from
	Citations []int  `json:"citations"`
	Lang      string `json:"lang"` // language of Text
	// Gloss renders the names of a Text in another language into the
	// briefing's language.
	Gloss []rag.GlossPair `json:"-"`
	Doc   string          `json:"-"` // extractive: the document quoted
	Chunk string          `json:"-"` // extractive: the chunk quoted
}

// Disagreement is a fact the sources give differently.
type Disagreement struct {
	Kind      string `json:"kind"` // "date" or "count"
	Text      string `json:"text"`
	Citations []int  `json:"citations"`
}

// Briefing limits.
const (
	defaultBriefPassages = 16
	maxPoints            = 6
	maxPointsPerEvent    = 2
	// maxPointWidth bounds a quoted key point (a Han character counts
	// two); longer sentences do not read as points.
	maxPointWidth = 420
	// otherLangPoint weighs a sentence in a language other than the
	// briefing's: quoted only when clearly better.
	otherLangPoint = 0.6
)

// Briefer writes briefings and the timeline from an engine's corpus:
// extractively, or with a language model whose points are checked against
// their citations. Safe for concurrent use.
type Briefer struct {
	engine *retrieve.Engine
	gen    rag.Generator
	log    *slog.Logger
}

// New returns a Briefer over engine. gen, when not nil, drafts the
// headline and key points, falling back to extractive ones when it fails;
// log (nil: discard) records the failures.
func New(engine *retrieve.Engine, gen rag.Generator, log *slog.Logger) *Briefer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Briefer{engine: engine, gen: gen, log: log}
}

//go:embed brief.tmpl
var briefText string

// briefPrompts holds the brief_system and brief_user templates.
var briefPrompts = template.Must(template.New("brief").Parse(briefText))

// Brief writes a briefing on req.Topic from the corpus. Errors are only for
// bad topics and retrieval failures: a topic the corpus does not cover gets
// a briefing that says so, and a failing language model falls back to the
// extractive briefing with a note.
func (br *Briefer) Brief(ctx context.Context, req Request) (Briefing, error) {
	topic, err := rag.CheckQuestion(req.Topic)
	if err != nil {
		return Briefing{}, err
	}
	lang := tokens.Lang(topic)
	k := req.K
	if k <= 0 {
		k = defaultBriefPassages
	}
	r, err := br.engine.Retrieve(ctx, topic, retrieve.RetrieveOptions{K: k, Lang: lang})
	if err != nil {
		return Briefing{}, err
	}
	var b Briefing
	p := planBrief(br.engine, topic, lang, r)
	switch {
	case r.Abstains() || len(p.events) == 0:
		b = briefAbstention(topic, lang)
		if req.OnText != nil {
			req.OnText(b.Text())
		}
	case br.gen == nil:
		b = extractiveBrief(br.engine, p)
		if req.OnText != nil {
			req.OnText(b.Text())
		}
	default:
		b = br.draftBrief(ctx, p, req.OnText)
	}
	if r.VectorFailed {
		b.Note = answer.JoinNotes(b.Note, answer.Note(lang, answer.NoteKeywordOnly))
	}
	return b, nil
}

// briefAbstention is the briefing for a topic the corpus does not cover.
func briefAbstention(topic, lang string) Briefing {
	h := "The corpus does not cover this topic: none of the indexed reports is about “" + topic + "”."
	if lang == "zh" {
		h = "语料库未涉及这一主题：现有报道均与“" + topic + "”无关。"
	}
	return Briefing{
		Topic: topic, Lang: lang, Headline: h, Mode: rag.AnswerExtractive, Abstained: true,
		Points: []Point{}, Timeline: []Event{}, Sources: []rag.Citation{}, Disagreements: []Disagreement{},
	}
}

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
	}
	var all []scored
	sameLang := map[int]bool{} // events with a Candidate in the briefing's language
	others := map[int]int{}    // events' candidates other than a lead
	isLead := func(c answer.Candidate) bool { return p.des[c.Passage.Doc].leads[c.Lang].full == c.Text }
	topic := topicConcepts(p.r)
	for _, c := range answer.Candidates(e, p.wide) {
		ev, ok := p.eventOf[c.Passage.Doc]
		if !ok || strings.HasSuffix(c.Text, "?") || strings.HasSuffix(c.Text, "？") || textWidth(c.Text) > maxPointWidth {
			continue
		}
		s := c.Score * informative(e, c.Text, topic)
		if c.Lang != p.lang {
			s *= otherLangPoint
		}
		sameLang[ev] = sameLang[ev] || c.Lang == p.lang
		if !isLead(c) {
			others[ev]++
		}
		all = append(all, scored{c, s, ev})
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
	glossed := topicConcepts(p.r)
	out := []Point{}
	for _, s := range chosen {
		c := s.c
		pt := Point{Text: c.Text, Date: c.Passage.Date, Citations: []int{p.num[c.Passage.Doc]}, Lang: c.Lang, Doc: c.Passage.Doc, Chunk: c.Passage.ID}
		if c.Lang != p.lang {
			pt.Gloss = trimGloss(answer.Gloss(e, c.Text, p.lang, glossed))
		}
		out = append(out, pt)
	}
	return out
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
// events (meetings, when they all are one kind), over which years, and the
// latest with its place.
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
		span = y1 + "–" + y2
	}
	if p.lang == "zh" {
		what := "起相关事件"
		if meeting != "" {
			what = "次" + meeting + "会议"
		}
		s := p.topic + "："
		if len(evs) == 1 {
			s += last.Date
		} else {
			s += fmt.Sprintf("%s年共%d%s，最近一次于%s", strings.ReplaceAll(span, "–", "—"), len(evs), what, last.Date)
		}
		if last.Place != "" {
			s += "在" + last.Place
		}
		if meeting != "" {
			s += "举行"
		}
		return s
	}
	topic := p.topic
	if r, size := utf8.DecodeRuneInString(topic); unicode.IsLower(r) {
		topic = string(unicode.ToUpper(r)) + topic[size:]
	}
	what := "reported events"
	if meeting != "" {
		what = meeting + " meetings"
	}
	var s string
	if len(evs) == 1 {
		s = topic + ": " + last.Date
	} else {
		s = fmt.Sprintf("%s: %d %s, %s; the latest on %s", topic, len(evs), what, span, last.Date)
	}
	if last.Place != "" {
		s += " in " + last.Place
	}
	return s
}

func year(date string) string {
	if len(date) >= 4 {
		return date[:4]
	}
	return "?"
}

// Disagreement detection: the dates the reports of one event give it, and
// the number of proposals they say were made.
var (
	enDateRE   = regexp.MustCompile(`\b(` + monthNames + `)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})\b`)
	zhDateRE   = regexp.MustCompile(`([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日`)
	enCountRE  = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+)[- ]point (?:proposal|plan|initiative)|\b(two|three|four|five|six|seven|eight|nine|ten|[0-9]+) (?:proposals|suggestions)\b`)
	zhCountRE  = regexp.MustCompile(`([一二两三四五六七八九十]|[0-9]+)\s*[点项](?:建议|主张|倡议)`)
	proposeRE  = regexp.MustCompile(`(?i)提出|建议|\bpropos|\bput forward\b`)
	zhOrdinal  = regexp.MustCompile(`([一二三四五六七八九十])是`)
	enOrdinal  = regexp.MustCompile(`(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?:ly)?,`)
	numberWord = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
		"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
	}
)

// parseNumber reads "four", "四" or "4".
func parseNumber(s string) int {
	if n, ok := numberWord[strings.ToLower(s)]; ok {
		return n
	}
	n, _ := strconv.Atoi(s)
	return n
}

// dateClaim is a date a report gives an event: its own date, or one its
// text states.
type dateClaim struct {
	iso   string
	quote string // as the text writes it; "" for the report's own date
	doc   string
}

// textDates returns the full dates (with a year) a sentence states.
func textDates(s string) []dateClaim {
	var out []dateClaim
	for _, m := range enDateRE.FindAllStringSubmatch(s, -1) {
		mo := retrieve.MonthNumber(m[1])
		d, _ := strconv.Atoi(m[2])
		out = append(out, dateClaim{iso: fmt.Sprintf("%s-%02d-%02d", m[3], mo, d), quote: m[0]})
	}
	for _, m := range zhDateRE.FindAllStringSubmatch(s, -1) {
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		out = append(out, dateClaim{iso: fmt.Sprintf("%s-%02d-%02d", m[1], mo, d), quote: m[0]})
	}
	return out
}

// sameEventDate reports whether a stated date is the event's date or a
// variant of it (one of year, month and day differs): "May 21, 2023" for a
// meeting dated 2024-05-21. Other dates are about other things.
func sameEventDate(a, b string) bool {
	pa, pb := strings.Split(a, "-"), strings.Split(b, "-")
	if len(pa) != 3 || len(pb) != 3 {
		return false
	}
	diff := 0
	for i := range pa {
		if pa[i] != pb[i] {
			diff++
		}
	}
	return diff <= 1
}

// proposalCount is how many proposals a document says were made: an
// announced count ("five-point proposal", "四点建议") or else the items
// listed after a proposal ("一是…二是…三是…"); 0 when it says neither.
func proposalCount(e *retrieve.Engine, doc string) int {
	text := docText(e, doc)
	for _, re := range []*regexp.Regexp{zhCountRE, enCountRE} {
		if m := re.FindStringSubmatch(text); m != nil {
			for _, g := range m[1:] {
				if n := parseNumber(g); n > 0 {
					return n
				}
			}
		}
	}
	for _, para := range strings.Split(text, "\n\n") {
		if !proposeRE.MatchString(para) {
			continue
		}
		for _, re := range []*regexp.Regexp{zhOrdinal, enOrdinal} {
			seen := map[int]bool{}
			for _, m := range re.FindAllStringSubmatch(para, -1) {
				seen[parseNumber(m[1])] = true
			}
			n := 0
			for seen[n+1] {
				n++
			}
			if n >= 2 {
				return n
			}
		}
	}
	return 0
}

// disagreements finds where the reports of one event differ: on its date,
// and on the number of proposals made.
func disagreements(e *retrieve.Engine, ev Event, des map[string]docEvent, num map[string]int, lang string) []Disagreement {
	var out []Disagreement
	if d, ok := dateDisagreement(e, ev, des, num, lang); ok {
		out = append(out, d)
	}
	if d, ok := countDisagreement(e, ev, num, lang); ok {
		out = append(out, d)
	}
	return out
}

// dateDisagreement compares the dates the event's reports carry and state
// in their leads and in sentences naming the meeting: two texts giving the
// event different dates, or a text giving it another year than the
// reports are dated.
func dateDisagreement(e *retrieve.Engine, ev Event, des map[string]docEvent, num map[string]int, lang string) (Disagreement, bool) {
	if len(ev.Date) != len("2006-01-02") {
		return Disagreement{}, false
	}
	var claims []dateClaim
	for _, doc := range ev.docs {
		d := des[doc]
		claims = append(claims, dateClaim{iso: d.date, doc: doc})
		var ss []string
		for _, l := range d.langs {
			ss = append(ss, d.leads[l].full)
			if e.Glossary() == nil || d.meeting == "" {
				continue
			}
			for _, para := range answer.Paragraphs(e.DocChunks(doc), l) {
				for _, s := range tokens.Sentences(para) {
					if contains(e.Glossary().Concepts(s), d.meeting) {
						ss = append(ss, s)
					}
				}
			}
		}
		for _, s := range ss {
			for _, c := range textDates(s) {
				if sameEventDate(c.iso, ev.Date) {
					c.doc = doc
					claims = append(claims, c)
				}
			}
		}
	}
	// Group the claims by date: the event's own date, and the others.
	cites := map[string][]int{}
	quote := map[string]string{}
	var others []string
	for _, c := range claims {
		if _, ok := cites[c.iso]; !ok && c.iso != ev.Date {
			others = append(others, c.iso)
		}
		cites[c.iso] = appendUnique(cites[c.iso], num[c.doc])
		if quote[c.iso] == "" {
			quote[c.iso] = c.quote
		}
	}
	// A report dated a day after (or before) the date its text gives is
	// not a disagreement: reports follow and announce events. Two texts
	// giving different dates are, and so is a text giving another year.
	texts := map[string]bool{}
	conflict := false
	for _, c := range claims {
		if c.quote != "" {
			texts[c.iso] = true
			conflict = conflict || c.iso[:4] != ev.Date[:4]
		}
	}
	if len(others) == 0 || !conflict && len(texts) < 2 {
		return Disagreement{}, false
	}
	sort.Strings(others)
	var all []int
	var parts []string
	for _, iso := range others {
		q := quote[iso]
		if lang == "zh" {
			parts = append(parts, markers(cites[iso])+"写作“"+q+"”")
		} else {
			parts = append(parts, markers(cites[iso])+" says “"+q+"”")
		}
		all = append(all, cites[iso]...)
	}
	base := cites[ev.Date]
	all = append(all, base...)
	what := eventName(ev, lang)
	var text string
	if lang == "zh" {
		text = "关于" + what + "的日期，来源说法不一：" + strings.Join(parts, "；")
		if len(base) > 0 {
			text += "，而" + markers(base) + "为" + ev.Date
		}
		text += "。"
	} else {
		text = "Sources differ on the date of " + what + ": " + strings.Join(parts, "; ")
		if len(base) > 0 {
			verb := " give "
			if len(base) == 1 {
				verb = " gives "
			}
			text += ", while " + markers(base) + verb + ev.Date
		}
		text += "."
	}
	return Disagreement{Kind: "date", Text: text, Citations: uniqueInts(all)}, true
}

// countDisagreement compares the number of proposals the event's reports
// give.
func countDisagreement(e *retrieve.Engine, ev Event, num map[string]int, lang string) (Disagreement, bool) {
	if len(ev.docs) < 2 {
		return Disagreement{}, false
	}
	cites := map[int][]int{}
	var counts []int
	for _, doc := range ev.docs {
		n := proposalCount(e, doc)
		if n == 0 {
			continue
		}
		if _, ok := cites[n]; !ok {
			counts = append(counts, n)
		}
		cites[n] = appendUnique(cites[n], num[doc])
	}
	if len(counts) < 2 {
		return Disagreement{}, false
	}
	var parts []string
	var all []int
	for _, n := range counts {
		parts = append(parts, countWord(n, lang)+" "+markers(cites[n]))
		all = append(all, cites[n]...)
	}
	what := eventName(ev, lang)
	text := "Sources differ on the number of proposals made at " + what + ": " + strings.Join(parts, "; ") + "."
	if lang == "zh" {
		text = "关于" + what + "上提出建议的数量，来源说法不一：" + strings.ReplaceAll(strings.Join(parts, "；"), " ", "") + "。"
	}
	return Disagreement{Kind: "count", Text: text, Citations: uniqueInts(all)}, true
}

// eventName names an event in a sentence: "the SCO Council of Foreign
// Ministers in Astana on 2024-05-21".
func eventName(ev Event, lang string) string {
	if lang == "zh" {
		s := ev.Date
		if ev.Place != "" {
			s += "在" + ev.Place + "举行的"
		} else {
			s += "的"
		}
		if ev.Meeting != "" {
			return s + ev.Meeting + "会议"
		}
		return s + "事件"
	}
	s := "the event"
	if ev.Meeting != "" {
		s = "the " + ev.Meeting + " meeting"
	}
	if ev.Place != "" {
		s += " in " + ev.Place
	}
	return s + " on " + ev.Date
}

// countWord renders a count: "four", "四点".
func countWord(n int, lang string) string {
	zh := []string{"", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"}
	en := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n < 1 || n > 10 {
		if lang == "zh" {
			return strconv.Itoa(n) + "点"
		}
		return strconv.Itoa(n)
	}
	if lang == "zh" {
		return zh[n] + "点"
	}
	return en[n]
}

// appendUnique appends x to xs unless xs holds it.
func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// uniqueInts returns the distinct numbers of xs, sorted.
func uniqueInts(xs []int) []int {
	out := []int{}
	for _, x := range xs {
		out = appendUnique(out, x)
	}
	sort.Ints(out)
	return out
}

// The language model's briefing.

// promptSources are the retrieved passages of the plan's sources, numbered
// as the briefing numbers them.
func (p briefPlan) promptSources() []answer.PromptSource {
	out := make([]answer.PromptSource, len(p.sources))
	for i, c := range p.sources {
		out[i] = answer.PromptSource{N: c.N, Doc: c.Doc, Title: c.Title, Source: c.Source, Date: c.Date, URL: c.URL}
	}
	ps := append([]rag.Passage(nil), p.prompt...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Pos < ps[j].Pos })
	for _, pa := range ps {
		i := p.num[pa.Doc] - 1
		out[i].Passages = append(out[i].Passages, answer.Neutralise(pa.Text))
	}
	return out
}

// renderBriefPrompt executes the briefing's system and user templates.
func renderBriefPrompt(topic, lang string, sources []answer.PromptSource) (system, user string, err error) {
	topic = strings.NewReplacer("</topic>", "</ topic>", "<topic>", "< topic>").Replace(answer.Neutralise(topic))
	data := struct {
		Language  string
		MaxPoints int
		Topic     string
		Sources   []answer.PromptSource
	}{answer.LanguageName(lang), maxPoints, topic, sources}
	var sb, ub bytes.Buffer
	if err := briefPrompts.ExecuteTemplate(&sb, "brief_system", data); err != nil {
		return "", "", fmt.Errorf("couldn't render the briefing's system prompt: %w", err)
	}
	if err := briefPrompts.ExecuteTemplate(&ub, "brief_user", data); err != nil {
		return "", "", fmt.Errorf("couldn't render the briefing's user prompt: %w", err)
	}
	return sb.String(), ub.String(), nil
}

// headlineRE finds the headline line of a drafted briefing.
var headlineRE = regexp.MustCompile(`(?i)^\s*(?:\*\*)?(?:headline|标题)(?:\*\*)?\s*[:：]\s*`)

// bulletRE finds a list bullet.
var bulletRE = regexp.MustCompile(`^\s*(?:[-*•·]|[0-9]+[.)、])\s*`)

// parseDraft splits a drafted briefing into its headline and point lines.
func parseDraft(text string) (headline string, points []string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case headline == "" && headlineRE.MatchString(line):
			headline = strings.Trim(strings.TrimSpace(headlineRE.ReplaceAllString(line, "")), "*#")
		default:
			if p := strings.TrimSpace(bulletRE.ReplaceAllString(line, "")); p != "" {
				points = append(points, p)
			}
		}
	}
	return headline, points
}

// draftBrief has the language model draft the headline and key points,
// keeps only the points whose citations hold, and falls back to the
// extractive briefing when none do or the model fails.
func (br *Briefer) draftBrief(ctx context.Context, p briefPlan, onText func(string)) Briefing {
	fallback := func(k answer.NoteKey) Briefing {
		b := extractiveBrief(br.engine, p)
		b.Note = answer.Note(p.lang, k)
		if onText != nil {
			onText(b.Text())
		}
		return b
	}
	sources := p.promptSources()
	system, user, err := renderBriefPrompt(p.topic, p.lang, sources)
	if err != nil {
		br.log.Error("couldn't build the briefing prompt", "err", err)
		return fallback(answer.NoteBriefUnavailable)
	}
	text, err := br.gen.Generate(ctx, system, user, answer.Accumulate(onText))
	if err != nil {
		br.log.Warn("the language model failed; briefing extractively", "err", err)
		return fallback(answer.NoteBriefUnavailable)
	}
	headline, lines := parseDraft(text)
	byDoc := map[string]rag.Citation{}
	for _, c := range p.sources {
		byDoc[c.Doc] = c
	}
	points := []Point{}
	dropped := 0
	for _, line := range lines {
		v := answer.VerifyCitations(line, sources)
		if v.Refusal || !v.Grounded {
			dropped++
			continue
		}
		pt := Point{Text: answer.TidySpaces(strings.TrimSpace(answer.RemoveMarkers(v.Text))), Citations: []int{}, Lang: tokens.Lang(v.Text)}
		for _, c := range v.Citations {
			pt.Citations = appendUnique(pt.Citations, byDoc[c.Doc].N)
		}
		pt.Date = p.sources[pt.Citations[0]-1].Date
		points = append(points, pt)
	}
	if len(points) == 0 {
		br.log.Warn("the language model's briefing cited no source; briefing extractively")
		return fallback(answer.NoteBriefUngrounded)
	}
	b := p.base(rag.AnswerLLM)
	b.Headline = strings.TrimSpace(answer.RemoveCitations(headline))
	if b.Headline == "" || strings.Contains(b.Headline, answer.NotInSources) {
		b.Headline = extractiveHeadline(p)
	}
	b.Points = points
	if dropped > 0 {
		b.Note = answer.Note(p.lang, answer.NoteBriefDropped)
	}
	return b
}

// Rendering.

// labels are a briefing's own words in one language.
type labels struct {
	keyPoints, timeline, differ, sources, note, undated, noEvents, colon string
}

func labelsFor(lang string) labels {
	if lang == "zh" {
		return labels{"要点", "时间线", "说法不一", "来源", "注", "日期不详", "没有符合条件的事件。", "："}
	}
	return labels{"Key points", "Timeline", "Sources differ", "Sources", "Note", "undated", "No events match.", ": "}
}

// markers renders citation numbers as "[1][2]".
func markers(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString("[" + strconv.Itoa(n) + "]")
	}
	return b.String()
}

// glossText renders glosses: " (王毅 = Wang Yi; …)", "（Astana = 阿斯塔纳；…）".
// esc, when set, escapes each name.
func glossText(lang string, gs []rag.GlossPair, esc func(string) string) string {
	if len(gs) == 0 {
		return ""
	}
	if esc == nil {
		esc = func(s string) string { return s }
	}
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = esc(g.From) + " = " + esc(g.To)
	}
	if lang == "zh" {
		return "（" + strings.Join(parts, "；") + "）"
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// mdEscaper escapes the characters Markdown would read as formatting.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `#`, `\#`, `|`, `\|`)

// mdEscape makes text safe to paste into Markdown, on one line.
func mdEscape(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

// mdEscapeText is mdEscape for text holding [n] markers, which it keeps.
func mdEscapeText(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range answer.FindMarkers(s) {
		b.WriteString(mdEscaper.Replace(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(mdEscaper.Replace(s[last:]))
	return strings.Join(strings.Fields(b.String()), " ")
}

// mdURL makes a URL safe inside a Markdown link.
var mdURL = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

// sourceMeta is "Publisher, date".
func sourceMeta(c rag.Citation) string {
	var meta []string
	if c.Source != "" {
		meta = append(meta, c.Source)
	}
	if c.Date != "" {
		meta = append(meta, c.Date)
	}
	return strings.Join(meta, ", ")
}

func sourceTitle(c rag.Citation) string {
	if c.Title != "" {
		return c.Title
	}
	return c.Doc
}

func writeMarkdownSources(b *strings.Builder, l labels, cites []rag.Citation) {
	if len(cites) == 0 {
		return
	}
	b.WriteString("**" + l.sources + "**\n\n")
	for _, c := range cites {
		title := mdEscape(sourceTitle(c))
		if c.URL != "" {
			title = "[" + title + "](" + mdURL.Replace(c.URL) + ")"
		}
		fmt.Fprintf(b, "%d. %s", c.N, title)
		if m := sourceMeta(c); m != "" {
			b.WriteString(" — " + mdEscape(m))
		}
		b.WriteString("\n")
	}
}

func writeTextSources(b *strings.Builder, l labels, cites []rag.Citation) {
	if len(cites) == 0 {
		return
	}
	b.WriteString(l.sources + "\n")
	for _, c := range cites {
		fmt.Fprintf(b, "[%d] %s", c.N, sourceTitle(c))
		if m := sourceMeta(c); m != "" {
			b.WriteString(" — " + m)
		}
		b.WriteString("\n")
		if c.URL != "" {
			b.WriteString("    " + c.URL + "\n")
		}
	}
}

// pointLine is a key point with its date, markers and glosses.
func pointLine(lang string, pt Point, esc func(string) string) string {
	if esc == nil {
		esc = func(s string) string { return s }
	}
	l := labelsFor(lang)
	s := ""
	if pt.Date != "" {
		s = esc(pt.Date) + l.colon
	}
	return s + esc(pt.Text) + " " + markers(pt.Citations) + glossText(lang, pt.Gloss, esc)
}

// Markdown renders the briefing for a newsroom CMS: the headline as a
// level-2 heading, bold section labels, bullet points with [n] markers and
// a numbered list of sources with links.
func (b Briefing) Markdown() string {
	l := labelsFor(b.Lang)
	var w strings.Builder
	w.WriteString("## " + mdEscape(b.Headline) + "\n")
	if len(b.Points) > 0 {
		w.WriteString("\n**" + l.keyPoints + "**\n\n")
		for _, pt := range b.Points {
			w.WriteString("- " + pointLine(b.Lang, pt, mdEscape) + "\n")
		}
	}
	if len(b.Timeline) > 0 {
		w.WriteString("\n**" + l.timeline + "**\n\n")
		writeMarkdownEvents(&w, b.Lang, b.Timeline)
	}
	if len(b.Disagreements) > 0 {
		w.WriteString("\n**" + l.differ + "**\n\n")
		for _, d := range b.Disagreements {
			w.WriteString("- " + mdEscapeText(d.Text) + "\n")
		}
	}
	if len(b.Sources) > 0 {
		w.WriteString("\n")
		writeMarkdownSources(&w, l, b.Sources)
	}
	if b.Note != "" {
		w.WriteString("\n_" + l.note + l.colon + mdEscape(b.Note) + "_\n")
	}
	return w.String()
}

// Text renders the briefing as plain text for a terminal.
func (b Briefing) Text() string {
	var w strings.Builder
	w.WriteString(b.body())
	if len(b.Sources) > 0 {
		w.WriteString("\n")
		writeTextSources(&w, labelsFor(b.Lang), b.Sources)
	}
	if b.Note != "" {
		w.WriteString("\n(" + b.Note + ")\n")
	}
	return w.String()
}

// body renders the briefing as plain text without its sources and note.
func (b Briefing) body() string {
	l := labelsFor(b.Lang)
	var w strings.Builder
	w.WriteString(b.Headline + "\n")
	if len(b.Points) > 0 {
		w.WriteString("\n" + l.keyPoints + "\n")
		for _, pt := range b.Points {
			w.WriteString("  • " + pointLine(b.Lang, pt, nil) + "\n")
		}
	}
	if len(b.Timeline) > 0 {
		w.WriteString("\n" + l.timeline + "\n")
		writeTextEvents(&w, b.Lang, b.Timeline)
	}
	if len(b.Disagreements) > 0 {
		w.WriteString("\n" + l.differ + "\n")
		for _, d := range b.Disagreements {
			w.WriteString("  • " + d.Text + "\n")
		}
	}
	return w.String()
}

// Answer returns the briefing in the shape of an answer, for fronts that
// render answers (the Telegram bot, the terminal chat): the plain text
// without the source list, which they render from Citations.
func (b Briefing) Answer() rag.Answer {
	return rag.Answer{
		Question:  b.Topic,
		Text:      strings.TrimRight(b.body(), "\n"),
		Abstained: b.Abstained,
		Mode:      b.Mode,
		Lang:      b.Lang,
		Citations: nonNilCitations(b.Sources),
		Passages:  []rag.Passage{},
		Note:      b.Note,
	}
}

// nonNilCitations keeps JSON from printing null for no citations.
func nonNilCitations(cs []rag.Citation) []rag.Citation {
	if cs == nil {
		return []rag.Citation{}
	}
	return cs
}
