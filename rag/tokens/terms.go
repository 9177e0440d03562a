package tokens

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// Terms returns the index terms of s, in order, duplicates kept.
//
// The text is first normalised by textnorm.Normalize (NFKC: full-width
// Latin letters and digits become ASCII, ligatures and circled digits are
// expanded; zero-width and control characters go; traditional Chinese
// characters become simplified ones) and lower-cased. Then:
//
//   - Latin, Cyrillic and other alphabetic words are lower-cased; ASCII words
//     lose a possessive "'s" and are light-stemmed (see stem); stop words and
//     one-letter words are dropped; Russian (Cyrillic) words are stemmed by
//     textnorm.StemRussian, so their case forms meet. Hyphens and other punctuation split words,
//     so "COVID-19" gives "covid", "19" and "five-point" gives "five",
//     "point".
//   - Numbers are kept, without leading zeros ("05" → "5"); a decimal point or
//     a thousands separator between digits stays inside the number ("3.5",
//     "1,000" → "1000"). Digits glued to letters stay one term ("5g", "g20").
//   - A number directly followed by a Han character also yields the pair as
//     one term, and that character leaves the Han run: "5月21日电" gives "5",
//     "5月", "21", "21日", "电"; "20多项" gives "20", "20多", "项". Dates,
//     counts and "20多" thus match as units, and the bare number still
//     matches an English "2024" or "20".
//   - Han text becomes overlapping character bigrams. Runs are first cut at
//     particles that never start or end a content word (的 了 吗 呢 吧 啊) and
//     at question words and pronouns (什么 哪些 多少 我们 …), which would
//     otherwise give a question rare, high-idf bigrams that no answer
//     contains. A run of one character yields that character as a unigram
//     unless it is a function character (是 在 和 与 …); those are kept inside
//     longer runs so "和平" and "现在" still form their bigrams.
//
// Unigrams for every Han character (on top of the bigrams) were measured
// with BM25 over the seed corpus chunked by rag/chunk: the mean reciprocal
// rank of the first chunk holding the answer was 0.567 without and 0.566 with
// them on the 12 answerable dev questions, and 0.969 both ways on 16 further
// single-language probe questions; no rank improved. The bigrams already
// match every name and term the questions use, while single characters
// (会, 合, 国 …) occur in nearly every chunk and only add noise and index
// size. So unigrams are emitted only where a run has nothing else to offer.
func Terms(s string) []string {
	s = textnorm.Normalize(s)
	t := termer{out: make([]string, 0, len(s)/4)}
	t.scan(s)
	return t.out
}

// termer accumulates the terms of one text.
type termer struct {
	out []string
	// The current Han run: its characters, and where each starts in src
	// (the text scan reads), with one more entry where the run ends.
	han   []rune
	hanAt []int
	src   string
}

func (t *termer) scan(s string) {
	t.src = s
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case IsHan(r):
			t.han = append(t.han, r)
			t.hanAt = append(t.hanAt, i)
			i += size
		case isWordRune(r):
			t.flushHan()
			if a, j := acronym(s, i); j > i {
				t.out = append(t.out, a)
				i = j
				continue
			}
			i = t.word(s, i)
		default:
			t.flushHan()
			i += size
		}
	}
	t.flushHan()
}

// word reads the word starting at s[i], emits its terms and returns the
// index just past it.
func (t *termer) word(s string, i int) int {
	if j, ok := t.asciiWord(s, i); ok {
		return j
	}
	return t.anyWord(s, i)
}

// asciiWord is word for the common case, a word of ASCII letters and
// digits that ends at an ASCII character which cannot continue it (not an
// apostrophe, a point or a comma): it emits the terms anyWord would without
// asking the Unicode tables about every letter. It reports false, having
// emitted nothing, for any other word.
func (t *termer) asciiWord(s string, i int) (int, bool) {
	digits, letters, upper := 0, 0, 0
	j := i
scan:
	for ; j < len(s); j++ {
		c := s[j]
		switch {
		case '0' <= c && c <= '9':
			digits++
		case 'a' <= c && c <= 'z':
			letters++
		case 'A' <= c && c <= 'Z':
			letters++
			upper++
		case c >= utf8.RuneSelf || c == '\'' || c == '.' || c == ',':
			return i, false
		default:
			break scan
		}
	}
	var w string
	if upper == 0 {
		w = strings.Clone(s[i:j]) // a term of its own, not a view of s
	} else {
		b := []byte(s[i:j])
		for k, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[k] = c + 'a' - 'A'
			}
		}
		w = string(b)
	}
	if letters == 0 {
		t.number(w) // no Han character follows: s[j] is ASCII
		return j, true
	}
	t.latin(w, digits > 0)
	return j, true
}

// anyWord is word for a word of any script.
func (t *termer) anyWord(s string, i int) int {
	var b strings.Builder
	digits, letters := 0, 0
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case isWordRune(r):
			if unicode.IsDigit(r) {
				digits++
			} else {
				letters++
			}
			b.WriteRune(unicode.ToLower(r))
			j += size
			continue
		case r == '\'' || r == '’':
			// An apostrophe inside a word ("wang yi's", "don't").
			if letters > 0 && j+size < len(s) {
				if n, _ := utf8.DecodeRuneInString(s[j+size:]); unicode.IsLetter(n) && !IsHan(n) {
					b.WriteByte('\'')
					j += size
					continue
				}
			}
		case r == '.' || r == ',':
			// A decimal point or thousands separator inside a number.
			if letters == 0 && digits > 0 && numberContinues(s[j+size:], r) {
				if r == '.' {
					b.WriteByte('.')
				}
				j += size
				continue
			}
		}
		break
	}
	w := b.String()
	if letters == 0 {
		t.number(w)
		// A number glued to a Han character: "5月", "20多".
		if r, size := utf8.DecodeRuneInString(s[j:]); IsHan(r) {
			t.out = append(t.out, trimZeros(w)+string(r))
			j += size
		}
		return j
	}
	t.latin(w, digits > 0)
	return j
}

