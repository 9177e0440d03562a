package glossary

import (
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scobot/scobot/internal/realdocs"
)

// scanned is one match a matcher's scan reports: the term and its byte
// offsets in the text.
type scanned struct {
	t          termInfo
	start, end int
}

// scanAll returns every match scan reports in text, in order.
func scanAll(scan func(string, func(*termInfo, int, int)), text string) []scanned {
	var out []scanned
	scan(text, func(t *termInfo, start, end int) { out = append(out, scanned{*t, start, end}) })
	return out
}

// sameAsBefore reports, through t, where g's matcher reports other
// matches in text than the reference matcher ref built over g's entries:
// another term, language or offset, one more or one fewer. Find, Concepts
// and Expand are made from exactly these reports, so they agree when the
// reports do.
func sameAsBefore(t *testing.T, name string, g *Glossary, ref *refMatcher, text string) bool {
	t.Helper()
	if got, want := scanAll(g.m.scan, text), scanAll(ref.scan, text); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: matches in %q\n got %+v\nwant %+v", name, text, got, want)
		return false
	}
	return true
}

// weirdTSV is a glossary of terms at the edges of the matching rules: terms
// that start or end with a dash, hold spaces or apostrophes, are exact, or
// are Russian words that stemming shortens.
const weirdTSV = `dash	-ism|x-|‐19|上-合	-ist|pre-|a - b|'s|O’Neil|ＳＣＯ-Ｘ
exact	甲乙	=A-B|=US-China|=Ａb|=x y
stem	丙丁	Ёж	ЁЁЁЁ|Ташкент|в Ташкенте|ѐ
space	上 合	New  York|x y z
blk	戊	big
-	上合组织x	big apple
pre	上合|上合组织	big-apple|Big Apple Inc
word	一	_x|x_|9|é
`

// sameAsBeforeGlossaries returns the glossaries the differential tests use:
// the built-in glossary, the lexicon, both merged, the small test one and
// weirdTSV's.
func sameAsBeforeGlossaries(t testing.TB) map[string]*Glossary {
	g, lex := mustDefault(t), mustLexicon(t)
	return map[string]*Glossary{
		"glossary": g,
		"lexicon":  lex,
		"merged":   g.Merge(lex),
		"test":     mustParse(t, testTSV),
		"weird":    mustParse(t, weirdTSV),
	}
}

// TestMatcherSameAsBefore checks that the matcher finds exactly what the
// matcher before the per-scan rune buffer found (matchref_test.go), on the
// seed reports, on every line of the real development documents (if
// ../shared/realdev/docs is beside the repository) and on generated texts mixing
// simplified and traditional Chinese, English with hyphens, dashes, curly
// apostrophes and full-width letters, Russian case forms, zero-width
// characters, runs of white space and invalid UTF-8.
func TestMatcherSameAsBefore(t *testing.T) {
	var texts []string
	addDoc := func(doc string) {
		texts = append(texts, doc)
		texts = append(texts, strings.Split(doc, "\n")...)
	}
	seeds, err := filepath.Glob(filepath.Join("..", "..", "corpus", "docs", "*.txt"))
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seed reports: %v", err)
	}
	for _, p := range seeds {
		addDoc(readSeed(t, strings.TrimSuffix(filepath.Base(p), ".txt")))
	}
	for _, doc := range realdocs.Real(t, "../..") {
		addDoc(doc)
	}
	for _, tt := range findTests {
		texts = append(texts, tt.text)
	}
	for _, q := range devQuestions {
		texts = append(texts, q.q)
	}
	gs := sameAsBeforeGlossaries(t)
	texts = append(texts, generatedTexts(gs, 20000)...)
	for name, g := range gs {
		ref := newRefMatcher(g.entries)
		failed := 0
		for _, text := range texts {
			if !sameAsBefore(t, name, g, &ref, text) {
				if failed++; failed == 10 {
					t.Fatalf("%s: too many differences", name)
				}
			}
		}
	}
}

// FuzzMatcherSameAsBefore is TestMatcherSameAsBefore on fuzzed texts.
func FuzzMatcherSameAsBefore(f *testing.F) {
	gs := sameAsBeforeGlossaries(f)
	for _, text := range generatedTexts(gs, 200) {
		f.Add(text)
	}
	refs := map[string]refMatcher{}
	for name, g := range gs {
		refs[name] = newRefMatcher(g.entries)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for name, g := range gs {
			ref := refs[name]
			sameAsBefore(t, name, g, &ref, text)
		}
	})
}

