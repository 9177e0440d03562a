package retrieve

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/rag/translit"
)

// Evidence is what the retrieved passages hold for answering a question,
// measured on the best window of a few consecutive sentences of one
// passage: an answer must be found in one place with the question's names,
// not gathered from all over a report (a budget in one paragraph, the
// Secretariat in another, 2004 in the dateline). Every figure is from 0 to
// 1 and none depends on the embedder's score scale, so the decision to
// abstain (Retrieval.Abstains) means the same with any embedder.
type Evidence struct {
	// Coverage is the weighted share of the question's units the best
	// window holds.
	Coverage float64
	// Focus is the weighted share of the question's focus — its words and
	// terms, what it asks about its names ("budget", "opened") — the best
	// window holds; Names when it has none.
	Focus float64
	// Names is the weighted share of the question's specific names (not
	// the SCO, named everywhere) the best window holds; Focus when it
	// names none (a question about "the World Cup" names nothing, which is
	// no evidence that a report is about it).
	Names float64
	// Missing is the weight share, in the question's focus, of the
	// heaviest focus unit the best window lacks: the asked-for detail, when
	// it is rare ("budget").
	Missing float64
	// Answer is 1 when the best window holds what the question asks for (a
	// date for "when", a number for "how many", a person for "who") or it
	// asks for nothing in particular; the share of sub-questions so served
	// when it asks several things.
	Answer float64
	// Year is 1 when the best window's passage is of a year the question
	// names (by its report's date or its own text), or it names none.
	Year float64
	// YearKnown is the share of the years the question names that some
	// document names; 1 when it names none.
	YearKnown float64
	// Unknown is the weight share of the question's units no document
	// holds at all.
	Unknown float64
	// Parts is the mean over the sub-questions of the coverage of each
	// one's own units by its best window.
	Parts float64
	// Best is the index in the passages of the one with the best window,
	// -1 when there are no passages; Window is that window, as the first
	// and one past the last of the passage's sentences it spans.
	Best   int
	Window [2]int
}

// Features returns the evidence as the vector the abstention model weighs,
// in the order of FeatureNames.
func (ev Evidence) Features() []float64 {
	return []float64{ev.Coverage, ev.Focus, ev.Names, ev.Missing, ev.Answer, ev.Year, ev.YearKnown, ev.Unknown, ev.Parts}
}

// FeatureNames names the entries of Evidence.Features.
var FeatureNames = []string{"coverage", "focus", "names", "missing", "answer", "year", "yearknown", "unknown", "parts"}

// Sentence is one sentence of a retrieved passage with its terms
// (rag/tokens), as the evidence read it; answering reads the same ones. Its
// term set and the answer types it holds are worked out once, when first
// asked for. A Sentence belongs to one retrieval: not for concurrent use.
type Sentence struct {
	Text  string
	Terms []string

	set     map[string]bool
	answers Answers
	read    bool // answers are known
}

// Has reports whether the sentence holds a term.
func (s *Sentence) Has(term string) bool {
	if s.set == nil {
		s.set = make(map[string]bool, len(s.Terms))
		for _, t := range s.Terms {
			s.set[t] = true
		}
	}
	return s.set[term]
}

// SplitSentences returns the sentences of a text with their terms.
func SplitSentences(text string) []Sentence {
	ss := tokens.Sentences(text)
	out := make([]Sentence, len(ss))
	for i, s := range ss {
		out[i] = Sentence{Text: s, Terms: tokens.Terms(s)}
	}
	return out
}

// sentences returns SplitSentences of a passage's text, fresh for one
// question (Has and SentenceAnswers fill them in). The split and the
// sentences' terms are kept for the next question that retrieves the
// chunk with the same text (up to sentenceCacheSize chunks): the copies
// share the terms, which nothing modifies.
func (e *Engine) sentences(p rag.Passage) []Sentence {
	if v, ok := e.sentCache.Load(p.ID); ok {
		if k := v.(keptSentences); k.text == p.Text {
			return slices.Clone(k.sentences)
		}
	}
	ss := SplitSentences(p.Text)
	if e.sentCached.Add(1) <= sentenceCacheSize {
		e.sentCache.Store(p.ID, keptSentences{text: p.Text, sentences: slices.Clone(ss)})
	}
	return ss
}

