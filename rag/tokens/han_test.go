package tokens

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scobot/scobot/internal/realdocs"
	"github.com/scobot/scobot/textnorm"
)

// termsBefore is Terms as it was before Han terms became copies of pieces
// of the text: the Han run kept as runes and each bigram made from two of
// them. It is the reference the Han terms are compared with.
func termsBefore(s string) []string {
	s = textnorm.Normalize(s)
	t := termer{}
	var run []rune
	flush := func() {
		t.out = append(t.out, hanTermsBefore(run)...)
		run = run[:0]
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case IsHan(r):
			run = append(run, r)
			i += size
		case isWordRune(r):
			flush()
			if a, j := acronym(s, i); j > i {
				t.out = append(t.out, a)
				i = j
				continue
			}
			i = t.word(s, i)
		default:
			flush()
			i += size
		}
	}
	flush()
	return t.out
}

// hanTermsBefore is the terms of one Han run as flushHan made them from
// the run's runes.
func hanTermsBefore(run []rune) []string {
	var out []string
	segment := func(seg []rune) {
		switch len(seg) {
		case 0:
		case 1:
			if !hanStopChars[seg[0]] {
				out = append(out, string(seg))
			}
		default:
			for i := 0; i+1 < len(seg); i++ {
				out = append(out, string(seg[i:i+2]))
			}
		}
	}
	start := 0
	for i := 0; i < len(run); {
		if n := hanStopAt(run, i); n > 0 {
			segment(run[start:i])
			i += n
			start = i
			continue
		}
		i++
	}
	segment(run[start:])
	return out
}

// hanSamples are texts that end, start and break Han runs every way:
// particles and stop words at either end, lone characters, numbers glued
// to characters, characters outside the Basic Multilingual Plane,
// traditional characters and full-width forms, invalid UTF-8.
var hanSamples = []string{
	"", "上", "的", "是", "上合", "上的合", "的上合的", "我们的上合组织", "什么", "上合组织峰会在哪里举行?", "5月21日电", "20多项合作", "a上b合c",
	"上合 组织", "上合\n组织", "𠀀𠀁𠀂", "上𠀀合", "會議將於9月16日在撒馬爾罕舉行", "ＳＣＯ峰會", "上\xff合", "\xff上合\xff", "上合。组织，峰会", "是在和与",
	"王毅在杜尚别上合组织外长理事会会议上提出了什么建议?", "了吗呢吧啊", "上了", "了上", "上合组织2024年", "Ташкент上合", "U.S.上合",
}

// TestHanTermsSameAsBefore: Terms makes the terms it made when Han
// bigrams were built from runes, on the samples, on every line and whole
// text of the seed reports and of the real development documents (if
// ../shared/realdev/docs is beside the repository).
func TestHanTermsSameAsBefore(t *testing.T) {
	texts := append(slices.Clone(hanSamples), wordSamples...)
	for _, doc := range append(realdocs.Seeds(t, "../.."), realdocs.Real(t, "../..")...) {
		texts = append(texts, doc)
		texts = append(texts, strings.Split(doc, "\n")...)
	}
	han := 0
	for _, s := range texts {
		got, want := Terms(s), termsBefore(s)
		if !slices.Equal(got, want) {
			t.Fatalf("Terms(%q) = %q, want %q", s, got, want)
		}
		for _, term := range got {
			if r, _ := utf8.DecodeRuneInString(term); IsHan(r) {
				han++
			}
		}
	}
	if han == 0 {
		t.Fatal("no Han term in the texts")
	}
}

// FuzzHanTermsSameAsBefore is TestHanTermsSameAsBefore on fuzzed texts.
func FuzzHanTermsSameAsBefore(f *testing.F) {
	for _, s := range hanSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Terms(s), termsBefore(s); !slices.Equal(got, want) {
			t.Fatalf("Terms(%q) = %q, want %q", s, got, want)
		}
	})
}
