// Package glossary bridges Chinese, English and Russian for scobot.
//
// A Glossary maps concepts (王毅 = Wang Yi = Ван И, 杜尚别 = Dushanbe, 三股势力 =
// "three evil forces") to their terms in each language. It finds those terms
// in text, so that a question can be expanded into the other language before
// searching (Expand), an embedder can emit one shared feature per concept
// (Concepts), and an answer quoting Chinese to an English reader can gloss the
// names (Term).
//
// The built-in glossary is glossary.tsv, embedded in the binary (Default); its
// header documents the format. A user file in the same format can be parsed
// (Parse) and merged on top (Merge).
package glossary

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

//go:embed glossary.tsv
var defaultTSV string

// Languages of the glossary columns, in column order.
const (
	langZH = iota
	langEN
	langRU
	numLangs
)

// blockerID is the concept id of rows whose terms block shorter matches but
// are never reported.
const blockerID = "-"

// langName returns the language code of column index i.
func langName(i int) string {
	switch i {
	case langZH:
		return "zh"
	case langEN:
		return "en"
	case langRU:
		return "ru"
	}
	return ""
}

// langIndex returns the column index of language code lang.
func langIndex(lang string) (int, bool) {
	switch lang {
	case "zh":
		return langZH, true
	case "en":
		return langEN, true
	case "ru":
		return langRU, true
	}
	return 0, false
}

// spec is one term as written in a glossary file.
type spec struct {
	text  string // without the '=' marker
	exact bool   // match case-sensitively
}

// entry is one concept row.
type entry struct {
	id    string
	kind  Kind
	terms [numLangs][]spec
}

// Glossary is a set of concepts with their terms in Chinese ("zh"), English
// ("en") and Russian ("ru"), and a matcher over all the terms.
//
// A Glossary is immutable after construction and safe for concurrent use.
type Glossary struct {
	entries []entry        // in definition order; may include the blocker row
	index   map[string]int // concept id → index in entries
	m       matcher
	id      string
}

// Match is one glossary term found in a text.
type Match struct {
	Concept string // concept id, e.g. "wang-yi"
	Term    string // the glossary's term as written in the glossary file, e.g. "王毅" or "Wang Yi"
	Lang    string // language of the term's column: "zh", "en" or "ru"
	Start   int    // byte offset of the match in the text
	End     int    // byte offset just past the match
}

// Default returns the glossary embedded in the binary (glossary.tsv). Each
// call parses it afresh; callers should keep the result.
func Default() (*Glossary, error) {
	g, err := Parse(strings.NewReader(defaultTSV))
	if err != nil {
		return nil, fmt.Errorf("couldn't parse embedded glossary: %w", err)
	}
	return g, nil
}

// build constructs a Glossary from validated entries: term keys must be
// unique across entries.
func build(entries []entry) *Glossary {
	g := &Glossary{entries: entries, index: make(map[string]int, len(entries))}
	for i, e := range entries {
		g.index[e.id] = i
	}
	g.m = newMatcher(entries)
	g.id = hashEntries(entries)
	return g
}

// matchVersion names the matching rules (folding, optional hyphens and
// dashes, Russian stems). It is part of the glossary's ID, so an index built
// with other rules is rebuilt: bump it whenever what a term matches changes.
const matchVersion = "match-4"

