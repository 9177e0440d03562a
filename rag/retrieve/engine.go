// Package retrieve finds the passages of the corpus that answer a question,
// and decides when the corpus does not answer it.
//
// An Engine is built once from the corpus's chunks: a BM25 index
// (rag/lexical), a vector index (rag/store, through VectorIndex) and the
// glossaries that bridge Chinese, English and Russian (rag/glossary).
// Retrieve parses a question into names, ordinary words and other terms,
// ranks chunks lexically and by vector and fuses the rankings, reranks the
// best by how much of the question each holds, applies what the question
// says about time and the names it gives, keeps near-duplicates out of the
// first places, and estimates how well the passages support the question;
// Retrieval.Abstains is the decision not to answer.
package retrieve

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/lexical"
	"github.com/scobot/scobot/rag/tokens"
)

// VectorIndex finds the chunks nearest to a query vector. docs, when not nil,
// restricts the search to those document IDs. rag/store implements it.
type VectorIndex interface {
	Search(ctx context.Context, vec []float32, k int, docs map[string]bool) ([]rag.Passage, error)
}

// QueryEmbedder turns a question into a vector comparable with the indexed
// chunks' vectors.
type QueryEmbedder interface {
	EmbedQuery(ctx context.Context, text string) ([]float32, error)
}

// Config is what an Engine is built from.
type Config struct {
	Chunks   []rag.Chunk        // every indexed chunk; the lexical index is built from them
	Vector   VectorIndex        // nil: lexical retrieval only
	Embedder QueryEmbedder      // nil: lexical retrieval only
	Glossary *glossary.Glossary // names (people, places, organisations); nil: no cross-lingual expansion
	Lexicon  *glossary.Glossary // ordinary words; nil: names only
	Logger   *slog.Logger       // nil: discard
}

// Engine retrieves passages for questions and answers them from the
// retrieved passages. It is safe for concurrent use once built.
type Engine struct {
	chunks   map[string]rag.Chunk   // by chunk ID
	byDoc    map[string][]rag.Chunk // in position order
	lex      *lexical.Index
	vec      VectorIndex
	emb      QueryEmbedder
	gloss    *glossary.Glossary
	lexicon  *glossary.Glossary
	log      *slog.Logger
	maxIDF   float64
	docYears map[string]bool            // years named by any document date or chunk text
	docFreq  map[string]int             // term → number of documents holding it
	langs    []string                   // languages of the chunks, in queryLangs order
	docTerms map[string]map[string]bool // the set of terms of each document
}

