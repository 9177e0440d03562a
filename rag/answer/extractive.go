package answer

import (
	"bytes"
	"cmp"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/render/words"
)

// maxGlossPairs is how many names of a quoted sentence are glossed.
const maxGlossPairs = 10

// MinSentenceRunes is the length under which a "sentence" is a fragment
// (a dateline, a caption) that is never quoted.
const MinSentenceRunes = 8

// listIntroRE finds a sentence announcing a numbered list of points:
// "put forward a five-point proposal", "提出四点建议:", "将采取四项举措".
var listIntroRE = regexp.MustCompile(`(?i)([0-9]+|one|two|three|four|five|six|seven|[一二三四五六七])[- ]?(point|点|项)|[:：]\s*$`)

// AnnouncesList reports whether a sentence announces a numbered list of
// points ("a five-point proposal", "四点建议:").
func AnnouncesList(s string) bool { return listIntroRE.MatchString(s) }

// listItemRE finds the start of a list item: "First, …", "一是…", "二要…".
var listItemRE = regexp.MustCompile(`(?i)^\s*(first(ly)?|second(ly)?|third(ly)?|fourth(ly)?|fifth(ly)?|sixth(ly)?|seventh(ly)?|[一二三四五六七八九十][是要]|[（(]?[一二三四五六七八九十0-9][)）、.])`)

// Candidate is a sentence of a retrieved passage that may be quoted.
type Candidate struct {
	Text    string      // the sentence, verbatim
	Passage rag.Passage // the passage it is in
	Rank    int         // the passage's rank in the retrieval, from 0
	Score   float64     // how well it answers the question; higher is better
	Lang    string      // its language
	// Parts scores the sentence for each sub-question of the question
	// (retrieve.Query.Parts); Score is the best of them.
	Parts []float64
	// Originals are the reports in another language whose sentence Text
	// stands for as its version in the asker's language (see
	// inAskerLanguage); an answer cites them after Passage's.
	Originals []rag.Passage
	own       []float64 // for each sub-question, the share of its own units' weight the sentence holds
	// referent is the sentence before, when this one opens with a personal
	// pronoun ("He was until recently ambassador …") and that one names a
	// person: quoted alone, the sentence would not say whom it is about.
	referent string
}

// additiveRE finds a sentence that adds to the one before it: "also",
// "too", "也", "亦", "还将", "также", "тоже" ("也门", Yemen, and "也许",
// perhaps, are not).
var additiveRE = regexp.MustCompile(`(?i)\b(?:also|too|as well|likewise)\b|也[^门许就罢]|亦|还(?:将|会|有|同|与|表示|强调|指出|出席|参加|会见)|(?:^|[^\p{L}])(?:также|тоже)(?:$|[^\p{L}])`)

// additiveWords are what additiveRE looks for, as plain strings: a
// sentence holding none of them is not matched against it (a regular
// expression per candidate sentence is most of the cost of choosing them).
var additiveWords = []string{"lso", "too", "as well", "ikewise", "也", "亦", "还", "также", "тоже"}

// adds reports whether s adds to the sentence before it (additiveRE).
func adds(s string) bool {
	for _, w := range additiveWords {
		if strings.Contains(s, w) {
			return additiveRE.MatchString(s)
		}
	}
	return false
}

// opensWithPronoun reports whether s opens with a personal pronoun
// (pronounStartRE), looking at its first letter before the expression.
func opensWithPronoun(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("HST他她ОЕИ", r) && pronounStartRE.MatchString(s)
}

// backReferenceRE finds a sentence that opens by pointing back at the
// event the sentence before names: "On this occasion", "At the ceremony",
// "会上", "仪式上", "此间", "На церемонии".
var backReferenceRE = regexp.MustCompile(`^(?:(?i:on (?:this|that|the same) (?:occasion|day)|at (?:the|this|that) (?:ceremony|meeting|event|summit|talks|session|conference)|during (?:the|this|that) (?:ceremony|meeting|event|summit|talks|session|visit|conference)|on the sidelines)\b|(?:会上|会议上|会谈中|会见时|仪式上|峰会上|此间|期间|当天|同日|当日|在此期间)|(?:На (?:церемонии|встрече|заседании|саммите|переговорах)|В ходе (?:церемонии|встречи|заседания|саммита|переговоров|визита))(?:$|[^\p{L}]))`)