// hashEntries returns a short hash of the entries' canonical form, with the
// matching rules: concepts sorted by id, terms in their order (the first is
// preferred).
func hashEntries(entries []entry) string {
	sorted := make([]entry, len(entries))
	copy(sorted, entries)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].id < sorted[j].id })
	h := sha256.New()
	h.Write([]byte(matchVersion + "\n"))
	for _, e := range sorted {
		h.Write([]byte(e.id))
		for _, col := range e.terms {
			h.Write([]byte{'\t'})
			for k, s := range col {
				if k > 0 {
					h.Write([]byte{'|'})
				}
				if s.exact {
					h.Write([]byte{'='})
				}
				h.Write([]byte(s.text))
			}
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// ID returns a short hash of the glossary's content and matching rules
// (matchVersion). It is stable across runs and changes whenever a concept
// or term changes (not when rows are merely reordered). Use it to tell whether an index built with a glossary is stale.
func (g *Glossary) ID() string { return g.id }

// Len returns the number of concepts (blocker rows not counted).
func (g *Glossary) Len() int {
	if _, ok := g.index[blockerID]; ok {
		return len(g.entries) - 1
	}
	return len(g.entries)
}

// IDs returns the IDs of the glossary's concepts, sorted (blocker rows
// not included).
func (g *Glossary) IDs() []string {
	out := make([]string, 0, len(g.entries))
	for _, e := range g.entries {
		if e.id != blockerID {
			out = append(out, e.id)
		}
	}
	sort.Strings(out)
	return out
}

// Merge returns a new glossary: g extended and overridden by other. A concept
// in both gets the union of their terms, other's first (so other's preferred
// term wins); a term that other gives to a different concept moves there.
// Neither g nor other is changed. Merge(nil) returns g.
func (g *Glossary) Merge(other *Glossary) *Glossary {
	if other == nil {
		return g
	}
	taken := make(map[string]bool)
	for _, e := range other.entries {
		for _, col := range e.terms {
			for _, s := range col {
				taken[foldKey(s.text)] = true
			}
		}
	}
	out := make([]entry, 0, len(g.entries)+len(other.entries))
	for _, e := range g.entries {
		var merged entry
		if i, ok := other.index[e.id]; ok {
			merged = cloneEntry(other.entries[i])
			if merged.kind == "" {
				merged.kind = e.kind
			}
		} else {
			merged.id, merged.kind = e.id, e.kind
		}
		empty := true
		for l, col := range e.terms {
			for _, s := range col {
				if !taken[foldKey(s.text)] {
					merged.terms[l] = append(merged.terms[l], s)
				}
			}
			if len(merged.terms[l]) > 0 {
				empty = false
			}
		}
		if !empty {
			out = append(out, merged)
		}
	}
	for _, e := range other.entries {
		if _, ok := g.index[e.id]; !ok {
			out = append(out, cloneEntry(e))
		}
	}
	return build(out)
}

// cloneEntry returns a copy of e that shares no slices with it.
func cloneEntry(e entry) entry {
	c := entry{id: e.id, kind: e.kind}
	for l, col := range e.terms {
		c.terms[l] = append([]spec(nil), col...)
	}
	return c
}

// Term returns the preferred term of concept in lang ("zh", "en" or "ru"), or
// "" if the concept is unknown or has no term in that language.
func (g *Glossary) Term(concept, lang string) string {
	terms := g.terms(concept, lang)
	if len(terms) == 0 {
		return ""
	}
	return terms[0].text
}

// Terms returns all terms of concept in lang, the preferred one first, or nil
// if there are none.
func (g *Glossary) Terms(concept, lang string) []string {
	terms := g.terms(concept, lang)
	if len(terms) == 0 {
		return nil
	}
	out := make([]string, len(terms))
	for i, s := range terms {
		out[i] = s.text
	}
	return out
}

// terms returns the specs of concept in lang.
func (g *Glossary) terms(concept, lang string) []spec {
	l, ok := langIndex(lang)
	if !ok || concept == blockerID {
		return nil
	}
	i, ok := g.index[concept]
	if !ok {
		return nil
	}
	return g.entries[i].terms[l]
}

// Find returns the glossary terms occurring in text, in text order, without
// overlaps; where terms overlap, the leftmost and then the longest wins.
// Latin and Cyrillic terms match case-insensitively (unless marked '=' in the
// file) and only on word boundaries ("SCO" is not found in "SCOPE"); Han terms
// match anywhere.
func (g *Glossary) Find(text string) []Match {
	var out []Match
	g.m.scan(text, func(t *termInfo, start, end int) {
		out = append(out, Match{
			Concept: g.entries[t.entry].id,
			Term:    t.text,
			Lang:    langName(int(t.lang)),
			Start:   start,
			End:     end,
		})
	})
	return out
}

// Concepts returns the distinct concept ids found in text (see Find), in
// order of first occurrence.
func (g *Glossary) Concepts(text string) []string {
	var seen []int32
	g.m.scan(text, func(t *termInfo, _, _ int) {
		for _, e := range seen {
			if e == t.entry {
				return
			}
		}
		seen = append(seen, t.entry)
	})
	if len(seen) == 0 {
		return nil
	}
	out := make([]string, len(seen))
	for i, e := range seen {
		out[i] = g.entries[e].id
	}
	return out
}

// Expand returns, for each concept found in text (see Find), its terms in the
// languages the concept was not found in: the expansion of a question into
// the other languages. For "王毅在杜尚别" it returns "Wang Yi", "Ван И",
// "Dushanbe", "Душанбе". Terms are distinct, ordered by the concept's first
// occurrence, then by language (zh, en, ru), then preferred first.
func (g *Glossary) Expand(text string) []string {
	type found struct {
		entry int32
		langs [numLangs]bool
	}
	var concepts []found
	g.m.scan(text, func(t *termInfo, _, _ int) {
		for i := range concepts {
			if concepts[i].entry == t.entry {
				concepts[i].langs[t.lang] = true
				return
			}
		}
		f := found{entry: t.entry}
		f.langs[t.lang] = true
		concepts = append(concepts, f)
	})
	var out []string
	seen := make(map[string]bool)
	for _, f := range concepts {
		for l, col := range g.entries[f.entry].terms {
			if f.langs[l] {
				continue
			}
			for _, s := range col {
				if !seen[s.text] {
					seen[s.text] = true
					out = append(out, s.text)
				}
			}
		}
	}
	return out
}