// keptSentences is what sentences keeps of a chunk: its text and the
// sentences it splits into, none of them filled in.
type keptSentences struct {
	text      string
	sentences []Sentence
}

// sentenceCacheSize bounds how many chunks' sentences an engine keeps
// (about 3 KB a chunk of 500 characters, so 15 MB at most); beyond it they
// are split each time.
const sentenceCacheSize = 5_000

// SentenceAnswers is AnswerTypes of a sentence, worked out once for the
// retrieval's question q.
func (e *Engine) SentenceAnswers(s *Sentence, q Query) Answers {
	if !s.read {
		s.answers, s.read = e.AnswerTypes(s.Text, q), true
	}
	return s.answers
}

// window is a few consecutive sentences of a passage.
type window []*Sentence

// has reports whether a sentence of the window holds a term.
func (w window) has(term string) bool {
	for _, s := range w {
		if s.Has(term) {
			return true
		}
	}
	return false
}

// text is the window's sentences joined.
func (w window) text() string {
	texts := make([]string, len(w))
	for i, s := range w {
		texts[i] = s.Text
	}
	return strings.Join(texts, " ")
}

// answers are the answer types the window's sentences hold.
func (w window) answers(e *Engine, q Query) Answers {
	var a Answers
	for _, s := range w {
		a |= e.SentenceAnswers(s, q)
	}
	return a
}

// windows returns the windows of n consecutive sentences of ss (one window
// for fewer).
func windows(ss []Sentence, n int) []window {
	if len(ss) == 0 {
		return nil
	}
	n = max(1, min(n, len(ss)))
	var out []window
	for i := 0; i+n <= len(ss); i++ {
		w := make(window, n)
		for j := range w {
			w[j] = &ss[i+j]
		}
		out = append(out, w)
	}
	return out
}

