package retrieve

import (
	"cmp"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/tokens"
)

// Extractive answers quote at most maxStatements of the best sentences
// (plus the items of a list one of them announces), and only sentences
// scoring at least minRelativeScore of the best one.
const (
	maxStatements    = 5
	maxListItems     = 6
	minRelativeScore = 0.3
	// otherSourceScore is the bar for a sentence from a source other than
	// the best sentence's: another report must be nearly as relevant to
	// be cited beside it.
	otherSourceScore = 0.35
	minSentenceRunes = 8
	maxGlossPairs    = 10
)

// listIntroRE finds a sentence announcing a numbered list of points:
// "put forward a five-point proposal", "提出四点建议:", "将采取四项举措".
var listIntroRE = regexp.MustCompile(`(?i)([0-9]+|one|two|three|four|five|six|seven|[一二三四五六七])[- ]?(point|点|项)|[:：]\s*$`)

// listItemRE finds the start of a list item: "First, …", "一是…", "二要…".
var listItemRE = regexp.MustCompile(`(?i)^\s*(first(ly)?|second(ly)?|third(ly)?|fourth(ly)?|fifth(ly)?|sixth(ly)?|seventh(ly)?|[一二三四五六七八九十][是要]|[（(]?[一二三四五六七八九十0-9][)）、.])`)

// candidate is a sentence that may be quoted.
type candidate struct {
	text  string
	p     rag.Passage
	rank  int
	score float64
	lang  string
}

// Extract composes the extractive answer for a retrieval: the sentences of
// the retrieved passages that best match the question, each followed by the
// citation marker of its document, or an abstention.
func Extract(e *Engine, question string, r Retrieval) rag.Answer {
	lang := r.Query.Lang
	if lang == "" {
		lang = tokens.Lang(question)
	}
	if r.Abstains() {
		a := Abstention(question, lang, r.Passages)
		a.Support = r.Support
		a.Note = unnamedNote(e, r.Unnamed, lang)
		return a
	}
	cands := Candidates(e, r)
	if len(cands) == 0 {
		a := Abstention(question, lang, r.Passages)
		a.Support = r.Support
		return a
	}
	chosen := pickSentences(cands, e.Signature)
	var statements []candidate
	for _, c := range chosen {
		statements = append(statements, c)
		if listIntroRE.MatchString(c.text) {
			for _, item := range listItems(e, c) {
				statements = append(statements, candidate{text: item, p: c.p, rank: c.rank, lang: c.lang})
			}
		}
	}
	return compose(e, question, lang, r, statements)
}