// NewEngine builds an Engine over cfg.Chunks.
func NewEngine(cfg Config) *Engine {
	e := &Engine{
		chunks:   make(map[string]rag.Chunk, len(cfg.Chunks)),
		byDoc:    make(map[string][]rag.Chunk),
		lex:      lexical.New(),
		vec:      cfg.Vector,
		emb:      cfg.Embedder,
		gloss:    cfg.Glossary,
		lexicon:  cfg.Lexicon,
		log:      cfg.Logger,
		docYears: make(map[string]bool),
		docFreq:  make(map[string]int),
		docTerms: make(map[string]map[string]bool),
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	docTerms := e.docTerms
	for _, c := range cfg.Chunks {
		e.chunks[c.ID] = c
		e.byDoc[c.Doc] = append(e.byDoc[c.Doc], c)
		terms := tokens.Terms(c.Text)
		e.lex.Add(c.ID, terms)
		if docTerms[c.Doc] == nil {
			docTerms[c.Doc] = map[string]bool{}
		}
		for _, t := range terms {
			docTerms[c.Doc][t] = true
		}
		if len(c.Date) >= 4 {
			e.docYears[c.Date[:4]] = true
		}
		for _, m := range yearRE.FindAllStringSubmatch(c.Text, -1) {
			e.docYears[m[1]] = true
		}
	}
	seenLang := map[string]bool{}
	for _, c := range cfg.Chunks {
		seenLang[c.Lang] = true
	}
	for _, l := range queryLangs {
		if seenLang[l] {
			e.langs = append(e.langs, l)
		}
	}
	for _, ts := range docTerms {
		for t := range ts {
			e.docFreq[t]++
		}
	}
	for _, cs := range e.byDoc {
		sort.Slice(cs, func(i, j int) bool { return cs[i].Pos < cs[j].Pos })
	}
	// An unseen term is as rare as a term seen in no document at all.
	e.maxIDF = math.Log(1 + (float64(len(cfg.Chunks))+0.5)/0.5)
	return e
}

// DocChunks returns the chunks of a document in position order, nil for
// a document the engine does not hold. The slice is the engine's own: do
// not modify it.
func (e *Engine) DocChunks(doc string) []rag.Chunk { return e.byDoc[doc] }

// Docs returns the IDs of the engine's documents, sorted.
func (e *Engine) Docs() []string { return slices.Sorted(maps.Keys(e.byDoc)) }

// DocHas reports whether a document holds a term (as rag/tokens makes
// terms), in any of its chunks.
func (e *Engine) DocHas(doc, term string) bool { return e.docTerms[doc][term] }

// IDF returns the lexical index's inverse document frequency of a term,
// counted over chunks.
func (e *Engine) IDF(term string) float64 { return e.lex.IDF(term) }

// Glossary returns the glossary of names (people, places, organisations)
// questions are expanded with; nil when the engine has none.
func (e *Engine) Glossary() *glossary.Glossary { return e.gloss }

// Lexicon returns the glossary of ordinary words questions are expanded
// with; nil when the engine has none.
func (e *Engine) Lexicon() *glossary.Glossary { return e.lexicon }

// Common reports whether a term is in more than half of the documents:
// the corpus's shared context (the SCO, its member states), which the asker
// knows and a gloss would only clutter.
func (e *Engine) Common(term string) bool {
	ts := tokens.Terms(term)
	if len(ts) == 0 || len(e.byDoc) < 2 {
		return false
	}
	for _, t := range ts {
		if 2*e.docFreq[t] <= len(e.byDoc) {
			return false
		}
	}
	return true
}

// RetrieveOptions tune one retrieval.
type RetrieveOptions struct {
	K    int      // passages to return; 0 → 5
	Mode rag.Mode // "" → hybrid
	Lang string   // the asker's language, when the question text is not only theirs; "" → detected
}

// Retrieval is the outcome of retrieving passages for one question.
type Retrieval struct {
	Passages []rag.Passage // best first, near-duplicates pushed back
	// Support estimates, from 0 to 1, how much of the question the corpus
	// covers; below abstainThreshold the question is not answered.
	Support float64
	// TimeMiss is set when the question names a year no document covers.
	TimeMiss bool
	// Unconnected is set when no retrieved document names all of the
	// question's specific names together: each is reported somewhere, but
	// not what the question asks about them (India at the Astana meeting,
	// Lavrov in Dushanbe).
	Unconnected bool
	// Unnamed lists the question's entities that no document names in any
	// language: reports that never mention a Secretary-General cannot say
	// who it is.
	Unnamed []string
	// VectorFailed is set when the vector search failed and the lexical
	// ranking alone was used.
	VectorFailed bool
	// Query is the question as retrieval parsed it.
	Query Query
	// Covering holds the retrieved documents that name all of the
	// question's specific names; empty when the question names none or no
	// retrieved document names them all. An answer quotes only these
	// when there are any.
	Covering map[string]bool
	// Agreed is set when Support weighs both rankings' own support
	// (agreedThreshold applies), not only the fused passages'.
	Agreed bool
}

// top returns the first k passages of ps.
func top(ps []rag.Passage, k int) []rag.Passage { return ps[:min(k, len(ps))] }

// candidateDepth is how many candidates each ranking contributes to fusion.
const candidateDepth = 50

// vectorWeight is the vector ranking's weight in fusion, relative to the
// lexical ranking's. Measured with the local embedder, after name and time
// boosts: 0.5 gave MRR 0.917 on the development set and 0.960 on
// eval/qa.jsonl, 1.0 gave 1.000 and 0.970, 1.3 gives 1.000 and 0.980 with
// fact coverage 0.88; 1.5 and 2.0 gain nothing more.
const vectorWeight = 1.3

// rrfK is the reciprocal-rank-fusion constant: 60 is the value from Cormack
// et al. (2009) and damps the head of each list so neither ranking dominates.
const rrfK = 60.0

// Retrieve finds the passages that best answer question.
func (e *Engine) Retrieve(ctx context.Context, question string, opts RetrieveOptions) (Retrieval, error) {
	if opts.K <= 0 {
		opts.K = 5
	}
	if opts.Mode == "" {
		opts.Mode = rag.ModeHybrid
	}
	q := e.ParseQuery(question)
	if opts.Lang != "" {
		q.Lang = opts.Lang
	}
	r := Retrieval{Query: q, Unnamed: e.unnamed(q)}

	var lists [][]rag.Passage
	if opts.Mode != rag.ModeVector || e.vec == nil || e.emb == nil {
		lists = append(lists, e.lexicalSearch(q))
	}
	if opts.Mode != rag.ModeLexical && e.vec != nil && e.emb != nil {
		vp, err := e.vectorSearch(ctx, q)
		if err != nil {
			if opts.Mode == rag.ModeVector {
				return r, err
			}
			// The lexical ranking alone still answers.
			e.log.Warn("vector search failed; using lexical ranking only", "err", err)
			r.VectorFailed = true
		} else {
			lists = append(lists, vp)
		}
	}
	var ranked []rag.Passage
	if len(lists) == 1 {
		ranked = lists[0]
	} else {
		ranked = fuse(lists...)
	}
	if opts.Mode == rag.ModeHybrid {
		// The single rankings stay as they are, to be compared with.
		ranked = e.rerankByCoverage(ranked, q)
	}
	ranked, r.TimeMiss = e.applyTime(ranked, q.Time)
	specific := e.specificNames(q)
	ranked, r.Covering = e.applyNames(ranked, specific)
	// Names never reported together: each is somewhere in the corpus, but
	// not what the question asks about them (India at the Astana meeting,
	// Lavrov in Dushanbe).
	r.Unconnected = len(specific) >= 2 && len(r.Covering) == 0
	ranked = diversify(ranked, e.signature, opts.K)
	if len(ranked) > opts.K {
		ranked = ranked[:opts.K]
	}
	r.Passages = ranked
	r.Support = e.support(q, ranked)
	if len(lists) == 2 {
		r.Support = (r.Support + min(e.support(q, top(lists[0], opts.K)), e.support(q, top(lists[1], opts.K)))) / 2
		r.Agreed = true
	}
	return r, nil
}

// specificNames returns the question's names that are not shared context:
// those in at most half of the documents (the SCO or Wang Yi, named
// everywhere, tell nothing).
func (e *Engine) specificNames(q Query) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range q.names {
		if !seen[m.Concept] && !e.Common(m.Term) {
			seen[m.Concept] = true
			out = append(out, m.Concept)
		}
	}
	return out
}