// pronounStartRE finds a sentence that opens with a personal pronoun.
var pronounStartRE = regexp.MustCompile(`^(?:He|She|They|His|Her|Their)\b|^(?:他|她)们?|^(?:Он|Она|Они|Его|Её|Ее|Их)(?:$|[^\p{L}])`)

// Extract composes the extractive answer for a retrieval: the sentences of
// the retrieved passages that best match the question, each followed by the
// citation marker of its document, or an abstention.
func Extract(e *retrieve.Engine, question string, r retrieve.Retrieval) rag.Answer {
	return extract(e, question, r, nil)
}

// extract is Extract keeping what it works out of reports in cache (nil:
// for this answer only).
func extract(e *retrieve.Engine, question string, r retrieve.Retrieval, cache *docCache) rag.Answer {
	lang := r.Query.Lang
	if lang == "" {
		lang = tokens.Lang(question)
	}
	if r.Abstains() {
		a := Abstention(question, lang, r.Passages)
		a.Support = r.Support
		a.Note = JoinNotes(unnamedNote(e, r.Unnamed, lang), otherYearsNote(r, lang))
		return a
	}
	cands := Candidates(e, r)
	if len(cands) == 0 {
		a := Abstention(question, lang, r.Passages)
		a.Support = r.Support
		return a
	}
	// A sentence in another language is quoted in the asker's where a
	// report holds its version; only those that may be quoted are looked
	// up.
	v := newVersions(e, r.Query, cache)
	cands = v.inLanguage(cands, lang, e.Params().MinRelativeScore*cands[0].Score)
	chosen := pickSentences(e.Params(), r.Query, cands, v.sig)
	var statements []Candidate
	for _, c := range chosen {
		if c.referent != "" && !strings.Contains(c.Text, c.referent) {
			// Whom "he" is: the sentence before, quoted first.
			statements = append(statements, Candidate{Text: c.referent, Passage: c.Passage, Rank: c.Rank, Lang: c.Lang})
		}
		statements = append(statements, c)
		if listIntroRE.MatchString(c.Text) {
			for _, item := range listItems(e, c) {
				statements = append(statements, Candidate{Text: item, Passage: c.Passage, Rank: c.Rank, Lang: c.Lang})
			}
		}
	}
	return compose(e, question, lang, r, v.statements(statements, lang))
}

// quotable returns the passages an answer may quote: when some reports
// name all of the question's specific names (Retrieval.Covering), only
// theirs — "in Dushanbe" rules out the Astana reports — and those naming
// all but one sub-question's (Retrieval.PartCovering); and when the
// question names a year or a month and some passages are of it (by their
// report's date, or their text naming the year, or an undated report
// naming no year but all of the question's names), only those, unless the
// question compares reports.
func quotable(e *retrieve.Engine, r retrieve.Retrieval) []rag.Passage {
	ps := r.Passages
	if len(r.Covering) > 0 {
		ps = keep(ps, func(p rag.Passage) bool { return r.Covering[p.Doc] || r.PartCovering[p.Doc] })
	}
	tc := r.Query.Time
	if r.Query.Compares {
		// Every account of the event: one that does not date it itself
		// is an account all the same.
		return ps
	}
	if len(tc.Years) > 0 {
		// An undated report is of the year another of its passages names:
		// the paragraph after "2025年峰会将于8月31日在天津举行" need not
		// repeat the year.
		// An undated report that names no year at all, but all of the
		// question's names, may be of the year asked: "中新网6月17日电 …
		// 地区反恐机构17日上午正式启动" is the 2004 launch.
		namesYear := map[string]bool{} // by undated report
		for _, p := range ps {
			if _, ok := namesYear[p.Doc]; !ok && p.Date == "" {
				chunks := e.DocChunks(p.Doc)
				namesYear[p.Doc] = slices.ContainsFunc(chunks, tc.MatchesYear) ||
					e.NamesAll(p.Doc, r.Query) && !slices.ContainsFunc(chunks, func(c rag.Chunk) bool { return retrieve.NamesAYear(c.Text) })
			}
		}
		if of := keep(ps, func(p rag.Passage) bool { return tc.MatchesYear(p.Chunk) || namesYear[p.Doc] }); len(of) > 0 {
			ps = of
		}
	}
	if len(tc.Months) > 0 {
		if of := keep(ps, func(p rag.Passage) bool { return tc.MatchesMonth(p.Chunk) }); len(of) > 0 {
			ps = of
		}
	}
	return ps
}