// generatedTexts returns n texts, the same on every run, made of terms of
// gs's glossaries, spelled in the ways reports spell them and mangled in the
// ways that should, or should not, stop a match, between filler.
func generatedTexts(gs map[string]*Glossary, n int) []string {
	var terms []string
	for _, name := range []string{"merged", "test", "weird"} {
		for _, e := range gs[name].entries {
			for _, col := range e.terms {
				for _, s := range col {
					terms = append(terms, s.text)
				}
			}
		}
	}
	filler := []string{
		" ", "  ", "\n", "\n\n", "\t", "\u3000", " \n ", "\v", "\f", "\u0085", "\u00a0",
		"\u200b", "\u200d", "\u00ad", "\ufeff", "\u2060",
		"-", "–", "—", "‐", "−", "－", "--", " - ",
		"’", "‘", "'", "ʼ", "′", "’s", "'s",
		"，", "。", "、", "：", "“", "”", "（", "）", ",", ".", ";", "(", ")", "\"",
		"a", "s", "A", "x", "SCO", "sco", "ＳＣＯ", "Ｓ", "ｃ", "１", "2", "19", "_", "é", "ü",
		"上合", "上海", "合作", "组织", "組織", "國家", "會議", "烏茲別克斯坦", "哈薩克斯坦", "峰會", "外長", "的", "在", "和",
		"カ", "ー", "한",
		"в", "и", "на", "Ташкенте", "ШОС", "Шанхайской", "организации", "сотрудничества", "Ё", "ё", "Ѐ", "ӥ", "ᲀ",
		"\uf900", "\ufa11", "\uf9d1", "\xff", "\xe4\xb8", "\xc0\x80", "\x00", "\U0001F600", "𠀀",
		"anti-terrorist", "Anti–Terrorist", "China–Europe", "Nur-Sultan", "COVID-19", "US", "us", "U.S.", "WHO", "who",
	}
	ruEndings := []string{"", "а", "у", "е", "ом", "ой", "ы", "ам", "ами", "ах", "ого", "ому", "ую", "ие", "ий", "ая"}
	rng := rand.New(rand.NewPCG(1, 2))
	mangle := func(s string) string {
		rs := []rune(s)
		var b strings.Builder
		for i, r := range rs {
			switch rng.IntN(24) {
			case 0:
				b.WriteString("\u200b")
			case 1:
				if r == ' ' {
					b.WriteString([]string{"  ", "\n", " \n\t", "\u3000", "\u00a0"}[rng.IntN(5)])
					continue
				}
			case 2:
				if r == '-' {
					b.WriteString([]string{"–", "—", "", " ", "‐", "－", "--"}[rng.IntN(7)])
					continue
				}
				if i > 0 && rng.IntN(2) == 0 {
					b.WriteString("-")
				}
			case 3:
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
					b.WriteRune(r + 0xFEE0) // full width
					continue
				}
			case 4:
				if r == '\'' {
					b.WriteString("’")
					continue
				}
			case 5:
				b.WriteString(strings.ToUpper(string(r)))
				continue
			case 6:
				b.WriteString(strings.ToLower(string(r)))
				continue
			case 7:
				if rng.IntN(4) == 0 {
					continue // drop the rune
				}
			}
			b.WriteRune(r)
		}
		out := b.String()
		if rng.IntN(3) == 0 {
			out += ruEndings[rng.IntN(len(ruEndings))]
		}
		return out
	}
	texts := make([]string, 0, n)
	for range n {
		var b strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			switch rng.IntN(3) {
			case 0:
				b.WriteString(filler[rng.IntN(len(filler))])
			case 1:
				b.WriteString(terms[rng.IntN(len(terms))])
			default:
				b.WriteString(mangle(terms[rng.IntN(len(terms))]))
			}
		}
		s := b.String()
		if rng.IntN(10) == 0 && len(s) > 1 {
			s = s[:rng.IntN(len(s))] // may split a rune
		}
		texts = append(texts, s)
	}
	// A few made to hit the edges: a text that is only a rune of each kind,
	// or only a term of weirdTSV.
	for _, f := range filler {
		texts = append(texts, f, f+f, "a"+f+"b", "上"+f+"合")
	}
	for _, e := range gs["weird"].entries {
		for _, col := range e.terms {
			for _, s := range col {
				texts = append(texts, s.text, s.text+"а", "x "+s.text+" y", s.text+s.text)
			}
		}
	}
	return texts
}
