package answer

import (
	"slices"
	"strings"
	"time"

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
	e    *retrieve.Engine
	pm   retrieve.Params
	sent map[[2]string][]located // by document and language
	near map[string][]string     // by document, the reports of its event
}

func newVersions(e *retrieve.Engine) *versions {
	return &versions{e: e, pm: e.Params(), sent: map[[2]string][]located{}, near: map[string][]string{}}
}

// inAskerLanguage replaces each statement quoted in another language than
// lang by its version in lang when a report holds one (see versions),
// keeping the report it replaces as one to cite too; statements that then
// quote the same sentence become one, citing every report they stand for.
// Statements with no such version are kept as they are.
func inAskerLanguage(e *retrieve.Engine, lang string, st []Candidate) []Candidate {
	v := newVersions(e)
	var out []Candidate
	at := map[string]int{} // index in out by document and text
	for _, c := range st {
		if c.Lang != lang {
			if t, ok := v.find(c, lang); ok {
				orig := c.Passage
				c.Text, c.Lang = t.text, lang
				c.Passage = rag.Passage{Chunk: t.chunk, Score: orig.Score}
				if orig.Doc != t.chunk.Doc {
					c.Originals = append(slices.Clip(c.Originals), orig)
				}
			}
		}
		key := c.Passage.Doc + "\x00" + c.Text
		if i, ok := at[key]; ok {
			for _, o := range c.Originals {
				if !slices.ContainsFunc(out[i].Originals, func(p rag.Passage) bool { return p.Doc == o.Doc }) {
					out[i].Originals = append(slices.Clip(out[i].Originals), o)
				}
			}
			out[i].Rank = min(out[i].Rank, c.Rank)
			continue
		}
		at[key] = len(out)
		out = append(out, c)
	}
	return out
}

// find returns the version in lang of the quoted sentence c: the sentence
// of c's own report that best matches it (the report's own translation),
// else the best of the other reports of c's event, when the two match well
// enough and c is its best match in turn.
func (v *versions) find(c Candidate, lang string) (located, bool) {
	sig := v.e.Signature(c.Text)
	if len(sig) < v.pm.VersionShared {
		return located{}, false
	}
	best, bestJ := located{}, 0.0
	for _, doc := range v.event(c.Passage.Doc) {
		if bestJ > 0 {
			break // found in c's own report
		}
		for _, s := range v.sentences(doc, lang) {
			if j, ok := v.match(sig, s.sig); ok && j > bestJ {
				best, bestJ = s, j
			}
		}
	}
	if bestJ == 0 {
		return located{}, false
	}
	// Mutual: no other sentence of c's report in c's language matches the
	// version better than c does.
	for _, s := range v.sentences(c.Passage.Doc, c.Lang) {
		if s.text != c.Text && retrieve.Jaccard(best.sig, s.sig) > bestJ {
			return located{}, false
		}
	}
	return best, true
}

// match reports how well the signatures of a quoted sentence q and a
// sentence s of another language overlap (Jaccard), and whether s counts
// as q's version: enough shared entries, overlap and cover of q.
func (v *versions) match(q, s map[string]bool) (float64, bool) {
	shared := 0
	for k := range q {
		if s[k] {
			shared++
		}
	}
	if shared < v.pm.VersionShared || float64(shared) < v.pm.VersionCover*float64(len(q)) {
		return 0, false
	}
	j := retrieve.Jaccard(q, s)
	return j, j >= v.pm.VersionSimilarity
}

// sentences returns the sentences of a report in one language, each once,
// with their signatures.
func (v *versions) sentences(doc, lang string) []located {
	key := [2]string{doc, lang}
	if ss, ok := v.sent[key]; ok {
		return ss
	}
	var ss []located
	seen := map[string]bool{}
	for _, ch := range v.e.DocChunks(doc) {
		if ch.Lang != lang {
			continue
		}
		for _, s := range tokens.Sentences(ch.Text) {
			if seen[s] || len([]rune(s)) < MinSentenceRunes || IsHeading(s, ch.Text) {
				continue
			}
			seen[s] = true
			ss = append(ss, located{text: s, chunk: ch, sig: v.e.Signature(s)})
		}
	}
	v.sent[key] = ss
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
		var head map[string]bool
		for _, o := range v.e.Docs() {
			od, ok := docDay(v.e, o)
			if o == doc || !ok || absDays(day, od) > v.pm.EventDays {
				continue
			}
			if head == nil {
				head = eventHead(v.e, doc, v.pm.EventLead)
			}
			if v.sameHead(head, eventHead(v.e, o, v.pm.EventLead)) {
				ds = append(ds, o)
			}
		}
	}
	v.near[doc] = ds
	return ds
}

// sameHead reports whether two reports' heads (eventHead) name enough of
// the same concepts for one event: EventShared, and EventOverlap of the
// smaller.
func (v *versions) sameHead(a, b map[string]bool) bool {
	shared := 0
	for k := range a {
		if b[k] {
			shared++
		}
	}
	return shared >= v.pm.EventShared && float64(shared) >= v.pm.EventOverlap*float64(min(len(a), len(b)))
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