// keep returns the passages ok accepts, in order.
func keep(ps []rag.Passage, ok func(rag.Passage) bool) []rag.Passage {
	var out []rag.Passage
	for _, p := range ps {
		if ok(p) {
			out = append(out, p)
		}
	}
	return out
}

// Candidates splits the passages an answer may quote (see quotable) into
// scored sentences, best first.
//
// A sentence scores, for each sub-question, the weights of the question's
// units it holds — a unit of another sub-question counting ContextShare of
// its weight, a name held only by the sentence before PreviousShare — each
// times a local weight: a unit found in most of the candidate sentences
// (the meeting, the minister) says little about which sentence answers,
// while one found in few ("会见", "vaccine") says much. A sentence that
// holds what its sub-question asks for counts AnswerBonus more. Months and
// years count for nothing here: they chose the passages.
// The numbers are the engine's Params.
func Candidates(e *retrieve.Engine, r retrieve.Retrieval) []Candidate {
	q := r.Query
	pm := e.Params()
	type sentence struct {
		text string
		p    rag.Passage
		rank int
		s    *retrieve.Sentence
		prev *retrieve.Sentence // the sentence before, nil for the first
		next *retrieve.Sentence // the sentence after, nil for the last
		back *retrieve.Sentence // the sentence before prev, nil for the first two
		n    int                // its number of terms
	}
	var units []retrieve.Unit
	for _, u := range q.Units {
		if !u.Time {
			units = append(units, u)
		}
	}
	var ss []sentence
	seen := map[string]bool{}
	for _, p := range quotable(e, r) {
		rank := slices.IndexFunc(r.Passages, func(x rag.Passage) bool { return x.ID == p.ID })
		sents, ok := r.Sentences[p.ID]
		if !ok {
			sents = retrieve.SplitSentences(p.Text)
		}
		for i := range sents {
			sent := &sents[i]
			var last, next, back *retrieve.Sentence
			if i > 0 {
				last = &sents[i-1]
			}
			if i > 1 {
				back = &sents[i-2]
			}
			if i+1 < len(sents) {
				next = &sents[i+1]
			}
			s := sent.Text
			if utf8.RuneCountInString(s) < MinSentenceRunes || seen[s] || IsHeading(s, p.Text) && !cutOff(e, p, s) || asks(s) {
				continue
			}
			seen[s] = true
			ss = append(ss, sentence{s, p, rank, sent, last, next, back, len(sent.Terms)})
		}
	}
	// sf counts the sentences holding each unit.
	sf := make([]int, len(units))
	for _, s := range ss {
		for i, u := range units {
			if u.Holds(s.s.Has) > 0 {
				sf[i]++
			}
		}
	}
	n := float64(len(ss))
	parts := max(1, len(q.Parts))
	// ownTotal is each sub-question's weight; local how specific each unit
	// is to few of these sentences.
	ownTotal := make([]float64, parts)
	local := make([]float64, len(units))
	for i, u := range units {
		if u.Part < parts {
			ownTotal[u.Part] += u.Weight
		}
		local[i] = math.Log(1+n/float64(max(1, sf[i]))) / math.Log(1+n)
	}
	surnames := make([][]string, len(units))
	for i, u := range units {
		surnames[i] = u.Surnames()
	}
	var out []Candidate
	for _, s := range ss {
		c := Candidate{Text: s.text, Passage: s.p, Rank: s.rank, Lang: s.p.Lang, Parts: make([]float64, parts), own: make([]float64, parts)}
		pronoun := s.back != nil && opensWithPronoun(s.text)
		backRef := s.prev != nil && backReferenceRE.MatchString(s.text)
		for i, u := range units {
			h := u.Holds(s.s.Has)
			if h == 0 && surnamed(e, u, surnames[i], s.p.Doc, s.s) {
				// A surname alone may be another's: it counts as a
				// name the sentence before holds does.
				h = pm.PreviousShare
			}
			if h == 0 && backRef {
				// "On this occasion, …", "会上，…": the sentence goes on
				// about what the one before it names.
				h = pm.PreviousShare * u.Holds(s.prev.Has)
			}
			if h == 0 && u.Kind == retrieve.UnitEntity && s.prev != nil {
				h = pm.PreviousShare * u.Holds(s.prev.Has)
				if h == 0 && pronoun {
					// "Zhang Ming has taken charge … Zhang took over … He
					// was until recently …": "he" is who the passage is
					// about, named a sentence or two before.
					h = pm.PreviousShare * u.Holds(s.back.Has)
				}
			}
			if h == 0 {
				continue
			}
			if u.Part < parts && ownTotal[u.Part] > 0 {
				c.own[u.Part] += u.Weight * h / ownTotal[u.Part]
			}
			w := u.Weight * local[i] * local[i] * h
			for pi := range c.Parts {
				if u.Part == pi || len(q.Parts) == 0 {
					c.Parts[pi] += w
				} else {
					c.Parts[pi] += pm.ContextShare * w
				}
			}
		}
		if s.prev != nil && opensWithPronoun(s.text) && e.SentenceAnswers(s.prev, q).Has(retrieve.AnswerPerson) {
			c.referent = s.prev.Text
		}
		norm := math.Sqrt(1+float64(s.n)/pm.LengthTerms) * (1 + pm.RankDecay*float64(s.rank))
		var answers retrieve.Answers
		profiled := false
		for pi := range c.Parts {
			if c.Parts[pi] == 0 {
				continue
			}
			if pi < len(q.Parts) && q.Parts[pi].Answer != retrieve.AnswerAny {
				if !profiled {
					answers, profiled = e.SentenceAnswers(s.s, q), true
				}
				if answers.Has(q.Parts[pi].Answer) {
					c.Parts[pi] *= 1 + pm.AnswerBonus
				} else if lead := withLead(s.p.Text, s.prev, s.text); lead != "" && e.SentenceAnswers(s.prev, q).Has(q.Parts[pi].Answer) {
					// The sentence before, in the same paragraph, holds what
					// is asked for ("2004年6月17日，峰会在塔什干举行。元首们
					// 启动了地区反恐怖机构。"): quoted together, they answer.
					c.Parts[pi] *= 1 + pm.AnswerBonus
					c.Text = lead
				}
			}
			c.Parts[pi] /= norm
			if s.p.Lang == q.Lang {
				c.Parts[pi] *= pm.SameLanguageBoost
			}
			c.Score = max(c.Score, c.Parts[pi])
		}
		if c.Score > 0 && s.next != nil && adds(s.next.Text) {
			// The sentence after adds to this one's point ("…将出席峰会。
			// 独联体执委会主席鲁沙伊洛也将与会。", "He also met …"):
			// quoted alone, this one would tell half of it.
			if more := adjoin(s.p.Text, c.Text, s.next.Text); more != "" {
				c.Text = more
			}
		}
		if c.Score > 0 {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// surnamed reports whether the sentence s of the report doc names the
// person u by one of their surnames (names, u.Surnames()) alone ("…,
// Jiang said"), the report naming them in full somewhere ("Chinese
// President Jiang Zemin"): reports give a name once, then the surname.
//
// A surname followed by a capitalised word is another person's full name
// ("Zhang Deguang" is not Zhang Ming), so it names no one here.
func surnamed(e *retrieve.Engine, u retrieve.Unit, names []string, doc string, s *retrieve.Sentence) bool {
	if !slices.ContainsFunc(names, func(n string) bool { return s.Has(n) && standsAlone(s.Text, n) }) {
		return false
	}
	return u.Holds(func(t string) bool { return e.DocHas(doc, t) }) > 0
}

// standsAlone reports whether the word w (lower case) is in text, as a
// whole word, at least once not followed by a capitalised word.
func standsAlone(text, w string) bool {
	lower := []byte(text) // ASCII letters lowered: the offsets stay text's
	for k, c := range lower {
		if 'A' <= c && c <= 'Z' {
			lower[k] = c + 'a' - 'A'
		}
	}
	for i := 0; ; {
		j := bytes.Index(lower[i:], []byte(w))
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		i = end
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if unicode.IsLetter(before) || unicode.IsLetter(after) {
			continue // inside a longer word
		}
		next := strings.TrimLeft(text[end:], " ")
		if r, _ := utf8.DecodeRuneInString(next); !unicode.IsUpper(r) {
			return true
		}
	}
}

// withLead returns the span of text from the sentence before (prev) to the
// end of sentence, when the two follow each other within one paragraph;
// else "".
func withLead(text string, prev *retrieve.Sentence, sentence string) string {
	if prev == nil {
		return ""
	}
	return adjoin(text, prev.Text, sentence)
}

// adjoin returns the span of text from first to the end of second, when
// second follows first within one paragraph; else "".
func adjoin(text, first, second string) string {
	i := strings.Index(text, first)
	if i < 0 {
		return ""
	}
	end := i + len(first)
	j := strings.Index(text[end:], second)
	if j < 0 || strings.TrimSpace(text[end:end+j]) != "" || strings.ContainsAny(text[end:end+j], "\n\r") {
		return ""
	}
	return text[i : end+j+len(second)]
}

// width is how many columns s takes: two for a Han character, one for
// any other.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if tokens.IsHan(r) {
			n++
		}
	}
	return n
}