// covers reports whether a document names every one of concepts, in any
// language.
func (e *Engine) covers(doc string, concepts []string) bool {
	terms := e.termsIn(doc)
	for _, c := range concepts {
		if !e.names(terms, c) {
			return false
		}
	}
	return true
}

// nameBoost is how much more a passage counts when its document names all
// of the question's specific names ("in Dushanbe", "Le Yucheng").
const nameBoost = 2.0

// applyNames prefers the passages of documents that name all of the
// question's specific names and returns those documents. An empty result
// means no retrieved document names them all.
func (e *Engine) applyNames(ps []rag.Passage, specific []string) ([]rag.Passage, map[string]bool) {
	covering := map[string]bool{}
	if len(specific) == 0 {
		return ps, covering
	}
	for _, doc := range rag.DistinctDocs(ps) {
		if e.covers(doc, specific) {
			covering[doc] = true
		}
	}
	if len(covering) == 0 {
		return ps, covering
	}
	out := make([]rag.Passage, len(ps))
	for i, p := range ps {
		if covering[p.Doc] {
			p.Score *= nameBoost
		}
		out[i] = p
	}
	sortPassages(out)
	return out, covering
}

// names reports whether a document's terms hold some rendering of concept.
func (e *Engine) names(terms map[string]bool, concept string) bool {
	return e.rendered(concept, func(t string) bool { return terms[t] })
}

