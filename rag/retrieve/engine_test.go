package retrieve

import (
	"context"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
)

// fixture is a tiny bilingual corpus in the shape of the real one.
func fixture() []rag.Chunk {
	astana := rag.Chunk{Doc: "astana-mfa", Lang: "zh", Title: "王毅出席上海合作组织成员国外长理事会会议", Date: "2024-05-21", Source: "外交部 <b>&</b>", URL: "https://example.org/a"}
	dushanbe := rag.Chunk{Doc: "dushanbe", Lang: "en", Title: "Wang Yi Attends SCO Council of Foreign Ministers", Date: "2021-07-14", Source: "MFA"}
	briefing := rag.Chunk{Doc: "briefing", Lang: "en", Title: "Briefing on the 20th SCO summit", Date: "2020-11-05", Source: "Xinhua"}
	mk := func(base rag.Chunk, pos int, text string) rag.Chunk {
		base.Pos = pos
		base.ID = base.Doc + "#" + strconv.Itoa(pos)
		base.Text = text
		return base
	}
	return []rag.Chunk{
		mk(astana, 0, "当地时间2024年5月21日，外交部长王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议。"),
		mk(astana, 1, "王毅提出四点建议：\n\n一要坚持战略自主，保持团结协作。\n\n二要坚持安危共担，提升协作水平。\n\n三要坚持普惠共赢，赋能合作发展。\n\n四要坚持开放包容，深化交流互鉴。"),
		mk(astana, 2, "出席会议期间，王毅分别同俄罗斯外长拉夫罗夫、白俄罗斯外长阿列伊尼克举行了双边会谈。"),
		mk(dushanbe, 0, "On July 14, 2021, Wang Yi attended the meeting of the SCO Council of Foreign Ministers in Dushanbe. In this regard, Wang Yi put forward a five-point proposal."),
		mk(dushanbe, 1, "Third, the countries should firmly oppose \"vaccine nationalism\" and bridge the global \"vaccine divide\"."),
		mk(briefing, 0, "Vice Foreign Minister Le Yucheng said President Xi Jinping will attend the 20th meeting of the Council of Heads of State of the SCO on November 10. The summit will be held by video."),
	}
}

// fakeVectors ranks chunks in a fixed order, or fails.
type fakeVectors struct {
	order []rag.Chunk
	err   error
	calls int
}

var _ VectorIndex = (*fakeVectors)(nil)

func (f *fakeVectors) Search(_ context.Context, _ []float32, k int, _ map[string]bool) ([]rag.Passage, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	var out []rag.Passage
	for i, c := range f.order {
		if i == k {
			break
		}
		out = append(out, rag.Passage{Chunk: c, Score: 1 / float64(i+1)})
	}
	return out, nil
}

type fakeEmbedder struct{ err error }

var _ QueryEmbedder = fakeEmbedder{}

func (f fakeEmbedder) EmbedQuery(context.Context, string) ([]float32, error) {
	return []float32{1}, f.err
}

func newTestEngine(t *testing.T, vec VectorIndex) *Engine {
	t.Helper()
	g, err := glossary.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Chunks: fixture(), Glossary: g}
	if vec != nil {
		cfg.Vector, cfg.Embedder = vec, fakeEmbedder{}
	}
	return NewEngine(cfg)
}

var testMarkerRE = regexp.MustCompile(`\[(\d+)\]`)

// checkCitations asserts the answer's grounding: every marker points at a
// listed source, every source is cited, numbers run 1..n, and every quoted
// sentence is verbatim in the chunk (so in the document) it cites.
func checkCitations(t *testing.T, e *Engine, a rag.Answer) {
	t.Helper()
	cited := map[int]bool{}
	for _, m := range testMarkerRE.FindAllStringSubmatch(a.Text, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(a.Citations) {
			t.Errorf("marker [%d] points at no source (have %d): %s", n, len(a.Citations), a.Text)
		}
		cited[n] = true
	}
	for i, c := range a.Citations {
		if c.N != i+1 {
			t.Errorf("citation %d numbered %d", i+1, c.N)
		}
		if !cited[c.N] {
			t.Errorf("source [%d] %s listed but never cited", c.N, c.Doc)
		}
	}
	for _, s := range a.Statements {
		ch, ok := chunkOf(e, s.Doc, s.Chunk)
		if !ok {
			t.Errorf("statement cites unknown chunk %s", s.Chunk)
			continue
		}
		if !strings.Contains(ch.Text, s.Text) && !inDoc(e, s.Doc, s.Text) {
			t.Errorf("statement %q is not in document %s", s.Text, s.Doc)
		}
		if a.Citations[s.N-1].Doc != s.Doc {
			t.Errorf("statement from %s carries [%d] = %s", s.Doc, s.N, a.Citations[s.N-1].Doc)
		}
	}
}