// evidence measures the passages' evidence for the question, their
// sentences split as sentences gives them by chunk ID. Time units (months,
// "latest") are left out: the time constraint chose the passages.
func (e *Engine) evidence(q Query, ps []rag.Passage, sentences map[string][]Sentence) Evidence {
	q.Units = slices.DeleteFunc(slices.Clone(q.Units), func(u Unit) bool { return u.Time })
	ev := Evidence{Best: -1, Names: 1, Answer: 1, Year: 1, YearKnown: e.yearsKnown(q.Time)}
	var total, unknown float64
	for _, u := range q.Units {
		total += u.Weight
		unknown += u.Weight * e.absentShare(u)
	}
	if total > 0 {
		ev.Unknown = unknown / total
	}
	if len(ps) == 0 {
		ev.Names, ev.Answer, ev.Year = 0, 0, 0
		return ev
	}
	// Every window's coverage first; what it holds of the asked-for kinds
	// (a date, a person) only breaks ties, so it is read only for the
	// windows within that margin of the best.
	type scored struct {
		w    window
		pass int
		c    float64
	}
	partBest := make([]float64, len(q.Parts))
	parts := make([][]Unit, len(q.Parts))
	for pi := range q.Parts {
		parts[pi] = unitsOfPart(q.Units, pi)
	}
	var all []scored
	top := -1.0
	for i, p := range ps {
		for _, w := range windows(sentences[p.ID], e.params.EvidenceWindow) {
			has := w.has
			c := e.langCoverage(has, q.Units, p.Lang)
			for pi := range q.Parts {
				partBest[pi] = max(partBest[pi], e.langCoverage(has, parts[pi], p.Lang))
			}
			all = append(all, scored{w, i, c})
			top = max(top, c)
		}
	}
	bestScore := -1.0
	var bestWin window
	for _, sc := range all {
		if sc.c < top-answerTieMargin {
			continue
		}
		// Prefer, among windows of about the best coverage, one that also
		// has what is asked for.
		if score := sc.c + answerTieMargin*answerShare(q, sc.w.answers(e, q)); score > bestScore {
			bestScore, bestWin, ev.Best = score, sc.w, sc.pass
			ev.Coverage = sc.c
		}
	}
	if ev.Best < 0 {
		return ev
	}
	ss := sentences[ps[ev.Best].ID]
	for i := range ss {
		if &ss[i] == bestWin[0] {
			ev.Window = [2]int{i, i + len(bestWin)}
		}
	}
	has := bestWin.has
	lang := ps[ev.Best].Lang
	var names, named, focus, focused, heaviest float64
	// Names are the specific ones: the SCO, named everywhere, is in every
	// window and tells nothing.
	for _, u := range q.Units {
		switch {
		case u.Kind == UnitEntity && !u.Common:
			names += u.Weight
		case u.Kind != UnitEntity:
			focus += u.Weight
		}
	}
	for _, u := range q.Units {
		h := e.held(u, has, lang)
		if u.Kind == UnitEntity {
			if !u.Common {
				named += u.Weight * h
			}
			continue
		}
		focused += u.Weight * h
		if h < 1 {
			heaviest = max(heaviest, u.Weight*(1-h)/focus)
		}
	}
	switch {
	case names > 0 && focus > 0:
		ev.Names, ev.Focus = named/names, focused/focus
	case names > 0:
		ev.Names = named / names
		ev.Focus = ev.Names
	case focus > 0:
		ev.Focus = focused / focus
		ev.Names = ev.Focus
	}
	ev.Missing = heaviest
	ev.Answer = answerShare(q, bestWin.answers(e, q))
	if len(q.Time.Years) > 0 {
		ev.Year = 0
		if q.Time.MatchesYear(rag.Chunk{Date: ps[ev.Best].Date, Text: bestWin.text()}) {
			ev.Year = 1
		}
	}
	if len(partBest) > 0 {
		s := 0.0
		for _, b := range partBest {
			s += b
		}
		ev.Parts = s / float64(len(partBest))
	}
	return ev
}

// absentShare is how much of a unit no document holds: 1 or 0, and for a
// run of Han characters the share of its bigrams no document holds (a run
// may join words the reports hold in another phrasing).
func (e *Engine) absentShare(u Unit) float64 {
	if !u.Partial {
		if e.altsDocFreq(u.Alts) == 0 {
			return 1
		}
		return 0
	}
	n := 0
	for _, t := range u.Alts[0] {
		if e.terms.docFreq(t) == 0 {
			n++
		}
	}
	return float64(n) / float64(len(u.Alts[0]))
}

// answerTieMargin is how much coverage holding what is asked for (a date,
// a person) is worth when choosing the best window: it breaks ties.
const answerTieMargin = 0.01

// held is how much of a unit a window in lang with the terms has holds.
// When lang cannot express the unit at all it gets Params.UntranslatedCredit,
// less the share of the unit no document holds in any language: a phrase
// no report writes is no topic of the corpus, in any language.
func (e *Engine) held(u Unit, has func(string) bool, lang string) float64 {
	if !u.Expressible(lang) {
		return e.params.UntranslatedCredit * (1 - e.absentShare(u))
	}
	return u.Holds(has)
}

