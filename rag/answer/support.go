package answer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"

	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// Claim is what the support check found of one generated sentence.
type Claim struct {
	Text string // the sentence, its markers included
	// Cites are the source numbers its markers give; none for a sentence
	// without a marker (checked against every source).
	Cites []int
	// Share is the weighted share of its words (rag/retrieve units: names,
	// words, terms, in any of the glossary's and lexicon's languages) the
	// passages it cites hold.
	Share float64
	// Missing lists what it says that no passage it cites holds: names,
	// numbers, words.
	Missing []string
	// Supported is set when every name and number it gives is in the
	// passages it cites and Share reaches the threshold.
	Supported bool
}

// supportChecker checks generated sentences against the passages they
// cite, through the engine's reading of text (names and words across
// languages).
type supportChecker struct {
	engine *retrieve.Engine
	// least is the least Share of a supported sentence
	// (retrieve.Params.ClaimSupport).
	least float64
}

// passage is what the check reads of one passage: its terms, language
// and numbers, worked out once per answer however many sentences cite it.
type passage struct {
	terms map[string]bool
	lang  string
	nums  map[string]bool
}

func readPassage(text string) *passage {
	p := &passage{terms: map[string]bool{}, lang: tokens.Lang(text), nums: numbersIn(text)}
	for _, t := range tokens.Terms(text) {
		p.terms[t] = true
	}
	return p
}

// check measures how far the passages a sentence cites support it.
func (c supportChecker) check(sentence string, cites []int, ps []*passage) Claim {
	cl := Claim{Text: sentence, Cites: cites}
	plain := RemoveCitations(sentence)
	has := func(t string) bool {
		for _, p := range ps {
			if p.terms[t] {
				return true
			}
		}
		return false
	}
	hasNumber := func(n string) bool {
		for _, p := range ps {
			if p.nums[n] {
				return true
			}
		}
		return false
	}
	expressible := func(u retrieve.Unit) bool {
		for _, p := range ps {
			if u.Expressible(p.lang) {
				return true
			}
		}
		return false
	}
	hard := true // every name and number found
	for n := range numbersIn(plain) {
		if !hasNumber(n) {
			hard = false
			cl.Missing = append(cl.Missing, n)
		}
	}
	q := c.engine.ParseQuery(plain)
	var total, held float64
	for _, u := range q.Units {
		if !claimContent(u) {
			continue
		}
		h := untranslatable
		if expressible(u) {
			h = u.Holds(has)
			if u.Kind == retrieve.UnitEntity && h < 1 {
				hard = false // a name the passages would write, and do not
			}
		}
		if h < 1 {
			cl.Missing = append(cl.Missing, u.Text)
		}
		total += u.Weight
		held += u.Weight * h
	}
	cl.Share = 1
	if total > 0 {
		cl.Share = held / total
	}
	cl.Supported = hard && cl.Share >= c.least
	return cl
}

// claimContent reports whether a unit of a sentence is something the
// passages it cites must hold. Numbers are checked as numbers (an "eight"
// against an "8"); verbs of saying are how a model reports, in words of
// its own ("urged", "noted"); and a single Han character left between
// the glossaries' words ("应", "们") is no term a passage's index holds.
func claimContent(u retrieve.Unit) bool {
	if len(numbersIn(u.Text)) > 0 && numberRE.FindString(u.Text) == "" && len(strings.Fields(u.Text)) == 1 {
		return false
	}
	if u.Kind == retrieve.UnitTerm && u.Partial && len(u.Alts) > 0 && len(u.Alts[0]) == 1 && utf8.RuneCountInString(u.Alts[0][0]) == 1 {
		return false
	}
	ts := tokens.Terms(u.Text)
	return len(ts) != 1 || !reportingVerbs[ts[0]]
}

// reportingVerbs are the terms (rag/tokens) of the verbs of saying, in
// English, Chinese and Russian.
var reportingVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("said says say stated states noted notes urged urges stressed emphasized emphasised added told announced called pointed underlined highlighted remarked declared argued explained expressed reiterated 表示 指出 强调 称 说 заявил сказал отметил подчеркнул указал") {
		for _, t := range tokens.Terms(w) {
			m[t] = true
		}
	}
	return m
}()