// acronym reads a dotted acronym like "U.S." or "U.N." (two or more single
// letters, each followed by a dot) starting at s[i]. It returns the letters
// lower-cased and the index past the last dot, or i when there is none.
func acronym(s string, i int) (string, int) {
	var b strings.Builder
	j, n := i, 0
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) || IsHan(r) || j+size >= len(s) || s[j+size] != '.' {
			break
		}
		b.WriteRune(unicode.ToLower(r))
		j += size + 1
		n++
		if j < len(s) {
			if next, _ := utf8.DecodeRuneInString(s[j:]); isWordRune(next) && !isLetterDot(s, j) {
				return "", i // "e.g.x" or "a.bc": not an acronym
			}
		}
	}
	if n < 2 {
		return "", i
	}
	return b.String(), j
}

// isLetterDot reports whether s[j:] starts with one letter and a dot.
func isLetterDot(s string, j int) bool {
	r, size := utf8.DecodeRuneInString(s[j:])
	return unicode.IsLetter(r) && j+size < len(s) && s[j+size] == '.'
}

// numberContinues reports whether the separator sep (already consumed) is
// followed by the digits that make it part of a number: any digit after '.',
// exactly three digits and then no digit after ','.
func numberContinues(rest string, sep rune) bool {
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if sep == '.' {
		return n > 0
	}
	return n == 3
}

func (t *termer) number(w string) {
	t.out = append(t.out, trimZeros(w))
}

// trimZeros drops leading zeros from a number ("05" → "5", "0" stays).
func trimZeros(w string) string {
	n := strings.TrimLeft(w, "0")
	if n == "" || n[0] == '.' {
		return "0" + n
	}
	return n
}

// latin emits the term for one lower-cased alphabetic (or alphanumeric) word.
func (t *termer) latin(w string, hasDigits bool) {
	if hasDigits {
		w = strings.ReplaceAll(w, "'", "")
		t.out = append(t.out, w)
		// An English ordinal is its number too: "the 75th anniversary"
		// is the 75周年 of a Chinese report.
		if m := ordinalRE.FindStringSubmatch(w); m != nil {
			t.out = append(t.out, trimZeros(m[1]))
		}
		return
	}
	w = strings.TrimSuffix(w, "'s")
	w = strings.ReplaceAll(w, "'", "")
	if utf8.RuneCountInString(w) < 2 || stopWords[w] {
		return
	}
	if isASCII(w) {
		w = stem(w)
	} else {
		w = textnorm.StemRussian(w)
	}
	t.out = append(t.out, w)
}

// ordinalRE finds an English ordinal written in digits: "75th", "1st".
var ordinalRE = regexp.MustCompile(`^([0-9]+)(?:st|nd|rd|th)$`)

// flushHan emits the terms of the pending Han run.
func (t *termer) flushHan() {
	run := t.han
	if len(run) == 0 {
		return
	}
	// The run's characters stand next to each other in src (any other
	// character ends the run), so a segment of it is a piece of src.
	last := len(run) - 1
	t.hanAt = append(t.hanAt, t.hanAt[last]+utf8.RuneLen(run[last]))
	start := 0
	for i := 0; i < len(run); {
		if n := hanStopAt(run, i); n > 0 {
			t.hanSegment(start, i)
			i += n
			start = i
			continue
		}
		i++
	}
	t.hanSegment(start, len(run))
	t.han, t.hanAt = t.han[:0], t.hanAt[:0]
}

// hanSegment emits the bigrams of the Han segment run[lo:hi], which has no
// stop words inside, or its single character when it has only one. Each
// term is a copy of its piece of src (strings.Clone), not a view that would
// keep the whole text alive where the term is kept.
func (t *termer) hanSegment(lo, hi int) {
	switch hi - lo {
	case 0:
	case 1:
		if !hanStopChars[t.han[lo]] {
			t.out = append(t.out, strings.Clone(t.src[t.hanAt[lo]:t.hanAt[hi]]))
		}
	default:
		for i := lo; i+1 < hi; i++ {
			t.out = append(t.out, strings.Clone(t.src[t.hanAt[i]:t.hanAt[i+2]]))
		}
	}
}

// hanStopAt returns the length of the particle or stop word starting at
// run[i], 0 if there is none.
func hanStopAt(run []rune, i int) int {
	if hanParticles[run[i]] {
		return 1
	}
	if !hanStopStarts[run[i]] {
		return 0 // no stop word starts here: none need be tried
	}
	for _, w := range hanStopWords {
		if hasRunePrefix(run[i:], w) {
			return len(w)
		}
	}
	return 0
}

func hasRunePrefix(s, prefix []rune) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i, r := range prefix {
		if s[i] != r {
			return false
		}
	}
	return true
}

// IsHan reports whether r is a CJK ideograph (Unicode script Han).
func IsHan(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r)
}

// isWordRune reports whether r belongs to a non-Han word.
func isWordRune(r rune) bool {
	if r < 0x300 {
		// Below the first nonspacing mark and far below Han: a letter
		// or a digit (the tables answer these from Latin-1's).
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !IsHan(r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
