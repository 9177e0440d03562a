package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Small measures of a piece of text that the cleaner and the language split
// share.

// isCJK reports whether r is a Chinese or Japanese character or CJK
// punctuation — the characters that are written without spaces between them.
func isCJK(r rune) bool {
	switch {
	case r < 0x2E80:
		return false // below the first Han radical: ASCII, Latin, Cyrillic, …
	case r >= 0x4E00 && r <= 0x9FFF:
		return true // the CJK Unified Ideographs block, all Han
	}
	return unicode.Is(unicode.Han, r) ||
		unicode.In(r, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation
		(r >= 0xFF00 && r <= 0xFFEF) // full-width forms
}

// isSpaceOrPunct reports whether r is white space, punctuation or a symbol.
func isSpaceOrPunct(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// weight is a rough display length: a CJK character counts 2, anything else
// that is not a space counts 1.
func weight(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case isCJK(r):
			w += 2
		case !unicode.IsSpace(r):
			w++
		}
	}
	return w
}

// script counts the letters of s by script.
type script struct {
	han, latin, cyrillic, other int
}

func countScript(s string) script {
	var c script
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			// ASCII: its only letters are Latin; the tables below
			// would say the same, slower.
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				c.latin++
			}
		case r >= 0x4E00 && r <= 0x9FFF:
			c.han++ // the CJK Unified Ideographs block, all Han
		default:
			c.add(r)
		}
	}
	return c
}

// add counts r by what the Unicode tables say it is.
func (c *script) add(r rune) {
	switch {
	case unicode.Is(unicode.Han, r):
		c.han++
	case unicode.Is(unicode.Latin, r):
		c.latin++
	case unicode.Is(unicode.Cyrillic, r):
		c.cyrillic++
	case unicode.IsLetter(r):
		c.other++
	}
}

func (c script) letters() int { return c.han + c.latin + c.cyrillic + c.other }

// words counts the space-separated words of s that hold a non-Han letter.
func words(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }) >= 0 {
			n++
		}
	}
	return n
}

// closers are the characters that may follow a sentence's final punctuation.
const closers = `"'”’」』)）]】》>*`

// endsSentence reports whether s ends like a sentence (。！？.!?… ; or a colon
// that introduces what follows), ignoring closing quotes and brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, closers+" ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？.!?…;；:：", r)
}

// endsEllipsis reports whether s ends with "..." or "…", the mark of a
// truncated teaser.
func endsEllipsis(s string) bool {
	s = strings.TrimRight(s, closers+" ")
	return strings.HasSuffix(s, "...") || strings.HasSuffix(s, "…")
}

// sentenceMarks counts sentence-ending punctuation inside s.
func sentenceMarks(s string) int {
	n := 0
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '。', '！', '？', '!', '?':
			n++
		case '.':
			if i+1 == len(rs) || rs[i+1] == ' ' {
				n++
			}
		}
	}
	return n
}

// hasInnerPunct reports whether s holds punctuation that only running text
// has: commas, enumeration commas, semicolons, colons or sentence ends.
func hasInnerPunct(s string) bool {
	return strings.ContainsAny(s, ",，、;；:：。.!?！？")
}

// tidySpaces collapses runs of white space to one space and removes the
// spaces between CJK characters.
func tidySpaces(s string) string {
	if tidy(s) {
		return s
	}
	return tidyFields(s)
}

// tidyFields is tidySpaces for a text with spaces to tidy.
func tidyFields(s string) string {
	f := strings.Fields(s)
	if len(f) <= 1 {
		return strings.Join(f, "")
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, w := range f {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(f[i-1])
			next, _ := utf8.DecodeRuneInString(w)
			if !(isCJK(prev) && isCJK(next)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

// tidy reports whether tidySpaces would return s as it is: its spaces are
// single ASCII spaces, none at either end and none between two CJK
// characters.
func tidy(s string) bool {
	if !collapsed(s) {
		return false
	}
	for i := strings.IndexByte(s, ' '); i >= 0; {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		if isCJK(prev) && isCJK(next) {
			return false
		}
		j := strings.IndexByte(s[i+1:], ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return true
}

// similar reports whether two headlines say nearly the same thing: most of
// their words (Latin) or character pairs (CJK) are shared.
func similar(a, b string) bool {
	ta, tb := tokens(a), tokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	shared := 0
	for t := range ta {
		if tb[t] {
			shared++
		}
	}
	small := min(len(ta), len(tb))
	return shared*10 >= small*7
}

// tokens returns the lower-cased words of s, with runs of CJK characters
// broken into overlapping pairs.
func tokens(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		first, size := utf8.DecodeRuneInString(f)
		if !isCJK(first) || size == len(f) {
			out[f] = true
			continue
		}
		// Overlapping pairs of characters, as views of f (the set lives
		// no longer than the call that asked for it).
		prev, at := 0, size
		for at < len(f) {
			_, n := utf8.DecodeRuneInString(f[at:])
			out[f[prev:at+n]] = true
			prev, at = at, at+n
		}
	}
	return out
}
