package retrieve

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/rag/translit"
)

// UnitKind says what sort of thing a unit of a question is.
type UnitKind int

// The kinds of units.
const (
	// UnitEntity names one particular thing: a glossary concept of an
	// entity kind (a state, place, person, office, organisation or
	// initiative), or a transliterated name the glossary lacks.
	UnitEntity UnitKind = iota
	// UnitPhrase is a glossary concept that is not an entity: a kind of
	// event, a topic, a month.
	UnitPhrase
	// UnitWord is an ordinary word of the lexicon.
	UnitWord
	// UnitTerm is a remaining word of the question, or a run of Han
	// characters outside the glossaries.
	UnitTerm
)

// Unit is one thing a question asks about, in whatever language a report
// writes it: a name, an ordinary word, or a remaining term. A passage holds
// a unit when it holds all the terms of one of its renderings.
type Unit struct {
	Kind    UnitKind
	Concept string     // the glossary or lexicon concept; "" for terms and transliterated names
	Text    string     // as the question writes it
	Alts    [][]string // its renderings, each as its terms (rag/tokens)
	// Partial marks a run of Han characters outside the glossaries: a
	// passage holds the share of its bigrams (Alts[0]) it has, since the
	// run may join two words ("首任秘书长" is cut at the glossary's
	// 秘书长, but "选举产生" is two words).
	Partial bool
	// Weight is how much the unit tells which passage answers:
	// ln((N+1)/(df+0.5)) for a unit df of the N documents hold, so a unit
	// every report holds weighs little and one no report holds most.
	Weight float64
	// Common is set for a unit in more than Params.CommonShare of the
	// documents: the corpus's shared context (the SCO, its members).
	Common bool
	// Part is the index of the sub-question (Query.Parts) the unit is in.
	Part int
	// Absent is set for a name the glossary lacks that no document holds in
	// any script: a foreign name (not one a Chinese report would write in
	// characters, as pinyin "Liyuan"), so no report is about it.
	Absent bool
	// Time is set for a month ("May", "5月") or "latest" ("最近"): the
	// time constraint weighs it, by the reports' dates; as a word it would
	// favour every dateline. Evidence and quoting leave it out.
	Time bool
	// Person is set for a glossary person ("Jiang Zemin", "Lavrov").
	Person bool
}

