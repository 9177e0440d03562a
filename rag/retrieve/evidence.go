package retrieve

import (
	"regexp"
	"slices"
	"strings"

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
// abstain (Decide) means the same with any embedder.
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
	// -1 when there are no passages.
	Best int
}

// Features returns the evidence as the vector the abstention model weighs,
// in the order of FeatureNames.
func (ev Evidence) Features() []float64 {
	return []float64{ev.Coverage, ev.Focus, ev.Names, ev.Missing, ev.Answer, ev.Year, ev.YearKnown, ev.Unknown, ev.Parts}
}

// FeatureNames names the entries of Evidence.Features.
var FeatureNames = []string{"coverage", "focus", "names", "missing", "answer", "year", "yearknown", "unknown", "parts"}

// window is a few consecutive sentences of a passage, as the set of their
// terms and their text.
type window struct {
	terms map[string]bool
	text  string
}

// windows returns the windows of n consecutive sentences of a text (one
// window for a shorter text).
func windows(text string, n int) []window {
	ss := tokens.Sentences(text)
	if len(ss) == 0 {
		return nil
	}
	sets := make([][]string, len(ss))
	for i, s := range ss {
		sets[i] = tokens.Terms(s)
	}
	n = max(1, min(n, len(ss)))
	var out []window
	for i := 0; i+n <= len(ss); i++ {
		w := window{terms: map[string]bool{}, text: strings.Join(ss[i:i+n], " ")}
		for _, ts := range sets[i : i+n] {
			for _, t := range ts {
				w.terms[t] = true
			}
		}
		out = append(out, w)
	}
	return out
}

// evidence measures the passages' evidence for the question. Time units
// (months, "latest") are left out: the time constraint chose the passages.
func (e *Engine) evidence(q Query, ps []rag.Passage) Evidence {
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
	partBest := make([]float64, len(q.Parts))
	bestScore := -1.0
	var bestWin window
	var bestUnits []Unit
	for i, p := range ps {
		// A unit the passage's language cannot express (a Han phrase
		// outside the glossaries, for an English passage) is neither held
		// nor lacking: it gets Params.UntranslatedCredit.
		us := q.Units
		parts := make([][]Unit, len(q.Parts))
		for pi := range q.Parts {
			parts[pi] = unitsOfPart(us, pi)
		}
		for _, w := range windows(p.Text, e.params.EvidenceWindow) {
			has := func(t string) bool { return w.terms[t] }
			c := e.langCoverage(has, us, p.Lang)
			for pi := range q.Parts {
				partBest[pi] = max(partBest[pi], e.langCoverage(has, parts[pi], p.Lang))
			}
			// Prefer, among equal coverage, the window that also has
			// what is asked for.
			score := c + 0.01*e.answerShare(q, w.text)
			if score > bestScore {
				bestScore, bestWin, bestUnits, ev.Best = score, w, us, i
				ev.Coverage = c
			}
		}
	}
	if ev.Best < 0 {
		return ev
	}
	has := func(t string) bool { return bestWin.terms[t] }
	lang := ps[ev.Best].Lang
	var names, named, focus, focused, heaviest float64
	// Names are the specific ones: the SCO, named everywhere, is in every
	// window and tells nothing.
	for _, u := range bestUnits {
		switch {
		case u.Kind == UnitEntity && !u.Common:
			names += u.Weight
		case u.Kind != UnitEntity:
			focus += u.Weight
		}
	}
	for _, u := range bestUnits {
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
	ev.Answer = e.answerShare(q, bestWin.text)
	if len(q.Time.Years) > 0 {
		ev.Year = 0
		if q.Time.MatchesYear(rag.Chunk{Date: ps[ev.Best].Date, Text: bestWin.text}) {
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
		if e.docFreq[t] == 0 {
			n++
		}
	}
	return float64(n) / float64(len(u.Alts[0]))
}

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
// type a text holds; sub-questions asking for nothing in particular count
// as served.
func (e *Engine) answerShare(q Query, text string) float64 {
	if len(q.Parts) == 0 {
		return 1
	}
	served := 0
	for _, p := range q.Parts {
		if e.HoldsAnswer(text, p.Answer, q) {
			served++
		}
	}
	return float64(served) / float64(len(q.Parts))
}

// Date expressions in Chinese, English and Russian text.
var (
	dateRE       = regexp.MustCompile(`(?i)\b(?:19[5-9]\d|20\d\d)\b|\d{1,2}\s*月|\d{1,2}\s*日|[一二三四五六七八九十]{1,3}月|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s*\d{1,2}\b|\b\d{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|星期[一二三四五六日天]|周[一二三四五六日]|\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)`)
	numberWordRE = regexp.MustCompile(`(?i)\d+(?:[.,]\d+)*|[两一二三四五六七八九十百千万亿]+(?:个|次|项|份|名|位|国|年|天|届|点|条|种|家|成|多)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?)\b|\b(?:два|три|четыре|пять|шесть|семь|восемь|девять|десять|сто|тысяч\w*|миллион\w*|миллиард\w*)\b`)
	yearOnlyRE   = regexp.MustCompile(`^(?:19[5-9]\d|20\d\d)$`)
	initialsRE   = regexp.MustCompile(`(?:^|[^\p{L}])\p{Lu}\.\s?(?:\p{Lu}\.\s?)?\p{Lu}\p{Ll}+`)
)

// bylineRE finds a dateline's byline, "(记者单璐 张硕)", "(reporter …)",
// whose names are the reporters', never an answer.
var bylineRE = regexp.MustCompile(`[(（]\s*(?:记者|通讯员|reporters?|by)\b?[^)）]{0,40}[)）]`)

// HoldsAnswer reports whether a text holds an answer of type t to the
// question q: a date, a number, a person or a place other than those the
// question itself names (a byline's reporters are no answer). Any text
// holds an AnswerAny.
func (e *Engine) HoldsAnswer(text string, t AnswerType, q Query) bool {
	text = bylineRE.ReplaceAllString(text, " ")
	switch t {
	case AnswerDate:
		return dateRE.MatchString(text)
	case AnswerNumber:
		// The numbers of dates ("15 January 2004") count nothing.
		text = dateRE.ReplaceAllString(text, " ")
		for _, m := range numberWordRE.FindAllString(text, -1) {
			if !yearOnlyRE.MatchString(m) {
				return true
			}
		}
		return false
	case AnswerPerson:
		return e.namesOther(text, q, glossary.KindPerson) || e.foreignName(text, q) || initialsRE.MatchString(text)
	case AnswerPlace:
		return e.namesOther(text, q, glossary.KindPlace) || e.namesOther(text, q, glossary.KindState)
	}
	return true
}

// namesOther reports whether text names a glossary concept of kind k that
// the question does not name.
func (e *Engine) namesOther(text string, q Query, k glossary.Kind) bool {
	if e.gloss == nil {
		return false
	}
	asked := map[string]bool{}
	for _, c := range q.Concepts {
		asked[c] = true
	}
	for _, c := range e.gloss.Concepts(text) {
		if !asked[c] && e.gloss.Kind(c) == k {
			return true
		}
	}
	return false
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