// Candidates splits the retrieved passages into scored sentences.
//
// A sentence scores the weights of the question terms it holds, each times
// its idf and times a local weight: a term found in most of the candidate
// sentences (the meeting, the minister) says little about which sentence
// answers, while one found in few ("会见", "vaccine") says much.
func Candidates(e *Engine, r Retrieval) []candidate {
	q := r.Query
	type sentence struct {
		text  string
		p     rag.Passage
		rank  int
		terms []string
	}
	var ss []sentence
	sf := map[string]int{} // question term → sentences holding it
	seen := map[string]bool{}
	for rank, p := range r.Passages {
		// When some reports name all of the question's specific names,
		// quote only those: "in Dushanbe" rules out the Astana reports.
		if len(r.Covering) > 0 && !r.Covering[p.Doc] {
			continue
		}
		for _, s := range tokens.Sentences(p.Text) {
			if utf8.RuneCountInString(s) < minSentenceRunes || seen[s] || isHeading(s, p.Text) {
				continue
			}
			seen[s] = true
			terms := tokens.Terms(s)
			got := map[string]bool{}
			for _, t := range terms {
				if _, ok := q.Terms[t]; ok && !got[t] {
					got[t] = true
					sf[t]++
				}
			}
			ss = append(ss, sentence{s, p, rank, terms})
		}
	}
	n := float64(len(ss))
	var out []candidate
	for _, s := range ss {
		matched := 0.0
		got := map[string]bool{}
		for _, t := range s.terms {
			if w, ok := q.Terms[t]; ok && !got[t] {
				got[t] = true
				local := math.Log(1+n/float64(sf[t])) / math.Log(1+n)
				local *= local
				matched += w * e.IDF(t) * local
			}
		}
		if matched == 0 {
			continue
		}
		score := matched / math.Sqrt(1+float64(len(s.terms))/20)
		score /= 1 + 0.15*float64(s.rank)
		if s.p.Lang == q.Lang {
			score *= 1.2
		}
		out = append(out, candidate{text: s.text, p: s.p, rank: s.rank, score: score, lang: s.p.Lang})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// sentenceEnders end a sentence, as opposed to a heading.
const sentenceEnders = "。！？；.!?;:：…”’\"')）)"

// isHeading reports whether s is a heading rather than a sentence: a whole
// paragraph of its own that does not end like a sentence.
func isHeading(s, text string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(sentenceEnders, r) {
		return false
	}
	for _, para := range strings.Split(text, "\n") {
		if strings.TrimSpace(para) == s {
			return true
		}
	}
	return false
}

// pickSentences takes the best sentence and up to maxStatements-1 others that
// score close to it and do not repeat what is already chosen (as the same
// sentence in the other language of a bilingual report would).
func pickSentences(cands []candidate, sig func(string) map[string]bool) []candidate {
	best := cands[0].score
	var chosen []candidate
	var sigs []map[string]bool
	for _, c := range cands {
		if len(chosen) == maxStatements || c.score < minRelativeScore*best {
			break
		}
		if c.p.Doc != cands[0].p.Doc && c.score < otherSourceScore*best {
			continue
		}
		s := sig(c.text)
		dup := false
		for _, t := range sigs {
			if len(s) >= 2 && Jaccard(s, t) >= 0.6 {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		chosen = append(chosen, c)
		sigs = append(sigs, s)
	}
	return chosen
}

// listItems returns the first sentence of each list item that follows the
// sentence c in its document: the points a "four-point proposal" announces.
func listItems(e *Engine, c candidate) []string {
	paras := Paragraphs(e.DocChunks(c.p.Doc), c.p.Lang)
	start := -1
	for i, para := range paras {
		if strings.Contains(para, c.text) {
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
		if len(items) == maxListItems {
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
func compose(e *Engine, question, lang string, r Retrieval, cands []candidate) rag.Answer {
	// Number sources by the rank of their best quoted passage.
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].rank < cands[j].rank })
	num := map[string]int{}
	var cites []rag.Citation
	for _, c := range cands {
		if _, ok := num[c.p.Doc]; !ok {
			num[c.p.Doc] = len(cites) + 1
			cites = append(cites, rag.Citation{N: len(cites) + 1, Doc: c.p.Doc, Title: c.p.Title, Date: c.p.Date, Source: c.p.Source, URL: c.p.URL})
		}
	}
	// Within a source, quote in document order.
	sort.SliceStable(cands, func(i, j int) bool {
		ni, nj := num[cands[i].p.Doc], num[cands[j].p.Doc]
		if ni != nj {
			return ni < nj
		}
		return cands[i].p.Pos < cands[j].p.Pos
	})
	var st []rag.Statement
	seen := map[string]bool{}
	// Each name is glossed once per answer, and not when the asker used it.
	glossed := map[string]bool{}
	for _, c := range r.Query.Concepts {
		glossed[c] = true
	}
	for _, c := range cands {
		if seen[c.text] {
			continue
		}
		seen[c.text] = true
		s := rag.Statement{Text: c.text, N: num[c.p.Doc], Doc: c.p.Doc, Chunk: c.p.ID, Lang: c.lang}
		if c.lang != lang {
			s.Gloss = Gloss(e, c.text, lang, glossed)
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
func Gloss(e *Engine, sentence, lang string, done map[string]bool) []rag.GlossPair {
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
// and, for a sentence in another language, the names it contains rendered in
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
	switch {
	case lang == "zh" && len(dates) > 0:
		b.WriteString("据" + strings.Join(dates, "、") + "的报道：")
	case lang == "zh":
		b.WriteString("据语料中的报道：")
	case len(dates) > 0:
		b.WriteString("According to reports of " + joinAnd(dates) + ":")
	default:
		b.WriteString("According to the reports:")
	}
	for _, s := range st {
		b.WriteString("\n")
		b.WriteString(s.Text)
		b.WriteString(" [")
		b.WriteString(strconv.Itoa(s.N))
		b.WriteString("]")
		if len(s.Gloss) > 0 {
			parts := make([]string, len(s.Gloss))
			for i, g := range s.Gloss {
				parts[i] = g.From + " = " + g.To
			}
			if lang == "zh" {
				b.WriteString("（" + strings.Join(parts, "；") + "）")
			} else {
				b.WriteString(" (" + strings.Join(parts, "; ") + ")")
			}
		}
	}
	return b.String()
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// unnamedNote tells the asker which of the question's entities no report
// names, in their language; "" when there are none.
func unnamedNote(e *Engine, concepts []string, lang string) string {
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
	switch lang {
	case "zh":
		return "没有一篇报道提到" + strings.Join(names, "、") + "。"
	case "ru":
		return "Ни в одном отчёте не упоминается: " + strings.Join(names, ", ") + "."
	}
	return "No report mentions " + strings.Join(names, ", ") + "."
}