// Surnames returns the terms a report names the person u by once it has
// named them in full: the family name of each rendering in Latin or
// Cyrillic letters of two or three words — the first word of a Chinese
// name in pinyin ("Jiang Zemin said …; Jiang said"), the last of any other
// ("Askar Akayev", "Akayev said"). It is nil for a unit that is no person.
func (u Unit) Surnames() []string {
	if !u.Person {
		return nil
	}
	var out []string
	for _, alt := range u.Alts {
		if len(alt) < 2 || len(alt) > 3 || slices.ContainsFunc(alt, hasHan) {
			continue
		}
		s := alt[len(alt)-1]
		if len(alt) == 2 && pinyinLike(alt[0]) && pinyinLike(alt[1]) {
			s = alt[0]
		}
		if utf8.RuneCountInString(s) >= 2 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// hasHan reports whether s holds a Han character.
func hasHan(s string) bool { return strings.IndexFunc(s, tokens.IsHan) >= 0 }

// Holds returns how much of the unit a text with the terms has holds, from
// 0 to 1.
func (u Unit) Holds(has func(term string) bool) float64 {
	if u.Partial {
		if len(u.Alts) == 0 || len(u.Alts[0]) == 0 {
			return 0
		}
		n := 0
		for _, t := range u.Alts[0] {
			if has(t) {
				n++
			}
		}
		return float64(n) / float64(len(u.Alts[0]))
	}
	for _, alt := range u.Alts {
		if holdsAll(has, alt) {
			return 1
		}
	}
	return 0
}

// Expressible reports whether the unit has a rendering a text in lang can
// hold: a run of Han characters outside the glossaries cannot be found in
// an English report, nor an English word outside them in a Chinese one, so
// a passage in that language neither holds nor lacks it.
func (u Unit) Expressible(lang string) bool {
	for _, alt := range u.Alts {
		if len(alt) > 0 && scriptLang(alt[0], lang) {
			return true
		}
	}
	return false
}

// scriptLang reports whether a term can be written in a text in lang:
// Han terms in Chinese, Cyrillic ones in Russian, other letters in other
// languages; numbers in any.
func scriptLang(term, lang string) bool {
	r, _ := utf8.DecodeRuneInString(term)
	switch {
	case unicode.IsDigit(r):
		return true
	case tokens.IsHan(r):
		return lang == "zh"
	case unicode.Is(unicode.Cyrillic, r):
		return lang == "ru"
	}
	return lang != "zh" && lang != "ru"
}

// Specific reports whether the unit is a glossary name that is not shared
// context: what a report must name to be about what the question asks.
// Transliterated and capitalised names the glossary lacks are left out: a
// Chinese name written in pinyin ("Peng Liyuan") cannot be told apart in a
// Chinese report, so their absence is evidence, not a rule.
func (u Unit) Specific() bool { return u.Kind == UnitEntity && u.Concept != "" && !u.Common }

// AnswerType is what kind of thing a (sub-)question asks for.
type AnswerType int

// The answer types questions are recognised to ask for.
const (
	AnswerAny    AnswerType = iota // anything: "what did …", "which documents"
	AnswerDate                     // a date or year: "when", "何时", "когда"
	AnswerPlace                    // a place: "where", "in which city", "在哪里"
	AnswerPerson                   // a person: "who", "谁", "кто"
	AnswerNumber                   // a number: "how many", "多少", "сколько"
	// AnswerWords is what someone said: "what did Imran Khan say in his
	// speech", "讲了什么", "что заявил": a text reporting a statement
	// (said, stressed, proposed, 表示, 指出, заявил …) holds it; a list of
	// those who attended does not.
	AnswerWords
)

// Part is one sub-question of a question that asks several things at once
// ("Who chaired it, and who represented India?").
type Part struct {
	Text   string     // the sub-question as written
	Answer AnswerType // what it asks for
}

// answerPatterns recognise what a sub-question asks for, tried in order.
var answerPatterns = []struct {
	t  AnswerType
	re *regexp.Regexp
}{
	{AnswerNumber, regexp.MustCompile(`(?i)\bhow (?:many|much|large|big|long|old|often)\b|\b(?:what|which) (?:number|numbers|percentage|share|amount|sum|figures?|total|proportion|volume)\b|多少|(?:什么|哪些)(?:数字|数据)|多大|多长|几(?:个|次|项|份|名|位|国|年|天|届|点|条|种|家|成)|сколько|(?:^|[^\p{L}])(?:какой|какова|какую|каков)\s+(?:объ[её]м|сумм\p{L}*|процент|дол\p{L}*|цифр\p{L}*)|(?:^|[^\p{L}])(?:как|котор)\p{L}*\s+по\s+сч[её]ту(?:$|[^\p{L}])`)},
	{AnswerDate, regexp.MustCompile(`(?i)\bwhen\b|\b(?:what|which) (?:date|day|year|month|time)\b|\bon what (?:date|day)\b|\bsince when\b|何时|什么时候|什么时间|哪(?:一)?(?:年|天|日|月)|哪(?:几|些)年|几月|何年|日期|起止时间|\bwhich years\b|когда|в каком году|в какие годы|какого числа`)},
	{AnswerPlace, regexp.MustCompile(`(?i)\bwhere\b|\b(?:which|what) (?:city|cities|town|towns|place|places|capital|capitals|venue|venues|country)\b|哪里|哪儿|在哪(?:[^几些个一座位]|$)|哪(?:座|个)?城市|何地|什么地方|哪个国家|(?:^|[^\p{L}])где(?:$|[^\p{L}])|в каком городе`)},
	{AnswerPerson, regexp.MustCompile(`(?i)\bwho(?:m|se)?\b|\b(?:which|what)(?: \w+)? (?:leaders?|presidents?|ministers?|officials?|diplomats?|envoys?|persons?|people|heads?|secretar(?:y|ies)(?:-general)?|chairm[ae]n)\b|谁|哪位|何人|哪些(?:国家的)?(?:领导人|外长|部长|官员|人)|(?:^|[^\p{L}])кто(?:$|[^\p{L}])|кого`)},
}

// wordsQuestionRE finds a question for what someone said, rather than for
// what happened or was agreed: "what did X say (tell, stress)", 说了什么,
// 讲话中讲了什么, "что заявил X".
var wordsQuestionRE = regexp.MustCompile(`(?i)\bwhat\s+(?:did|does|do|has|have|had|will|would)\s+(?:[\p{L}\p{N}'’.-]+\s+){1,6}?(?:say|tell|speak|stress|emphasi[sz]e)\b|(?:说|讲|谈)了?(?:些)?什么|(?:讲话|发言|致辞)(?:中|里)?(?:说|讲|提到|谈)?了?(?:些)?什么|(?:^|[^\p{L}])что\s+(?:\p{L}+\s+){0,4}?(?:сказал|заявил|говорил)\p{L}*`)

// genericQuestionRE finds the question words that ask for no particular
// kind of thing ("what did they agree", "哪些文件", "что").
var genericQuestionRE = regexp.MustCompile(`(?i)\b(?:what|which)\b|什么|哪些|哪几|(?:^|[^\p{L}])(?:что|какие|какой|какая|каким)(?:$|[^\p{L}])`)

// answerType returns what a sub-question asks for: the type of its first
// question word ("Who headed it when it was launched?" asks for a person,
// "What did they agree when they met?" for nothing in particular).
func answerType(part string) AnswerType {
	t, at := AnswerAny, len(part)+1
	for _, p := range answerPatterns {
		if loc := p.re.FindStringIndex(part); loc != nil && loc[0] < at {
			t, at = p.t, loc[0]
		}
	}
	if loc := genericQuestionRE.FindStringIndex(part); loc != nil && loc[0] < at {
		t = AnswerAny
	}
	if t == AnswerAny && wordsQuestionRE.MatchString(part) {
		return AnswerWords
	}
	return t
}

// partBreakRE finds where a question asks its next thing: after a question
// mark or semicolon, at an "and" that leads to another question word
// ("…, and who represented India", "…, and roughly how many …"), and at a
// comma before one ("…, who chaired it, …"); in Russian at an "и" before a
// question word ("… и каким по счёту заседанием он был?",
// russianPartBreakRE).
var partBreakRE = regexp.MustCompile(`(?i)[?？；;]\s*|,?\s+and\s+(?:(?:\w+\s+){0,2})(?:who|whom|whose|what|when|where|which|how|did|does|do|was|were|is|are)\b|,\s*(?:who|what|when|where|which|how)\b`)

// russianPartBreakRE is partBreakRE's Russian rule, tried only on a
// question with Cyrillic letters (hasCyrillic), so the others do not pay
// for it.
var russianPartBreakRE = regexp.MustCompile(`,?\s+и\s+(?:кто|кого|что|когда|где|куда|сколько|как\p{L}*|котор\p{L}+|чей|чья|чьи)(?:$|[^\p{L}])`)

// hasCyrillic reports whether s holds a Cyrillic letter.
func hasCyrillic(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
}

// splitParts cuts a question into its sub-questions, with the byte offset
// each starts at.
func splitParts(q string) ([]Part, []int) {
	var parts []Part
	var starts []int
	last := 0
	breaks := partBreakRE.FindAllStringIndex(q, -1)
	if hasCyrillic(q) {
		breaks = append(breaks, russianPartBreakRE.FindAllStringIndex(q, -1)...)
		slices.SortFunc(breaks, func(a, b []int) int { return a[0] - b[0] })
	}
	for _, loc := range breaks {
		cut := loc[0]
		if r, _ := utf8.DecodeRuneInString(q[loc[0]:]); r == '?' || r == '？' || r == '；' || r == ';' {
			cut = loc[1] // the question mark stays with its part
		}
		if s := strings.TrimSpace(q[last:cut]); s != "" && hasContent(s) {
			parts = append(parts, Part{Text: s})
			starts = append(starts, last)
		}
		last = cut
	}
	if s := strings.TrimSpace(q[last:]); s != "" && hasContent(s) {
		parts = append(parts, Part{Text: s})
		starts = append(starts, last)
	}
	if len(parts) == 0 {
		parts, starts = []Part{{Text: strings.TrimSpace(q)}}, []int{0}
	}
	for i := range parts {
		parts[i].Answer = answerType(parts[i].Text)
	}
	return parts, starts
}

// hasContent reports whether s holds a letter or digit.
func hasContent(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// partOf returns the index of the part a byte offset is in.
func partOf(starts []int, off int) int {
	p := 0
	for i, s := range starts {
		if off >= s {
			p = i
		}
	}
	return p
}

// comparesRE finds a question asking how reports differ: "accounts
// disagree", "do the reports differ", "conflicting figures", "说法不一",
// "报道有出入", "сведения расходятся".
var comparesRE = regexp.MustCompile(`(?i)\b(?:disagree\w*|differ(?:s|ed|ing)?|discrepanc\w*|conflicting|contradict\w*|inconsistent)\b|说法(?:不一|不同|有出入)|(?:报道|说法|记载)(?:之间)?(?:不一致|有出入|矛盾|有分歧)|расход(?:ятся|ились|ится)|противореч\p{L}*|разн(?:ятся|ые\s+(?:данные|сведения|версии))`)

// compareFrameRE finds, in a question that compares reports, the words
// that only say so: "accounts", "reports", "报道", "сообщения", and the
// comparing words themselves. They frame what is asked; no report holds
// them.
var compareFrameRE = regexp.MustCompile(comparesRE.String() + `|(?i)\b(?:accounts?|reports?|sources?|versions?)\b|报道|说法|记载|各方|(?:^|[^\p{L}])(?:сообщени\p{L}*|источник\p{L}*|верси\p{L}*)`)

// questionWordRE finds the Chinese question words and the English question
// phrases that only frame what is asked ("哪座城市", "how many"); the answer
// type records them, and as terms they would ask for words no answer holds.
var questionWordRE = regexp.MustCompile(`(?i)哪(?:一|几)?(?:座|个|位|些|家|国|种|项|份|次|届|年|天|日|月|里|儿)?(?:城市|国家)?|什么(?:时候|时间|地方)?|何时|何地|何人|多少|多大|多长|几(?:个|次|项|份|名|位|国|年|天|届|点|条|种|家|成)?|谁|是否|如何|怎样|怎么|意味着什么|有(?:何|什么)(?:重要)?意义|(?:标志|象征)着什么|` + englishFrames)

// russianFrameRE finds russianFrames, tried only on a question with
// Cyrillic letters.
var russianFrameRE = regexp.MustCompile(`(?i)` + russianFrames)

// russianFrames are the Russian question words (russianFrameRE) in all
// their case forms ("каким", "которого", "сколько"), and "по счёту" of an
// ordinal question ("каким по счёту заседанием"): the Russian stop words
// of rag/tokens hold only their nominative. The (?:^|[^\p{L}]) guards
// stand for \b, which knows only ASCII letters.
const russianFrames = `(?:^|[^\p{L}])(?:как(?:ой|ая|ое|ие|им|ую|их|ом|ого|ому|ими|ова|ово|овы|ов)|котор(?:ый|ая|ое|ые|ым|ую|ых|ом|ого|ому|ыми|ой)|сколько|чей|чья|чь[её]|чьи)(?:\s+по\s+сч[её]ту)?(?:$|[^\p{L}])`

// inFrame reports whether a lexicon match lies inside one of the
// question phrases at frames ("many" of "how many"): it frames what is
// asked, and no answer holds it.
func inFrame(frames [][]int, m glossary.Match) bool {
	for _, f := range frames {
		if m.Start >= f[0] && m.End <= f[1] {
			return true
		}
	}
	return false
}

// units breaks a parsed question into what it asks about: q.names are the
// glossary's matches in the question, words the lexicon's, and rest the
// question with both blanked out (offsets kept).
func (e *Engine) units(q *Query, words []glossary.Match, rest string) {
	parts, starts := splitParts(q.Text)
	q.Parts = parts
	n := float64(len(e.byDoc))
	weigh := func(u *Unit, df float64) {
		u.Weight = math.Log((n + 1) / (df + 0.5))
		u.Common = len(e.byDoc) >= 2 && df > e.params.CommonShare*n
	}
	seen := map[string]bool{}
	for _, m := range q.names {
		if seen["g:"+m.Concept] {
			continue
		}
		seen["g:"+m.Concept] = true
		u := Unit{Kind: UnitPhrase, Concept: m.Concept, Text: m.Term, Alts: e.renderings(e.gloss, m.Concept), Part: partOf(starts, m.Start)}
		switch k := e.gloss.Kind(m.Concept); {
		case k.Entity():
			u.Kind = UnitEntity
			u.Person = k == glossary.KindPerson
		case k == glossary.KindMonth:
			u.Time = true
		}
		weigh(&u, float64(e.altsDocFreq(u.Alts)))
		q.Units = append(q.Units, u)
	}
	for _, m := range words {
		if seen["l:"+m.Concept] {
			continue
		}
		seen["l:"+m.Concept] = true
		// "Latest", "最近": the time constraint's, by the reports' dates.
		u := Unit{Kind: UnitWord, Concept: m.Concept, Text: m.Term, Alts: e.renderings(e.lexicon, m.Concept), Part: partOf(starts, m.Start), Time: latestRE.MatchString(m.Term)}
		weigh(&u, float64(e.altsDocFreq(u.Alts)))
		q.Units = append(q.Units, u)
	}
	years := map[string]bool{}
	for _, y := range q.Time.Years {
		years[strconv.Itoa(y)] = true
	}
	// What is left: transliterated names, runs of Han characters, words.
	rest = questionWordRE.ReplaceAllStringFunc(rest, blank)
	if hasCyrillic(rest) {
		rest = russianFrameRE.ReplaceAllStringFunc(rest, blank)
	}
	add := func(key string, u Unit, df float64) {
		if seen[key] {
			return
		}
		seen[key] = true
		weigh(&u, df)
		q.Units = append(q.Units, u)
	}
	for _, seg := range segments(rest) {
		if seg.han {
			// A transliterated foreign name is a name, found in any
			// script it is written in; the rest of the run is a term.
			text := seg.text
			for _, run := range translit.NameRuns(text) {
				if utf8.RuneCountInString(run) < 3 {
					continue
				}
				ts := tokens.Terms(run)
				if len(ts) == 0 {
					continue
				}
				alts := append([][]string{ts}, e.translitForms(run)...)
				df := e.altsDocFreq(alts)
				u := Unit{Kind: UnitEntity, Text: run, Alts: alts, Part: partOf(starts, seg.start+strings.Index(seg.text, run)), Absent: df == 0}
				add("n:"+run, u, float64(df))
				text = strings.Replace(text, run, blank(run), 1)
			}
			for _, sub := range segments(hanFramingRE.ReplaceAllStringFunc(text, blank)) {
				sub.start += len(sub.text) - len(hanLeadRE.ReplaceAllString(sub.text, ""))
				sub.text = hanTrailRE.ReplaceAllString(hanLeadRE.ReplaceAllString(sub.text, ""), "")
				ts := tokens.Terms(sub.text)
				if len(ts) == 0 || utf8.RuneCountInString(sub.text) == 1 {
					// A lone character is no term the index holds (it
					// holds Han text as bigrams).
					continue
				}
				u := Unit{Kind: UnitTerm, Text: sub.text, Alts: [][]string{ts}, Partial: true, Part: partOf(starts, seg.start+sub.start)}
				add("t:"+sub.text, u, e.meanDocFreq(ts))
			}
			continue
		}
		for _, w := range wordsOf(seg.text) {
			ts := tokens.Terms(w.text)
			if len(ts) == 0 || queryStop[ts[0]] || years[ts[0]] {
				continue
			}
			at := seg.start + w.start
			u := Unit{Kind: UnitTerm, Text: w.text, Alts: [][]string{ts}, Part: partOf(starts, at)}
			if w.name && !sentenceStart(q.Text, at) {
				// A capitalised word inside the question is a name: in
				// another script it may be a transliteration.
				u.Kind = UnitEntity
				u.Alts = append(u.Alts, e.translitForms(w.text)...)
			}
			df := e.altsDocFreq(u.Alts)
			u.Absent = u.Kind == UnitEntity && df == 0 && !pinyinLike(w.text)
			add("t:"+strings.Join(ts, " "), u, float64(df))
		}
	}
}

// blank replaces a match by spaces of its length, keeping offsets.
func blank(s string) string { return strings.Repeat(" ", len(s)) }

// segment is a run of a question's text in one script: Han, or anything
// else.
type segment struct {
	text  string
	start int
	han   bool
}

// segments cuts text into runs of Han characters and runs of other
// characters, dropping white space and punctuation at their edges.
func segments(text string) []segment {
	var out []segment
	start := -1
	han := false
	flush := func(end int) {
		if start >= 0 {
			if s := text[start:end]; strings.TrimSpace(s) != "" {
				out = append(out, segment{text: s, start: start, han: han})
			}
		}
		start = -1
	}
	for i, r := range text {
		isHan := tokens.IsHan(r)
		switch {
		case !isHan && !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’' && r != ' ':
			flush(i)
		case start < 0:
			start, han = i, isHan
		case isHan != han:
			flush(i)
			start, han = i, isHan
		}
	}
	flush(len(text))
	return out
}

// word is one word of a non-Han segment.
type word struct {
	text  string
	start int
	name  bool // capitalised, and not the first word of the question
}

// wordsOf splits a non-Han segment into its words.
func wordsOf(seg string) []word {
	var out []word
	start := -1
	for i, r := range seg + " " {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := seg[start:i]
			first, _ := utf8.DecodeRuneInString(w)
			out = append(out, word{text: w, start: start, name: unicode.IsUpper(first) && len(translit.Words(w)) > 0})
			start = -1
		}
	}
	return out
}

// sentenceStart reports whether the word at byte offset at of text starts
// a sentence, where every word is capitalised.
func sentenceStart(text string, at int) bool {
	before := strings.TrimRightFunc(text[:at], unicode.IsSpace)
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?。！？:：\"“'‘(（", r)
}

// translitForms returns the terms of the forms a name takes in the corpus's
// other scripts, by pronunciation (rag/translit): 卡里莫夫 for Karimov.
func (e *Engine) translitForms(name string) [][]string {
	if e.forms == nil {
		return nil
	}
	var out [][]string
	own := translit.ScriptOf(name)
	for _, f := range e.forms.Lookup(name) {
		if f.Script == own || f.Score < e.params.TranslitMatch {
			continue
		}
		if ts := tokens.Terms(f.Text); len(ts) > 0 {
			out = append(out, ts)
		}
		if len(out) == e.params.TranslitForms {
			break
		}
	}
	return out
}

// altsDocFreq is the number of documents holding a unit: of its renderings,
// the most widespread, each as widespread as its rarest term.
func (e *Engine) altsDocFreq(alts [][]string) int {
	df := 0
	for _, ts := range alts {
		if len(ts) == 0 {
			continue
		}
		least := e.terms.docFreq(ts[0])
		for _, t := range ts[1:] {
			least = min(least, e.terms.docFreq(t))
		}
		df = max(df, least)
	}
	return df
}

// meanDocFreq is the mean number of documents holding each of the terms.
func (e *Engine) meanDocFreq(ts []string) float64 {
	if len(ts) == 0 {
		return 0
	}
	sum := 0
	for _, t := range ts {
		sum += e.terms.docFreq(t)
	}
	return float64(sum) / float64(len(ts))
}

// hanFramingRE finds the Chinese words that frame what a question asks
// about without being what it asks ("关于", "说了"), as queryStop does for
// English ("say", "mention").
var hanFramingRE = regexp.MustCompile(`关于|有关|对于|说了|说过|谈到|谈了|讲了|提及`)

// hanLeadRE and hanTrailRE find the pronouns that open a run of Han
// characters and the particles that close it ("他在任的是" asks about 在任):
// no report holds the run with them.
var (
	hanLeadRE  = regexp.MustCompile(`^(?:的|他们|她们|它们|他|她|它|其|这次|此次|本次|这个|这些|这一|那次|该)+`)
	hanTrailRE = regexp.MustCompile(`(?:的是|的|是|了|吗|呢|吧)+$`)
)

// englishFrames are the English question phrases of questionWordRE.
const englishFrames = `\bhow (?:many|much|large|big|long|old|often)\b|\b(?:which|what) (?:city|cities|town|towns|place|places|date|dates|day|days|year|years|month|months|time|number)\b`

// englishFrameRE finds englishFrames. Lexicon words inside them ("many")
// are dropped; the Chinese frames keep theirs (哪一年 asks for a year).
var englishFrameRE = regexp.MustCompile(`(?i)` + englishFrames)
