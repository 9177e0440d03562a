package brief_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/brief"
	"github.com/scobot/scobot/rag/chunk"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
	"github.com/scobot/scobot/render"
)

// The built-in corpus's reports of the foreign ministers' meetings.
const (
	docAstanaCNS = "000_b54822d210cd7471" // 2024-05-21, zh+en (the English half says 2023)
	docAstanaMFA = "001_14086ad8159a262e" // 2024-05-21, zh
	docRussia    = "002_c42d388d6a7d4817" // 2020-09-16, zh
	docDushanbe  = "003_e29fc6cbd48e96a3" // 2021-07-14, en
	docSummit    = "004_73a6135f73033407" // 2020-11-05, en: the 20th summit, on November 10
)

// corpusEngine is the engine over the built-in corpus, built as the app
// builds it (hybrid retrieval with the local embedder), once per test run.
type corpusEngine struct {
	engine *retrieve.Engine
	chunks map[string][]rag.Chunk // by document
}

var (
	builtOnce sync.Once
	built     corpusEngine
	buildErr  error
)

func realEngine(t *testing.T) corpusEngine {
	t.Helper()
	builtOnce.Do(func() {
		ctx := context.Background()
		res, err := corpus.Load(ctx, corpus.Embedded(), nil)
		if err != nil {
			buildErr = err
			return
		}
		g, err := glossary.Default()
		if err != nil {
			buildErr = err
			return
		}
		lex, err := glossary.Lexicon()
		if err != nil {
			buildErr = err
			return
		}
		emb := hashembed.New(hashembed.Config{Extra: g.Concepts, ExtraID: "glossary-" + g.ID()})
		dir, err := os.MkdirTemp("", "scobot-brief-test")
		if err != nil {
			buildErr = err
			return
		}
		defer os.RemoveAll(dir)
		st, err := store.Open(ctx, dir, emb, nil)
		if err != nil {
			buildErr = err
			return
		}
		var docs []store.Doc
		built.chunks = map[string][]rag.Chunk{}
		for _, d := range res.Docs {
			cs := chunk.Document(d, chunk.Options{})
			built.chunks[d.ID] = cs
			docs = append(docs, store.Doc{ID: d.ID, Chunks: cs})
		}
		if _, err := st.Sync(ctx, docs, nil); err != nil {
			buildErr = err
			return
		}
		built.engine = retrieve.NewEngine(retrieve.Config{Chunks: st.Chunks(), Vector: st, Embedder: emb, Glossary: g, Lexicon: lex})
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// checkBriefing asserts a briefing's grounding: sources numbered 1..n and
// all cited, every citation pointing at a source, every quoted point and
// timeline line verbatim (up to a shortening "…") in the first source it
// cites, with that source's date.
func checkBriefing(t *testing.T, c corpusEngine, b brief.Briefing, quoted bool) {
	t.Helper()
	cited := map[int]bool{}
	check := func(what string, ns []int) {
		if len(ns) == 0 {
			t.Errorf("%s cites nothing", what)
		}
		for _, n := range ns {
			if n < 1 || n > len(b.Sources) {
				t.Errorf("%s cites [%d]; there are %d sources", what, n, len(b.Sources))
				continue
			}
			cited[n] = true
		}
	}
	for i, s := range b.Sources {
		if s.N != i+1 {
			t.Errorf("source %d numbered %d", i+1, s.N)
		}
	}
	for _, p := range b.Points {
		check("point "+p.Text, p.Citations)
		if len(p.Citations) == 0 || p.Citations[0] > len(b.Sources) {
			continue
		}
		src := b.Sources[p.Citations[0]-1]
		if p.Date != src.Date {
			t.Errorf("point %q dated %s; its source %s is dated %s", p.Text, p.Date, src.Doc, src.Date)
		}
		if quoted && !ragtest.Contains(c.chunks[src.Doc], p.Text) {
			t.Errorf("point %q is not in the document it cites, %s", p.Text, src.Doc)
		}
	}
	for _, ev := range b.Timeline {
		check("event "+ev.Text, ev.Citations)
		if len(ev.Citations) == 0 || ev.Citations[0] > len(b.Sources) {
			continue
		}
		src := b.Sources[ev.Citations[0]-1]
		if !ragtest.Contains(c.chunks[src.Doc], strings.TrimSuffix(ev.Text, "…")) {
			t.Errorf("timeline line %q is not in the document it cites, %s", ev.Text, src.Doc)
		}
		// An event carries the date its text states, or its report's.
		if ev.DateFrom == brief.DateFromReport && ev.Date != src.Date || ev.DateFrom != brief.DateFromReport && ev.DateFrom != brief.DateFromText {
			t.Errorf("event dated %s from %q; its source %s is dated %s", ev.Date, ev.DateFrom, src.Doc, src.Date)
		}
		if ev.Reported > src.Date {
			t.Errorf("event reported %s; its source %s is dated %s", ev.Reported, src.Doc, src.Date)
		}
	}
	for _, d := range b.Disagreements {
		check("disagreement "+d.Text, d.Citations)
	}
	for _, s := range b.Sources {
		if !cited[s.N] {
			t.Errorf("source [%d] %s listed but never cited", s.N, s.Doc)
		}
	}
}

// eventsOf returns the timeline as "date place [docs]" lines.
func eventsOf(b brief.Briefing) []string {
	var out []string
	for _, ev := range b.Timeline {
		var docs []string
		for _, n := range ev.Citations {
			docs = append(docs, b.Sources[n-1].Doc[:3])
		}
		out = append(out, ev.Date+" "+ev.Place+" "+strings.Join(docs, ","))
	}
	return out
}

func TestBriefForeignMinistersMeetings(t *testing.T) {
	c := realEngine(t)
	a := brief.New(c.engine, nil, nil)
	tests := []struct {
		topic, lang string
		events      []string
		headline    []string // the headline holds all of these
		labels      []string // the plain text holds all of these
	}{
		{
			"SCO foreign ministers' meetings", "en",
			[]string{"2020-09-16 Russia 002", "2021-07-14 Dushanbe 003", "2024-05-21 Astana 000,001"},
			[]string{"SCO Council of Foreign Ministers", "3 SCO Council of Foreign Ministers meetings", "2020–2024", "2024-05-21", "Astana"},
			[]string{"Key points", "Timeline", "Sources differ", "Sources"},
		},
		{
			"上合组织外长会议", "zh",
			[]string{"2020-09-16 俄罗斯 002", "2021-07-14 杜尚别 003", "2024-05-21 阿斯塔纳 000,001"},
			[]string{"共3次上合组织外长理事会会议", "2024-05-21在阿斯塔纳"},
			[]string{"要点", "时间线", "说法不一", "来源"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var streamed []string
			b, err := a.Brief(context.Background(), brief.Request{Topic: tt.topic, OnText: func(s string) { streamed = append(streamed, s) }})
			if err != nil {
				t.Fatal(err)
			}
			if b.Lang != tt.lang || b.Mode != rag.AnswerExtractive || b.Abstained {
				t.Fatalf("lang %s mode %s abstained %v", b.Lang, b.Mode, b.Abstained)
			}
			if got := eventsOf(b); !slices.Equal(got, tt.events) {
				t.Errorf("timeline = %q, want %q", got, tt.events)
			}
			for _, w := range tt.headline {
				if !strings.Contains(b.Headline, w) {
					t.Errorf("headline %q lacks %q", b.Headline, w)
				}
			}
			text := render.BriefText(b)
			for _, w := range tt.labels {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks the label %q:\n%s", w, text)
				}
			}
			if len(streamed) != 0 {
				t.Errorf("OnText got %d calls; no model drafts an extractive briefing, so want none", len(streamed))
			}
			if n := len(b.Points); n < 3 || n > 6 {
				t.Errorf("%d key points, want 3–6", n)
			}
			checkBriefing(t, c, b, true)
			// Points are grouped by event, oldest first.
			for i := 1; i < len(b.Points); i++ {
				if b.Points[i].Date < b.Points[i-1].Date {
					t.Errorf("point %d (%s) comes after a later one (%s)", i, b.Points[i].Date, b.Points[i-1].Date)
				}
			}
			// Each event has a point.
			dates := map[string]bool{}
			for _, p := range b.Points {
				dates[p.Date] = true
			}
			for _, ev := range b.Timeline {
				if !dates[ev.Reported] {
					t.Errorf("no key point for the event of %s", ev.Date)
				}
			}
			if tt.lang == "zh" {
				// Chinese reports exist for 2020 and 2024: quote them.
				for _, p := range b.Points {
					if p.Date != "2021-07-14" && p.Lang != "zh" {
						t.Errorf("point of %s quoted in %s though a Chinese report exists: %s", p.Date, p.Lang, p.Text)
					}
					if p.Lang != "zh" && len(p.Gloss) == 0 {
						t.Errorf("English point without a Chinese gloss of its names: %s", p.Text)
					}
				}
				for _, ev := range b.Timeline {
					if ev.Lang != "zh" && len(ev.Gloss) == 0 {
						t.Errorf("English timeline line without a gloss: %s", ev.Text)
					}
				}
			}
		})
	}
}

func TestBriefShowsDisagreements(t *testing.T) {
	c := realEngine(t)
	b, err := brief.New(c.engine, nil, nil).Brief(context.Background(), brief.Request{Topic: "SCO foreign ministers' meetings"})
	if err != nil {
		t.Fatal(err)
	}
	num := map[string]int{}
	for _, s := range b.Sources {
		num[s.Doc] = s.N
	}
	kinds := map[string]brief.Disagreement{}
	for _, d := range b.Disagreements {
		kinds[d.Kind] = d
	}
	// The CNS report's English half is datelined 2023; it and the
	// ministry's report are dated 2024-05-21.
	date, ok := kinds["date"]
	if !ok {
		t.Fatalf("no date disagreement in %+v", b.Disagreements)
	}
	if !strings.Contains(date.Text, "May 21, 2023") || !strings.Contains(date.Text, "2024-05-21") ||
		!slices.Contains(date.Citations, num[docAstanaCNS]) || !slices.Contains(date.Citations, num[docAstanaMFA]) {
		t.Errorf("date disagreement = %+v", date)
	}
	// The CNS report lists three proposals; the ministry's announces four.
	count, ok := kinds["count"]
	if !ok {
		t.Fatalf("no count disagreement in %+v", b.Disagreements)
	}
	if !strings.Contains(count.Text, "three") || !strings.Contains(count.Text, "four") || len(count.Citations) != 2 {
		t.Errorf("count disagreement = %+v", count)
	}
	if md := render.BriefMarkdown(b); !strings.Contains(md, "**Sources differ**") {
		t.Errorf("the Markdown hides the disagreements:\n%s", md)
	}
}

func TestBriefAbstainsOnUncoveredTopic(t *testing.T) {
	c := realEngine(t)
	for _, topic := range []string{"2022 FIFA World Cup", "世界杯足球赛"} {
		t.Run(topic, func(t *testing.T) {
			b, err := brief.New(c.engine, nil, nil).Brief(context.Background(), brief.Request{Topic: topic})
			if err != nil {
				t.Fatal(err)
			}
			if !b.Abstained || len(b.Sources) != 0 || len(b.Points) != 0 || len(b.Timeline) != 0 {
				t.Fatalf("want an abstention with no sources, got %+v", b)
			}
			if !strings.Contains(b.Headline, "does not cover") && !strings.Contains(b.Headline, "未涉及") {
				t.Errorf("headline %q", b.Headline)
			}
		})
	}
}

func TestBriefRejectsBadTopics(t *testing.T) {
	a := brief.New(realEngine(t).engine, nil, nil)
	for _, topic := range []string{"", "   ", strings.Repeat("x", rag.MaxQuestionRunes+1)} {
		if _, err := a.Brief(context.Background(), brief.Request{Topic: topic}); err == nil {
			t.Errorf("topic of %d characters accepted", len(topic))
		}
	}
}

func TestBriefJSONShape(t *testing.T) {
	b, err := brief.New(realEngine(t).engine, nil, nil).Brief(context.Background(), brief.Request{Topic: "SCO foreign ministers' meetings"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"headline", "points", "timeline", "sources"} {
		if _, ok := top[k]; !ok {
			t.Errorf("no %q in %s", k, raw)
		}
	}
	var shape struct {
		Points   []map[string]json.RawMessage
		Timeline []map[string]json.RawMessage
		Sources  []map[string]json.RawMessage
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"points":   {"text", "date", "citations"},
		"timeline": {"date", "place", "text", "citations"},
		"sources":  {"n", "doc", "title", "source", "date", "url"},
	}
	for name, items := range map[string][]map[string]json.RawMessage{"points": shape.Points, "timeline": shape.Timeline, "sources": shape.Sources} {
		if len(items) == 0 {
			t.Errorf("%s is empty", name)
			continue
		}
		for _, k := range want[name] {
			if _, ok := items[0][k]; !ok {
				t.Errorf("%s[0] has no %q: %v", name, k, items[0])
			}
		}
	}
	var cites []int
	if err := json.Unmarshal(shape.Points[0]["citations"], &cites); err != nil || len(cites) == 0 {
		t.Errorf("points[0].citations = %s, want a list of numbers", shape.Points[0]["citations"])
	}
}

func TestBriefMarkdownGolden(t *testing.T) {
	a := brief.New(realEngine(t).engine, nil, nil)
	for _, tt := range []struct{ name, topic, lang string }{
		{"brief_fm_en.md", "SCO foreign ministers' meetings", ""},
		{"brief_fm_zh.md", "上合组织外长会议", ""},
		{"brief_fm_ru.md", "встречи министров иностранных дел ШОС", ""},
		// A Russian reader's briefing on an English topic is in Russian.
		{"brief_fm_ru_reader.md", "SCO foreign ministers' meetings", "ru"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := a.Brief(context.Background(), brief.Request{Topic: tt.topic, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			ragtest.Golden(t, tt.name, render.BriefMarkdown(b))
		})
	}
}

// scriptGen is a fake language model: it replies with a script or fails,
// and records the prompts it was given.
type scriptGen struct {
	reply string
	err   error
	users []string
}

var _ rag.Generator = (*scriptGen)(nil)

func (g *scriptGen) Generate(_ context.Context, _, user string, onText func(string)) (string, error) {
	g.users = append(g.users, user)
	if g.err != nil {
		return "", g.err
	}
	if onText != nil {
		sofar := ""
		for _, line := range strings.SplitAfter(g.reply, "\n") {
			sofar += line
			onText(sofar)
		}
	}
	return g.reply, nil
}

// sourceNumbers finds "[n] Title" lines of the prompt's sources by document
// title prefix.
var promptSourceRE = regexp.MustCompile(`(?m)^\[(\d+)\] (.*)$`)

func TestBriefWithLanguageModel(t *testing.T) {
	c := realEngine(t)
	topic := "SCO foreign ministers' meetings"
	tests := []struct {
		name     string
		reply    string
		err      error
		mode     string
		points   int
		note     string
		headline string
	}{
		{
			name: "Verified citations",
			reply: "HEADLINE: Three SCO foreign ministers' meetings, 2020 to 2024\n" +
				"- In 2021 in Dushanbe, Wang Yi put forward a five-point proposal [2].\n" +
				"- In 2024 in Astana, Wang Yi made a four-point proposal [4].\n" +
				"- He also won the World Cup [9].\n" +
				"- An uncited claim.",
			mode: rag.AnswerLLM, points: 2, note: "left out", headline: "Three SCO foreign ministers' meetings, 2020 to 2024",
		},
		{
			name:  "no valid citation: extractive",
			reply: "HEADLINE: Made up\n- Something [9].\n- Something else.",
			mode:  rag.AnswerExtractive, note: "cited no valid source",
		},
		{
			name: "model unavailable: extractive",
			err:  errors.New("503 after 5 attempts"),
			mode: rag.AnswerExtractive, note: "unavailable",
		},
		{
			name:  "refusal: extractive",
			reply: "NOT_IN_SOURCES",
			mode:  rag.AnswerExtractive, note: "cited no valid source",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gen := &scriptGen{reply: tt.reply, err: tt.err}
			a := brief.New(c.engine, gen, nil)
			var partials []string
			b, err := a.Brief(context.Background(), brief.Request{Topic: topic, OnText: func(s string) { partials = append(partials, s) }})
			if err != nil {
				t.Fatal(err)
			}
			if b.Mode != tt.mode || !strings.Contains(b.Note, tt.note) {
				t.Fatalf("mode %s note %q", b.Mode, b.Note)
			}
			if len(gen.users) != 1 || !strings.Contains(gen.users[0], "<topic>"+topic+"</topic>") {
				t.Fatalf("prompts: %q", gen.users)
			}
			// The prompt numbers the sources as the briefing does.
			for _, m := range promptSourceRE.FindAllStringSubmatch(gen.users[0], -1) {
				n := 0
				for _, s := range b.Sources {
					if strings.HasPrefix(m[2], s.Title+" — ") {
						n = s.N
					}
				}
				if m[1] != string(rune('0'+n)) {
					t.Errorf("prompt source [%s] %q is [%d] in the briefing", m[1], m[2], n)
				}
			}
			if got := eventsOf(b); len(got) != 3 {
				t.Errorf("the timeline should stay extractive: %q", got)
			}
			if tt.mode == rag.AnswerExtractive {
				checkBriefing(t, c, b, true)
				return
			}
			checkBriefing(t, c, b, false)
			if len(b.Points) != tt.points || b.Headline != tt.headline {
				t.Fatalf("headline %q, points %+v", b.Headline, b.Points)
			}
			if len(partials) < 2 {
				t.Errorf("streaming: OnText called %d times", len(partials))
			}
			// [2] and [4] of the prompt are the Dushanbe and the MFA reports.
			want := map[string]string{"Dushanbe": docDushanbe, "Astana": docAstanaMFA}
			for _, p := range b.Points {
				if strings.Contains(p.Text, "[") {
					t.Errorf("markers left in the point text: %q", p.Text)
				}
				for place, doc := range want {
					if strings.Contains(p.Text, place) && b.Sources[p.Citations[0]-1].Doc != doc {
						t.Errorf("point %q cites %s, want %s", p.Text, b.Sources[p.Citations[0]-1].Doc, doc)
					}
				}
			}
		})
	}
}

// The 20th summit: the briefing announcing it is dated 2020-11-05; its
// text says the meeting is on November 10.
func TestTimelineDatesTheTwentiethSummit(t *testing.T) {
	tl := brief.New(realEngine(t).engine, nil, nil).Timeline("", "en")
	i := slices.IndexFunc(tl.Events, func(ev brief.Event) bool { return ev.Doc == docSummit })
	if i < 0 {
		t.Fatalf("no event from %s", docSummit)
	}
	ev := tl.Events[i]
	if ev.Date != "2020-11-10" || ev.DateFrom != brief.DateFromText || ev.Reported != "2020-11-05" || ev.Kind != brief.KindSummit {
		t.Errorf("20th summit: %+v", ev)
	}
	// The line quotes the sentence that dates it, not the lead ("… held
	// a briefing … on the 5th").
	if !strings.Contains(ev.Text, "on November 10") {
		t.Errorf("the 20th summit's line does not say when it is: %q", ev.Text)
	}
	if text := render.TimelineText(tl); !strings.Contains(text, "2020-11-10 · Beijing · SCO Council of Heads of State") {
		t.Errorf("text:\n%s", text)
	}
}

// A briefing on the heads of state or the summit holds no foreign
// ministers' meeting, in any language.
func TestBriefOnSummitsHoldsNoForeignMinistersMeeting(t *testing.T) {
	a := brief.New(realEngine(t).engine, nil, nil)
	for _, topic := range []string{"heads of state", "SCO summit", "上合组织峰会", "元首理事会会议", "саммит ШОС"} {
		t.Run(topic, func(t *testing.T) {
			b, err := a.Brief(context.Background(), brief.Request{Topic: topic})
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Timeline) == 0 {
				t.Fatalf("no events: %s", b.Headline)
			}
			for _, ev := range b.Timeline {
				if ev.Kind != brief.KindSummit {
					t.Errorf("%s event in a summit briefing: %s %s", ev.Kind, ev.Date, ev.Meeting)
				}
			}
			for _, s := range b.Sources {
				if s.Doc != docSummit {
					t.Errorf("source %s is not of a summit", s.Doc)
				}
			}
		})
	}
	b, err := a.Brief(context.Background(), brief.Request{Topic: "SCO foreign ministers' meetings"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range b.Timeline {
		if ev.Kind != brief.KindForeignMinisters {
			t.Errorf("%s event in a foreign ministers' briefing: %s %s", ev.Kind, ev.Date, ev.Meeting)
		}
	}
}

// No source is on both sides of a "sources differ" line.
func TestBriefDisagreementSidesAreApart(t *testing.T) {
	a := brief.New(realEngine(t).engine, nil, nil)
	for _, topic := range []string{"SCO foreign ministers' meetings", "上合组织外长会议", "Wang Yi proposals", "vaccine cooperation"} {
		b, err := a.Brief(context.Background(), brief.Request{Topic: topic})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range b.Disagreements {
			before, after, ok := strings.Cut(d.Text, ", while ")
			if !ok {
				before, after, _ = strings.Cut(d.Text, "，而")
			}
			for _, m := range ragtest.MarkerRE.FindAllString(after, -1) {
				if strings.Contains(before, m) {
					t.Errorf("%s: %s is on both sides of %q", topic, m, d.Text)
				}
			}
		}
	}
}

// An English briefing renders every point quoted in another language.
func TestEnglishBriefRendersOtherLanguagePoints(t *testing.T) {
	a := brief.New(realEngine(t).engine, nil, nil)
	for _, topic := range []string{"SCO foreign ministers' meetings", "Wang Yi visit to Russia, Kazakhstan, Kyrgyzstan and Mongolia", "vaccine cooperation", "Wang Yi interview with Xinhua"} {
		b, err := a.Brief(context.Background(), brief.Request{Topic: topic})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range b.Points {
			if p.Lang != "en" && len(p.Gloss) == 0 {
				t.Errorf("%s: %s point with no English rendering: %s", topic, p.Lang, p.Text)
			}
		}
	}
}
