package brief

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag/internal/ragtest"
)

func TestBriefDisagreements(t *testing.T) {
	e := newEventsEngine(t)
	tests := []struct {
		topic, lang string
		want        []string // kind: text fragments
	}{
		{"SCO foreign ministers meeting in Dushanbe", "", []string{
			"date: Sources differ on the date of the SCO Council of Foreign Ministers meeting in Dushanbe on 2021-07-14: [2] says “July 15, 2021”, while [1] gives 2021-07-14.",
			"count: Sources differ on the number of proposals made at the SCO Council of Foreign Ministers meeting in Dushanbe on 2021-07-14: five [1]; four [2].",
		}},
		{"SCO foreign ministers meeting in Astana", "", []string{
			"date: Sources differ on the date of the SCO Council of Foreign Ministers meeting in Astana on 2024-05-21: [1] says “May 21, 2023”, while [2] gives 2024-05-21.",
			"count: Sources differ on the number of proposals made at the SCO Council of Foreign Ministers meeting in Astana on 2024-05-21: three [1]; four [2].",
		}},
		{"上合组织外长理事会阿斯塔纳会议", "", []string{
			"date: 关于2024-05-21在阿斯塔纳举行的上合组织外长理事会会议的日期，来源说法不一：[2]写作“May 21, 2023”，而[1]为2024-05-21。",
			"count: 关于2024-05-21在阿斯塔纳举行的上合组织外长理事会会议上提出建议的数量，来源说法不一：四点[1]；三点[2]。",
		}},
		// Dated the day after the meeting its text describes: no
		// disagreement.
		{"SCO foreign ministers meeting in Moscow", "", nil},
		// In Russian, asked in Russian or for a Russian reader.
		{"Совет министров иностранных дел ШОС в Астане", "", []string{
			"date: Источники расходятся в дате встречи (Совет министров иностранных дел ШОС; Астана, 2024-05-21): [1] указывает «May 21, 2023», а [2] — 2024-05-21.",
			"count: Источники расходятся в том, сколько предложений было выдвинуто в ходе встречи (Совет министров иностранных дел ШОС; Астана, 2024-05-21): три предложения [1]; четыре предложения [2].",
		}},
		{"SCO foreign ministers meeting in Dushanbe", "ru", []string{
			"date: Источники расходятся в дате встречи (Совет министров иностранных дел ШОС; Душанбе, 2021-07-14): [2] указывает «July 15, 2021», а [1] — 2021-07-14.",
			"count: Источники расходятся в том, сколько предложений было выдвинуто в ходе встречи (Совет министров иностранных дел ШОС; Душанбе, 2021-07-14): пять предложений [1]; четыре предложения [2].",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.topic+"/"+tt.lang, func(t *testing.T) {
			b, err := New(e, nil, nil).Brief(context.Background(), Request{Topic: tt.topic, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			if b.Abstained {
				t.Fatalf("abstained: %s", b.Headline)
			}
			var got []string
			for _, d := range b.Disagreements {
				got = append(got, d.Kind+": "+d.Text)
				for _, m := range ragtest.MarkerRE.FindAllStringSubmatch(d.Text, -1) {
					n, _ := strconv.Atoi(m[1])
					if !slices.Contains(d.Citations, n) {
						t.Errorf("%q cites [%d] but Citations = %v", d.Text, n, d.Citations)
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("disagreements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTextDates(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"BEIJING, May 21, 2023 (Xinhua)", []string{"2023-05-21"}},
		{"On July 14, 2021 local time and Sept. 10, 2020", []string{"2021-07-14", "2020-09-10"}},
		{"当地时间2024年5月21日，王毅", []string{"2024-05-21"}},
		{"on May 21 in Astana", nil},
		{"5月21日", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, c := range textDates(tt.in) {
				got = append(got, c.iso)
				if !strings.Contains(tt.in, c.quote) {
					t.Errorf("quote %q not in the text", c.quote)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSameEventDate(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"2024-05-21", "2024-05-21", true},
		{"2023-05-21", "2024-05-21", true},
		{"2024-05-22", "2024-05-21", true},
		{"2023-06-21", "2024-05-21", false},
		{"2020-11-10", "2024-05-21", false},
		{"bad", "2024-05-21", false},
	}
	for _, tt := range tests {
		if got := sameEventDate(tt.a, tt.b); got != tt.want {
			t.Errorf("sameEventDate(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}

func TestProposalCount(t *testing.T) {
	e := newEventsEngine(t)
	for doc, want := range map[string]int{"dush-a": 5, "dush-b": 4, "astana-zh": 4, "astana-en": 3, "moscow": 0} {
		if got := proposalCount(e, doc); got != want {
			t.Errorf("%s: %d proposals, want %d", doc, got, want)
		}
	}
}

var isoRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// FuzzTextDates checks that every date found is an ISO date quoted from the
// text.
func FuzzTextDates(f *testing.F) {
	for _, s := range []string{"BEIJING, May 21, 2023 (Xinhua)", "当地时间2024年5月21日", "Sept. 10, 2020", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range textDates(s) {
			if !isoRE.MatchString(c.iso) || !strings.Contains(s, c.quote) {
				t.Errorf("textDates(%q) gave %+v", s, c)
			}
		}
	})
}
