package glossary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzFind(f *testing.F) {
	for _, tt := range findTests {
		f.Add(tt.text)
	}
	for _, q := range devQuestions {
		f.Add(q.q)
	}
	f.Add("Wang\u3000Yi’s \xff\xfe SCO")
	g := mustDefault(f)
	small := mustParse(f, testTSV)
	f.Fuzz(func(t *testing.T, text string) {
		for _, gl := range []*Glossary{g, small} {
			ms := gl.Find(text)
			boundary := map[int]bool{len(text): true} // where decoding from the start lands
			for i := 0; i < len(text); {
				boundary[i] = true
				_, size := utf8.DecodeRuneInString(text[i:])
				i += size
			}
			last := 0
			var concepts []string
			for _, m := range ms {
				if m.Start < last || m.End <= m.Start || m.End > len(text) {
					t.Fatalf("bad offsets %d..%d after %d in %q", m.Start, m.End, last, text)
				}
				if !boundary[m.Start] || !boundary[m.End] {
					t.Fatalf("match %d..%d splits a rune in %q", m.Start, m.End, text)
				}
				if m.Term == "" || m.Concept == "" || m.Concept == blockerID || m.Lang == "" {
					t.Fatalf("incomplete match %+v", m)
				}
				if !strings.EqualFold(matchKey(m.Term), matchKey(text[m.Start:m.End])) {
					t.Fatalf("match %q does not spell term %q", text[m.Start:m.End], m.Term)
				}
				last = m.End
				seen := false
				for _, c := range concepts {
					seen = seen || c == m.Concept
				}
				if !seen {
					concepts = append(concepts, m.Concept)
				}
			}
			got := gl.Concepts(text)
			if strings.Join(got, ",") != strings.Join(concepts, ",") {
				t.Fatalf("Concepts = %q, Find gives %q", got, concepts)
			}
			gl.Expand(text)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add(testTSV)
	f.Add("a\t甲\t=A\tА\n")
	f.Add("\ufeff#x\r\nb\t\t\tБ")
	for _, tt := range []string{"sco\t上合\n", "a\tx\ty\tz\tw\n", "a\t甲||乙\tA\n", "-\t欧美\t\n"} {
		f.Add(tt)
	}
	f.Fuzz(func(t *testing.T, in string) {
		g, err := Parse(strings.NewReader(in))
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(g.ID()) != 12 {
			t.Fatalf("ID %q", g.ID())
		}
		// Every term is found in its own text, as some concept.
		for _, e := range g.entries {
			for _, col := range e.terms {
				for _, s := range col {
					g.Find(s.text)
				}
			}
		}
		if g.Merge(g).ID() != g.ID() {
			t.Fatalf("Merge with itself changed the ID")
		}
	})
}

// benchText returns about 1,000 characters of mixed Chinese and English from
// the seeds.
func benchText(t testing.TB) string {
	zh := []rune(readSeed(t, "001_14086ad8159a262e"))
	en := []rune(readSeed(t, "003_e29fc6cbd48e96a3"))
	return string(zh[100:600]) + "\n" + string(en[700:1200])
}

// BenchmarkMatch measures Concepts (called by the embedder on every chunk)
// and Find on about 1,000 characters of mixed text.
func BenchmarkMatch(b *testing.B) {
	g := mustDefault(b)
	text := benchText(b)
	for _, bm := range []struct {
		name string
		fn   func(string)
	}{
		{"Concepts", func(s string) { g.Concepts(s) }},
		{"Find", func(s string) { g.Find(s) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				bm.fn(text)
			}
		})
	}
}

func BenchmarkExpandQuestion(b *testing.B) {
	g := mustDefault(b)
	b.ReportAllocs()
	for b.Loop() {
		g.Expand("Which foreign ministers did Wang Yi hold bilateral talks with in Astana?")
	}
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRussianStemsStayApart checks that stemming Russian terms for matching
// (matchKey) never gives two concepts of the built-in glossary, or of the
// lexicon, the same key: the second would never be found.
func TestRussianStemsStayApart(t *testing.T) {
	for name, g := range map[string]*Glossary{"glossary": mustDefault(t), "lexicon": mustLexicon(t)} {
		owner := map[string]string{}
		for _, e := range g.entries {
			for _, s := range e.terms[langRU] {
				k := matchKey(s.text)
				if o, ok := owner[k]; ok && o != e.id {
					t.Errorf("%s: the Russian terms of %s and %s both match as %q (%q)", name, o, e.id, k, s.text)
				}
				owner[k] = e.id
			}
		}
	}
}