// sentenceEnders end a sentence, as opposed to a heading.
const sentenceEnders = "。！？；.!?;:：…”’\"')）)"

// MaxHeadingWidth is the widest a heading is, in columns (a Han character
// takes two): a wider paragraph that does not end like a sentence is one
// a scrape cut off ("… attended the ceremony, located i", "…为推"), whose
// words are the report's all the same. English headlines run to some 150
// columns, Chinese ones to some 50 characters.
const MaxHeadingWidth = 200

// asks reports whether s is a question ("记者:…赴俄罗斯出席…会议有何重要意义?"):
// an interviewer's question says nothing, whatever words it shares with
// the asker's.
func asks(s string) bool {
	s = strings.TrimRight(s, " ”’\"')）)")
	return strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？")
}

// cutOff reports whether s, which does not end like a sentence, is where
// a scrape cut the report off: the last paragraph of its last chunk, with
// a comma or 、 inside ("2005年7月5日,第五次峰会在哈萨克斯坦首都阿斯塔纳"). Its words
// are the report's; no heading ends a report.
func cutOff(e *retrieve.Engine, p rag.Passage, s string) bool {
	chunks := e.DocChunks(p.Doc)
	if len(chunks) == 0 || chunks[len(chunks)-1].ID != p.ID || !strings.ContainsAny(s, ",，、") {
		return false
	}
	text := strings.TrimRight(p.Text, " \n\t")
	return strings.HasSuffix(text, s) && (len(text) == len(s) || text[len(text)-len(s)-1] == '\n')
}

