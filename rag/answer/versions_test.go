package answer

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// newVersionsEngine builds a lexical engine over testdata/versions.json:
// two reports of one meeting in Chinese and English, a bilingual report, a
// Chinese report with no translation, another event's English report.
func newVersionsEngine(t *testing.T) *retrieve.Engine {
	t.Helper()
	b, err := os.ReadFile("testdata/versions.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Chunks []rag.Chunk }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for i := range f.Chunks {
		f.Chunks[i].ID = f.Chunks[i].Doc + "#" + strconv.Itoa(f.Chunks[i].Pos)
	}
	g, lex := ragtest.Glossaries(t)
	return retrieve.NewEngine(retrieve.Config{Chunks: f.Chunks, Glossary: g, Lexicon: lex})
}

// answerOf answers q over the engine, failing on an error or abstention.
func answerOf(t *testing.T, e *retrieve.Engine, q string) rag.Answer {
	t.Helper()
	a, err := NewAssistant(e).Answer(context.Background(), q, rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Abstained || len(a.Statements) == 0 {
		t.Fatalf("%s: abstained: %s", q, a.Text)
	}
	checkCitations(t, e, a)
	return a
}

// citedDocs returns the documents a statement cites, its own first.
func citedDocs(a rag.Answer, s rag.Statement) []string {
	docs := []string{a.Citations[s.N-1].Doc}
	for _, n := range s.Also {
		docs = append(docs, a.Citations[n-1].Doc)
	}
	return docs
}

func TestVersionInAskersLanguageFromSameEvent(t *testing.T) {
	e := newVersionsEngine(t)
	tests := []struct {
		q, lang  string
		want     string   // the first statement holds it
		cites    []string // and cites these, in order
		notQuote string   // no statement holds this
	}{
		{"Who did Wang Yi hold bilateral talks with in Dushanbe?", "en", "held bilateral talks with Russian Foreign Minister Lavrov", []string{"dushanbe-en", "dushanbe-zh"}, "拉夫罗夫"},
		{"王毅在杜尚别同谁举行了双边会谈？", "zh", "王毅同俄罗斯外长拉夫罗夫举行双边会谈", []string{"dushanbe-zh", "dushanbe-en"}, "Lavrov"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := answerOf(t, e, tt.q)
			first := a.Statements[0]
			if !strings.Contains(first.Text, tt.want) || first.Lang != tt.lang {
				t.Errorf("first statement (%s) %q, want the %s one holding %q:\n%s", first.Lang, first.Text, tt.lang, tt.want, a.Text)
			}
			if got := citedDocs(a, first); !slices.Equal(got, tt.cites) {
				t.Errorf("first statement cites %v, want %v:\n%s", got, tt.cites, a.Text)
			}
			for _, s := range a.Statements {
				if strings.Contains(s.Text, tt.notQuote) {
					t.Errorf("the other language's version is quoted too: %q\n%s", s.Text, a.Text)
				}
			}
		})
	}
}

func TestVersionInAskersLanguageFromBilingualReport(t *testing.T) {
	e := newVersionsEngine(t)
	for _, tt := range []struct{ q, lang string }{
		{"Where will China host the SCO summit this year?", "en"},
		{"中国今年将在哪里举办上合组织峰会？", "zh"},
	} {
		t.Run(tt.q, func(t *testing.T) {
			a := answerOf(t, e, tt.q)
			for _, s := range a.Statements {
				if s.Lang != tt.lang || tokens.Lang(s.Text) != tt.lang {
					t.Errorf("statement in %s, want %s: %q\n%s", s.Lang, tt.lang, s.Text, a.Text)
				}
				if len(s.Gloss) > 0 || len(s.Also) > 0 {
					t.Errorf("statement %q glossed %v, also citing %v; want neither (one report, asker's language)", s.Text, s.Gloss, s.Also)
				}
			}
			if len(a.Citations) != 1 || a.Citations[0].Doc != "qingdao-both" {
				t.Errorf("citations %+v, want qingdao-both alone", a.Citations)
			}
		})
	}
}

// A point no report holds in the asker's language is quoted as before: the
// original with the glossary's renderings of its names (the golden file
// was written with the versions switched off).
func TestNoVersionLeavesAnswerAsItWas(t *testing.T) {
	e := newVersionsEngine(t)
	var b strings.Builder
	for _, q := range []string{
		"What did Wang Yi say about the SCO vaccine research and development center?",
		"Whom did Wang Yi meet in Astana?",
	} {
		a := answerOf(t, e, q)
		b.WriteString(q + "\n" + a.Text + "\n\n")
	}
	ragtest.Golden(t, "versions_none.golden", b.String())
}

func TestVersionsSameEvent(t *testing.T) {
	e := newVersionsEngine(t)
	v := newVersions(e, retrieve.Query{}, nil)
	for doc, want := range map[string][]string{
		"dushanbe-zh": {"dushanbe-zh", "dushanbe-en"}, // a day apart, same meeting
		"dushanbe-en": {"dushanbe-en", "dushanbe-zh"},
		"tashkent-en": {"tashkent-en"}, // same day, another event
		"astana-zh":   {"astana-zh"},
	} {
		if got := v.event(doc); !slices.Equal(got, want) {
			t.Errorf("event(%s) = %v, want %v", doc, got, want)
		}
	}
}

// A version that drops what the question asks about is not quoted in the
// original's place: the English dateline names no reporter.
func TestVersionMustKeepWhatIsAsked(t *testing.T) {
	e := newVersionsEngine(t)
	a := answerOf(t, e, "Which reporter filed the report on China hosting the Qingdao summit?")
	for _, s := range a.Statements {
		if strings.Contains(s.Text, "记者") {
			return
		}
	}
	t.Errorf("want the Chinese dateline naming its reporter quoted:\n%s", a.Text)
}

// A sentence's version must match it best in turn: of two Chinese
// sentences, only the one the English sentence renders whole has it.
func TestVersionIsMutualBest(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	zh := rag.Chunk{ID: "zh#0", Doc: "zh", Lang: "zh", Title: "王毅出席上合组织外长理事会会议", Date: "2025-06-11",
		Text: "王毅表示，中方支持上合组织疫苗研发中心建设。\n\n王毅还表示，中方支持上合组织疫苗研发中心建设，愿同各方分享疫苗。"}
	en := rag.Chunk{ID: "en#0", Doc: "en", Lang: "en", Title: "Wang Yi attends SCO Council of Foreign Ministers", Date: "2025-06-11",
		Text: "Wang Yi said China supports the SCO vaccine research and development center and will share vaccines."}
	e := retrieve.NewEngine(retrieve.Config{Chunks: []rag.Chunk{zh, en}, Glossary: g, Lexicon: lex})
	v := newVersions(e, retrieve.Query{}, nil)
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"王毅表示，中方支持上合组织疫苗研发中心建设。", false},
		{"王毅还表示，中方支持上合组织疫苗研发中心建设，愿同各方分享疫苗。", true},
	} {
		c := Candidate{Text: tt.text, Lang: "zh", Passage: rag.Passage{Chunk: zh}}
		if _, ok := v.version(c, "en", v.event("zh")); ok != tt.want {
			t.Errorf("version of %q found %v, want %v", tt.text, ok, tt.want)
		}
	}
}
