package retrieve

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/textnorm"
)

// Query is a parsed question.
type Query struct {
	Text string // the question as asked, less its invisible characters (textnorm.StripIgnorable)
	Lang string // the asker's language
	// Terms weighs each term to search for: 1 for the question's own,
	// less for expansions, each times its focus (rarer terms weigh more).
	Terms    map[string]float64
	Concepts []string       // names (glossary concepts) the question holds
	Words    []string       // ordinary words (lexicon concepts) the question holds
	Time     TimeConstraint // what the question says about time
	// Units are the things the question asks about, each with its
	// renderings in every language of the corpus and its weight.
	Units []Unit
	// Parts are its sub-questions, in order: one for most questions.
	Parts []Part
	// Compares is set when the question asks how reports differ
	// ("accounts disagree", "说法不一", "сведения расходятся"): an answer
	// quotes each report's own words.
	Compares bool

	expansion string           // the question's glossary terms in the other language(s)
	names     []glossary.Match // where the question names its concepts
	rest      string           // the question less its names and lexicon words
}

// RestTerms returns the terms of the question outside its names and
// ordinary words, less the words that only frame a question ("say",
// "report").
func (q Query) RestTerms() []string {
	var out []string
	for _, t := range tokens.Terms(q.rest) {
		if !queryStop[t] {
			out = append(out, t)
		}
	}
	return out
}