// IsHeading reports whether s is a heading rather than a sentence: a whole
// paragraph of its own, at most MaxHeadingWidth wide, that does not end
// like a sentence.
func IsHeading(s, text string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(sentenceEnders, r) || width(s) > MaxHeadingWidth {
		return false
	}
	for para := range strings.Lines(text) { // no slice of all lines per call
		if strings.TrimSpace(para) == s {
			return true
		}
	}
	return false
}

// pickSentences takes, for each sub-question, its best sentence, then up
// to Params.MaxStatements in all of the others that score close to the
// best and do not repeat what is already chosen (as the same sentence in
// the other language of a bilingual report would). When the question
// compares reports (retrieve.Query.Compares), each report's best sentence
// comes first, however it scores against the best report's. Of two
// sentences that say the same, the one in the asker's language is quoted.
func pickSentences(pm retrieve.Params, q retrieve.Query, cands []Candidate, sig func(string) map[string]bool) []Candidate {
	var chosen []Candidate
	var sigs []map[string]bool
	take := func(c Candidate) bool {
		s := sig(c.Text)
		for i, t := range sigs {
			if sameQuote(chosen[i], c) {
				// The same sentence again, as the version of another
				// report's: cite that report too.
				chosen[i] = withOriginals(chosen[i], c)
				return false
			}
			// A sentence quoted with the one before it holds that one:
			// the longer stands for both, however alike their signatures.
			if strings.Contains(chosen[i].Text, c.Text) {
				return false
			}
			if strings.Contains(c.Text, chosen[i].Text) {
				chosen[i], sigs[i] = c, s
				return true
			}
			if len(s) >= 2 && retrieve.Jaccard(s, t) >= 0.6 {
				if c.Lang == q.Lang && chosen[i].Lang != q.Lang {
					chosen[i], sigs[i] = c, s
				}
				return false
			}
		}
		chosen = append(chosen, c)
		sigs = append(sigs, s)
		return true
	}
	// Each sub-question its own best sentence, when it has one that scores
	// for it at all well.
	for pi := range cands[0].Parts {
		if len(cands[0].Parts) < 2 {
			break
		}
		top := -1
		for i, c := range cands {
			if c.own[pi] >= pm.OwnShare && (top < 0 || c.Parts[pi] > cands[top].Parts[pi]) {
				top = i
			}
		}
		if top >= 0 {
			take(cands[top])
		}
	}
	if q.Compares {
		docs := map[string]bool{}
		for _, c := range cands {
			if len(chosen) >= pm.MaxStatements {
				break
			}
			if !docs[c.Passage.Doc] {
				docs[c.Passage.Doc] = true
				take(c)
			}
		}
	}
	// A sentence is judged against the best one of a sub-question it
	// scores for: the second sentence on the ceremony's date need not
	// score as well as the best on who sent congratulations.
	partBest := make([]float64, len(cands[0].Parts))
	partDoc := make([]string, len(cands[0].Parts))
	for _, c := range cands {
		for pi, s := range c.Parts {
			if s > partBest[pi] {
				partBest[pi], partDoc[pi] = s, c.Passage.Doc
			}
		}
	}
	for _, c := range cands {
		if len(chosen) >= pm.MaxStatements {
			break
		}
		ok := false
		for pi, s := range c.Parts {
			least := pm.MinRelativeScore * partBest[pi]
			if c.Passage.Doc != partDoc[pi] {
				least = pm.OtherSourceScore * partBest[pi]
			}
			ok = ok || s > 0 && s >= least
		}
		if ok {
			take(c)
		}
	}
	return chosen
}

