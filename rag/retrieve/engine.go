// Package retrieve finds the passages of the corpus that answer a question,
// and decides when the corpus does not answer it.
//
// An Engine is built once from the corpus's chunks: a BM25 index
// (rag/lexical), a vector index (rag/store, through VectorIndex) and the
// glossaries that bridge Chinese, English and Russian (rag/glossary).
// Retrieve (retrieve.go) parses a question into names, ordinary words and
// other terms (query.go), ranks chunks lexically and by vector and fuses
// the rankings (fuse.go), reranks the best by how much of the question each
// holds (rerank.go), applies what the question says about time (time.go)
// and the names it gives (names.go), keeps near-duplicates out of the first
// places (diversify.go), and measures the evidence the passages hold for
// the question (evidence.go, units.go); Retrieval.Abstains is the decision
// not to answer, by the rules (decide.go) and the abstention model
// (abstain.go), calibrated per embedder (calibrate.go). explain.go shows a
// retrieval to people.
package retrieve

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/scobot/scobot/internal/parallel"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/lexical"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/rag/translit"
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
	Params   *Params            // nil: DefaultParams()
	// MaxRetrievals bounds the retrievals worked on at once (Retrieve
	// waits for a turn): they are CPU-bound, so more than the cores only
	// makes each slower; 0 → runtime.GOMAXPROCS(0).
	MaxRetrievals int
	// Analysis is the analysis an earlier engine kept beside the index
	// (ReadAnalysis, SaveAnalysis): the engine takes its structures whole
	// from it when they are of exactly these chunks, and otherwise the
	// analysis of every document whose chunks are those it was made from
	// (analysis.go), analysing only the chunks of the others. What cannot
	// be read (damage, another version) is ignored: the engine is the same
	// either way. nil: none.
	Analysis *SavedAnalysis
	// RecordAnalysis makes the engine keep its analysis of the chunks for
	// SaveAnalysis.
	RecordAnalysis bool
}

// Engine retrieves passages for questions from the chunks it was built
// from. It is safe for concurrent use once built.
type Engine struct {
	chunks   map[string]rag.Chunk   // by chunk ID
	byDoc    map[string][]rag.Chunk // in position order
	lex      *lexical.Index
	vec      VectorIndex
	emb      QueryEmbedder
	gloss    *glossary.Glossary
	lexicon  *glossary.Glossary
	log      *slog.Logger
	docYears map[int]bool        // years named by any document date or chunk text
	newest   int                 // the year of the newest document date; 0 when none is dated
	earliest int                 // the earliest of docYears; 0 when there are none
	latest   int                 // the latest of docYears; 0 when there are none
	terms    *vocab              // the corpus's terms, numbered, with their document frequencies
	langs    []string            // languages of the chunks, in queryLangs order
	docTerms map[string]idSet    // the set of terms of each document
	forms    *translit.Inventory // the name-like forms of the chunks, for names the glossary lacks
	params   Params
	// vectorShare scales Params.VectorWeight for this index's embedder
	// (WithVectorShare); 1 when not calibrated.
	vectorShare float64
	// renders holds the renderings of every concept of gloss and lexicon
	// (see renderings), tokenised once at build; read-only afterwards.
	renders map[*glossary.Glossary]map[string][][]string
	// named tells which concepts of gloss each document names (see covers).
	named *conceptIndex
	// sigCache keeps passages' signatures: chunk ID → map[string]bool (see
	// signature); sigCached counts what it holds. Shared by the copies.
	sigCache  *sync.Map
	sigCached *atomic.Int64
	// turns holds one token per retrieval under way (Config.MaxRetrievals);
	// shared by the copies.
	turns chan struct{}
	// sentCache keeps passages' sentences: chunk ID → []Sentence (see
	// sentences); sentCached counts what it holds. Shared by the copies.
	sentCache  *sync.Map
	sentCached *atomic.Int64
	// record is the analysis of the chunks, for SaveAnalysis, when
	// Config.RecordAnalysis asked for it and the structures were not
	// taken whole from Config.Analysis; reused tells whether they were;
	// analysed counts the chunks analysed at build (the others' analysis
	// came from Config.Analysis).
	record   *analysisRecord
	reused   bool
	analysed int
}

