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
	// Analysis is what Engine.Analysis gave for an engine built over the
	// same chunks in the same order (kept beside the index): the engine
	// takes its analysis of the chunks from it (analysis.go) rather than
	// analysing them. One that does not describe these chunks (other
	// chunks, damage, another version) is ignored: the engine is the same
	// either way.
	Analysis []byte
	// RecordAnalysis makes the engine keep its analysis of the chunks for
	// Engine.Analysis.
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
	// analysis is the encoded analysis of the chunks when
	// Config.RecordAnalysis asked for it; reused tells whether it came
	// from Config.Analysis.
	analysis []byte
	reused   bool
}

// NewEngine builds an Engine over cfg.Chunks.
func NewEngine(cfg Config) *Engine {
	e := &Engine{
		chunks:      make(map[string]rag.Chunk, len(cfg.Chunks)),
		byDoc:       make(map[string][]rag.Chunk),
		lex:         lexical.New(),
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
	if cfg.Analysis != nil {
		if err := e.load(cfg.Chunks, cfg.Analysis); err != nil {
			e.log.Debug("ignoring the saved analysis of the chunks; analysing them", "err", err)
		} else {
			e.reused = true
		}
	}
	if !e.reused {
		e.index(cfg.Chunks)
	}
	if cfg.RecordAnalysis {
		e.analysis = e.encodeAnalysis(cfg.Chunks)
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
	f := chunkFacts{terms: tokens.Terms(text), forms: translit.Forms(text)}
	for _, m := range yearRE.FindAllStringSubmatch(text, -1) {
		if y, err := strconv.Atoi(m[1]); err == nil {
			f.years = append(f.years, y)
		}
	}
	return f
}

// index adds chunks to e's lexical index, vocabulary, per-document term
// sets, years and forms. The texts are analysed on every core, a batch at a
// time; what is found is then added in the chunks' order, exactly as one
// pass over them would add it (term numbers and forms depend on that
// order), the lexical index alongside the rest. A panic in a helper
// goroutine is raised again in the caller's.
func (e *Engine) index(chunks []rag.Chunk) {
	facts := make([]chunkFacts, min(indexBatch, len(chunks)))
	var ids []uint32 // a chunk's term numbers; reused
	for start := 0; start < len(chunks); start += indexBatch {
		batch := chunks[start:min(start+indexBatch, len(chunks))]
		parallel.For(len(batch), func(i int) error {
			facts[i] = analyse(batch[i].Text)
			return nil
		})
		var wg sync.WaitGroup
		var panicked any // in the merge, raised again here
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panicked = recover() }()
			for i, c := range batch {
				f := facts[i]
				e.chunks[c.ID] = c
				e.byDoc[c.Doc] = append(e.byDoc[c.Doc], c)
				ids = ids[:0]
				for _, t := range f.terms {
					ids = append(ids, e.terms.add(t))
				}
				e.docTerms[c.Doc] = e.docTerms[c.Doc].union(newIDSet(ids))
				if len(c.Date) >= 4 {
					if y, err := strconv.Atoi(c.Date[:4]); err == nil {
						e.docYears[y] = true
						e.newest = max(e.newest, y)
					}
				}
				for _, y := range f.years {
					e.docYears[y] = true
				}
				e.forms.AddForms(f.forms)
			}
		}()
		for i, c := range batch {
			e.lex.Add(c.ID, facts[i].terms)
		}
		wg.Wait()
		if panicked != nil {
			panic(panicked)
		}
		clear(facts)
	}
}

// Analysis returns the engine's encoded analysis of its chunks for
// Config.Analysis (nil unless Config.RecordAnalysis asked for it), and
// whether the engine took it from Config.Analysis instead of analysing
// the chunks.
func (e *Engine) Analysis() (data []byte, reused bool) { return e.analysis, e.reused }

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
