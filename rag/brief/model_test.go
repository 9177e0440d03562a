package brief

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// modelFixture is a small corpus for the event model: a briefing of
// November 5 announcing a summit on November 10; a foreign-ministers'
// meeting whose report talks of the coming heads-of-state meeting; a
// summit report stating no date; and two reports of one meeting, one of
// which gives it two different days.
func modelFixture() []rag.Chunk {
	doc := fixtureDoc
	var cs []rag.Chunk
	cs = append(cs, doc("summit-brief", "en", "2020-11-05", "Foreign Ministry briefs the media on the 20th meeting of the SCO Council of Heads of State",
		"BEIJING, November 5 (Xinhua) — The Foreign Ministry held a briefing for Chinese and foreign media on the 5th.",
		"President Xi Jinping will attend the 20th meeting of the SCO Council of Heads of State in Beijing on November 10 by video.")...)
	cs = append(cs, doc("fm-moscow", "zh", "2020-09-11", "王毅出席上合组织外长理事会会议",
		"当地时间9月10日，王毅在莫斯科出席上海合作组织成员国外长理事会会议。",
		"王毅和拉夫罗夫都在莫斯科，两人说了很久很久。",
		"王毅表示，外长理事会会议为11月举行的元首理事会会议做好准备。")...)
	cs = append(cs, doc("bishkek", "en", "2019-06-14", "Xi Jinping attends the SCO summit in Bishkek",
		"Xi Jinping attended the SCO Council of Heads of State in Bishkek and delivered a speech.")...)
	cs = append(cs, doc("tash-a", "en", "2022-07-29", "Wang Yi in Tashkent",
		"On July 29, 2022, Wang Yi attended the SCO Council of Foreign Ministers in Tashkent.",
		"The SCO Council of Foreign Ministers in Tashkent opened on July 28, 2022, with every member present.")...)
	cs = append(cs, doc("tash-b", "en", "2022-07-29", "Foreign ministers meet in Tashkent",
		"The SCO Council of Foreign Ministers met in Tashkent on July 29, 2022.")...)
	return cs
}

func TestEventDateIn(t *testing.T) {
	tests := []struct {
		name, report, text, want string
	}{
		{"announced summit", "2020-11-05", "President Xi Jinping will attend the 20th meeting of the Council of Heads of State in Beijing on November 10.", "2020-11-10"},
		{"dateline is the report's", "2020-11-05", "BEIJING, November 5 (Xinhua) — The summit will be held on November 10 by video.", "2020-11-10"},
		{"zh month-day", "2024-05-21", "当地时间5月21日，王毅在阿斯塔纳出席会议。", "2024-05-21"},
		{"zh full", "2024-05-22", "当地时间2024年5月21日，王毅出席会议。", "2024-05-21"},
		{"zh announced", "2022-09-12", "会议将于9月16日在撒马尔罕举行。", "2022-09-16"},
		{"ru", "2020-11-05", "Си Цзиньпин примет участие в заседании Совета глав государств 10 ноября.", "2020-11-10"},
		{"en day-month", "2020-11-05", "The summit is on 10 November 2020.", "2020-11-10"},
		{"into next year", "2020-12-28", "The meeting will open on January 5.", "2021-01-05"},
		{"from last year", "2021-01-03", "The meeting closed on December 28.", "2020-12-28"},
		{"more than a year ahead", "2020-11-05", "The summit will be held on June 1, 2022.", ""},
		{"a year before", "2024-05-21", "Wang Yi attended the meeting on May 21, 2023.", ""},
		{"no calendar day", "2020-11-05", "It opens on 31 June.", ""},
		{"no date", "2020-11-05", "The Ministry held a briefing on the 5th.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := eventDateIn([]string{tt.text}, tt.report); got != tt.want {
				t.Errorf("eventDateIn(%q, %s) = %q, want %q", tt.text, tt.report, got, tt.want)
			}
		})
	}
	if d, from, _ := datedEvent("2020-11-05", []string{"No date here at all."}); d != "2020-11-05" || from != DateFromReport {
		t.Errorf("undated text: %s from %s, want the report's date", d, from)
	}
}