// untranslatable is the credit for a unit no language of the cited
// passages can express (a word of an English sentence citing a Chinese
// report that no glossary or lexicon row renders): it may be there in
// other words, or not.
const untranslatable = 0.5

// Number forms written as words, read as digits so that "eight member
// states" is checked against "8个成员国".
var (
	numberRE      = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
	numberWordsRE = regexp.MustCompile(`(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|один|два|три|четыре|пять|шесть|семь|восемь|девять|десять)\b|[一二两三四五六七八九十]+(?:个|次|项|份|名|位|国|年|届|点|条|种|家|方面|大)`)
	numberWords   = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
		"один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
	}
	// monthDayRE finds a month's name beside a day ("November 10", "10
	// ноября"), read as the month's number (11, as "11月" gives it); alone,
	// "May" may be a verb.
	monthDayRE = regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}\b|\b\d{1,2}\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)`)
	hanMonthRE = regexp.MustCompile(`(^|[^\d])(\d{1,2})\s*月`)
	monthNames = func() []*regexp.Regexp {
		var out []*regexp.Regexp
		for _, m := range strings.Split("jan|фев,feb|февр,mar|мар,apr|апр,may|мая,jun|июн,jul|июл,aug|авг,sep|сен,oct|окт,nov|ноя,dec|дек", ",") {
			en, ru, _ := strings.Cut(m, "|")
			out = append(out, regexp.MustCompile(`(?i)^(?:`+en+`|`+ru+`)`))
		}
		return out
	}()
	hanDigits = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
)

// numbersIn returns the numbers a text gives, as digits: digit runs (with
// their separators removed, so "1,000" is "1000") and small numbers
// written as words or Chinese numerals; months as "m" and their number.
func numbersIn(text string) map[string]bool {
	out := map[string]bool{}
	// Months are not counts: "July 14" and "7月" give "m7", never the 7 of
	// a seven-point proposal.
	text = hanMonthRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := hanMonthRE.FindStringSubmatch(m)
		out["m"+strings.TrimLeft(sub[2], "0")] = true
		return sub[1] + " "
	})
	for _, m := range numberRE.FindAllString(text, -1) {
		out[strings.NewReplacer(",", "").Replace(m)] = true
	}
	for _, m := range monthDayRE.FindAllStringSubmatch(text, -1) {
		name := m[1] + m[2]
		for i, re := range monthNames {
			if re.MatchString(name) {
				out["m"+strconv.Itoa(i+1)] = true
			}
		}
	}
	for _, m := range numberWordsRE.FindAllString(text, -1) {
		if n, ok := numberWords[strings.ToLower(m)]; ok {
			out[strconv.Itoa(n)] = true
			continue
		}
		if n := hanNumber(m); n > 0 {
			out[strconv.Itoa(n)] = true
		}
	}
	return out
}

// hanNumber reads the Chinese numeral at the start of s (up to 99): 八 is
// 8, 十二 is 12, 二十 is 20; 0 when there is none.
func hanNumber(s string) int {
	n, cur := 0, 0
	for _, r := range s {
		switch {
		case r == '十':
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
		case hanDigits[r] > 0:
			cur = hanDigits[r]
		default:
			return n + cur
		}
	}
	return n + cur
}

// cited holds the retrieved passages, read for the check, by document,
// to find those a sentence cites.
type cited struct {
	byDoc map[string][]*passage
	all   []*passage
}

func newCited(passages []rag.Passage) cited {
	c := cited{byDoc: map[string][]*passage{}}
	for _, p := range passages {
		rp := readPassage(p.Text)
		c.byDoc[p.Doc] = append(c.byDoc[p.Doc], rp)
		c.all = append(c.all, rp)
	}
	return c
}

// of returns the source numbers a sentence's markers give that docOf knows
// (the document of source n), and those documents' passages: all passages
// for a sentence citing none.
func (c cited) of(sentence string, docOf func(n int) (string, bool)) ([]int, []*passage) {
	var cites []int
	var ps []*passage
	for _, m := range citationRE.FindAllStringSubmatch(sentence, -1) {
		for _, n := range markerNumbers(m[1]) {
			if doc, ok := docOf(n); ok && !slices.Contains(cites, n) {
				cites = append(cites, n)
				ps = append(ps, c.byDoc[doc]...)
			}
		}
	}
	if len(cites) == 0 {
		return nil, c.all
	}
	return cites, ps
}

// checkable reports whether a sentence of text is one to check: not a
// fragment or a heading.
func checkable(sentence, text string) bool {
	return utf8.RuneCountInString(RemoveCitations(sentence)) >= MinSentenceRunes && !IsHeading(sentence, text)
}

// supported returns the verified text less its sentences that the passages
// they cite do not support (a sentence with no marker, if no passage
// supports it), how many sentences it checked and how many it removed.
func (a *Assistant) supported(v Verified, ps cited) (string, int, int) {
	c := supportChecker{engine: a.engine, least: a.engine.Params().ClaimSupport}
	docOf := func(n int) (string, bool) {
		if n < 1 || n > len(v.Citations) {
			return "", false
		}
		return v.Citations[n-1].Doc, true
	}
	var b strings.Builder
	checked, removed, at, pos := 0, 0, 0, 0 // at: copied up to; pos: read up to
	for _, s := range tokens.Sentences(v.Text) {
		i := strings.Index(v.Text[pos:], s)
		if i < 0 {
			continue // not found as written: left in place
		}
		start, end := pos+i, pos+i+len(s)
		pos = end
		if !checkable(s, v.Text) {
			continue
		}
		checked++
		cites, texts := ps.of(s, docOf)
		cl := c.check(s, cites, texts)
		if cl.Supported {
			continue
		}
		a.log.Debug("a generated sentence its sources do not support", "sentence", s, "share", cl.Share, "missing", cl.Missing)
		b.WriteString(v.Text[at:start])
		at = end
		removed++
	}
	b.WriteString(v.Text[at:])
	return strings.TrimSpace(TidySpaces(b.String())), checked, removed
}

// checkedStream wraps the callback that shows a generated answer while it
// is written, so that it shows only the sentences written so far that
// their sources support (with markers to no source dropped): an invented
// sentence never reaches the reader, not even for the seconds before the
// answer is complete. nil stays nil.
func (a *Assistant) checkedStream(onText func(string), sources []PromptSource, ps cited) func(string) {
	if onText == nil {
		return nil
	}
	c := supportChecker{engine: a.engine, least: a.engine.Params().ClaimSupport}
	docOf := func(n int) (string, bool) {
		for _, s := range sources {
			if s.N == n {
				return s.Doc, true
			}
		}
		return "", false
	}
	var kept []string
	judged := 0 // sentences of the text so far already judged
	return func(sofar string) {
		ss := tokens.Sentences(sofar)
		complete := len(ss)
		if complete > 0 && !endsSentence(sofar) {
			complete-- // the last one is still being written
		}
		shown := len(kept)
		for ; judged < complete; judged++ {
			s := ss[judged]
			if !checkable(s, sofar) {
				continue
			}
			if cites, texts := ps.of(s, docOf); cites != nil && c.check(s, cites, texts).Supported {
				kept = append(kept, validMarkers(s, docOf))
			}
		}
		if len(kept) > shown {
			onText(strings.Join(kept, " "))
		}
	}
}

// endsSentence reports whether text ends with a sentence's end (its
// marker after it, maybe).
func endsSentence(text string) bool {
	t := strings.TrimRightFunc(RemoveCitations(text), unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?。！？", r)
}

// validMarkers returns s with its markers written [n], those to no source
// (docOf) dropped.
func validMarkers(s string, docOf func(n int) (string, bool)) string {
	return TidySpaces(citationRE.ReplaceAllStringFunc(s, func(m string) string {
		var b strings.Builder
		for _, n := range markerNumbers(citationRE.FindStringSubmatch(m)[1]) {
			if _, ok := docOf(n); ok {
				fmt.Fprintf(&b, "[%d]", n)
			}
		}
		return b.String()
	}))
}
