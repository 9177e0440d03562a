package tokens

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// wordSamples are texts whose words test asciiWord: every way an ASCII
// word can end, in every script around it.
var wordSamples = []string{
	"Wang Yi's proposal", "don't", "U.S. and U.N.", "e.g.x", "3.5% of 1,000 and 1,23 1,234,5", "COVID-19", "5月21日", "20多项",
	"75th 1st 22nd 3rd 0th 05 007 0.5 .5", "SCO-China", "SCO’s", "café", "naïve", "Ташкент", "x\u0301y", "ABC", "aBc1", "A", "noª", "5µm",
	"meetings proposed countries stopped issues", "the and of", "word\tword\nword", "Beijing/Moscow", "a_b", "a+b", "end.",
	"王毅在杜尚别上合组织外长理事会会议上提出了什么建议?", "2024年", "G20峰会", "5G", "g20", "ＳＣＯ", "Ｗａｎｇ", "a\u200bb",
}

// TestASCIIWord: wherever asciiWord takes a word, it emits what anyWord
// emits for it and stops where anyWord stops.
func TestASCIIWord(t *testing.T) {
	taken := 0
	for _, text := range append(slices.Clone(wordSamples), strings.Fields(strings.Join(wordSamples, " "))...) {
		taken += checkASCIIWord(t, text)
	}
	if taken == 0 {
		t.Fatal("asciiWord took no word of the samples")
	}
}

// checkASCIIWord compares asciiWord with anyWord at every word start of s
// and returns how many words asciiWord took.
func checkASCIIWord(t *testing.T, s string) int {
	t.Helper()
	taken := 0
	for i, r := range s {
		if !isWordRune(r) || i > 0 && isWordRune(lastRune(s[:i])) {
			continue
		}
		fast := termer{}
		j, ok := fast.asciiWord(s, i)
		if !ok {
			if j != i || len(fast.out) != 0 {
				t.Errorf("asciiWord(%q, %d) declined, but moved to %d and emitted %q", s, i, j, fast.out)
			}
			continue
		}
		taken++
		slow := termer{}
		if k := slow.anyWord(s, i); k != j || !slices.Equal(fast.out, slow.out) {
			t.Errorf("word of %q at %d: asciiWord %q to %d, anyWord %q to %d", s, i, fast.out, j, slow.out, k)
		}
	}
	return taken
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func FuzzASCIIWord(f *testing.F) {
	for _, s := range wordSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkASCIIWord(t, s) })
}

// TestHanStopAt: with the first-character filter, hanStopAt still finds
// every stop word and particle, after any character, and nothing else.
func TestHanStopAt(t *testing.T) {
	for _, w := range hanStopWords {
		for _, before := range []rune{'上', '什', '我', '为', '哪', '合'} {
			run := append([]rune{before}, w...)
			if got := hanStopAt(run, 1); got != len(w) {
				t.Errorf("hanStopAt(%q, 1) = %d, want %d", string(run), got, len(w))
			}
		}
	}
	for r := rune(0x3400); r <= 0x9FFF; r++ {
		want := 0
		if hanParticles[r] {
			want = 1
		}
		for _, w := range hanStopWords {
			if w[0] == r && want == 0 {
				want = -1 // a stop word may start here
			}
		}
		if got := hanStopAt([]rune{r, '上'}, 0); want >= 0 && got != want {
			t.Errorf("hanStopAt(%q) = %d, want %d", string(r)+"上", got, want)
		}
	}
}
