package translit

import (
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/internal/realdocs"
)

// TestInWordEveryRune checks inWord's shortcuts against the Unicode tables
// they stand for, on every code point, inside a word and at its start.
func TestInWordEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		for _, inside := range []bool{false, true} {
			s := scriptOf(r)
			want := s == Latin || s == Cyrillic || (inside && isWordJoiner(r))
			if got := inWord(r, inside); got != want {
				t.Fatalf("inWord(%U, %v) = %v, want %v", r, inside, got, want)
			}
		}
	}
}

// TestTranslitBitsEveryRune checks the bit table against the set it is made
// from, on every code point.
func TestTranslitBitsEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := IsTranslitChar(r), translitSet[r]; got != want {
			t.Fatalf("IsTranslitChar(%U) = %v, want %v", r, got, want)
		}
	}
}

// referenceWords is scanWords as it was before its shortcuts: every rune
// decoded and classified through the Unicode tables, every word trimmed
// and looked up.
func referenceWords(text string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(text); {
		r, size := rune(0), 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if i < len(text) {
			s := scriptOf(r)
			if s == Latin || s == Cyrillic || (start >= 0 && isWordJoiner(r)) {
				if start < 0 {
					start = i
				}
				i += size
				continue
			}
		}
		if start >= 0 {
			if w := trimPossessive(trimJoiners(text[start:i])); referenceNameWord(w) {
				out = append(out, w)
			}
			start = -1
		}
		i += size
	}
	return out
}

// TestWordsSameAsReference compares Words with the reference scan on the
// benchmark's chunks, on hand-made edge cases and on the seed and real
// development reports where they lie.
func TestWordsSameAsReference(t *testing.T) {
	texts := append(makeChunks(t, 300),
		"", "A", "a", "Lavrov's", "O'zbekiston and Oʻzbekiston", "'Putin", "x'Putin",
		"ÉMILE Émile émile", "Путин, путин, ПУТИН", "SCO TASS NATO-Russia",
		"THE President Xi said", "ＡＢＣ Ａbc", "〇Lavrov〇", "Cholpon-Ata",
		"Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq Abcdefghijklmnopqrstuvwxyzabcdef",
		"Ab\u0301c d\u0301ef \u302aAbc", "\xffAbc\xff", "拉夫罗夫Lavrov会见Wang Yi")
	for _, d := range append(realdocs.Seeds(t, "../.."), realdocs.Real(t, "../..")...) {
		texts = append(texts, d)
	}
	for _, text := range texts {
		if got, want := Words(text), referenceWords(text); !slices.Equal(got, want) {
			t.Fatalf("Words(%.80q) = %q, want %q", text, got, want)
		}
	}
}

// FuzzWordsSameAsReference compares Words with the reference scan on any
// text.
func FuzzWordsSameAsReference(f *testing.F) {
	for _, s := range []string{"Lavrov's visit", "Путин и Си", "ÉMILE x'Putin 拉夫罗夫"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := Words(text), referenceWords(text); !slices.Equal(got, want) {
			t.Fatalf("Words(%q) = %q, want %q", text, got, want)
		}
	})
}

// referenceNameWord is isNameWord as it was before its shortcut.
func referenceNameWord(w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(first) {
		return false
	}
	upper, letters := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if upper == letters && letters <= 5 {
		return false
	}
	return !commonWords[lowerWord(w)]
}

// FuzzDecodeRune compares decodeRune with utf8.DecodeRuneInString at every
// offset of any text.
func FuzzDecodeRune(f *testing.F) {
	for _, s := range []string{"拉夫罗夫 Lavrov", "\xe4A\xed\xa0\x80\xef\xbf\xbf\xe1\x80", "Путин 𠀋 \xe0\x80\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for i := range len(text) {
			r, n := decodeRune(text, i)
			wr, wn := utf8.DecodeRuneInString(text[i:])
			if r != wr || n != wn {
				t.Fatalf("decodeRune(%q, %d) = %U, %d; want %U, %d", text, i, r, n, wr, wn)
			}
		}
	})
}
