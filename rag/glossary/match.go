package glossary

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// termInfo is one term in the matcher.
type termInfo struct {
	entry     int32 // index of the concept in Glossary.entries
	lang      int8
	block     bool   // a blocker: consumes text, never reported
	exact     bool   // case-sensitive
	exactKey  string // the term folded without lower-casing (exact terms only)
	text      string // as written in the file
	firstWord bool   // first rune is a word rune: needs a boundary before it
	lastWord  bool   // last rune is a word rune: needs a boundary after it
}

// node is a trie node over case-folded runes. Its children are
// matcher.edges[first : first+count], sorted by rune.
type node struct {
	term         int32 // index in matcher.terms, -1 if no term ends here
	first, count int32
}

// edge is the link from a node to its child for one folded rune.
type edge struct {
	r     rune
	child int32
}

// matcher finds terms in text: leftmost, then longest, non-overlapping. It is
// a trie over folded runes walked from every rune start; terms are short, so
// each walk is a few steps. A scan decodes and folds each rune of the text
// once, into a buffer of units (see units), and the walks read that.
type matcher struct {
	nodes []node // nodes[0] is the root
	edges []edge
	terms []termInfo
	// root maps a folded rune of the Basic Multilingual Plane to the root's
	// child for it (0: none): most positions of a text start no term, and
	// an array read rejects them faster than a search of the root's edges.
	root []int32
}

// newMatcher builds the trie over all terms of entries.
func newMatcher(entries []entry) matcher {
	m := matcher{nodes: []node{{term: -1}}}
	next := []map[rune]int32{nil} // the children of each node, while building
	eachTerm(entries, func(key string, t termInfo) { next = m.insert(next, key, t) })
	for n, children := range next {
		m.nodes[n].first = int32(len(m.edges))
		m.nodes[n].count = int32(len(children))
		for r, child := range children {
			m.edges = append(m.edges, edge{r: r, child: child})
		}
		es := m.edges[m.nodes[n].first:]
		slices.SortFunc(es, func(a, b edge) int { return cmp.Compare(a.r, b.r) })
	}
	m.root = make([]int32, 0x10000)
	for r, child := range next[0] {
		if r < 0x10000 {
			m.root[r] = child
		}
	}
	return m
}

// eachTerm calls add with the match key (matchKey) and the termInfo of
// every term of entries, in order; terms with an empty key are left out.
func eachTerm(entries []entry, add func(key string, t termInfo)) {
	for ei, e := range entries {
		for l, col := range e.terms {
			for _, s := range col {
				key := matchKey(s.text)
				if key == "" {
					continue
				}
				first, _ := utf8.DecodeRuneInString(key)
				last, _ := utf8.DecodeLastRuneInString(key)
				t := termInfo{
					entry:     int32(ei),
					lang:      int8(l),
					block:     e.id == blockerID,
					exact:     s.exact,
					text:      s.text,
					firstWord: isWord(first),
					lastWord:  isWord(last),
				}
				if s.exact {
					t.exactKey = dehyphen(fold(s.text, false))
				}
				add(key, t)
			}
		}
	}
}

// insert adds t under key, with next the children of each node so far, and
// returns next; the first term inserted under a key wins.
func (m *matcher) insert(next []map[rune]int32, key string, t termInfo) []map[rune]int32 {
	n := int32(0)
	for _, r := range key {
		child, ok := next[n][r]
		if !ok {
			child = int32(len(m.nodes))
			m.nodes = append(m.nodes, node{term: -1})
			next = append(next, nil)
			if next[n] == nil {
				next[n] = make(map[rune]int32)
			}
			next[n][r] = child
		}
		n = child
	}
	if m.nodes[n].term < 0 {
		m.nodes[n].term = int32(len(m.terms))
		m.terms = append(m.terms, t)
	}
	return next
}