// NewEngine builds an Engine over cfg.Chunks.
func NewEngine(cfg Config) *Engine {
	e := &Engine{
		chunks:      make(map[string]rag.Chunk, len(cfg.Chunks)),
		byDoc:       make(map[string][]rag.Chunk),
		vec:         cfg.Vector,
		emb:         cfg.Embedder,
		gloss:       cfg.Glossary,
		lexicon:     cfg.Lexicon,
		log:         cfg.Logger,
		docYears:    make(map[int]bool),
		terms:       newVocab(),
		docTerms:    make(map[string]idSet),
		forms:       translit.NewInventory(),
		sigCache:    &sync.Map{},
		sigCached:   &atomic.Int64{},
		sentCache:   &sync.Map{},
		sentCached:  &atomic.Int64{},
		params:      DefaultParams(),
		vectorShare: 1,
		turns:       make(chan struct{}, cmp.Or(max(cfg.MaxRetrievals, 0), runtime.GOMAXPROCS(0))),
	}
	if cfg.Params != nil {
		e.params = *cfg.Params
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	// A saved analysis of exactly these chunks gives the built structures
	// (analysis_built.go); one of other chunks, the analysis of each
	// document it has unchanged (analysis.go).
	var saved *analysis
	var sum uint32
	if cfg.Analysis != nil || cfg.RecordAnalysis {
		sum = chunksSum(cfg.Chunks)
	}
	if cfg.Analysis != nil {
		err := e.loadBuilt(cfg.Chunks, sum, cfg.Analysis.built)
		if err == nil {
			e.reused = true
		} else {
			e.log.Debug("the saved structures are of other chunks; taking the analysis of the documents it has unchanged", "err", err)
			if saved, err = cfg.Analysis.perDoc(); err != nil {
				e.log.Debug("ignoring the saved analysis of the chunks; analysing them", "err", err)
			}
		}
	}
	if !e.reused {
		e.index(cfg.Chunks, saved, cfg.RecordAnalysis, sum)
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
	for _, set := range e.docTerms {
		for _, id := range set {
			e.terms.df[id]++
		}
	}
	e.renders = map[*glossary.Glossary]map[string][][]string{}
	for _, g := range []*glossary.Glossary{e.gloss, e.lexicon} {
		if g == nil || e.renders[g] != nil {
			continue
		}
		rs := map[string][][]string{}
		for _, id := range g.IDs() {
			rs[id] = e.renderingsOf(g, id)
		}
		e.renders[g] = rs
	}
	e.named = newConceptIndex(e.gloss, e.renders[e.gloss], e.terms, e.docTerms)
	for _, cs := range e.byDoc {
		sort.Slice(cs, func(i, j int) bool { return cs[i].Pos < cs[j].Pos })
	}
	for y := range e.docYears {
		if e.earliest == 0 || y < e.earliest {
			e.earliest = y
		}
		e.latest = max(e.latest, y)
	}
	return e
}

// indexBatch is how many chunks index analyses at once: enough to keep
// every core busy, few enough that their terms are not all held at once.
const indexBatch = 1024

// chunkFacts is what index finds in one chunk's text.
type chunkFacts struct {
	terms []string // tokens.Terms of the text
	years []int    // the years the text names (yearRE), in order
	forms []string // translit.Forms of the text
}

// analyse returns the facts of one chunk's text. It reads nothing but the
// text, so chunks can be analysed concurrently.
func analyse(text string) chunkFacts {
	return chunkFacts{terms: tokens.Terms(text), forms: translit.Forms(text), years: findYears(text)}
}

// findYears returns the years text names, in order: what
// yearRE.FindAllStringSubmatch finds, without the expression (which took a
// fifth of the analysis of a chunk). A year is four ASCII digits from 1950
// to 2099 with no ASCII letter, digit or underscore on either side (\b);
// two such runs cannot overlap, so every position can be tried in turn.
func findYears(text string) []int {
	var years []int
	for i := 0; i+4 <= len(text); i++ {
		c := text[i]
		if c != '1' && c != '2' {
			continue
		}
		if i > 0 && isASCIIWordByte(text[i-1]) || i+4 < len(text) && isASCIIWordByte(text[i+4]) {
			continue
		}
		if !isDigit(rune(text[i+1])) || !isDigit(rune(text[i+2])) || !isDigit(rune(text[i+3])) {
			continue
		}
		if c == '1' && (text[i+1] != '9' || text[i+2] < '5') || c == '2' && (text[i+1] != '0') {
			continue
		}
		years = append(years, int(c-'0')*1000+int(text[i+1]-'0')*100+int(text[i+2]-'0')*10+int(text[i+3]-'0'))
		i += 3
	}
	return years
}

// isASCIIWordByte reports whether c is a word character of \b: an ASCII
// letter, digit or underscore.
func isASCIIWordByte(c byte) bool {
	return isDigit(rune(c)) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// index builds e's lexical index, vocabulary, per-document term sets,
// years and forms from chunks. It takes the analysis of each document
// whose chunks are unchanged from saved (nil: none), and analyses the
// chunks of the others on every core, a batch at a time; then it adds each
// chunk's analysis in the chunks' order, exactly as one pass over them
// would add it (term numbers and forms depend on that order), whether the
// analysis was made now or decoded. With record it keeps the encoded
// analysis of all the chunks, whose chunksSum is sum, for SaveAnalysis.
func (e *Engine) index(chunks []rag.Chunk, saved *analysis, record bool, sum uint32) {
	byDoc, docs := docsOf(chunks)
	a, dropped := saved, 0
	var gone []string
	if a == nil {
		a = newAnalysis()
	} else {
		gone, dropped = a.dropStale(byDoc)
	}
	e.byDoc = make(map[string][]rag.Chunk, len(docs))
	e.docTerms = make(map[string]idSet, len(docs))
	fresh := map[string]bool{} // documents analysed now
	var freshDocs []string
	for _, doc := range docs {
		if a.docs[doc] == nil {
			fresh[doc] = true
			freshDocs = append(freshDocs, doc)
			d := &docAnalysis{chunks: make([]chunkAnalysis, len(byDoc[doc]))}
			if record {
				d.sum = chunksSum(byDoc[doc])
			}
			a.docs[doc] = d
		}
	}
	at := make(map[string]int, len(docs)) // document → its chunks seen so far
	pos := make([]*chunkAnalysis, len(chunks))
	// need counts the postings of each string of a in the chunks analysed
	// already, so that each term's postings are laid out once, in one
	// arena, rather than grown.
	need := make([]int32, len(a.strs.strs))
	total := 0
	for i, c := range chunks {
		ca := &a.docs[c.Doc].chunks[at[c.Doc]]
		pos[i] = ca
		at[c.Doc]++
		for k := 0; k < len(ca.terms); k += 2 {
			need[ca.terms[k]]++
		}
		total += len(ca.terms) / 2
	}
	arena := make([]lexical.Posting, 0, total)

	var (
		remap    []uint32 // string number of a → term number + 1; 0: not numbered yet
		lens     = make([]int32, 0, len(chunks))
		postings [][]lexical.Posting // term number → postings
		// ids holds the term numbers of doc's chunks since the last
		// flush, each once (seen[id] == stamp marks those held).
		doc   string
		ids   []uint32
		seen  []int
		stamp = 1
		todo  []int // the chunks of a batch to analyse
		// formCount counts the occurrences of the forms (by string
		// number of a); formOrder holds the forms in order of first
		// occurrence.
		formCount []int
		formOrder []uint32
		facts     = make([]chunkFacts, min(indexBatch, len(chunks)))
	)
	termOf := func(n uint32) uint32 {
		if int(n) >= len(remap) {
			remap = append(remap, make([]uint32, len(a.strs.strs)-len(remap))...)
		}
		if remap[n] == 0 {
			id := e.terms.add(a.strs.strs[n])
			remap[n] = id + 1
			c := 0
			if int(n) < len(need) {
				c = int(need[n])
			}
			postings = append(postings, arena[len(arena):len(arena):len(arena)+c])
			arena = arena[:len(arena)+c]
		}
		return remap[n] - 1
	}
	// flush adds the terms of a run of doc's chunks to its set: once per
	// run (usually once per document) rather than once per chunk.
	flush := func() {
		if len(chunks) > 0 {
			e.docTerms[doc] = e.docTerms[doc].union(newIDSet(ids))
		}
		ids = ids[:0]
		stamp++
	}
	for start := 0; start < len(chunks); start += indexBatch {
		batch := chunks[start:min(start+indexBatch, len(chunks))]
		todo = todo[:0]
		for i, c := range batch {
			if fresh[c.Doc] {
				todo = append(todo, i)
			}
		}
		parallel.For(len(todo), func(j int) error {
			facts[j] = analyse(batch[todo[j]].Text)
			return nil
		})
		for j, i := range todo {
			*pos[start+i] = a.fold(facts[j])
		}
		clear(facts)
		e.analysed += len(todo)
		for i, c := range batch {
			ca := pos[start+i]
			e.chunks[c.ID] = c
			e.byDoc[c.Doc] = append(e.byDoc[c.Doc], c)
			lens = append(lens, ca.length)
			if start+i > 0 && c.Doc != doc {
				flush()
			}
			doc = c.Doc
			for k := 0; k < len(ca.terms); k += 2 {
				id := termOf(ca.terms[k])
				if int(id) >= len(seen) {
					seen = append(seen, make([]int, len(e.terms.df)-len(seen))...)
				}
				if seen[id] != stamp {
					seen[id] = stamp
					ids = append(ids, id)
				}
				postings[id] = append(postings[id], lexical.Posting{Doc: int32(start + i), TF: int32(ca.terms[k+1])})
			}
			if len(c.Date) >= 4 {
				if y, err := strconv.Atoi(c.Date[:4]); err == nil {
					e.docYears[y] = true
					e.newest = max(e.newest, y)
				}
			}
			for _, y := range ca.years {
				e.docYears[int(y)] = true
			}
			for k := 0; k < len(ca.forms); k += 2 {
				n := ca.forms[k]
				if int(n) >= len(formCount) {
					formCount = append(formCount, make([]int, len(a.strs.strs)-len(formCount))...)
				}
				if formCount[n] == 0 {
					formOrder = append(formOrder, n)
				}
				formCount[n] += int(ca.forms[k+1])
			}
			if !record {
				*ca = chunkAnalysis{} // not kept: let it go
			}
		}
	}
	flush()
	// Counting a form's occurrences at its first one adds what counting
	// each in turn would.
	for _, n := range formOrder {
		e.forms.AddFormCount(a.strs.strs[n], formCount[n])
	}
	chunkIDs := make([]string, len(chunks))
	for i, c := range chunks {
		chunkIDs[i] = c.ID
	}
	terms := make([]string, len(e.terms.df))
	for t, id := range e.terms.ids {
		terms[id] = t
	}
	lex, err := lexical.FromDump(lexical.Dump{IDs: chunkIDs, Lens: lens, Terms: terms, Postings: postings})
	if err != nil {
		// Only chunks sharing an ID get here; they are unique by
		// construction.
		panic(fmt.Sprintf("retrieve: %v", err))
	}
	e.lex = lex
	e.log.Debug("analysis of the chunks", "chunks", len(chunks), "analysed", e.analysed, "saved documents dropped", dropped)
	if record {
		e.record = &analysisRecord{a: a, docs: docs, gone: gone, fresh: freshDocs, extends: saved != nil, sum: sum}
	}
}

// ReusedAnalysis reports whether the engine took its structures whole from
// Config.Analysis (one saved for exactly these chunks).
func (e *Engine) ReusedAnalysis() bool { return e.reused }

// AnalysedChunks returns how many of the engine's chunks it analysed at
// build; it took the analysis of the others from Config.Analysis.
func (e *Engine) AnalysedChunks() int { return e.analysed }

// queryLangs are the languages a question may be expanded into; only those
// the corpus holds are used.
var queryLangs = []string{"zh", "en", "ru"}

// DocChunks returns the chunks of a document in position order, nil for
// a document the engine does not hold. The slice is the engine's own: do
// not modify it.
func (e *Engine) DocChunks(doc string) []rag.Chunk { return e.byDoc[doc] }

// Docs returns the IDs of the engine's documents, sorted.
func (e *Engine) Docs() []string { return slices.Sorted(maps.Keys(e.byDoc)) }

// DocHas reports whether a document holds a term (as rag/tokens makes
// terms), in any of its chunks.
func (e *Engine) DocHas(doc, term string) bool {
	id, ok := e.terms.id(term)
	return ok && e.docTerms[doc].has(id)
}

// Warm does now what an engine built from saved structures otherwise
// does at the first questions that need it: the BM25 length norms, and
// decoding the postings of every term (a second or more of CPU at a
// million chunks). For commands
// that keep answering, run it in the background once the engine is built:
// questions asked meanwhile are answered, decoding what they need.
func (e *Engine) Warm() { e.lex.DecodeAll() }

// IDF returns the lexical index's inverse document frequency of a term,
// counted over chunks.
func (e *Engine) IDF(term string) float64 { return e.lex.IDF(term) }

// Languages returns the languages of the corpus's chunks (of zh, en, ru).
func (e *Engine) Languages() []string { return slices.Clone(e.langs) }

// Glossary returns the glossary of names (people, places, organisations)
// questions are expanded with; nil when the engine has none.
func (e *Engine) Glossary() *glossary.Glossary { return e.gloss }

// Lexicon returns the glossary of ordinary words questions are expanded
// with; nil when the engine has none.
func (e *Engine) Lexicon() *glossary.Glossary { return e.lexicon }

// Common reports whether a term is in more than Params.CommonShare (half)
// of the documents: the corpus's shared context (the SCO, its member
// states), which the asker knows and a gloss would only clutter.
func (e *Engine) Common(term string) bool {
	ts := tokens.Terms(term)
	if len(ts) == 0 || len(e.byDoc) < 2 {
		return false
	}
	for _, t := range ts {
		if float64(e.terms.docFreq(t)) <= e.params.CommonShare*float64(len(e.byDoc)) {
			return false
		}
	}
	return true
}
