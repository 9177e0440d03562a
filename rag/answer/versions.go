package answer

import (
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/scobot/scobot/internal/parallel"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// located is one sentence of a report with the chunk it is in.
type located struct {
	text  string
	chunk rag.Chunk
	sig   map[string]bool
}

// versions finds, for sentences quoted in another language than the
// asker's, their version in the asker's language: in the same report (a
// bilingual one) or in another report of the same event. The rules and
// their numbers are Params.Version* and Params.Event*. A versions serves
// one answer; it is not safe for concurrent use.
type versions struct {
	e     *retrieve.Engine
	pm    retrieve.Params
	q     retrieve.Query
	cache *docCache           // what is worked out of each report, kept
	near  map[string][]string // by document, the reports of its event
}

// docCache keeps, for the life of one engine, what versions works out of
// a report — its sentences with their signatures, by language, and its
// event head — so that an answer does not tokenise whole reports again
// for every question. It is safe for concurrent use.
type docCache struct {
	sentences sync.Map // [2]string{doc, lang} → []located
	heads     sync.Map // doc → map[string]bool (eventHead)
	sigs      sync.Map // a report's sentence → its signature
	terms     sync.Map // a report's sentence → map[string]bool of its terms
	// dated is the engine's reports with a full date, by date then ID,
	// made once (datedOnce): the reports near a day are found by binary
	// search rather than by reading every report's date (50,000 at a
	// million chunks) for each report an answer quotes.
	datedOnce sync.Once
	dated     []datedDoc
}

// datedDoc is a report and its date as a day.
type datedDoc struct {
	day time.Time
	doc string
}

// datedDocs returns the engine's reports with a full date (docDay), by
// date then ID, made once.
func (c *docCache) datedDocs(e *retrieve.Engine) []datedDoc {
	c.datedOnce.Do(func() {
		for _, doc := range e.Docs() {
			if day, ok := docDay(e, doc); ok {
				c.dated = append(c.dated, datedDoc{day, doc})
			}
		}
		slices.SortFunc(c.dated, func(a, b datedDoc) int {
			if n := a.day.Compare(b.day); n != 0 {
				return n
			}
			return strings.Compare(a.doc, b.doc)
		})
	})
	return c.dated
}

// newVersions returns a versions for one answer of e to the question q,
// keeping what it works out of reports in cache (nil: a cache of its own).
func newVersions(e *retrieve.Engine, q retrieve.Query, cache *docCache) *versions {
	if cache == nil {
		cache = &docCache{}
	}
	return &versions{e: e, pm: e.Params(), q: q, cache: cache, near: map[string][]string{}}
}

// inLanguage replaces each candidate quoted in another language than
// lang, of those scoring at least least, by its version in lang when a
// report holds one (see find), keeping the report it replaces in
// Originals to cite too. Candidates with no such version are kept as
// they are; the order is kept.
func (v *versions) inLanguage(cs []Candidate, lang string, least float64) []Candidate {
	var need [][2]string // the reports' sentences version reads
	for _, c := range cs {
		if c.Lang != lang && c.Score >= least {
			need = append(need, [2]string{c.Passage.Doc, c.Lang})
			for _, doc := range v.event(c.Passage.Doc) {
				need = append(need, [2]string{doc, lang})
			}
		}
	}
	v.readAhead(need)
	out := make([]Candidate, len(cs))
	for i, c := range cs {
		out[i] = c
		if c.Lang == lang || c.Score < least {
			continue
		}
		// The report's own translation first, else another report's.
		t, ok := v.version(c, lang, v.event(c.Passage.Doc))
		if !ok {
			continue
		}
		orig := c.Passage
		c.Text, c.Lang = t.text, lang
		c.Passage = rag.Passage{Chunk: t.chunk, Score: orig.Score}
		if orig.Doc != t.chunk.Doc {
			c.Originals = append(slices.Clip(c.Originals), orig)
		}
		out[i] = c
	}
	return out
}

// statements readies an answer's statements: each in the asker's
// language where a report holds its version (inLanguage), citing the
// other reports of its event that hold it in another language
// (alsoReported), and those quoting one sentence made one (mergeSame).
func (v *versions) statements(st []Candidate, lang string) []Candidate {
	st = v.inLanguage(st, lang, 0)
	var need [][2]string // the reports' sentences alsoReported reads
	for _, c := range st {
		if c.Lang != lang {
			continue
		}
		need = append(need, [2]string{c.Passage.Doc, c.Lang})
		for _, doc := range v.event(c.Passage.Doc)[1:] {
			for _, l := range v.e.Languages() {
				if l != c.Lang {
					need = append(need, [2]string{doc, l})
				}
			}
		}
	}
	v.readAhead(need)
	for i, c := range st {
		if c.Lang == lang {
			st[i] = v.alsoReported(c)
		}
	}
	return mergeSame(st)
}

// mergeSame makes statements that quote the same sentence of the same
// report one, at the first's place, citing every report they stand for.
func mergeSame(st []Candidate) []Candidate {
	var out []Candidate
	for _, c := range st {
		i := slices.IndexFunc(out, func(o Candidate) bool { return sameQuote(o, c) })
		if i < 0 {
			out = append(out, c)
			continue
		}
		out[i] = withOriginals(out[i], c)
	}
	return out
}

// sameQuote reports whether two candidates quote the same sentence of the
// same report.
func sameQuote(a, b Candidate) bool { return a.Text == b.Text && a.Passage.Doc == b.Passage.Doc }

// withOriginals returns a with the originals of b it lacks added (a's own
// report is none), and the better rank of the two.
func withOriginals(a, b Candidate) Candidate {
	for _, o := range b.Originals {
		if o.Doc != a.Passage.Doc && !slices.ContainsFunc(a.Originals, func(p rag.Passage) bool { return p.Doc == o.Doc }) {
			a.Originals = append(slices.Clip(a.Originals), o)
		}
	}
	a.Rank = min(a.Rank, b.Rank)
	return a
}

// version returns the version in lang of the quoted sentence c: the
// sentence of the first of the reports docs holding one that matches c
// best, when the two match well enough (match) and c is its best match in
// turn among the sentences of c's report in c's language.
func (v *versions) version(c Candidate, lang string, docs []string) (located, bool) {
	sig := v.sig(c.Text)
	if len(sig) < v.pm.VersionShared {
		return located{}, false
	}
	best, bestJ := located{}, 0.0
	for _, doc := range docs {
		for _, s := range v.sentences(doc, lang) {
			if j, ok := v.match(sig, s.sig); ok && j > bestJ {
				best, bestJ = s, j
			}
		}
		if bestJ > 0 {
			break
		}
	}
	if bestJ == 0 {
		return located{}, false
	}
	for _, s := range v.sentences(c.Passage.Doc, c.Lang) {
		if s.text != c.Text && retrieve.Jaccard(best.sig, s.sig) > bestJ {
			return located{}, false
		}
	}
	if !v.keeps(c.Text, best.text) {
		return located{}, false
	}
	return best, true
}

// alsoReported returns c with the other reports of its event that hold
// its version in another language added to its Originals: they report
// the same point, and the answer cites them beside it.
func (v *versions) alsoReported(c Candidate) Candidate {
	for _, doc := range v.event(c.Passage.Doc)[1:] {
		for _, lang := range v.e.Languages() {
			if lang == c.Lang {
				continue
			}
			if t, ok := v.version(c, lang, []string{doc}); ok {
				c = withOriginals(c, Candidate{Rank: c.Rank, Originals: []rag.Passage{{Chunk: t.chunk}}})
				break
			}
		}
	}
	return c
}

// keeps reports whether the sentence version holds all that the sentence
// orig holds of the question: each of its units (as much of it), and each
// kind of answer it asks for. A translation that drops a dateline's
// reporters is no version of it for "which reporters …?".
func (v *versions) keeps(orig, version string) bool {
	o, t := v.termSet(orig), v.termSet(version)
	for _, u := range v.q.Units {
		if u.Holds(t) < u.Holds(o) {
			return false
		}
	}
	for _, p := range v.q.Parts {
		if v.e.HoldsAnswer(orig, p.Answer, v.q) && !v.e.HoldsAnswer(version, p.Answer, v.q) {
			return false
		}
	}
	return true
}

// termSet returns a lookup of a report sentence's terms (as rag/tokens
// makes them), worked out once.
func (v *versions) termSet(text string) func(string) bool {
	if set, ok := v.cache.terms.Load(text); ok {
		m := set.(map[string]bool)
		return func(t string) bool { return m[t] }
	}
	m := map[string]bool{}
	for _, t := range tokens.Terms(text) {
		m[t] = true
	}
	v.cache.terms.Store(text, m)
	return func(t string) bool { return m[t] }
}

// sig is the engine's Signature of a report sentence, worked out once.
func (v *versions) sig(text string) map[string]bool {
	if s, ok := v.cache.sigs.Load(text); ok {
		return s.(map[string]bool)
	}
	s := v.e.Signature(text)
	v.cache.sigs.Store(text, s)
	return s
}

// match reports how well the signatures of a quoted sentence q and a
// sentence s of another language overlap (Jaccard), and whether s counts
// as q's version: enough shared entries, overlap and cover of q.
func (v *versions) match(q, s map[string]bool) (float64, bool) {
	shared := sharedKeys(q, s)
	if shared < v.pm.VersionShared || float64(shared) < v.pm.VersionCover*float64(len(q)) {
		return 0, false
	}
	j := retrieve.Jaccard(q, s)
	return j, j >= v.pm.VersionSimilarity
}

// readAhead works out, on every core, the sentences (with their
// signatures) of the reports in the languages of need, {doc, lang} pairs,
// that are not kept yet: the first answer quoting a report of an event
// reads every report of the event, a dozen of them in a large archive.
func (v *versions) readAhead(need [][2]string) {
	var todo [][2]string
	seen := map[[2]string]bool{}
	for _, k := range need {
		if _, kept := v.cache.sentences.Load(k); !kept && !seen[k] {
			seen[k] = true
			todo = append(todo, k)
		}
	}
	if len(todo) < 2 {
		return
	}
	_ = parallel.For(len(todo), func(i int) error {
		v.sentences(todo[i][0], todo[i][1])
		return nil
	})
}

// sentences returns the sentences of a report in one language, each once,
// with their signatures. It may run on several goroutines at once: it
// reads v's cache only.
func (v *versions) sentences(doc, lang string) []located {
	key := [2]string{doc, lang}
	if ss, ok := v.cache.sentences.Load(key); ok {
		return ss.([]located)
	}
	var ss []located
	seen := map[string]bool{}
	for _, ch := range v.e.DocChunks(doc) {
		if ch.Lang != lang {
			continue
		}
		for _, s := range tokens.Sentences(ch.Text) {
			if seen[s] || utf8.RuneCountInString(s) < MinSentenceRunes || IsHeading(s, ch.Text) {
				continue
			}
			seen[s] = true
			ss = append(ss, located{text: s, chunk: ch, sig: v.sig(s)})
		}
	}
	v.cache.sentences.Store(key, ss)
	return ss
}

// event returns the reports of doc's event: doc itself first, then the
// others of the same event (sameEvent), in ID order.
func (v *versions) event(doc string) []string {
	if ds, ok := v.near[doc]; ok {
		return ds
	}
	ds := []string{doc}
	day, ok := docDay(v.e, doc)
	if ok {
		// The reports dated within EventDays of day, in ID order.
		dated := v.cache.datedDocs(v.e)
		window := time.Duration(v.pm.EventDays+1) * 24 * time.Hour
		lo, _ := slices.BinarySearchFunc(dated, day.Add(-window), func(d datedDoc, t time.Time) int { return d.day.Compare(t) })
		var near []string
		for _, d := range dated[lo:] {
			if d.day.Sub(day) >= window {
				break
			}
			near = append(near, d.doc)
		}
		slices.Sort(near)
		var head map[string]bool
		for _, o := range near {
			od, _ := docDay(v.e, o)
			if o == doc || absDays(day, od) > v.pm.EventDays {
				continue
			}
			if head == nil {
				head = v.head(doc)
			}
			if v.sameHead(head, v.head(o)) {
				ds = append(ds, o)
			}
		}
	}
	v.near[doc] = ds
	return ds
}

// head is eventHead of doc, worked out once.
func (v *versions) head(doc string) map[string]bool {
	if h, ok := v.cache.heads.Load(doc); ok {
		return h.(map[string]bool)
	}
	h := eventHead(v.e, doc, v.pm.EventLead)
	v.cache.heads.Store(doc, h)
	return h
}

// sameHead reports whether two reports' heads (eventHead) name enough of
// the same concepts for one event: EventShared, and EventOverlap of the
// smaller.
func (v *versions) sameHead(a, b map[string]bool) bool {
	shared := sharedKeys(a, b)
	return shared >= v.pm.EventShared && float64(shared) >= v.pm.EventOverlap*float64(min(len(a), len(b)))
}

// sharedKeys counts the keys two sets have in common.
func sharedKeys(a, b map[string]bool) int {
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return n
}

// eventHead returns the glossary concepts (numbers aside) of a report's
// title and of its first n sentences in each of its languages.
func eventHead(e *retrieve.Engine, doc string, n int) map[string]bool {
	cs := e.DocChunks(doc)
	if len(cs) == 0 {
		return nil
	}
	text := cs[0].Title
	taken := map[string]int{}
	for _, ch := range cs {
		for _, s := range tokens.Sentences(ch.Text) {
			if taken[ch.Lang] >= n {
				break
			}
			taken[ch.Lang]++
			text += "\n" + s
		}
	}
	head := map[string]bool{}
	for k := range e.Signature(text) {
		if !strings.HasPrefix(k, "#") {
			head[k] = true
		}
	}
	return head
}

// docDay returns a report's date as a day, when it has a full one.
func docDay(e *retrieve.Engine, doc string) (time.Time, bool) {
	cs := e.DocChunks(doc)
	if len(cs) == 0 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, cs[0].Date)
	return t, err == nil
}

// absDays is how many whole days apart two days are.
func absDays(a, b time.Time) int {
	d := a.Sub(b)
	if d < 0 {
		d = -d
	}
	return int(d / (24 * time.Hour))
}
