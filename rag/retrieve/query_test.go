package retrieve

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// A corpus in one language leaves some glossary concepts with no
// rendering at all; asking about one is an ordinary question, not a crash.
func TestSingleLanguageCorpus(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	var zh, ru []rag.Chunk
	for _, c := range ragtest.Fixture() {
		switch c.Lang {
		case "zh":
			zh = append(zh, c)
		case "ru":
			ru = append(ru, c)
		}
	}
	if len(ru) == 0 {
		ru = []rag.Chunk{{ID: "r#0", Doc: "r", Lang: "ru", Text: "Министры иностранных дел стран ШОС встретились в Астане."}}
	}
	for name, cs := range map[string][]rag.Chunk{"zh": zh, "ru": ru, "none": nil} {
		e := NewEngine(Config{Chunks: cs, Glossary: g, Lexicon: lex})
		for _, q := range []string{"What about Doha?", "Who met in Tashkent and Doha in 2022?", "多哈会议怎么样?", "Что было в Дохе?"} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s corpus, %q: panic: %v", name, q, r)
					}
				}()
				e.ParseQuery(q)
				if _, err := e.Retrieve(context.Background(), q, Options{Mode: rag.ModeLexical}); err != nil {
					t.Errorf("%s corpus, %q: %v", name, q, err)
				}
			}()
		}
	}
}

func TestChineseDateUnitsAreNotWords(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	// "2020年" is a date: the year constraint weighs it, and "年" must not
	// become the word "year", which would favour every English "years".
	q := e.ParseQuery("2020年上合组织外长会的核心任务是什么?")
	if slices.Contains(q.Words, "year") || q.Terms["year"] > 0 {
		t.Errorf("a date's 年 became the word year: words %v", q.Words)
	}
	if len(q.Time.Years) != 1 || q.Time.Years[0] != 2020 {
		t.Errorf("years = %v, want [2020]", q.Time.Years)
	}
	// "哪一年" asks for a year: still the word.
	// Nor do the Chinese words that frame what is asked about, or a lone
	// character (the index holds Han text as bigrams).
	for _, u := range e.ParseQuery("王毅关于脱钩断链说了什么？他应说").Units {
		if u.Kind == UnitTerm && (strings.Contains(u.Text, "关于") || strings.Contains(u.Text, "说了") || utf8.RuneCountInString(u.Text) == 1) {
			t.Errorf("a framing word or lone character became a unit: %q", u.Text)
		}
	}
	// "many" of "how many" frames the question; no answer holds it.
	if q := e.ParseQuery("How many member states attended?"); slices.Contains(q.Words, "many") || q.Terms["many"] > 0 {
		t.Errorf("how many became the word many: words %v", q.Words)
	}
	if q := e.ParseQuery("伊朗是哪一年成为成员国的?"); !slices.Contains(q.Words, "year") {
		t.Errorf("哪一年 lost the word year: words %v", q.Words)
	}
}

// Whether a name is shared context is a property of the concept, not of
// the asker's wording: the SCO is in every report however it is written.
func TestSpecificNamesDoNotDependOnTheAskersLanguage(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	cs := []rag.Chunk{
		{ID: "a#0", Doc: "a", Lang: "en", Text: "India spoke at the SCO summit in Astana."},
		{ID: "b#0", Doc: "b", Lang: "en", Text: "The SCO foreign ministers met in Tashkent."},
		{ID: "c#0", Doc: "c", Lang: "en", Text: "The SCO secretariat opened in Beijing."},
		{ID: "d#0", Doc: "d", Lang: "en", Text: "Leaders of the SCO signed a declaration."},
		{ID: "e#0", Doc: "e", Lang: "zh", Text: "上海合作组织峰会在青岛举行。"},
	}
	e := NewEngine(Config{Chunks: cs, Glossary: g, Lexicon: lex})
	en := e.specificNames(e.ParseQuery("What did India say at the SCO?"))
	zh := e.specificNames(e.ParseQuery("印度在上合组织说了什么？"))
	if !slices.Equal(en, []string{"india"}) || !slices.Equal(zh, en) {
		t.Errorf("specific names: English %v, Chinese %v; want [india] for both", en, zh)
	}
}

// A zero-width space pasted inside a name ("Лав\u200bров") is invisible to
// the asker; the index never sees one (textnorm drops them), so neither
// must the question: it is answered as the clean one is.
func TestZeroWidthInsideANameIsIgnored(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	e := NewEngine(Config{Chunks: ragtest.Fixture(), Glossary: g, Lexicon: lex})
	for _, clean := range []string{"Кого встретил Лавров в Астане?", "Whom did Lavrov meet in Astana?", "王毅在阿斯塔纳同拉夫罗夫会谈了吗？"} {
		for _, dirty := range zeroWidthVariants(clean) {
			want, err := e.Retrieve(context.Background(), clean, Options{Mode: rag.ModeLexical})
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Retrieve(context.Background(), dirty, Options{Mode: rag.ModeLexical})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Query.Concepts, want.Query.Concepts) {
				t.Errorf("%+q: names %v, want %v as for %q", dirty, got.Query.Concepts, want.Query.Concepts, clean)
			}
			if got.Abstains() != want.Abstains() || !slices.Equal(passageIDs(got), passageIDs(want)) {
				t.Errorf("%+q: abstains %v, passages %v; want %v, %v as for %q",
					dirty, got.Abstains(), passageIDs(got), want.Abstains(), passageIDs(want), clean)
			}
		}
	}
}

// zeroWidthVariants returns s with a zero-width space (and, once, a word
// joiner) put inside its glossary names.
func zeroWidthVariants(s string) []string {
	var out []string
	for _, name := range []string{"Лавров", "Lavrov", "拉夫罗夫", "Астане", "王毅"} {
		if i := strings.Index(s, name); i >= 0 {
			mid := i + len(string([]rune(name)[:2]))
			out = append(out, s[:mid]+"\u200b"+s[mid:], s[:mid]+"\u2060"+s[mid:])
		}
	}
	return out
}

func passageIDs(r Retrieval) []string {
	var ids []string
	for _, p := range r.Passages {
		ids = append(ids, p.ID)
	}
	return ids
}
