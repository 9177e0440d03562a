package retrieve

import (
	"slices"
	"testing"

	"github.com/scobot/scobot/rag"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		q      string
		years  []int
		months []int
		latest bool
	}{
		{"What did he propose in 2021?", []int{2021}, nil, false},
		{"2024年5月王毅在哪里?", []int{2024}, []int{5}, false},
		{"What happened in November 2020?", []int{2020}, []int{11}, false},
		{"Meetings in 2020 2021", []int{2020, 2021}, nil, false},
		{"What happened at the latest meeting?", nil, nil, true},
		{"最近一次外长会议在哪里举行?", nil, nil, true},
		{"You may ask anything", nil, nil, false},
		{"The 20th summit", nil, nil, false},
		{"Who won the 2022 FIFA World Cup?", []int{2022}, nil, false},
		{"上合组织2030年峰会在哪里举行?", []int{2030}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			tc := parseTime(tt.q)
			if !slices.Equal(tc.Years, tt.years) || !slices.Equal(tc.Months, tt.months) || tc.Latest != tt.latest {
				t.Errorf("parseTime(%q) = %+v, want years %v months %v latest %v", tt.q, tc, tt.years, tt.months, tt.latest)
			}
		})
	}
}

func TestTimeMatches(t *testing.T) {
	tc := parseTime("in May 2021")
	c := rag.Chunk{Date: "2021-07-14", Text: "text"}
	if !tc.MatchesYear(c) {
		t.Error("chunk dated 2021 should match 2021")
	}
	if tc.MatchesMonth(c) {
		t.Error("chunk dated July should not match May")
	}
	if !tc.MatchesYear(rag.Chunk{Date: "2024-05-21", Text: "BEIJING, May 21, 2021"}) {
		t.Error("a chunk naming the year should match it")
	}
	if tc.MatchesYear(rag.Chunk{Date: "2024-05-21", Text: "nothing"}) {
		t.Error("a 2024 chunk should not match 2021")
	}
}