// child returns the child of node n for the folded rune r, or 0 (the root is
// nobody's child) if there is none.
func (m *matcher) child(n int32, r rune) int32 {
	if n == 0 && r < 0x10000 {
		return m.root[r]
	}
	nd := m.nodes[n]
	es := m.edges[nd.first : nd.first+nd.count]
	if len(es) <= 8 {
		for _, e := range es {
			if e.r >= r {
				if e.r == r {
					return e.child
				}
				break
			}
		}
		return 0
	}
	lo, hi := 0, len(es)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if es[h].r < r {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(es) && es[lo].r == r {
		return es[lo].child
	}
	return 0
}

// unit is one rune of a text being scanned, decoded and folded once for all
// the walks that pass over it.
type unit struct {
	off   int   // byte offset of the rune in the text
	fold  rune  // foldRune(r, true), or ' ' for white space
	flags uint8 // the unit* bits
}

// Bits of unit.flags: what the matcher asks of a rune r.
const (
	unitWord      = 1 << iota // isWord(r)
	unitSpace                 // isSpace(r)
	unitIgnorable             // textnorm.Ignorable(r)
	unitHyphen                // foldRune(r, false) == '-'
	// unitJoin marks a hyphen or dash between two letters (isLetter): it
	// matches nothing, except where a walk starts ("Anti-Terrorist" and
	// "China–Europe" are the terms "Antiterrorist" and "ChinaEurope", as
	// dehyphen, after fold, makes their keys).
	unitJoin
)

// asciiUnits holds the fold and flags of each ASCII rune.
var asciiUnits = func() (t [utf8.RuneSelf]unit) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		t[r] = newUnit(r)
	}
	return t
}()

// newUnit returns the fold and flags of r (off 0).
func newUnit(r rune) unit {
	u := unit{fold: foldRune(r, true)}
	if isWord(r) {
		u.flags |= unitWord
	}
	if isSpace(r) {
		u.flags |= unitSpace
		u.fold = ' '
	}
	if textnorm.Ignorable(r) {
		u.flags |= unitIgnorable
	}
	if foldRune(r, false) == '-' {
		u.flags |= unitHyphen
	}
	return u
}

// unitPool recycles the unit buffers of scans.
var unitPool = sync.Pool{New: func() any { return new([]unit) }}

// maxPooledUnits bounds the buffers kept in unitPool (16 bytes a unit), so
// that one long text does not pin its buffer.
const maxPooledUnits = 1 << 16

// units appends to us a unit for each rune of text, then a last unit at
// offset len(text) with no flags, and returns us. If cyrillic, it reports
// false, and stops, at the first Cyrillic letter of hasCyrillic's range: such
// a text is matched in its stemmed view instead.
func units(us []unit, text string, cyrillic bool) ([]unit, bool) {
	hyphens := false
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			u := asciiUnits[c]
			u.off = i
			us = append(us, u)
			hyphens = hyphens || c == '-'
			i++
			continue
		}
		if r, ok := decodeCJK(text[i:]); ok {
			// Kana and ideographs: no word, space, ignorable or dash
			// (isWord, isSpace, textnorm.Ignorable); fold simplifies.
			us = append(us, unit{off: i, fold: textnorm.Simplify(r)})
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if cyrillic && r >= 0x0400 && r <= 0x052F {
			return us, false
		}
		u := newUnit(r)
		hyphens = hyphens || u.flags&unitHyphen != 0
		u.off = i
		us = append(us, u)
		i += size
	}
	us = append(us, unit{off: len(text)})
	if hyphens {
		for k := 1; k+1 < len(us)-1; k++ {
			if us[k].flags&unitHyphen != 0 && isLetter(unitRune(text, us, k-1)) && isLetter(unitRune(text, us, k+1)) {
				us[k].flags |= unitJoin
			}
		}
	}
	return us, true
}

// decodeCJK decodes the rune s starts with if it is kana or an ideograph
// (U+3040–U+9FFF, three bytes in UTF-8), the bulk of a Chinese text, faster
// than utf8.DecodeRuneInString.
func decodeCJK(s string) (rune, bool) {
	if len(s) < 3 || s[0] < 0xE3 || s[0] > 0xE9 || s[1]&0xC0 != 0x80 || s[2]&0xC0 != 0x80 {
		return 0, false
	}
	r := rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
	return r, r >= 0x3040
}

// unitRune decodes the rune of unit k again.
func unitRune(text string, us []unit, k int) rune {
	r, _ := utf8.DecodeRuneInString(text[us[k].off:])
	return r
}

// scan calls fn for every reported match in text, in order, with the match's
// byte offsets in text. Blockers consume text silently. A text with Russian
// words is matched in its stemmed form (see stemmedView), so "в Ташкенте"
// holds the term "Ташкент".
func (m *matcher) scan(text string, fn func(t *termInfo, start, end int)) {
	buf := unitPool.Get().(*[]unit)
	us, ok := units((*buf)[:0], text, true)
	if ok {
		m.scanUnits(text, us, fn)
	} else {
		v := stemmedView(text)
		us, _ = units(us[:0], v.text, false)
		m.scanUnits(v.text, us, func(t *termInfo, start, end int) {
			fn(t, v.pos[start], v.pos[end])
		})
	}
	if cap(us) <= maxPooledUnits {
		*buf = us
		unitPool.Put(buf)
	}
}