// chunkOf finds the chunk of doc with the given ID.
func chunkOf(e *Engine, doc, id string) (rag.Chunk, bool) {
	for _, c := range e.DocChunks(doc) {
		if c.ID == id {
			return c, true
		}
	}
	return rag.Chunk{}, false
}

// inDoc reports whether text is in any chunk of doc (list items may come
// from a chunk after the one retrieved).
func inDoc(e *Engine, doc, text string) bool {
	for _, c := range e.DocChunks(doc) {
		if strings.Contains(c.Text, text) {
			return true
		}
	}
	return false
}

func TestAnswerCitesWhatItQuotes(t *testing.T) {
	e := newTestEngine(t, nil)
	tests := []struct {
		q    string
		doc  string   // the first source
		want []string // strings the answer must contain
	}{
		{"Which foreign ministers did Wang Yi hold bilateral talks with in Astana?", "astana-mfa", []string{"拉夫罗夫", "Lavrov"}},
		{"王毅在杜尚别提出了什么建议?", "dushanbe", []string{"five-point proposal"}},
		{"What did Wang Yi say about vaccine nationalism?", "dushanbe", []string{"vaccine nationalism"}},
		{"How was the 20th SCO summit held?", "briefing", []string{"video"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a, err := NewAssistant(e).Answer(context.Background(), tt.q, rag.AnswerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Abstained {
				t.Fatalf("abstained (support %.2f): %s", a.Support, a.Text)
			}
			if a.Mode != rag.AnswerExtractive || len(a.Citations) == 0 || a.Citations[0].Doc != tt.doc {
				t.Errorf("mode %s, citations %+v; want first source %s", a.Mode, a.Citations, tt.doc)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("answer lacks %q:\n%s", w, a.Text)
				}
			}
			checkCitations(t, e, a)
		})
	}
}

func TestAnswerFollowsAnnouncedList(t *testing.T) {
	e := newTestEngine(t, nil)
	a, err := NewAssistant(e).Answer(context.Background(), "王毅在阿斯塔纳提出了哪四点建议?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{"一要坚持战略自主", "二要坚持安危共担", "三要坚持普惠共赢", "四要坚持开放包容"} {
		if !strings.Contains(a.Text, item) {
			t.Errorf("answer lacks list item %q:\n%s", item, a.Text)
		}
	}
	checkCitations(t, e, a)
}

func TestAnswerGlossesNamesAcrossLanguages(t *testing.T) {
	e := newTestEngine(t, nil)
	a, err := NewAssistant(e).Answer(context.Background(), "Which foreign ministers did Wang Yi hold bilateral talks with in Astana?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Lang != "en" || !strings.Contains(a.Text, "拉夫罗夫 = Lavrov") {
		t.Errorf("want an English answer glossing 拉夫罗夫 = Lavrov, got (%s):\n%s", a.Lang, a.Text)
	}
	if !strings.Contains(a.Text, "2024-05-21") {
		t.Errorf("answer should say the date of what it quotes:\n%s", a.Text)
	}
}