// rendered reports whether some rendering of concept, in a language of the
// corpus, has all of its terms held.
func (e *Engine) rendered(concept string, held func(term string) bool) bool {
	for _, ts := range e.renderings(e.gloss, concept) {
		if holdsAll(held, ts) {
			return true
		}
	}
	return false
}

// renderings returns the terms of each rendering of a concept of g in the
// corpus's languages, leaving out renderings with no terms.
func (e *Engine) renderings(g *glossary.Glossary, concept string) [][]string {
	var out [][]string
	for _, lang := range e.langs {
		for _, alt := range g.Terms(concept, lang) {
			if ts := tokens.Terms(alt); len(ts) > 0 {
				out = append(out, ts)
			}
		}
	}
	return out
}

// unnamed returns the question's entities (countries, places, people,
// offices, organisations, initiatives) that no document names. Phrases are
// left out: "meet" may be written "hold talks". A rendering counts as named
// when each of its terms is in some document, which errs towards answering.
func (e *Engine) unnamed(q Query) []string {
	var out []string
	for _, c := range q.Concepts {
		if !e.gloss.Kind(c).Entity() {
			continue
		}
		if !e.rendered(c, func(t string) bool { return e.docFreq[t] > 0 }) {
			out = append(out, c)
		}
	}
	return out
}

// termsIn returns the set of terms of a whole document.
func (e *Engine) termsIn(doc string) map[string]bool { return e.docTerms[doc] }

// Query is a parsed question.
type Query struct {
	Text string // the question as asked
	Lang string // the asker's language
	// Terms weighs each term to search for: 1 for the question's own,
	// less for expansions, each times its focus (rarer terms weigh more).
	Terms    map[string]float64
	Concepts []string       // names (glossary concepts) the question holds
	Words    []string       // ordinary words (lexicon concepts) the question holds
	Time     TimeConstraint // what the question says about time

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

// dateUnitRE finds the unit after a number in a Chinese date (2020年, 21日).
var dateUnitRE = regexp.MustCompile(`([0-9])[年日号]`)

// yearWeight is how much a year counts as a word of the question.
const yearWeight = 0.3

// synonymWeight is how much a synonym in the asker's language counts.
const synonymWeight = 0.3

// nameWeight is how much a name (a glossary concept) counts relative to an
// ordinary word.
const nameWeight = 0.5

// expansionWeight is how much a term that came from the glossary counts
// relative to one the asker typed. The glossary is curated, so its
// equivalents are as good as the asker's words: on eval/qa.jsonl, 0.7 gave
// MRR 0.917 and fact coverage 0.62, 1.0 gave 0.947 and 0.64, and 0.7 let an
// English chunk about Dushanbe outrank the Chinese one naming Astana.
const expansionWeight = 1.0

// ParseQuery parses a question: its names and ordinary words (through the
// glossary and the lexicon, expanded into the corpus's other languages),
// its remaining terms and what it says about time.
func (e *Engine) ParseQuery(question string) Query {
	q := Query{Text: question, Lang: tokens.Lang(question), Terms: map[string]float64{}, Time: parseTime(question)}
	// add sets a term's weight, keeping the larger when it comes twice.
	add := func(t string, w, focus float64) {
		if w*focus > q.Terms[t] {
			q.Terms[t] = w * focus
		}
	}
	rest := question
	var exp []string
	if e.gloss != nil {
		q.names, rest = e.gloss.FindRest(rest)
		q.Concepts = e.expand(e.gloss, q.names, nameWeight, add, &exp)
	}
	// "2020年" and "21日" are dates, which the time constraint weighs, not
	// the words "year" and "day".
	rest = dateUnitRE.ReplaceAllString(rest, "$1 ")
	if e.lexicon != nil {
		var words []glossary.Match
		words, rest = e.lexicon.FindRest(rest)
		q.Words = e.expand(e.lexicon, words, 1, add, &exp)
	}
	q.rest = rest
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
			add(t, yearWeight, e.focus(t))
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
						addSpread(add, tokens.Terms(alt), w*synonymWeight, e.focus)
					}
				}
				continue
			}
			for _, alt := range g.Terms(m.Concept, lang) {
				*exp = append(*exp, alt)
				addSpread(add, tokens.Terms(alt), w*expansionWeight, e.focus)
			}
		}
	}
	return concepts
}

