package glossary

// This file keeps, for TestMatcherSameAsBefore only, a copy of the matcher as
// it was before the per-scan rune buffer and the flat trie (commit 0a12496):
// the reference the new matcher must agree with on every input. Every helper
// it uses is copied too (ref*), so that a change to match.go cannot change
// the reference.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// refTermInfo is one term in the refMatcher.
type refTermInfo struct {
	entry     int32 // index of the concept in Glossary.entries
	lang      int8
	block     bool   // a blocker: consumes text, never reported
	exact     bool   // case-sensitive
	exactKey  string // the term folded without lower-casing (exact terms only)
	text      string // as written in the file
	firstWord bool   // first rune is a word rune: needs a boundary before it
	lastWord  bool   // last rune is a word rune: needs a boundary after it
}

// refNode is a trie refNode over case-folded runes.
type refNode struct {
	next map[rune]int32
	term int32 // index in refMatcher.terms, -1 if no term ends here
}

// refMatcher finds terms in text: leftmost, then longest, non-overlapping. It is
// a trie over folded runes walked from every rune start; terms are short, so
// each walk is a few steps.
type refMatcher struct {
	nodes []refNode
	terms []refTermInfo
	// root maps a folded rune of the Basic Multilingual Plane to the root's
	// child for it (0: none): most positions of a text start no term, and
	// an array read rejects them faster than the root's map.
	root []int32
}

// newRefMatcher builds the trie over all terms of entries.
func newRefMatcher(entries []entry) refMatcher {
	m := refMatcher{nodes: []refNode{{term: -1}}}
	for ei, e := range entries {
		for l, col := range e.terms {
			for _, s := range col {
				key := refMatchKey(s.text)
				if key == "" {
					continue
				}
				first, _ := utf8.DecodeRuneInString(key)
				last, _ := utf8.DecodeLastRuneInString(key)
				t := refTermInfo{
					entry:     int32(ei),
					lang:      int8(l),
					block:     e.id == blockerID,
					exact:     s.exact,
					text:      s.text,
					firstWord: refIsWord(first),
					lastWord:  refIsWord(last),
				}
				if s.exact {
					t.exactKey = refDehyphen(refFold(s.text, false))
				}
				m.insert(key, t)
			}
		}
	}
	m.root = make([]int32, 0x10000)
	for r, child := range m.nodes[0].next {
		if r < 0x10000 {
			m.root[r] = child
		}
	}
	return m
}

// insert adds t under key; the first term inserted under a key wins.
func (m *refMatcher) insert(key string, t refTermInfo) {
	n := int32(0)
	for _, r := range key {
		child, ok := m.nodes[n].next[r]
		if !ok {
			child = int32(len(m.nodes))
			m.nodes = append(m.nodes, refNode{term: -1})
			if m.nodes[n].next == nil {
				m.nodes[n].next = make(map[rune]int32)
			}
			m.nodes[n].next[r] = child
		}
		n = child
	}
	if m.nodes[n].term < 0 {
		m.nodes[n].term = int32(len(m.terms))
		m.terms = append(m.terms, t)
	}
}

// scan calls fn for every reported match in text, in order, with the match's
// byte offsets in text. Blockers consume text silently. A text with Russian
// words is matched in its stemmed form (see refStemmedView), so "в Ташкенте"
// holds the term "Ташкент".
func (m *refMatcher) scan(text string, fn func(t *refTermInfo, start, end int)) {
	if !refHasCyrillic(text) {
		m.scanFolded(text, fn)
		return
	}
	v := refStemmedView(text)
	m.scanFolded(v.text, func(t *refTermInfo, start, end int) {
		fn(t, v.pos[start], v.pos[end])
	})
}

// scanFolded is scan over text whose Russian words, if any, are stemmed.
func (m *refMatcher) scanFolded(text string, fn func(t *refTermInfo, start, end int)) {
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !(refIsWord(prev) && refIsWord(r)) {
			if end, ti := m.longest(text, i); ti >= 0 {
				t := &m.terms[ti]
				if !t.block {
					fn(t, i, end)
				}
				prev, _ = utf8.DecodeLastRuneInString(text[:end])
				i = end
				continue
			}
		}
		prev = r
		i += size
	}
}