func TestAnswerAbstainsWithoutSources(t *testing.T) {
	e := newTestEngine(t, nil)
	for _, q := range []string{
		"Who won the 2022 FIFA World Cup?",
		"上合组织2030年峰会在哪里举行?",
		"How do I bake sourdough bread?",
	} {
		t.Run(q, func(t *testing.T) {
			a, err := NewAssistant(e).Answer(context.Background(), q, rag.AnswerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Abstained || len(a.Citations) != 0 || len(a.Statements) != 0 {
				t.Fatalf("want an abstention with no sources, got %+v", a)
			}
			if testMarkerRE.MatchString(a.Text) {
				t.Errorf("abstention carries a marker: %s", a.Text)
			}
		})
	}
	a, _ := NewAssistant(e).Answer(context.Background(), "上合组织2030年峰会在哪里举行?", rag.AnswerOptions{})
	if !strings.Contains(a.Text, "语料库中没有") {
		t.Errorf("a Chinese question gets a Chinese abstention, got %q", a.Text)
	}
}

func TestCheckQuestion(t *testing.T) {
	e := newTestEngine(t, nil)
	if _, err := NewAssistant(e).Answer(context.Background(), "  \n ", rag.AnswerOptions{}); !errors.Is(err, rag.ErrEmptyQuestion) {
		t.Errorf("empty question: err = %v", err)
	}
	long := strings.Repeat("问", rag.MaxQuestionRunes+1)
	if _, err := NewAssistant(e).Answer(context.Background(), long, rag.AnswerOptions{}); !errors.Is(err, rag.ErrQuestionTooLong) {
		t.Errorf("long question: err = %v", err)
	}
}

func TestRetrieveTimeConstraint(t *testing.T) {
	e := newTestEngine(t, nil)
	r, err := e.Retrieve(context.Background(), "What did Wang Yi propose at the foreign ministers' meeting in 2021?", RetrieveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) == 0 || r.Passages[0].Doc != "dushanbe" {
		t.Errorf("2021 question: first passage %+v, want the 2021 document", r.Passages)
	}
	r, _ = e.Retrieve(context.Background(), "What happened at the latest foreign ministers' meeting?", RetrieveOptions{})
	if len(r.Passages) == 0 || r.Passages[0].Date != "2024-05-21" {
		t.Errorf("latest: first passage dated %q, want the newest", r.Passages[0].Date)
	}
	r, _ = e.Retrieve(context.Background(), "What did the SCO do in 2030?", RetrieveOptions{})
	if !r.TimeMiss || !r.Abstains() {
		t.Errorf("a year no document covers should abstain: %+v", r)
	}
}

func TestRetrieveFusesVectorAndFallsBack(t *testing.T) {
	cs := fixture()
	// The vector ranking prefers the briefing; lexical prefers Dushanbe.
	vec := &fakeVectors{order: []rag.Chunk{cs[5], cs[4], cs[3]}}
	e := newTestEngine(t, vec)
	q := "What did Wang Yi say about vaccine nationalism?"
	hybrid, err := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if vec.calls != 1 {
		t.Errorf("vector index called %d times", vec.calls)
	}
	vonly, _ := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3, Mode: rag.ModeVector})
	lonly, _ := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3, Mode: rag.ModeLexical})
	if vonly.Passages[0].Doc != "briefing" || lonly.Passages[0].ID != "dushanbe#1" {
		t.Fatalf("modes: vector first %s, lexical first %s", vonly.Passages[0].ID, lonly.Passages[0].ID)
	}
	if hybrid.Passages[0].ID != "dushanbe#1" {
		t.Errorf("hybrid first = %s; the chunk both rankings hold should win", hybrid.Passages[0].ID)
	}

	// A failing vector search degrades to the lexical ranking.
	vec.err = errors.New("boom")
	r, err := e.Retrieve(context.Background(), q, RetrieveOptions{K: 3})
	if err != nil || len(r.Passages) == 0 || r.Passages[0].ID != "dushanbe#1" {
		t.Errorf("fallback: err %v, passages %+v", err, r.Passages)
	}
	if _, err := e.Retrieve(context.Background(), q, RetrieveOptions{Mode: rag.ModeVector}); err == nil {
		t.Error("vector-only retrieval should report the vector failure")
	}
}

func TestFuse(t *testing.T) {
	p := func(id string) rag.Passage { return rag.Passage{Chunk: rag.Chunk{ID: id}} }
	lexical := []rag.Passage{p("a"), p("b"), p("c")}
	vector := []rag.Passage{p("c"), p("b"), p("d")}
	got := fuse(lexical, vector)
	want := map[string]float64{
		"a": 1 / (rrfK + 1),
		"b": 1/(rrfK+2) + vectorWeight/(rrfK+2),
		"c": 1/(rrfK+3) + vectorWeight/(rrfK+1),
		"d": vectorWeight / (rrfK + 3),
	}
	for i, x := range got {
		if math.Abs(x.Score-want[x.ID]) > 1e-12 {
			t.Errorf("%s scored %v, want %v", x.ID, x.Score, want[x.ID])
		}
		if i > 0 && got[i-1].Score < x.Score {
			t.Errorf("not sorted: %s before %s", got[i-1].ID, x.ID)
		}
	}
	if len(got) != 4 || (got[0].ID != "b" && got[0].ID != "c") {
		t.Errorf("fuse = %v; a passage both rankings hold should lead", got)
	}
}