// listItems returns the first sentence of each list item that follows the
// sentence c in its document: the points a "four-point proposal" announces.
func listItems(e *retrieve.Engine, c Candidate) []string {
	paras := Paragraphs(e.DocChunks(c.Passage.Doc), c.Passage.Lang)
	start := -1
	for i, para := range paras {
		if strings.Contains(para, c.Text) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil
	}
	var items []string
	for _, para := range paras[start+1:] {
		if !listItemRE.MatchString(para) {
			break
		}
		ss := tokens.Sentences(para)
		if len(ss) == 0 {
			continue
		}
		items = append(items, ss[0])
		if len(items) == e.Params().MaxListItems {
			break
		}
	}
	return items
}

// Paragraphs returns the paragraphs in lang of a document's chunks, in
// order and without repeats (chunks may overlap).
func Paragraphs(chunks []rag.Chunk, lang string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range chunks {
		if c.Lang != lang {
			continue
		}
		for _, para := range strings.Split(c.Text, "\n\n") {
			para = strings.TrimSpace(para)
			if para == "" || seen[para] {
				continue
			}
			seen[para] = true
			out = append(out, para)
		}
	}
	return out
}

// compose numbers the sources in order of first use, orders statements by
// source and position, and renders the answer text.
func compose(e *retrieve.Engine, question, lang string, r retrieve.Retrieval, cands []Candidate) rag.Answer {
	// Number sources by the rank of their best quoted passage.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Rank < cands[j].Rank })
	num := map[string]int{}
	var cites []rag.Citation
	for _, c := range cands {
		for _, p := range append([]rag.Passage{c.Passage}, c.Originals...) {
			if _, ok := num[p.Doc]; !ok {
				num[p.Doc] = len(cites) + 1
				cites = append(cites, rag.Citation{N: len(cites) + 1, Doc: p.Doc, Title: p.Title, Date: p.Date, Source: p.Source, URL: p.URL})
			}
		}
	}
	// Within a source, quote in document order.
	sort.SliceStable(cands, func(i, j int) bool {
		ni, nj := num[cands[i].Passage.Doc], num[cands[j].Passage.Doc]
		if ni != nj {
			return ni < nj
		}
		return cands[i].Passage.Pos < cands[j].Passage.Pos
	})
	var st []rag.Statement
	seen := map[string]bool{}
	// Each name is glossed once per answer, and not when the asker used it.
	glossed := map[string]bool{}
	for _, c := range r.Query.Concepts {
		glossed[c] = true
	}
	for _, c := range cands {
		if seen[c.Text] {
			continue
		}
		seen[c.Text] = true
		s := rag.Statement{Text: c.Text, N: num[c.Passage.Doc], Doc: c.Passage.Doc, Chunk: c.Passage.ID, Lang: c.Lang}
		for _, o := range c.Originals {
			s.Also = append(s.Also, num[o.Doc])
		}
		if c.Lang != lang {
			s.Gloss = Gloss(e, c.Text, lang, glossed)
		}
		st = append(st, s)
	}
	return rag.Answer{
		Question:   question,
		Text:       renderStatements(lang, st, cites),
		Mode:       rag.AnswerExtractive,
		Lang:       lang,
		Citations:  cites,
		Passages:   nonNil(r.Passages),
		Statements: st,
		Support:    r.Support,
	}
}

