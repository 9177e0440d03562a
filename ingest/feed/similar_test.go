package feed

import (
	"sort"
	"strings"
	"testing"
)

// TestSameEventRule: the same-event rule on its own, each of its three
// conditions switched in turn.
func TestSameEventRule(t *testing.T) {
	terms := func(s string) []string {
		f := strings.Fields(s)
		sort.Strings(f)
		return f
	}
	base := report{Date: "2024-05-20", Terms: terms("astana chinese council foreign lavrov meet minister russian sco sergei wang")}
	long := report{Date: "2024-05-20", Terms: terms("astana foreign lavrov sco wang c1 c2 c3 c4 c5 c6 c7 c8 c9 d1 d2 d3 d4 d5 d6")}
	tests := []struct {
		name  string
		a     *report // base if nil
		other report
		want  bool
	}{
		{name: "same terms, next day", other: report{Date: "2024-05-21", Terms: base.Terms}, want: true},
		{name: "same terms, two days before", other: report{Date: "2024-05-18", Terms: base.Terms}, want: true},
		{name: "same terms, three days after", other: report{Date: "2024-05-23", Terms: base.Terms}, want: false},
		{name: "undated", other: report{Terms: base.Terms}, want: false},
		{name: "five shared of twelve", other: report{Date: "2024-05-20", Terms: terms("astana capital foreign held kazakh lavrov sco talk wang annual gathered hold")}, want: true},
		{name: "four shared, all of a short list", other: report{Date: "2024-05-20", Terms: terms("astana lavrov sco wang")}, want: false},
		{name: "five shared of twenty", a: &long, other: report{Date: "2024-05-20", Terms: terms("astana foreign lavrov sco wang a1 a2 a3 a4 a5 a6 a7 a8 a9 b1 b2 b3 b4 b5 b6")}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base
			if tt.a != nil {
				a = *tt.a
			}
			if got := sameEvent(a, tt.other); got != tt.want {
				t.Errorf("sameEvent = %v, want %v (shared %d)", got, tt.want, sharedTerms(a.Terms, tt.other.Terms))
			}
		})
	}
}

// TestResemblance: copies resemble each other, rewrites and other texts
// do not; Chinese text is shingled by characters.
func TestResemblance(t *testing.T) {
	text := "Leaders of the Shanghai Cooperation Organization agreed at their summit in Tianjin to set up a development bank of their own, ending years of debate about how to finance joint projects. The bank will lend for infrastructure, energy and trade projects in member states."
	zh := "上海合作组织成员国元首理事会第二十四次会议7月4日在阿斯塔纳举行。会议签署并发表了《阿斯塔纳宣言》，并决定接收白俄罗斯为成员国。"
	tests := []struct {
		name string
		a, b string
		min  float64
		max  float64
	}{
		{name: "identical", a: text, b: text, min: 1, max: 1},
		{name: "case and punctuation", a: text, b: strings.ToUpper(strings.ReplaceAll(text, ",", "")), min: 1, max: 1},
		{name: "extra line", a: text, b: text + " Follow us for more.", min: SameContent, max: 1},
		{name: "other text", a: text, b: "Iran signed a memorandum of obligations on its way to becoming a full member of the organization.", max: 0.1},
		{name: "chinese copy", a: zh, b: zh + "新华社", min: SameContent, max: 1},
		{name: "traditional chinese copy", a: zh, b: "上海合作組織成員國元首理事會第二十四次會議7月4日在阿斯塔納舉行。會議簽署並發表了《阿斯塔納宣言》，並決定接收白俄羅斯為成員國。", min: 1, max: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resemblance(contentFingerprint(tt.a), contentFingerprint(tt.b))
			if got < tt.min || got > tt.max {
				t.Errorf("resemblance %.2f, want %.2f–%.2f", got, tt.min, tt.max)
			}
		})
	}
}