// langCoverage is coverage for a window in lang (see held).
func (e *Engine) langCoverage(has func(string) bool, us []Unit, lang string) float64 {
	var total, got float64
	for _, u := range us {
		total += u.Weight
		got += u.Weight * e.held(u, has, lang)
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// unitsOfPart returns the units of sub-question i.
func unitsOfPart(us []Unit, i int) []Unit {
	var out []Unit
	for _, u := range us {
		if u.Part == i {
			out = append(out, u)
		}
	}
	return out
}

// answerShare is the share of the question's sub-questions whose answer
// type a text holding the answer types has serves; sub-questions asking for
// nothing in particular count as served.
func answerShare(q Query, has Answers) float64 {
	if len(q.Parts) == 0 {
		return 1
	}
	served := 0
	for _, p := range q.Parts {
		if has.Has(p.Answer) {
			served++
		}
	}
	return float64(served) / float64(len(q.Parts))
}

// Answers is a set of answer types.
type Answers uint8

// Has reports whether the set holds t; every set holds AnswerAny.
func (a Answers) Has(t AnswerType) bool { return t == AnswerAny || a&(1<<t) != 0 }

// Date expressions in Chinese, English and Russian text.
var (
	dateRE       = regexp.MustCompile(`(?i)\b(?:19[5-9]\d|20\d\d)\b|\d{1,2}\s*月|\d{1,2}\s*日|[一二三四五六七八九十]{1,3}月|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s*\d{1,2}\b|\b\d{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|星期[一二三四五六日天]|周[一二三四五六日]|\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)`)
	numberWordRE = regexp.MustCompile(`(?i)\d+(?:[.,]\d+)*|[两一二三四五六七八九十百千万亿]+(?:个|次|项|份|名|位|国|年|天|届|点|条|种|家|成|多)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?)\b|\b(?:два|три|четыре|пять|шесть|семь|восемь|девять|десять|сто|тысяч\w*|миллион\w*|миллиард\w*)\b`)
	agoRE        = regexp.MustCompile(`(?i)\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a hundred)\s+(?:years?|months?|weeks?|days?|decades?)\s+(?:ago|earlier|before)\b|(?:\d+|[两一二三四五六七八九十]+)\s*(?:多)?(?:年|个月|周|天)(?:前|以前|之前)|\b(?:\d+|\p{Cyrillic}+)\s+(?:лет|года?|месяц\p{Cyrillic}*|недел\p{Cyrillic}*|дн\p{Cyrillic}*)\s+(?:назад|тому назад)`)
	yearOnlyRE   = regexp.MustCompile(`^(?:19[5-9]\d|20\d\d)$`)
	initialsRE   = regexp.MustCompile(`(?:^|[^\p{L}])\p{Lu}\.\s?(?:\p{Lu}\.\s?)?\p{Lu}\p{Ll}+`)
)

// statementRE finds a report of what someone said, in any of the ways
// reports put it: said, stressed, called for, proposed, 表示, 指出, 强调,
// 提出, заявил, подчеркнул …
var statementRE = regexp.MustCompile(`(?i)\b(?:say|says|said|saying|tell|tells|told|stat(?:e|es|ed|ing|ement)|speech|spoke|remarks?|stress(?:es|ed)?|emphasi[sz](?:e|es|ed)|underlin(?:e|es|ed)|not(?:e|es|ed)|point(?:s|ed)? out|call(?:s|ed)? (?:for|on)|urg(?:e|es|ed)|propos(?:e|es|ed|al)|suggest(?:s|ed)?|put(?:s)? forward|announc(?:e|es|ed)|declar(?:e|es|ed)|express(?:es|ed)?|add(?:s|ed)|believ(?:e|es|ed)|hop(?:e|es|ed)|welcom(?:e|es|ed)|voic(?:e|es|ed)|reaffirm(?:s|ed)?|warn(?:s|ed)?|address(?:es|ed)?)\b|说|表示|称|指出|强调|认为|提出|呼吁|讲话|致辞|发言|主张|表明|介绍|希望|欢迎|宣布|倡议|建议|谈到|阐述|重申|敦促|(?:^|[^\p{L}])(?:заяв|сказа|отмет|подчеркн|призва|предлож|выступ|сообщ|говор|указа)\p{L}*`)

// bylineRE finds a dateline's byline, "(记者单璐 张硕)", "(reporter …)",
// whose names are the reporters', never an answer.
var bylineRE = regexp.MustCompile(`[(（]\s*(?:记者|通讯员|reporters?|by)\b?[^)）]{0,40}[)）]`)

// HoldsAnswer reports whether a text holds an answer of type t to the
// question q (see AnswerTypes). Any text holds an AnswerAny.
func (e *Engine) HoldsAnswer(text string, t AnswerType, q Query) bool {
	return t == AnswerAny || e.answerTypes(text, q, 1<<t).Has(t)
}

// Asks returns the answer types the question's sub-questions ask for.
func (q Query) Asks() Answers {
	var a Answers
	for _, p := range q.Parts {
		if p.Answer != AnswerAny {
			a |= 1 << p.Answer
		}
	}
	return a
}

// AnswerTypes returns the kinds of answer a text holds to the question q,
// of those it asks for (Query.Asks): a date, a number (not a date's), a
// person or a place other than those the question itself names; a
// byline's reporters are no answer.
func (e *Engine) AnswerTypes(text string, q Query) Answers {
	return e.answerTypes(text, q, q.Asks())
}

// answerTypes is AnswerTypes for the answer types in need.
func (e *Engine) answerTypes(text string, q Query, need Answers) Answers {
	if need == 0 {
		return 0
	}
	if strings.Contains(text, "记者") || strings.Contains(text, "通讯员") || strings.Contains(text, "(") || strings.Contains(text, "（") {
		text = bylineRE.ReplaceAllString(text, " ")
	}
	var a Answers
	if need.Has(AnswerWords) && statementRE.MatchString(text) {
		a |= 1 << AnswerWords
	}
	if need.Has(AnswerDate) && dateRE.MatchString(text) {
		a |= 1 << AnswerDate
	}
	if need.Has(AnswerNumber) && hasDigitOrNumeral(text) {
		// The numbers of dates ("15 January 2004") and of spans back to
		// one ("twenty years ago") count nothing.
		bare := agoRE.ReplaceAllString(dateRE.ReplaceAllString(text, " "), " ")
		for _, m := range numberWordRE.FindAllString(bare, -1) {
			if !yearOnlyRE.MatchString(m) {
				a |= 1 << AnswerNumber
				break
			}
		}
	}
	unknown := text // the text without the names the glossary knows
	if e.gloss != nil && (need.Has(AnswerPerson) || need.Has(AnswerPlace)) {
		ms := e.gloss.Find(text)
		for _, m := range ms {
			if slices.Contains(q.Concepts, m.Concept) {
				continue
			}
			switch e.gloss.Kind(m.Concept) {
			case glossary.KindPerson:
				a |= 1 << AnswerPerson
			case glossary.KindPlace, glossary.KindState:
				a |= 1 << AnswerPlace
			}
		}
		unknown = blankMatches(text, ms)
	}
	// A name the glossary knows as a state, place or body ("乌兹别克斯坦")
	// is no unknown person's.
	if need.Has(AnswerPerson) && !a.Has(AnswerPerson) && (strings.ContainsRune(unknown, '.') && initialsRE.MatchString(unknown) || e.foreignName(unknown, q)) {
		a |= 1 << AnswerPerson
	}
	return a
}

// hasDigitOrNumeral reports whether s may hold a number: a digit, a Chinese
// numeral, or a Latin or Cyrillic letter (for number words).
func hasDigitOrNumeral(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r >= '0' && r <= '9' || strings.ContainsRune("两一二三四五六七八九十百千万亿", r) || r < 0x500 && unicode.IsLetter(r)
	})
}

// foreignName reports whether text holds a name-like form the glossary may
// lack (a run of Han transliteration characters, two capitalised words in
// a row) that the question does not hold.
func (e *Engine) foreignName(text string, q Query) bool {
	for _, run := range translit.NameRuns(text) {
		if len([]rune(run)) >= 3 && !strings.Contains(q.Text, run) {
			return true
		}
	}
	ws := translit.Words(text)
	for i := 0; i+1 < len(ws); i++ {
		if !strings.Contains(q.Text, ws[i]) && strings.Contains(text, ws[i]+" "+ws[i+1]) {
			return true
		}
	}
	return false
}
