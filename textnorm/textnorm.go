// Package textnorm normalises text before scobot compares it: the same
// words written in traditional or simplified Chinese, in full-width or
// half-width forms, with zero-width characters or control codes inside, or
// in another Russian case, must compare equal. The index and the questions
// go through the same functions, so a question in simplified Chinese finds
// a report scraped from a big5 gateway, and "Ташкенте" finds "Ташкент".
//
// Text shown to users is never normalised: quotations stay verbatim.
package textnorm

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in the form text is compared in: Unicode NFKC
// (full-width letters, digits and punctuation become ASCII, compatibility
// ideographs their unified forms), zero-width and control characters
// removed (tabs and newlines kept), and traditional Chinese characters
// replaced by their simplified forms (Simplify). It does not change case.
func Normalize(s string) string {
	if q, ok := quickNFKC(s); ok {
		s = q
	} else {
		s = norm.NFKC.String(s)
	}
	clean := true
	for _, r := range s {
		if Ignorable(r) || (r >= 0x3400 && Simplify(r) != r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if Ignorable(r) {
			continue
		}
		b.WriteRune(Simplify(r))
	}
	return b.String()
}

// quickNFKC returns NFKC of s, and true, when s is made only of characters
// whose NFKC form is known without the normaliser: ASCII, the CJK Unified
// Ideographs (U+4E00–U+9FFF) and the common Chinese punctuation of
// nfkcKept, which it leaves as they are, and the full-width forms of ASCII
// (U+FF01–U+FF5E: "，", "：", "（", "２"), which become their ASCII
// characters. That is most of what scobot reads, and checking it is much
// cheaper than the normaliser's own check. Any other character (one that
// NFKC might change, or combine with its neighbour) gives false.
func quickNFKC(s string) (string, bool) {
	wide := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
		case r >= 0xFF01 && r <= 0xFF5E:
			wide = true
		case r < 0x3100 && strings.ContainsRune(nfkcKept, r):
		default:
			return "", false
		}
		i += size
	}
	if !wide {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFF01 - '!'
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// nfkcKept is the Chinese punctuation NFKC leaves as it is and that never
// combines with the character before it.
const nfkcKept = "、。〈〉《》「」『』【】〔〕〖〗“”‘’—·"

// StripIgnorable returns s without its Ignorable characters (zero-width
// spaces and joiners, soft hyphens, controls), and nothing else changed: a
// question keeps its letters, case and punctuation as typed, but a
// zero-width space pasted inside a name no longer splits it, as it splits
// none in the index.
func StripIgnorable(s string) string {
	i := strings.IndexFunc(s, Ignorable)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !Ignorable(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Ignorable reports whether r carries nothing to compare: a control
// character other than tab, newline and carriage return, or an invisible
// format character (zero-width space and joiners, word joiner, soft hyphen,
// byte-order mark, bidirectional marks). Scraped pages carry them inside
// words, where they would split a name in two.
func Ignorable(r rune) bool {
	switch {
	case r >= 0x20 && r < 0x7F, r >= 0x3040 && r <= 0x9FFF:
		return false // printable ASCII, kana and ideographs: the common case
	case r == '\t' || r == '\n' || r == '\r':
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// Simplify returns the simplified form of a traditional Chinese character,
// or r itself. The table is OpenCC's traditional-to-simplified character
// conversion (github.com/longbridgeapp/opencc, "t2s"), built once, for the
// unified ideographs (U+3400–U+9FFF) and the compatibility ideographs
// (U+F900–U+FAFF), which are read as the unified ideograph they stand for
// (Unicode's canonical decomposition) before converting. It works character
// by character, not by phrase: the conversion only has to make two
// spellings of one word compare equal, and a per-character table keeps
// every offset of a text where it was (matchers report positions in the
// original text) and costs one array read per character.
func Simplify(r rune) rune {
	if r < simplifyLo || r > simplifyHi {
		return r
	}
	t := table.Load()
	if t == nil {
		t = loadTable()
	}
	if s := (*t)[r-simplifyLo]; s != 0 {
		return s
	}
	return r
}

// table publishes the table simplified builds, once built: an atomic read
// per character, where a sync.OnceValue call per character made glossary
// matching about 10% slower (BenchmarkMatch, rag/glossary). It only ever
// holds that one immutable table.
var table atomic.Pointer[[]rune]

// loadTable builds the table once and publishes it.
func loadTable() *[]rune {
	t := simplified()
	table.Store(&t)
	return &t
}

// The range of runes Simplify's table covers.
const (
	simplifyLo = 0x3400
	simplifyHi = 0xFAFF
)

// simplified is the traditional → simplified table, indexed by rune minus
// simplifyLo; 0 means the character stays as it is. It is built on first
// use and never changes after.
var simplified = sync.OnceValue(func() []rune {
	table := make([]rune, simplifyHi-simplifyLo+1)
	cc, err := opencc.New("t2s")
	if err != nil {
		// OpenCC's dictionaries are embedded in its package; this cannot
		// fail short of a broken build, which the tests catch (the table
		// would be empty).
		return table
	}
	for _, block := range [][2]rune{{0x3400, 0x9FFF}, {0xF900, 0xFAFF}} {
		for r := block[0]; r <= block[1]; r++ {
			// NFC reads a compatibility ideograph as its unified form.
			out, err := cc.Convert(norm.NFC.String(string(r)))
			if err != nil {
				continue
			}
			s, size := utf8.DecodeRuneInString(out)
			if size == len(out) && s != r && s != utf8.RuneError {
				table[r-simplifyLo] = s
			}
		}
	}
	return table
})