// queryStop are words that frame a question rather than say what it asks
// ("what did he say about …", "according to the report …"); documents use
// them everywhere, so they only pull in passages that quote someone.
var queryStop = map[string]bool{
	"say": true, "said": true, "says": true, "tell": true, "told": true, "mention": true, "mentioned": true,
	"report": true, "reported": true, "according": true, "happen": true, "happened": true,
}

// queryLangs are the languages a question may be expanded into; only those
// the corpus holds are used.
var queryLangs = []string{"zh", "en", "ru"}

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

// contextDiscount is how much a query term loses when every document holds
// it. In a corpus about SCO diplomacy, "Wang Yi", "SCO" and "foreign
// ministers" are the context of almost every question; the word that tells
// which passage answers is the rarer one ("vaccines", "met", "proposals").
// BM25's chunk-level idf alone lets five context terms outvote it.
const contextDiscount = 0.6

// focus weighs a query term by how few documents hold it: 1 for a term in
// no or one document, down to 1-contextDiscount for a term in all.
func (e *Engine) focus(term string) float64 { return e.focusDF(e.docFreq[term]) }

// focusDF is the focus of a term held by df documents.
func (e *Engine) focusDF(df int) float64 {
	n := len(e.byDoc)
	if n <= 1 || df <= 1 {
		return 1
	}
	return 1 - contextDiscount*float64(df-1)/float64(n-1)
}

func (e *Engine) lexicalSearch(q Query) []rag.Passage {
	hits := e.lex.Search(q.Terms, candidateDepth)
	out := make([]rag.Passage, 0, len(hits))
	for _, h := range hits {
		out = append(out, rag.Passage{Chunk: e.chunks[h.ID], Score: h.Score})
	}
	return out
}

func (e *Engine) vectorSearch(ctx context.Context, q Query) ([]rag.Passage, error) {
	text := q.Text
	if q.expansion != "" {
		text += "\n" + q.expansion
	}
	vec, err := e.emb.EmbedQuery(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("couldn't embed the question: %w", err)
	}
	ps, err := e.vec.Search(ctx, vec, candidateDepth, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't search the vector index: %w", err)
	}
	return ps, nil
}

// fuse merges rankings by reciprocal rank fusion; the first list (lexical,
// when present) counts fully, later ones (vector) count vectorWeight.
func fuse(lists ...[]rag.Passage) []rag.Passage {
	score := map[string]float64{}
	byID := map[string]rag.Passage{}
	for i, l := range lists {
		w := 1.0
		if i > 0 {
			w = vectorWeight
		}
		for rank, p := range l {
			score[p.ID] += w / (rrfK + float64(rank+1))
			byID[p.ID] = p
		}
	}
	out := make([]rag.Passage, 0, len(byID))
	for id, p := range byID {
		p.Score = score[id]
		out = append(out, p)
	}
	sortPassages(out)
	return out
}

