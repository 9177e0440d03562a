package tokens

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits text (valid UTF-8) into sentences, each trimmed of surrounding white
// space, empty ones dropped. It never drops or reorders anything else:
// concatenating the sentences in order reproduces the non-space characters
// of s exactly.
//
// A sentence ends:
//   - after a Chinese ender 。！？；… (a run of them, like "……" or "？！",
//     stays together);
//   - after an ASCII "!" or "?" unless a Latin letter or digit follows at
//     once (as in a URL's "?id=1");
//   - after an ASCII "." followed by white space, the end of the text or a Han
//     character, unless the word before it is a common abbreviation (Mr. Dr.
//     U.S. e.g. No. 5 …) or a single initial, or the next word starts with a
//     lower-case letter; a "." between digits (3.5) never ends one;
//   - at a paragraph break (a line with nothing but white space).
//
// Closing quotes and brackets (” ’ " ' 」 』 ） ) 》 】 ]) right after an ender
// stay with the sentence they close.
func Sentences(s string) []string {
	var out []string
	start := 0
	emit := func(end int) {
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
		start = end
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			if j, ok := paragraphBreak(s, i); ok {
				emit(i)
				i = j
				start = j
				continue
			}
		case isChineseEnder(r) || ((r == '!' || r == '?') && !followedByWord(s, i+size)):
			j := skipEnders(s, i+size)
			emit(j)
			i = j
			continue
		case r == '.' && isFullStop(s, i):
			j := skipEnders(s, i+size)
			emit(j)
			i = j
			continue
		}
		i += size
	}
	emit(len(s))
	return out
}

// paragraphBreak reports whether the newline at s[i] starts a blank line,
// and returns the index of the first non-space rune after the break.
func paragraphBreak(s string, i int) (int, bool) {
	newlines := 0
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsSpace(r) {
			break
		}
		if r == '\n' {
			newlines++
		}
		j += size
	}
	return j, newlines >= 2
}

func isChineseEnder(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '…', '｡':
		return true
	}
	return false
}

// skipEnders returns the index after any further sentence-ending marks and
// closing quotes or brackets starting at s[i].
func skipEnders(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isChineseEnder(r) && !isCloser(r) && r != '!' && r != '?' && r != '.' {
			break
		}
		i += size
	}
	return i
}

func isCloser(r rune) bool {
	switch r {
	case '”', '’', '"', '\'', '」', '』', '）', ')', '》', '〉', '】', ']', '〕', '｝', '}', '〗':
		return true
	}
	return false
}

// followedByWord reports whether a non-Han letter or a digit starts at s[i].
func followedByWord(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && isWordRune(r)
}

// isFullStop reports whether the "." at s[i] ends a sentence.
func isFullStop(s string, i int) bool {
	// What follows the dot (and any closers or further dots) must be space,
	// the end, or Han text.
	j := skipEnders(s, i+1)
	if j < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsSpace(r) && !IsHan(r) {
			return false
		}
	}
	if j > i+1 && s[j-1] != '.' {
		// "… end." followed by a closing quote: a sentence end for sure.
		return true
	}
	// The next word starts with a lower-case letter: not a sentence end.
	next := strings.TrimLeftFunc(s[j:], unicode.IsSpace)
	if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) {
		return false
	}
	// The word before the dot.
	k := i
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:k])
		if !unicode.IsLetter(r) && r != '.' || IsHan(r) {
			break
		}
		k -= size
	}
	word := strings.ToLower(s[k:i])
	switch {
	case word == "":
		return true
	case strings.Contains(word, "."): // U.S. e.g. a.m.
		return false
	case utf8.RuneCountInString(word) == 1 && unicode.IsUpper(firstRune(s[k:i])): // an initial: "J. Smith"
		return false
	case word == "no" || word == "nos":
		r, _ := utf8.DecodeRuneInString(next)
		return !unicode.IsDigit(r)
	}
	return !abbreviations[word]
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// abbreviations are words that are usually followed by a "." that does not
// end the sentence.
var abbreviations = setOf(
	"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "gen", "col", "lt", "sgt", "capt", "gov",
	"sen", "rep", "rev", "fig", "vol", "approx", "dept", "est", "inc", "ltd", "co", "corp", "mt", "ft",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)
