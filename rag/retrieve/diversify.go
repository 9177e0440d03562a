package retrieve

import (
	"strings"

	"github.com/scobot/scobot/rag"
)

// signature is the Signature of a passage's text, kept for the next
// question that retrieves the chunk (up to signatureCacheSize chunks).
func (e *Engine) signature(p rag.Passage) map[string]bool {
	if v, ok := e.sigCache.Load(p.ID); ok {
		return v.(map[string]bool)
	}
	sig := e.Signature(p.Text)
	if e.sigCached.Add(1) <= signatureCacheSize {
		e.sigCache.Store(p.ID, sig)
	}
	return sig
}

// signatureCacheSize bounds how many chunks' signatures an engine keeps
// (about 10 MB at most); beyond it they are computed each time.
const signatureCacheSize = 20_000

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
	for rest := text; ; {
		m, after := nextNumber(rest)
		if m == "" {
			break
		}
		sig["#"+m] = true
		rest = after
	}
	return sig
}

// nextNumber finds the first number (or year) in s — ASCII digits, with a
// decimal part after a point — and returns it with what follows it; ""
// when s has none. It finds what the regular expression
// [0-9]+(?:\.[0-9]+)? would, without one: a Signature is taken of every
// sentence of the reports an answer reads.
func nextNumber(s string) (number, after string) {
	i := strings.IndexFunc(s, isDigit)
	if i < 0 {
		return "", ""
	}
	j := digitsEnd(s, i)
	if j+1 < len(s) && s[j] == '.' && isDigit(rune(s[j+1])) {
		j = digitsEnd(s, j+1)
	}
	return s[i:j], s[j:]
}

// isDigit reports whether r is an ASCII digit.
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// digitsEnd returns the end of the run of ASCII digits at s[i:].
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(rune(s[i])) {
		i++
	}
	return i
}

// IsNumber reports whether a term is a number (or a year) as a Signature
// counts numbers.
func IsNumber(term string) bool {
	m, _ := nextNumber(term)
	return m != "" && m == term
}

// diversify keeps near-duplicates out of the first k places: a passage too
// similar to one already chosen is moved behind the others, not dropped, so
// both outlets stay available to cite.
func diversify(params *Params, ps []rag.Passage, sig func(rag.Passage) map[string]bool, k int) []rag.Passage {
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
		if len(s) >= params.MinSignature {
			for _, t := range sigs {
				if len(t) >= params.MinSignature && Jaccard(s, t) >= params.DuplicateSimilarity {
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
