package render

import (
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/brief"
)

func TestMarkdownEscapes(t *testing.T) {
	b := brief.Briefing{
		Lang: "en", Headline: "A *bold* claim",
		Points:        []brief.Point{{Text: "He said [sic] <b>x</b> _y_ #1 | z", Date: "2024-05-21", Citations: []int{1}}},
		Disagreements: []brief.Disagreement{{Text: "[1] says *one*, while [2] gives two."}},
		Sources:       []rag.Citation{{N: 1, Title: "T [x]", URL: "https://e.org/a (b)", Source: "S", Date: "2024-05-21"}, {N: 2, Title: "U"}},
	}
	md := BriefMarkdown(b)
	for _, want := range []string{
		"## A \\*bold\\* claim\n",
		"- 2024-05-21: He said \\[sic\\] \\<b\\>x\\</b\\> \\_y\\_ \\#1 \\| z [1]\n",
		"- [1] says \\*one\\*, while [2] gives two.\n",
		"1. [T \\[x\\]](https://e.org/a%20%28b%29) — S, 2024-05-21\n",
		"2. U\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

// timelineFixture is a timeline of two events in lang: one dated by its
// report, one by its text, glossed.
func timelineFixture(lang, bishkek, beijing string) brief.Timeline {
	return brief.Timeline{
		Lang: lang,
		Events: []brief.Event{
			{Date: "2019-06-14", DateFrom: brief.DateFromReport, Place: bishkek, Text: "Leaders met.", Citations: []int{1}},
			{Date: "2020-11-10", DateFrom: brief.DateFromText, Place: beijing, Meeting: "SCO Council of Heads of State", Text: "On November 10, leaders met.", Citations: []int{2},
				Gloss: []rag.GlossPair{{From: "Dushanbe", To: "杜尚别"}}},
		},
		Sources: []rag.Citation{{N: 1, Title: "A", Source: "S"}, {N: 2, Title: "B", URL: "https://b.org/"}},
	}
}

// TestTimelineInTheReadersLanguage: a timeline's labels, the mark of a
// report's date and its glosses are in its language, Russian too.
func TestTimelineInTheReadersLanguage(t *testing.T) {
	tests := []struct {
		lang, bishkek, beijing string
		text, markdown         []string
	}{
		{
			"en", "Bishkek", "Beijing",
			[]string{"Timeline\n", "  2019-06-14 (reported) · Bishkek\n      Leaders met. [1]\n", "  2020-11-10 · Beijing · SCO Council of Heads of State\n", "(Dushanbe = 杜尚别)", "Sources\n[1] A — S\n[2] B\n    https://b.org/\n"},
			[]string{"## Timeline\n\n", "- **2019-06-14 (reported)** · Bishkek: Leaders met. [1]\n", "- **2020-11-10** · Beijing · SCO Council of Heads of State: On", "**Sources**\n\n1. A — S\n2. [B](https://b.org/)\n"},
		},
		{
			"zh", "比什凯克", "北京",
			[]string{"时间线\n", "  2019-06-14（报道日期） · 比什凯克\n", "（Dushanbe = 杜尚别", "来源\n"},
			[]string{"## 时间线\n\n", "- **2019-06-14（报道日期）** · 比什凯克：Leaders met. [1]\n", "**来源**\n"},
		},
		{
			"ru", "Бишкек", "Пекин",
			[]string{"Хронология\n", "  2019-06-14 (дата сообщения) · Бишкек\n", "Источники\n"},
			[]string{"## Хронология\n\n", "- **2019-06-14 (дата сообщения)** · Бишкек: Leaders met. [1]\n", "**Источники**\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			tl := timelineFixture(tt.lang, tt.bishkek, tt.beijing)
			text, md := TimelineText(tl), TimelineMarkdown(tl)
			for _, w := range tt.text {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.markdown {
				if !strings.Contains(md, w) {
					t.Errorf("Markdown lacks %q:\n%s", w, md)
				}
			}
			if strings.Contains(text, "2020-11-10 (") || strings.Contains(text, "2020-11-10（") {
				t.Errorf("a date stated by the text is marked as the report's:\n%s", text)
			}
			ans := TimelineAnswer(tl)
			if ans.Lang != tt.lang || len(ans.Citations) != 2 || strings.Contains(ans.Text, "https://b.org/") || !strings.HasPrefix(text, ans.Text) {
				t.Errorf("answer %+v: want the text without its sources", ans)
			}
		})
	}
	empty := brief.Timeline{Lang: "en", Filter: "World Cup", Events: []brief.Event{}, Sources: []rag.Citation{}}
	if text, md := TimelineText(empty), TimelineMarkdown(empty); text != "Timeline: World Cup\nNo events match.\n" || md != "## Timeline: World Cup\n\nNo events match.\n" {
		t.Errorf("empty timeline:\n%q\n%q", text, md)
	}
}

// TestBriefingInTheReadersLanguage: a briefing's section labels are in
// its language, Russian too; its answer holds the text without the
// sources, which fronts render from Citations.
func TestBriefingInTheReadersLanguage(t *testing.T) {
	tests := []struct {
		lang   string
		text   []string
		differ string // the Markdown's label of the disagreements
	}{
		{"en", []string{"Key points\n", "  • 2024-05-21: Point [1]\n", "Timeline\n", "Sources differ\n", "Sources\n", "(n)"}, "**Sources differ**"},
		{"zh", []string{"要点\n", "  • 2024-05-21：Point [1]\n", "时间线\n", "说法不一\n", "来源\n"}, "**说法不一**"},
		{"ru", []string{"Главное\n", "  • 2024-05-21: Point [1]\n", "Хронология\n", "Источники расходятся\n", "Источники\n"}, "**Источники расходятся**"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := brief.Briefing{
				Lang: tt.lang, Topic: "t", Headline: "H", Note: "n",
				Points:        []brief.Point{{Text: "Point", Date: "2024-05-21", Citations: []int{1}}},
				Timeline:      []brief.Event{{Date: "2024-05-21", Place: "P", Text: "E", Citations: []int{1}}},
				Disagreements: []brief.Disagreement{{Text: "[1] says one."}},
				Sources:       []rag.Citation{{N: 1, Title: "T", URL: "https://t.org/"}},
			}
			text := BriefText(b)
			for _, w := range tt.text {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			if md := BriefMarkdown(b); !strings.Contains(md, tt.differ) {
				t.Errorf("Markdown lacks %q:\n%s", tt.differ, md)
			}
			ans := BriefAnswer(b)
			if ans.Note != "n" || ans.Lang != tt.lang || len(ans.Citations) != 1 || strings.Contains(ans.Text, "https://t.org/") || !strings.HasPrefix(text, ans.Text) {
				t.Errorf("answer %+v: want the text without its sources and note", ans)
			}
		})
	}
}