func TestTimelineDatesEventsByTheirText(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	tl := New(e, nil, nil).Timeline("", "en")
	var got []string
	for _, ev := range tl.Events {
		got = append(got, strings.Join([]string{ev.Date, ev.DateFrom, ev.Reported, ev.Kind, ev.Place}, " "))
	}
	want := []string{
		"2019-06-14 report 2019-06-14 summit Bishkek",
		"2020-09-10 text 2020-09-11 foreign-ministers Moscow",
		"2020-11-10 text 2020-11-05 summit Beijing",
		"2022-07-29 text 2022-07-29 foreign-ministers Tashkent",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if i := slices.IndexFunc(tl.Events, func(ev Event) bool { return ev.Doc == "summit-brief" }); i < 0 || !strings.HasPrefix(tl.Events[i].Text, "President Xi Jinping will attend") {
		t.Errorf("the summit is not quoted by the sentence that dates it: %+v", tl.Events)
	}
	// In Chinese, the same events, their places named in Chinese
	// (package render marks the report's date as such).
	zh := New(e, nil, nil).Timeline("", "zh")
	if i := slices.IndexFunc(zh.Events, func(ev Event) bool { return ev.Place == "比什凯克" }); i < 0 || zh.Events[i].Date != "2019-06-14" || zh.Events[i].DateFrom != DateFromReport {
		t.Errorf("zh events: %+v", zh.Events)
	}
}

// A briefing uses the same events as the timeline.
func TestBriefUsesTheTimelineEvents(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	b, err := New(e, nil, nil).Brief(context.Background(), Request{Topic: "SCO Council of Heads of State summit"})
	if err != nil {
		t.Fatal(err)
	}
	tl := New(e, nil, nil).Timeline("", "en")
	for _, ev := range b.Timeline {
		i := slices.IndexFunc(tl.Events, func(x Event) bool { return x.Doc == ev.Doc })
		if i < 0 || tl.Events[i].Date != ev.Date || tl.Events[i].DateFrom != ev.DateFrom || tl.Events[i].Kind != ev.Kind {
			t.Errorf("briefing event %+v is not the timeline's", ev)
		}
	}
	if !strings.Contains(b.Headline, "2020-11-10") {
		t.Errorf("headline %q: the latest summit is on 2020-11-10", b.Headline)
	}
}

func TestAskedKinds(t *testing.T) {
	g, _ := ragtest.Glossaries(t)
	tests := []struct {
		topic string
		want  []string
	}{
		{"heads of state", []string{KindSummit}},
		{"SCO summit", []string{KindSummit}},
		{"Council of Heads of State", []string{KindSummit}},
		{"上合组织元首理事会", []string{KindSummit}},
		{"上合峰会", []string{KindSummit}},
		{"саммит ШОС", []string{KindSummit}},
		{"Совет глав государств ШОС", []string{KindSummit}},
		{"SCO foreign ministers' meetings", []string{KindForeignMinisters}},
		{"Council of Foreign Ministers", []string{KindForeignMinisters}},
		{"上合组织外长理事会", []string{KindForeignMinisters}},
		{"СМИД ШОС", []string{KindForeignMinisters}},
		{"Совет министров иностранных дел", []string{KindForeignMinisters}},
		{"foreign ministers prepare the summit", []string{KindForeignMinisters, KindSummit}},
		{"Belt and Road", nil},
		{"vaccine cooperation", nil},
	}
	for _, tt := range tests {
		var got []string
		for k := range askedKinds(g, tt.topic) {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("askedKinds(%q) = %v, want %v", tt.topic, got, want)
		}
	}
}

func TestBriefKeepsTheAskedKind(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	tests := []struct {
		topic string
		kind  string
		docs  []string // at least these
	}{
		{"heads of state", KindSummit, []string{"summit-brief"}},
		{"SCO Council of Heads of State summit", KindSummit, []string{"summit-brief"}},
		{"元首理事会会议", KindSummit, []string{"summit-brief"}},
		{"SCO foreign ministers' meetings", KindForeignMinisters, []string{"fm-moscow"}},
		{"外长理事会会议", KindForeignMinisters, []string{"fm-moscow"}},
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			b, err := New(e, nil, nil).Brief(context.Background(), Request{Topic: tt.topic})
			if err != nil {
				t.Fatal(err)
			}
			if b.Abstained || len(b.Timeline) == 0 {
				t.Fatalf("no events: %s", b.Headline)
			}
			var docs []string
			for _, ev := range b.Timeline {
				if ev.Kind != tt.kind {
					t.Errorf("a %s briefing holds a %s event: %+v", tt.kind, ev.Kind, ev)
				}
				for _, n := range ev.Citations {
					docs = append(docs, b.Sources[n-1].Doc)
				}
			}
			for _, d := range tt.docs {
				if !slices.Contains(docs, d) {
					t.Errorf("no event from %s: %v", d, docs)
				}
			}
		})
	}
}

