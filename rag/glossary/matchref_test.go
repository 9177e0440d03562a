package glossary

// This file keeps, for TestMatcherSameAsBefore only, a copy of the matcher's
// trie and walks as they were before the per-scan rune buffer and the flat
// trie (commit 0a12496): the reference the new matcher must agree with on
// every input. The helpers that change was not about (fold, foldRune,
// dehyphen, isWord, stemmedView …) are match.go's own, shared by both.

import (
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// refNode is a node of refMatcher's trie over case-folded runes.
type refNode struct {
	next map[rune]int32
	term int32 // index in refMatcher.terms, -1 if no term ends here
}

// refMatcher finds terms in text: leftmost, then longest, non-overlapping. It is
// a trie over folded runes walked from every rune start; terms are short, so
// each walk is a few steps.
type refMatcher struct {
	nodes []refNode
	terms []termInfo
	// root maps a folded rune of the Basic Multilingual Plane to the root's
	// child for it (0: none): most positions of a text start no term, and
	// an array read rejects them faster than the root's map.
	root []int32
}

// newRefMatcher builds the trie over all terms of entries.
func newRefMatcher(entries []entry) refMatcher {
	m := refMatcher{nodes: []refNode{{term: -1}}}
	eachTerm(entries, m.insert)
	m.root = make([]int32, 0x10000)
	for r, child := range m.nodes[0].next {
		if r < 0x10000 {
			m.root[r] = child
		}
	}
	return m
}

// insert adds t under key; the first term inserted under a key wins.
func (m *refMatcher) insert(key string, t termInfo) {
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
// words is matched in its stemmed form (see stemmedView), so "в Ташкенте"
// holds the term "Ташкент".
func (m *refMatcher) scan(text string, fn func(t *termInfo, start, end int)) {
	if !hasCyrillic(text) {
		m.scanFolded(text, fn)
		return
	}
	v := stemmedView(text)
	m.scanFolded(v.text, func(t *termInfo, start, end int) {
		fn(t, v.pos[start], v.pos[end])
	})
}

// scanFolded is scan over text whose Russian words, if any, are stemmed.
func (m *refMatcher) scanFolded(text string, fn func(t *termInfo, start, end int)) {
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !(isWord(prev) && isWord(r)) {
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
		if foldRune(r, false) == '-' {
			// A hyphen or dash between letters matches nothing:
			// "Anti-Terrorist" and "China–Europe" are the terms
			// "Antiterrorist" and "ChinaEurope", as dehyphen (after refFold)
			// makes their keys.
			if next, _ := utf8.DecodeRuneInString(text[j:]); isLetter(prev) && isLetter(next) {
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
		if isSpace(r) {
			r = ' '
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !isSpace(r2) {
					break
				}
				j += s2
			}
		} else {
			r = foldRune(r, true)
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
			if next, _ := utf8.DecodeRuneInString(text[j:]); isWord(next) {
				continue
			}
		}
		if t.exact && dehyphen(fold(text[i:j], false)) != t.exactKey {
			continue
		}
		bestEnd, best = j, ti
	}
	return bestEnd, best
}