// blankMatches replaces each match in text by spaces, keeping offsets.
func blankMatches(text string, ms []glossary.Match) string {
	if len(ms) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(text[last:m.Start])
		b.WriteString(blank(text[m.Start:m.End]))
		last = m.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// dateUnitRE finds the unit after a number in a Chinese or Russian date
// (2020年, 21日, "в 2019 году", "2019 г.").
var dateUnitRE = regexp.MustCompile(`[0-9][年日号]|[0-9]\s*(?:годах|годом|году|года|год|гг?\.)(?:$|[^\p{L}])`)

// ParseQuery parses a question: its names and ordinary words (through the
// glossary and the lexicon, expanded into the corpus's other languages),
// its remaining terms and what it says about time. Zero-width and control
// characters are removed first, as the index never holds them: every
// offset into the question is an offset into Query.Text.
func (e *Engine) ParseQuery(question string) Query {
	question = textnorm.StripIgnorable(question)
	q := Query{Text: question, Lang: tokens.Lang(question), Terms: map[string]float64{}, Time: parseTime(question)}
	// add sets a term's weight, keeping the larger when it comes twice.
	add := func(t string, w, focus float64) {
		if w*focus > q.Terms[t] {
			q.Terms[t] = w * focus
		}
	}
	// rest is the question less what the glossaries found, blanked out so
	// that offsets into it are offsets into the question.
	rest := question
	var exp []string
	if e.gloss != nil {
		q.names = e.gloss.Find(rest)
		rest = blankMatches(rest, q.names)
		q.Concepts = e.expand(e.gloss, q.names, e.params.NameWeight, add, &exp)
	}
	// "2020年" and "21日" are dates, which the time constraint weighs, not
	// the words "year" and "day".
	rest = dateUnitRE.ReplaceAllStringFunc(rest, func(m string) string { return m[:1] + blank(m[1:]) })
	var words []glossary.Match
	if e.lexicon != nil {
		words = e.lexicon.Find(rest)
		rest = blankMatches(rest, words)
		frames := englishFrameRE.FindAllStringIndex(question, -1)
		words = slices.DeleteFunc(words, func(m glossary.Match) bool { return framing(m) || functionWord(m) || inFrame(frames, m) })
		q.Words = e.expand(e.lexicon, words, 1, add, &exp)
	}
	if q.Compares = comparesRE.MatchString(question); q.Compares {
		rest = compareFrameRE.ReplaceAllStringFunc(rest, blank)
	}
	q.rest = rest
	e.units(&q, words, rest)
	for _, u := range q.Units {
		// Transliterated names are searched for in every script the
		// corpus writes them in. (A glossary unit may have no rendering
		// at all in the corpus's languages.)
		if u.Kind != UnitEntity || u.Concept != "" || len(u.Alts) < 2 {
			continue
		}
		for _, alt := range u.Alts[1:] {
			addSpread(add, alt, e.params.NameWeight*e.params.ExpansionWeight, e.focus)
			exp = append(exp, strings.Join(alt, " "))
		}
	}
	q.expansion = strings.Join(exp, " ")
	years := map[string]bool{}
	for _, y := range q.Time.Years {
		years[strconv.Itoa(y)] = true
	}
	for _, t := range tokens.Terms(rest) {
		switch {
		case queryStop[t]:
		case years[t]:
			// The time constraint weighs the year (applyTime); as a full
			// word it would favour every dateline of that year.
			add(t, e.params.YearWeight, e.focus(t))
		default:
			add(t, 1, e.focus(t))
		}
	}
	return q
}

// expand adds the terms of glossary matches to a query: a term counts as one
// word however many tokens it has (上海合作组织 is five overlapping
// bigrams), and so does each of its renderings in the corpus's other
// languages. It returns the distinct concepts matched and appends the
// renderings to exp.
func (e *Engine) expand(g *glossary.Glossary, ms []glossary.Match, w float64, add func(t string, w, focus float64), exp *[]string) []string {
	var concepts []string
	seen := map[string]bool{}
	for _, m := range ms {
		if g.Kind(m.Concept) == glossary.KindMonth {
			// A month is the time constraint's (by the reports' dates):
			// as a word it would favour every dateline of that month.
			if !seen[m.Concept] {
				seen[m.Concept] = true
				concepts = append(concepts, m.Concept)
			}
			continue
		}
		addSpread(add, tokens.Terms(m.Term), w, e.focus)
		if seen[m.Concept] {
			continue
		}
		seen[m.Concept] = true
		concepts = append(concepts, m.Concept)
		for _, lang := range e.langs {
			if lang == m.Lang {
				// Synonyms in the asker's own language ("put forward"
				// for "propose") count less than the word itself.
				for _, alt := range g.Terms(m.Concept, lang) {
					if !strings.EqualFold(alt, m.Term) {
						addSpread(add, tokens.Terms(alt), w*e.params.SynonymWeight, e.focus)
					}
				}
				continue
			}
			for _, alt := range g.Terms(m.Concept, lang) {
				*exp = append(*exp, alt)
				addSpread(add, tokens.Terms(alt), w*e.params.ExpansionWeight, e.focus)
			}
		}
	}
	return concepts
}

// queryStop are the terms (as rag/tokens makes them, stemmed) of the words
// that frame a question rather than say what it asks ("what did he say
// about …", "according to the report …", "据报道"); documents use them
// everywhere, so they only pull in passages that quote someone.
var queryStop = termSet("say", "said", "says", "tell", "told", "mention", "mentioned",
	"report", "reports", "reported", "according", "happen", "happened", "account", "accounts",
	"报道", "提到", "据悉")

// termSet returns the set of the terms of words.
func termSet(words ...string) map[string]bool {
	set := map[string]bool{}
	for _, w := range words {
		for _, t := range tokens.Terms(w) {
			set[t] = true
		}
	}
	return set
}

// functionWord reports whether a lexicon match is a function word the
// tokeniser drops ("after", "before"): it tells nothing of what a passage
// is about, though the lexicon lists it for its other renderings.
func functionWord(m glossary.Match) bool { return len(tokens.Terms(m.Term)) == 0 }

// framing reports whether a glossary match is only a framing word
// ("report", "报道"): all of its terms are in queryStop.
func framing(m glossary.Match) bool {
	ts := tokens.Terms(m.Term)
	for _, t := range ts {
		if !queryStop[t] {
			return false
		}
	}
	return len(ts) > 0
}

// addSpread gives the tokens of one term a total weight of w (each weighed
// by focus), so a long term does not outweigh a short one.
func addSpread(add func(t string, w, focus float64), ts []string, w float64, focus func(string) float64) {
	if len(ts) == 0 {
		return
	}
	for _, t := range ts {
		add(t, w/float64(len(ts)), focus(t))
	}
}

// focus weighs a query term by how few documents hold it: 1 for a term in
// no or one document, down to 1-Params.ContextDiscount for a term in all.
func (e *Engine) focus(term string) float64 { return e.focusDF(e.terms.docFreq(term)) }

// focusDF is the focus of a term held by df documents.
func (e *Engine) focusDF(df int) float64 {
	n := len(e.byDoc)
	if n <= 1 || df <= 1 {
		return 1
	}
	return 1 - e.params.ContextDiscount*float64(df-1)/float64(n-1)
}