// longest returns the end and term index of the longest term starting at
// text[i], or -1.
func (m *refMatcher) longest(text string, i int) (int, int32) {
	bestEnd, best := 0, int32(-1)
	n := int32(0)
	prev := rune(-1)
	for j := i; j < len(text); {
		r, size := utf8.DecodeRuneInString(text[j:])
		j += size
		if refFoldRune(r, false) == '-' {
			// A hyphen or dash between letters matches nothing:
			// "Anti-Terrorist" and "China–Europe" are the terms
			// "Antiterrorist" and "ChinaEurope", as refDehyphen (after refFold)
			// makes their keys.
			if next, _ := utf8.DecodeRuneInString(text[j:]); refIsLetter(prev) && refIsLetter(next) {
				continue
			}
		}
		prev = r
		if textnorm.Ignorable(r) {
			// A zero-width character inside a name ("上合\u200b组织").
			if j-size == i {
				break
			}
			continue
		}
		if refIsSpace(r) {
			r = ' '
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !refIsSpace(r2) {
					break
				}
				j += s2
			}
		} else {
			r = refFoldRune(r, true)
		}
		var child int32
		var ok bool
		if n == 0 && r < 0x10000 {
			child = m.root[r]
			ok = child != 0
		} else {
			child, ok = m.nodes[n].next[r]
		}
		if !ok {
			break
		}
		n = child
		ti := m.nodes[n].term
		if ti < 0 {
			continue
		}
		t := &m.terms[ti]
		if t.lastWord && j < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[j:]); refIsWord(next) {
				continue
			}
		}
		if t.exact && refDehyphen(refFold(text[i:j], false)) != t.exactKey {
			continue
		}
		bestEnd, best = j, ti
	}
	return bestEnd, best
}

// refFoldKey returns the identity of a term: folded, lower-cased, whitespace
// runs collapsed to one space, trimmed. Two terms with one key are the same
// term (a glossary may hold it once).
func refFoldKey(s string) string { return refFold(s, true) }

// refMatchKey returns the key a term is matched under: its refFoldKey with each
// Russian word stemmed, as texts are (refStemmedView), so that one entry
// matches every case form of a Russian name.
func refMatchKey(s string) string {
	k := refFoldKey(s)
	if refHasCyrillic(k) {
		k = refStemmedView(k).text
	}
	return refDehyphen(k)
}

// refDehyphen drops the hyphens that join two letters: reports write
// "anti-terrorist" and "antiterrorist", "Nur-Sultan" and "Nursultan".
func refDehyphen(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	rs := []rune(s)
	out := rs[:0:0]
	for i, r := range rs {
		if r == '-' && i > 0 && i+1 < len(rs) && refIsLetter(rs[i-1]) && refIsLetter(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// refIsLetter reports whether r is a letter of an alphabet (not Han).
func refIsLetter(r rune) bool { return r >= 0 && unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }

// refHasCyrillic reports whether s holds a Cyrillic letter.
func refHasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x0400 && r <= 0x052F {
			return true
		}
	}
	return false
}

// refFold normalises s for matching: full-width ASCII to ASCII, curly
// apostrophes to ', dashes to -, runs of white space to one space (trimmed),
// and, if lower, lower case.
func refFold(s string, lower bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if refIsSpace(r) {
			space = true
			continue
		}
		if textnorm.Ignorable(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(refFoldRune(r, lower))
	}
	return b.String()
}

// refFoldRune normalises one non-space rune.
func refFoldRune(r rune, lower bool) rune {
	switch {
	case r < utf8.RuneSelf:
		if lower && 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r >= 0x3000 && r <= 0x9FFF: // CJK punctuation, kana, ideographs: no case
		return textnorm.Simplify(r)
	case r >= 0xF900 && r <= 0xFAFF: // CJK compatibility ideographs
		return textnorm.Simplify(r)
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		r -= 0xFEE0
	case r == '\u2018' || r == '\u2019' || r == '\u02BC' || r == '\u2032':
		r = '\''
	case r >= '\u2010' && r <= '\u2014' || r == '\u2212':
		r = '-'
	}
	if lower {
		r = unicode.ToLower(r)
		if r == 'ё' {
			r = 'е'
		}
	}
	return r
}

// refIsSpace reports whether r is white space (including U+3000).
func refIsSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	if r >= 0x3040 && r <= 0x9FFF {
		return false // kana and ideographs
	}
	return unicode.IsSpace(r)
}

// refIsWord reports whether r is part of a Latin/Cyrillic-style word, across
// whose inside a term may not start or end. Han characters are not: Chinese
// has no word boundaries, so Han terms match anywhere.
func refIsWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	if r >= 0x3000 && r <= 0x9FFF { // CJK punctuation and ideographs
		return false
	}
	if r == utf8.RuneError || unicode.Is(unicode.Han, r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// refView is a text with its Russian words replaced by their lower-case stems,
// and the way back: pos[i] is the offset in the original text of offset i of
// the refView (for an offset inside a stem, the start of its word; just past a
// stem, just past its word).
type refView struct {
	text string
	pos  []int
}

// refStemmedView lower-cases and stems every Cyrillic word of text
// (textnorm.StemRussian) and copies everything else as it is.
func refStemmedView(text string) refView {
	var b strings.Builder
	b.Grow(len(text))
	pos := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.Is(unicode.Cyrillic, r) {
			for k := 0; k < size; k++ {
				pos = append(pos, i+k)
			}
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.Is(unicode.Cyrillic, r2) {
				break
			}
			j += s2
		}
		word := strings.ReplaceAll(strings.ToLower(text[i:j]), "ё", "е")
		stem := textnorm.StemRussian(word)
		for k := 0; k < len(stem); k++ {
			pos = append(pos, i)
		}
		b.WriteString(stem)
		i = j
	}
	return refView{text: b.String(), pos: append(pos, len(text))}
}