func TestDiversifyDefersNearDuplicates(t *testing.T) {
	sig := func(p rag.Passage) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(p.Text) {
			m[w] = true
		}
		return m
	}
	ps := []rag.Passage{
		{Chunk: rag.Chunk{ID: "zh", Text: "wang-yi astana sco lavrov 2024"}},
		{Chunk: rag.Chunk{ID: "en", Text: "wang-yi astana sco lavrov 2024"}},
		{Chunk: rag.Chunk{ID: "other", Text: "dushanbe vaccine proposal five 2021"}},
	}
	got := diversify(ps, sig, 2)
	if got[0].ID != "zh" || got[1].ID != "other" || got[2].ID != "en" {
		t.Errorf("order = %s,%s,%s; the translation should move behind", got[0].ID, got[1].ID, got[2].ID)
	}
}

func TestAbstainsWhenNamesNeverMeet(t *testing.T) {
	e := newTestEngine(t, nil)
	// Le Yucheng and Dushanbe are each in a report, never in the same one.
	a, err := NewAssistant(e).Answer(context.Background(), "What did Le Yucheng say in Dushanbe?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Abstained || len(a.Citations) != 0 {
		t.Errorf("want an abstention, got %s", a.Text)
	}
	// Lavrov and Astana are in one report: answered.
	a, _ = NewAssistant(e).Answer(context.Background(), "Did Wang Yi hold talks with Lavrov in Astana?", rag.AnswerOptions{})
	if a.Abstained {
		t.Errorf("names reported together should be answered: %s", a.Text)
	}
}

func TestAbstainsOnNamesNoReportMentions(t *testing.T) {
	e := newTestEngine(t, nil)
	// The glossary knows the Secretary-General; no report names one.
	r, err := e.Retrieve(context.Background(), "Who is the Secretary-General of the SCO?", RetrieveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Unnamed) != 1 || r.Unnamed[0] != "secretary-general" || !r.Abstains() {
		t.Errorf("Unnamed = %v, abstains %v; want [secretary-general], true", r.Unnamed, r.Abstains())
	}
	// The asker is told what no report names, in their language.
	if a := Extract(e, "Who is the Secretary-General of the SCO?", r); !a.Abstained || a.Note != "No report mentions Secretary-General." {
		t.Errorf("abstained %v, note %q", a.Abstained, a.Note)
	}
	if a, _ := NewAssistant(e).Answer(context.Background(), "上合组织秘书长是谁?", rag.AnswerOptions{}); !a.Abstained || a.Note != "没有一篇报道提到秘书长。" {
		t.Errorf("abstained %v, note %q", a.Abstained, a.Note)
	}
	// "Meet" is a phrase, not an entity: the reports may say "hold talks".
	r, _ = e.Retrieve(context.Background(), "Did Wang Yi meet Lavrov?", RetrieveOptions{})
	if len(r.Unnamed) != 0 {
		t.Errorf("Unnamed = %v, want none", r.Unnamed)
	}
	// Lavrov is named (in Chinese only): answered.
	r, _ = e.Retrieve(context.Background(), "Did Wang Yi hold talks with Lavrov in Astana?", RetrieveOptions{})
	if len(r.Unnamed) != 0 || r.Abstains() {
		t.Errorf("Unnamed = %v, abstains %v; want none, false", r.Unnamed, r.Abstains())
	}
}

func TestChineseDateUnitsAreNotWords(t *testing.T) {
	e := newGlossaryEngine(t, fixture())
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
	if q := e.ParseQuery("伊朗是哪一年成为成员国的?"); !slices.Contains(q.Words, "year") {
		t.Errorf("哪一年 lost the word year: words %v", q.Words)
	}
}

func TestSupportNeedsBothRankings(t *testing.T) {
	cs := fixture()
	q := "What did Wang Yi say about vaccine nationalism in Dushanbe?"
	// Both rankings find the Dushanbe report.
	agree := newTestEngine(t, &fakeVectors{order: []rag.Chunk{cs[4], cs[3]}})
	a, err := agree.Retrieve(context.Background(), q, RetrieveOptions{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The vector ranking finds only the Astana report.
	disagree := newTestEngine(t, &fakeVectors{order: []rag.Chunk{cs[2], cs[0]}})
	d, err := disagree.Retrieve(context.Background(), q, RetrieveOptions{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Agreed || !d.Agreed {
		t.Fatal("support of a hybrid retrieval should weigh both rankings")
	}
	if a.Abstains() || a.Support <= d.Support {
		t.Errorf("support %.2f when the rankings agree, %.2f when not; want the first higher and answered", a.Support, d.Support)
	}
	// With the lexical ranking alone, the single threshold applies.
	l, _ := disagree.Retrieve(context.Background(), q, RetrieveOptions{K: 2, Mode: rag.ModeLexical})
	if l.Agreed {
		t.Error("a lexical-only retrieval has one ranking")
	}
}
