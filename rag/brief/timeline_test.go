package brief

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/retrieve"
)

// eventsFixture is a small corpus of meetings whose reports disagree:
// two reports of the 2021 Dushanbe meeting give it different days and
// different numbers of proposals; the English report of the 2024 Astana
// meeting gives it the wrong year and three proposals where the Chinese
// one says four; a report dated the day after the meeting it describes
// does not disagree with anything.
func eventsFixture() []rag.Chunk {
	doc := fixtureDoc
	var cs []rag.Chunk
	cs = append(cs, doc("dush-a", "en", "2021-07-14", "Wang Yi attends SCO Council of Foreign Ministers",
		"On July 14, 2021, Wang Yi attended the meeting of the SCO Council of Foreign Ministers in Dushanbe.",
		"Wang Yi put forward a five-point proposal on vaccines and security.")...)
	cs = append(cs, doc("dush-b", "en", "2021-07-14", "Foreign ministers meet in Dushanbe",
		"DUSHANBE, July 15, 2021 (Xinhua) — The SCO Council of Foreign Ministers met in Dushanbe with Wang Yi.",
		"Wang Yi made four proposals at the meeting, on vaccines among others.")...)
	cs = append(cs, doc("astana-zh", "zh", "2024-05-21", "王毅出席上合组织外长理事会会议",
		"当地时间2024年5月21日，王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议。",
		"王毅提出四点建议：\n\n一要坚持战略自主。\n\n二要坚持安危共担。")...)
	cs = append(cs, doc("astana-en", "en", "2024-05-21", "Wang Yi Attends SCO Foreign Ministers’ Meeting",
		"BEIJING, May 21, 2023 (Xinhua) — Wang Yi attended the SCO Council of Foreign Ministers in Astana on May 21.",
		"Wang Yi proposed that member states act together. Firstly, they should fight the pandemic. Secondly, they should trade. Thirdly, they should talk.")...)
	cs = append(cs, doc("moscow", "en", "2020-09-11", "Wang Yi in Moscow",
		"MOSCOW, Sept. 10, 2020 (Xinhua) — Wang Yi attended the SCO Council of Foreign Ministers in Moscow on September 10, 2020 and met Lavrov.")...)
	return cs
}

func newEventsEngine(t testing.TB) *retrieve.Engine {
	t.Helper()
	return newGlossaryEngine(t, eventsFixture())
}

// newGlossaryEngine builds a lexical engine over chunks with the built-in
// glossary and lexicon.
func newGlossaryEngine(t testing.TB, chunks []rag.Chunk) *retrieve.Engine {
	t.Helper()
	g, lex := ragtest.Glossaries(t)
	return retrieve.NewEngine(retrieve.Config{Chunks: chunks, Glossary: g, Lexicon: lex})
}

func TestTimelineFixture(t *testing.T) {
	e := newEventsEngine(t)
	tests := []struct {
		filter, lang string
		want         []string // "date place meeting docs"
	}{
		{"", "en", []string{
			"2020-09-10 Moscow SCO Council of Foreign Ministers moscow",
			"2021-07-14 Dushanbe SCO Council of Foreign Ministers dush-a,dush-b",
			"2024-05-21 Astana SCO Council of Foreign Ministers astana-en,astana-zh",
		}},
		{"", "zh", []string{
			"2020-09-10 莫斯科 上合组织外长理事会 moscow",
			"2021-07-14 杜尚别 上合组织外长理事会 dush-a,dush-b",
			"2024-05-21 阿斯塔纳 上合组织外长理事会 astana-zh,astana-en",
		}},
		{"Dushanbe", "", []string{"2021-07-14 Dushanbe SCO Council of Foreign Ministers dush-a,dush-b"}},
		{"杜尚别", "", []string{"2021-07-14 杜尚别 上合组织外长理事会 dush-a,dush-b"}},
		{"阿斯塔纳", "", []string{"2024-05-21 阿斯塔纳 上合组织外长理事会 astana-zh,astana-en"}},
		{"2024", "", []string{"2024-05-21 Astana SCO Council of Foreign Ministers astana-en,astana-zh"}},
		{"拉夫罗夫", "en", []string{"2020-09-10 Moscow SCO Council of Foreign Ministers moscow"}},
		{"vaccines 2021", "", []string{"2021-07-14 Dushanbe SCO Council of Foreign Ministers dush-a,dush-b"}},
		{"World Cup", "", nil},
		{"2019", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter+"/"+tt.lang, func(t *testing.T) {
			tl := New(e, nil, nil).Timeline(tt.filter, tt.lang)
			var got []string
			for _, ev := range tl.Events {
				var docs []string
				for _, n := range ev.Citations {
					docs = append(docs, tl.Sources[n-1].Doc)
				}
				got = append(got, strings.Join([]string{ev.Date, ev.Place, ev.Meeting, strings.Join(docs, ",")}, " "))
				if ev.Doc != docs[0] || !ragtest.Contains(e.DocChunks(ev.Doc), strings.TrimSuffix(ev.Text, "…")) {
					t.Errorf("event text %q is not from its first source %s", ev.Text, docs[0])
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tl.Events == nil || tl.Sources == nil {
				t.Error("nil lists (JSON would print null)")
			}
		})
	}
}

func TestTimelineTextInTheAskersLanguage(t *testing.T) {
	e := newEventsEngine(t)
	tl := New(e, nil, nil).Timeline("", "zh")
	// The Astana meeting has a Chinese report: quote it.
	if ev := tl.Events[2]; ev.Lang != "zh" || !strings.HasPrefix(ev.Text, "当地时间2024年5月21日") {
		t.Errorf("Astana event in %s: %q", ev.Lang, ev.Text)
	}
	// Dushanbe has only English reports: quote one, datelines removed,
	// with the names glossed.
	ev := tl.Events[1]
	if ev.Lang != "en" || !strings.HasPrefix(ev.Text, "On July 14, 2021") || !slices.Contains(ev.Gloss, rag.GlossPair{From: "Dushanbe", To: "杜尚别"}) {
		t.Errorf("Dushanbe event: %+v", ev)
	}
	empty := New(e, nil, nil).Timeline("World Cup", "en")
	if len(empty.Events) != 0 || empty.Events == nil {
		t.Errorf("a filter no event matches: %+v", empty.Events)
	}
}

func BenchmarkTimeline(b *testing.B) {
	br := New(newEventsEngine(b), nil, nil)
	b.ReportAllocs()
	for b.Loop() {
		br.Timeline("", "en")
	}
}

// fixtureDoc is one document of a fixture corpus: a chunk per paragraph.
func fixtureDoc(id, lang, date, title string, paras ...string) []rag.Chunk {
	var out []rag.Chunk
	for i, p := range paras {
		out = append(out, rag.Chunk{ID: id + "#" + strconv.Itoa(i), Doc: id, Pos: i, Lang: lang, Title: title, Date: date, Source: "Test", Text: p})
	}
	return out
}