// scanUnits is scan over text, whose Russian words, if any, are stemmed, with
// us its units.
func (m *matcher) scanUnits(text string, us []unit, fn func(t *termInfo, start, end int)) {
	prevWord := false
	for k := 0; k < len(us)-1; {
		u := us[k]
		word := u.flags&unitWord != 0
		// The root array rejects most positions before any walk.
		if !(prevWord && word) && u.flags&unitIgnorable == 0 && (u.fold >= 0x10000 || m.root[u.fold] != 0) {
			if end, ti := m.longest(text, us, k); ti >= 0 {
				t := &m.terms[ti]
				if !t.block {
					fn(t, u.off, us[end].off)
				}
				prevWord = us[end-1].flags&unitWord != 0
				k = end
				continue
			}
		}
		prevWord = word
		k++
	}
}

// longest returns the end (a unit index) and term index of the longest term
// starting at unit i of text, or -1.
func (m *matcher) longest(text string, us []unit, i int) (int, int32) {
	bestEnd, best := 0, int32(-1)
	n := int32(0)
	last := len(us) - 1 // the end unit
	for k := i; k < last; {
		u := us[k]
		k++
		if u.flags&unitJoin != 0 && k-1 > i {
			continue
		}
		if u.flags&unitIgnorable != 0 {
			// A zero-width character inside a name ("上合\u200b组织").
			if k-1 == i {
				break
			}
			continue
		}
		if u.flags&unitSpace != 0 {
			for k < last && us[k].flags&unitSpace != 0 {
				k++
			}
		}
		n = m.child(n, u.fold)
		if n == 0 {
			break
		}
		ti := m.nodes[n].term
		if ti < 0 {
			continue
		}
		t := &m.terms[ti]
		if t.lastWord && us[k].flags&unitWord != 0 {
			continue
		}
		if t.exact && dehyphen(fold(text[us[i].off:us[k].off], false)) != t.exactKey {
			continue
		}
		bestEnd, best = k, ti
	}
	return bestEnd, best
}

// foldKey returns the identity of a term: folded, lower-cased, whitespace
// runs collapsed to one space, trimmed. Two terms with one key are the same
// term (a glossary may hold it once).
func foldKey(s string) string { return fold(s, true) }

// matchKey returns the key a term is matched under: its foldKey with each
// Russian word stemmed, as texts are (stemmedView), so that one entry
// matches every case form of a Russian name.
func matchKey(s string) string {
	k := foldKey(s)
	if hasCyrillic(k) {
		k = stemmedView(k).text
	}
	return dehyphen(k)
}

// dehyphen drops the hyphens that join two letters: reports write
// "anti-terrorist" and "antiterrorist", "Nur-Sultan" and "Nursultan".
func dehyphen(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	rs := []rune(s)
	out := rs[:0:0]
	for i, r := range rs {
		if r == '-' && i > 0 && i+1 < len(rs) && isLetter(rs[i-1]) && isLetter(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// isLetter reports whether r is a letter of an alphabet (not Han).
func isLetter(r rune) bool { return r >= 0 && unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }

// hasCyrillic reports whether s holds a Cyrillic letter.
func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x0400 && r <= 0x052F {
			return true
		}
	}
	return false
}

// fold normalises s for matching: full-width ASCII to ASCII, curly
// apostrophes to ', dashes to -, runs of white space to one space (trimmed),
// and, if lower, lower case.
func fold(s string, lower bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
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
		b.WriteRune(foldRune(r, lower))
	}
	return b.String()
}

// foldRune normalises one non-space rune.
func foldRune(r rune, lower bool) rune {
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

// isSpace reports whether r is white space (including U+3000).
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	if r >= 0x3040 && r <= 0x9FFF {
		return false // kana and ideographs
	}
	return unicode.IsSpace(r)
}

// isWord reports whether r is part of a Latin/Cyrillic-style word, across
// whose inside a term may not start or end. Han characters are not: Chinese
// has no word boundaries, so Han terms match anywhere.
func isWord(r rune) bool {
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

// view is a text with its Russian words replaced by their lower-case stems,
// and the way back: pos[i] is the offset in the original text of offset i of
// the view (for an offset inside a stem, the start of its word; just past a
// stem, just past its word).
type view struct {
	text string
	pos  []int
}

// stemmedView lower-cases and stems every Cyrillic word of text
// (textnorm.StemRussian) and copies everything else as it is.
func stemmedView(text string) view {
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
	return view{text: b.String(), pos: append(pos, len(text))}
}