// Gloss renders the glossary names in sentence into lang, skipping the
// concepts in done and adding the ones it glosses.
func Gloss(e *retrieve.Engine, sentence, lang string, done map[string]bool) []rag.GlossPair {
	if e.Glossary() == nil {
		return nil
	}
	var out []rag.GlossPair
	for _, m := range e.Glossary().Find(sentence) {
		to := e.Glossary().Term(m.Concept, lang)
		if to == "" || done[m.Concept] || strings.EqualFold(to, m.Term) || e.Common(m.Term) {
			continue
		}
		done[m.Concept] = true
		out = append(out, rag.GlossPair{From: m.Term, To: to})
		if len(out) == maxGlossPairs {
			break
		}
	}
	return out
}

// renderStatements writes the answer body: an opening line naming the dates
// of the quoted reports, then one quoted sentence per line with its marker
// (and those of the reports in another language it is the version of) and,
// for a sentence in another language, the names it contains rendered in
// the asker's language.
func renderStatements(lang string, st []rag.Statement, cites []rag.Citation) string {
	var dates []string
	seen := map[string]bool{}
	for _, c := range cites {
		if c.Date != "" && !seen[c.Date] {
			seen[c.Date] = true
			dates = append(dates, c.Date)
		}
	}
	var b strings.Builder
	if len(dates) > 0 {
		b.WriteString(words.Text(lang, words.AccordingToDates, joinWith(dates, words.Text(lang, words.ListSep), words.Text(lang, words.ListAnd))))
	} else {
		b.WriteString(words.Text(lang, words.AccordingTo))
	}
	for _, s := range st {
		b.WriteString("\n")
		b.WriteString(s.Text)
		b.WriteString(" [")
		b.WriteString(strconv.Itoa(s.N))
		b.WriteString("]")
		for _, n := range s.Also {
			b.WriteString("[" + strconv.Itoa(n) + "]")
		}
		b.WriteString(GlossText(lang, s.Gloss, nil))
	}
	return b.String()
}

// GlossText renders glosses after a sentence: " (王毅 = Wang Yi; …)" or,
// for a Chinese asker, "（Astana = 阿斯塔纳；…）"; "" for none. esc, when
// set, escapes each name (for HTML or Markdown).
func GlossText(lang string, gs []rag.GlossPair, esc func(string) string) string {
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

// joinWith lists xs with commas and last before the last.
func joinWith(xs []string, sep, last string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], sep) + last + xs[len(xs)-1]
}

// unnamedNote tells the asker which of the question's entities no report
// names, in their language; "" when there are none.
func unnamedNote(e *retrieve.Engine, concepts []string, lang string) string {
	if len(concepts) == 0 {
		return ""
	}
	names := make([]string, 0, len(concepts))
	for _, c := range concepts {
		name := e.Glossary().Term(c, lang)
		for _, other := range []string{"en", "zh"} {
			if name == "" {
				name = e.Glossary().Term(c, other)
			}
		}
		names = append(names, cmp.Or(name, c))
	}
	return words.Text(lang, words.Unnamed, strings.Join(names, words.Text(lang, words.ListSep)))
}

// otherYearsNote says, for a retrieval the rules refused because every
// passage it could quote is of another year (Retrieval.OtherYears), which
// years those are and which the question asked: "The reports that name
// this are of 2015, not of 2024."; "" otherwise.
func otherYearsNote(r retrieve.Retrieval, lang string) string {
	if len(r.OtherYears) == 0 || len(r.Query.Time.Years) == 0 {
		return ""
	}
	asked := make([]string, len(r.Query.Time.Years))
	for i, y := range r.Query.Time.Years {
		asked[i] = strconv.Itoa(y)
	}
	sep := words.Text(lang, words.ListSep)
	return words.Text(lang, words.OtherYears, strings.Join(r.OtherYears, sep), strings.Join(asked, sep))
}
