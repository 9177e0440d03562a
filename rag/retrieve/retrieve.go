package retrieve

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/scobot/scobot/rag"
)

// Options tune one retrieval.
type Options struct {
	K    int      // passages to return; 0 → Params.DefaultK (5)
	Mode rag.Mode // "" → hybrid
	Lang string   // the asker's language, when the question text is not only theirs; "" → detected
	// Since, when not zero, retrieves only from the reports dated on or
	// after its day (UTC): what is new, for a digest. Undated reports are
	// left out.
	Since time.Time
}

// Retrieval is the outcome of retrieving passages for one question.
type Retrieval struct {
	Passages []rag.Passage // best first, near-duplicates pushed back
	// Support is the abstention model's probability, from 0 to 1, that
	// the passages answer the question (see Evidence, Params.Abstention).
	Support float64
	// TimeMiss is set when the question names only years no document
	// names, outside the span of years the documents name.
	TimeMiss bool
	// OtherYears holds, when the question names years and every passage
	// an answer could quote (those of the documents naming all its
	// specific names, when there are any) is of a report dated in another
	// year that does not name one of them, those reports' years ("2015"),
	// sorted: the 2015 report of a meeting cannot say what the same
	// leaders agreed in 2024. Undated passages never set it; nil otherwise.
	OtherYears []string
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
	// question's specific names and, for a question naming several
	// cities, those naming one city each that together name the rest
	// (a report of each event); empty when the question names none or no
	// retrieved document covers it. An answer quotes only these when
	// there are any.
	Covering map[string]bool
	// PartCovering holds, for a question whose specific names are spread
	// over two or more of its sub-questions, the retrieved documents that
	// name all of them but one sub-question's: a report of the RATS
	// launch answers who attended it without naming the observer the
	// summit admitted, asked in the next breath. Empty otherwise.
	PartCovering map[string]bool
	// Evidence is what the passages hold for answering the question.
	Evidence Evidence
	// Sentences are the sentences of each passage with their terms, by
	// chunk ID, for whoever quotes them.
	Sentences map[string][]Sentence
	below     float64 // Params.AbstainBelow
}

// Retrieve finds the passages that best answer question and the evidence
// for deciding whether to answer it (Retrieval.Abstains). In hybrid mode a
// failing vector search is logged and the lexical ranking answers alone
// (VectorFailed); in vector mode it is an error. Safe for concurrent use:
// at most Config.MaxRetrievals run at once, the others wait their turn.
// The wait does not end with ctx: a retrieval takes milliseconds, and an
// answer whose context ended still retrieves to fall back on quoting.
func (e *Engine) Retrieve(ctx context.Context, question string, opts Options) (Retrieval, error) {
	e.turns <- struct{}{}
	defer func() { <-e.turns }()
	return e.retrieve(ctx, question, opts)
}

// retrieve is Retrieve, once it has its turn.
func (e *Engine) retrieve(ctx context.Context, question string, opts Options) (Retrieval, error) {
	if opts.K <= 0 {
		opts.K = e.params.DefaultK
	}
	if opts.Mode == "" {
		opts.Mode = rag.ModeHybrid
	}
	q := e.ParseQuery(question)
	if opts.Lang != "" {
		q.Lang = opts.Lang
	}
	r := Retrieval{Query: q, Unnamed: e.unnamed(q), below: e.params.AbstainBelow}

	depth := e.params.CandidateDepth
	var lists [][]rag.Passage
	if opts.Mode != rag.ModeVector || e.vec == nil || e.emb == nil {
		lists = append(lists, e.lexicalSearch(q, depth))
	}
	if opts.Mode != rag.ModeLexical && e.vec != nil && e.emb != nil {
		vp, err := e.vectorSearch(ctx, q, depth)
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
		ranked = fuse(e.params.RRFK, e.params.VectorWeight*e.vectorShare, lists...)
	}
	if opts.Mode == rag.ModeHybrid {
		// The single rankings stay as they are, to be compared with.
		ranked = e.rerankByCoverage(ranked, q)
	}
	if !opts.Since.IsZero() {
		ranked = e.newFirst(ranked, q, opts.Since, opts.K)
	}
	if q.Time.Latest {
		ranked = e.withNewest(ranked, q)
	}
	ranked, r.TimeMiss = e.applyTime(ranked, q.Time)
	specific := e.specificNames(q)
	ranked, r.Covering = e.applyNames(ranked, specific)
	r.PartCovering = e.partCovering(ranked, q)
	// Names never reported together: each is somewhere in the corpus, but
	// not what the question asks about them (India at the Astana meeting,
	// Lavrov in Dushanbe).
	r.Unconnected = len(specific) >= 2 && len(r.Covering) == 0
	ranked = diversify(&e.params, ranked, e.signature, opts.K)
	if len(ranked) > opts.K {
		ranked = ranked[:opts.K]
	}
	r.Passages = ranked
	r.OtherYears = otherYears(ranked, r.Covering, q.Time)
	r.Sentences = make(map[string][]Sentence, len(ranked))
	for _, p := range ranked {
		r.Sentences[p.ID] = e.sentences(p)
	}
	r.Evidence = e.evidence(q, ranked, r.Sentences)
	r.Support = e.params.Abstention.Prob(r.Evidence.Features())
	return r, nil
}

func (e *Engine) lexicalSearch(q Query, depth int) []rag.Passage {
	hits := e.lex.Search(q.Terms, depth)
	out := make([]rag.Passage, 0, len(hits))
	for _, h := range hits {
		out = append(out, rag.Passage{Chunk: e.chunks[h.ID], Score: h.Score})
	}
	return out
}

func (e *Engine) vectorSearch(ctx context.Context, q Query, depth int) ([]rag.Passage, error) {
	text := q.Text
	if q.expansion != "" {
		text += "\n" + q.expansion
	}
	vec, err := e.emb.EmbedQuery(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("couldn't embed the question: %w", err)
	}
	ps, err := e.vec.Search(ctx, vec, depth, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't search the vector index: %w", err)
	}
	return ps, nil
}

// newFirst puts first, of what the question's terms find among all the
// reports, the best of those dated on or after since's day (at most half
// of k passages): new reports may rank anywhere among all, and a digest is
// about them. The ranking follows after them, for what is not new.
func (e *Engine) newFirst(ranked []rag.Passage, q Query, since time.Time, k int) []rag.Passage {
	day := since.UTC().Format(time.DateOnly)
	fresh := slices.DeleteFunc(e.lexicalSearch(q, len(e.chunks)), func(p rag.Passage) bool { return p.Date == "" || p.Date < day })
	fresh = fresh[:min(len(fresh), max(1, k/2))]
	seen := map[string]bool{}
	for _, p := range fresh {
		seen[p.ID] = true
	}
	return append(fresh, slices.DeleteFunc(ranked, func(p rag.Passage) bool { return seen[p.ID] })...)
}

// otherYears returns, when the question names years and every passage an
// answer could quote (of the covering documents, when there are any) is
// dated in another year and names none of them, those passages' years,
// sorted; nil otherwise (see Retrieval.OtherYears).
func otherYears(ps []rag.Passage, covering map[string]bool, tc TimeConstraint) []string {
	if len(tc.Years) == 0 {
		return nil
	}
	var years []string
	for _, p := range ps {
		if len(covering) > 0 && !covering[p.Doc] {
			continue
		}
		if len(p.Date) < 4 || tc.MatchesYear(p.Chunk) {
			return nil
		}
		if y := p.Date[:4]; !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	return years
}