// checkSides asserts that no source of a date disagreement is on both of
// its sides: the part before "while" / "而" and the part after.
func checkSides(t *testing.T, d Disagreement) {
	t.Helper()
	if d.Kind != "date" {
		return
	}
	cut := func(s string) (string, string) {
		for _, sep := range []string{", while ", "，而", ", а "} {
			if a, b, ok := strings.Cut(s, sep); ok {
				return a, b
			}
		}
		return s, ""
	}
	before, after := cut(d.Text)
	for _, m := range ragtest.MarkerRE.FindAllString(after, -1) {
		if strings.Contains(before, m) {
			t.Errorf("%s is on both sides of %q", m, d.Text)
		}
	}
}

func TestDateDisagreementSides(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	for lang, want := range map[string]string{
		"":   "Sources differ on the date of the SCO Council of Foreign Ministers meeting in Tashkent on 2022-07-29: [1] gives both “July 29, 2022” and “July 28, 2022”, while [2] gives 2022-07-29.",
		"ru": "Источники расходятся в дате встречи (Совет министров иностранных дел ШОС; Ташкент, 2022-07-29): [1] указывает и «July 29, 2022», и «July 28, 2022», а [2] — 2022-07-29.",
	} {
		b, err := New(e, nil, nil).Brief(context.Background(), Request{Topic: "SCO foreign ministers meeting in Tashkent", Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range b.Disagreements {
			got = append(got, d.Text)
			checkSides(t, d)
		}
		if !slices.Equal(got, []string{want}) {
			t.Errorf("disagreements (%q):\n%s\nwant:\n%s", lang, strings.Join(got, "\n"), want)
		}
	}
	// The other fixture's disagreements keep their sides apart too.
	for _, topic := range []string{"SCO foreign ministers meeting in Dushanbe", "SCO foreign ministers meeting in Astana", "上合组织外长理事会阿斯塔纳会议"} {
		b, err := New(newEventsEngine(t), nil, nil).Brief(context.Background(), Request{Topic: topic})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range b.Disagreements {
			checkSides(t, d)
		}
	}
}

// An English briefing renders every point it quotes in another language:
// here the only report is Chinese and its sentences name only what the
// topic names.
func TestBriefGlossesEveryOtherLanguagePoint(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	b, err := New(e, nil, nil).Brief(context.Background(), Request{Topic: "Wang Yi Moscow Lavrov"})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Points) == 0 {
		t.Fatalf("no points: %+v", b)
	}
	for _, p := range b.Points {
		if p.Lang != b.Lang && len(p.Gloss) == 0 {
			t.Errorf("%s point with no %s rendering: %s", p.Lang, b.Lang, p.Text)
		}
	}
}

func TestBriefSince(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		topic, since string
		events       []string // "date doc,doc"
		nothingNew   bool
	}{
		// All summits.
		{"heads of state", "", []string{"2019-06-14 bishkek", "2020-11-10 summit-brief"}, false},
		// Reported on 2020-11-05 but dated 2020-11-10: new by its date.
		{"heads of state", "2020-11-06", []string{"2020-11-10 summit-brief"}, false},
		{"heads of state", "2020-11-11", nil, true},
		// Dated 2020-09-10, reported 2020-09-11: new by its report.
		{"SCO foreign ministers meeting in Moscow", "2020-09-11", []string{"2020-09-10 fm-moscow"}, false},
		{"SCO foreign ministers meeting in Moscow", "2020-09-12", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.topic+" "+tt.since, func(t *testing.T) {
			req := Request{Topic: tt.topic}
			if tt.since != "" {
				req.Since = day(tt.since)
			}
			b, err := New(e, nil, nil).Brief(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ev := range b.Timeline {
				var docs []string
				for _, n := range ev.Citations {
					docs = append(docs, b.Sources[n-1].Doc)
				}
				got = append(got, ev.Date+" "+strings.Join(docs, ","))
			}
			if !slices.Equal(got, tt.events) || b.NothingNew != tt.nothingNew || b.Since != tt.since {
				t.Errorf("events %q nothing new %v since %q, want %q %v %q", got, b.NothingNew, b.Since, tt.events, tt.nothingNew, tt.since)
			}
			if tt.nothingNew {
				if b.Abstained || len(b.Sources) != 0 || len(b.Points) != 0 || !strings.Contains(b.Headline, "Nothing new since "+tt.since) {
					t.Errorf("nothing-new briefing: %+v", b)
				}
				return
			}
			if tt.since != "" && !strings.Contains(b.Headline, "(new since "+tt.since+")") {
				t.Errorf("headline %q does not say since when", b.Headline)
			}
			for _, p := range b.Points {
				if !slices.ContainsFunc(b.Timeline, func(ev Event) bool { return slices.Contains(ev.Citations, p.Citations[0]) }) {
					t.Errorf("point %q cites no kept event", p.Text)
				}
			}
		})
	}
}

// A timeline on a kind of meeting lists only events of that kind; a year
// keeps the events dated or reported in it.
func TestTimelineKindsAndYears(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	for _, tt := range []struct{ filter, kind string }{
		{"heads of state", KindSummit},
		{"Council of Heads of State", KindSummit},
		{"外长理事会", KindForeignMinisters},
	} {
		tl := New(e, nil, nil).Timeline(tt.filter, "")
		if len(tl.Events) == 0 {
			t.Errorf("%s: no events", tt.filter)
		}
		for _, ev := range tl.Events {
			if ev.Kind != tt.kind {
				t.Errorf("%s: a %s event: %s %s", tt.filter, ev.Kind, ev.Date, ev.Doc)
			}
		}
	}
	evs := []Event{{Date: "2021-01-05", Reported: "2020-12-30"}, {Date: "2020-11-10", Reported: "2020-11-05"}, {Date: "2019-06-14", Reported: "2019-06-14"}}
	var got []string
	for _, ev := range keepYears(evs, []string{"2021"}) {
		got = append(got, ev.Date)
	}
	if !slices.Equal(got, []string{"2021-01-05"}) {
		t.Errorf("keepYears 2021 = %v", got)
	}
	if n := len(keepYears(evs, []string{"2020"})); n != 2 {
		t.Errorf("keepYears 2020 kept %d events, want 2 (one dated, one reported in 2020)", n)
	}
}

// TestWithInner: a report of the Council of Foreign Ministers speaks of
// foreign ministers, in English and Chinese, though the glossary finds
// only the longer term in it.
func TestWithInner(t *testing.T) {
	g, _ := ragtest.Glossaries(t)
	memo := map[string][]string{}
	for _, text := range []string{"The SCO Council of Foreign Ministers met in Bishkek.", "上海合作组织成员国外长理事会会议在比什凯克举行。"} {
		found := g.Concepts(text)
		if slices.Contains(found, "foreign-minister") {
			t.Fatalf("%q: the glossary already finds foreign-minister; the test needs a text where only the longer term is found", text)
		}
		if got := withInner(g, found, memo); !slices.Contains(got, "foreign-minister") {
			t.Errorf("%q: %v, want foreign-minister among them", text, got)
		}
	}
}

// TestHeadlineLanguages: the extractive headline in each language, with
// the Since day of a digest and Russian counts in their grammatical
// number.
func TestHeadlineLanguages(t *testing.T) {
	e := newGlossaryEngine(t, modelFixture())
	tests := []struct {
		lang, since, want string
	}{
		{"en", "", "Heads of state: 2 reported events, 2019–2020; the latest on 2020-11-10 in Beijing"},
		{"zh", "", "heads of state：2019—2020年共2起相关事件，最近一次于2020-11-10在北京"},
		{"ru", "", "Heads of state: 2 события, 2019–2020 гг.; последнее — 2020-11-10, Пекин"},
		{"en", "2020-11-06", "Heads of state: 2020-11-10 in Beijing (new since 2020-11-06)"},
		{"ru", "2020-11-06", "Heads of state: 2020-11-10, Пекин (новое с 2020-11-06)"},
	}
	for _, tt := range tests {
		req := Request{Topic: "heads of state", Lang: tt.lang}
		if tt.since != "" {
			d, err := time.Parse(time.DateOnly, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			req.Since = d
		}
		b, err := New(e, nil, nil).Brief(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if b.Headline != tt.want {
			t.Errorf("%s since %q: headline %q, want %q", tt.lang, tt.since, b.Headline, tt.want)
		}
	}
}