func sortPassages(ps []rag.Passage) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Score != ps[j].Score {
			return ps[i].Score > ps[j].Score
		}
		return ps[i].ID < ps[j].ID
	})
}

// Time boosts: a passage from the asked-for year counts this much more, one
// from the asked-for month a little more again, and for "latest" questions
// the newest document's passages are preferred.
const (
	yearBoost   = 3.0
	monthBoost  = 1.5
	latestBoost = 2.0
)

// applyTime re-ranks passages by the question's time constraint. It reports
// a miss when the question names only years that no document covers.
func (e *Engine) applyTime(ps []rag.Passage, tc TimeConstraint) ([]rag.Passage, bool) {
	if tc.empty() || len(ps) == 0 {
		return ps, false
	}
	miss := false
	if len(tc.Years) > 0 {
		miss = true
		for _, y := range tc.Years {
			if e.docYears[fmt.Sprint(y)] {
				miss = false
			}
		}
	}
	newest := ""
	if tc.Latest {
		for _, p := range ps {
			if p.Date > newest {
				newest = p.Date
			}
		}
	}
	out := make([]rag.Passage, len(ps))
	for i, p := range ps {
		if len(tc.Years) > 0 && tc.matchesYear(p.Chunk) {
			p.Score *= yearBoost
		}
		if len(tc.Months) > 0 && tc.matchesMonth(p.Chunk) {
			p.Score *= monthBoost
		}
		if newest != "" && p.Date == newest {
			p.Score *= latestBoost
		}
		out[i] = p
	}
	sortPassages(out)
	return out, miss
}

// signature is the Signature of a passage's text.
func (e *Engine) signature(p rag.Passage) map[string]bool { return e.Signature(p.Text) }

// Signature is what diversity compares texts by: the concepts and numbers a
// text names, which survive translation and rewording. Numbers are keyed
// "#" and the number.
func (e *Engine) Signature(text string) map[string]bool {
	sig := map[string]bool{}
	if e.gloss != nil {
		for _, c := range e.gloss.Concepts(text) {
			sig[c] = true
		}
	}
	for _, m := range numberRE.FindAllString(text, -1) {
		sig["#"+m] = true
	}
	return sig
}

// duplicateSimilarity is the signature overlap (Jaccard) from which two
// passages count as the same content: a translation, or two outlets'
// reports of one event.
const duplicateSimilarity = 0.8

// minSignature is the smallest signature diversity trusts; below it, two
// passages can look alike by accident.
const minSignature = 4

// diversify keeps near-duplicates out of the first k places: a passage too
// similar to one already chosen is moved behind the others, not dropped, so
// both outlets stay available to cite.
func diversify(ps []rag.Passage, sig func(rag.Passage) map[string]bool, k int) []rag.Passage {
	if len(ps) < 2 {
		return ps
	}
	var chosen, deferred []rag.Passage
	var sigs []map[string]bool
	for _, p := range ps {
		if len(chosen) >= k {
			deferred = append(deferred, p)
			continue
		}
		s := sig(p)
		dup := false
		if len(s) >= minSignature {
			for _, t := range sigs {
				if len(t) >= minSignature && Jaccard(s, t) >= duplicateSimilarity {
					dup = true
					break
				}
			}
		}
		if dup {
			deferred = append(deferred, p)
			continue
		}
		chosen = append(chosen, p)
		sigs = append(sigs, s)
	}
	return append(chosen, deferred...)
}

// IsNumber reports whether a term is a number (or a year) as a Signature
// counts numbers.
func IsNumber(term string) bool { return numberRE.FindString(term) == term }

// Jaccard is the overlap of two sets: the size of their intersection over
// that of their union, 0 for two empty sets.
func Jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
