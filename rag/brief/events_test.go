package brief

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scobot/scobot/rag/answer"
)

func TestStripDateline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BEIJING, May 21, 2023 (Xinhua) — Wang Yi attended the meeting in Astana.", "Wang Yi attended the meeting in Astana."},
		{"Xinhua News Agency, Beijing, November 5 (Reporters Zheng Mingda and Dong Xue) The Ministry held a briefing.", "The Ministry held a briefing."},
		{"中新社阿斯塔纳5月21日电 (记者 单璐 张硕) 当地时间5月21日,王毅在阿斯塔纳出席会议。", "当地时间5月21日,王毅在阿斯塔纳出席会议。"},
		{"新华社北京9月16日电9月16日,王毅接受新华社记者专访。", "9月16日,王毅接受新华社记者专访。"},
		{"On July 14, 2021 local time, Wang Yi attended the meeting.", "On July 14, 2021 local time, Wang Yi attended the meeting."},
		{"Wang Yi, member of the Political Bureau, attended.", "Wang Yi, member of the Political Bureau, attended."},
		{"BEIJING, May 21 (Xinhua) — Hi.", "BEIJING, May 21 (Xinhua) — Hi."}, // too little left
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := stripDateline(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestShortenLead(t *testing.T) {
	long := strings.Repeat("word ", 80)
	han := strings.Repeat("上合组织，", 40)
	tests := []struct {
		name, in string
		cut      bool
	}{
		{"short stays", "Wang Yi attended the meeting in Astana on May 21.", false},
		{"long English cut at a space", long, true},
		{"long Chinese cut at a comma", han, true},
		{"no boundary", strings.Repeat("x", 400), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shortenLead(tt.in)
			if !tt.cut {
				if got != tt.in {
					t.Errorf("changed: %q", got)
				}
				return
			}
			kept, ok := strings.CutSuffix(got, "…")
			if !ok || !strings.HasPrefix(tt.in, kept) || textWidth(kept) > maxLeadWidth || kept == "" {
				t.Errorf("got %q", got)
			}
			if strings.HasSuffix(kept, " ") || strings.HasSuffix(kept, "，") {
				t.Errorf("cut leaves a separator: %q", got)
			}
		})
	}
}

func TestLocativePlace(t *testing.T) {
	e := newEventsEngine(t)
	tests := []struct{ in, want string }{
		{"王毅在阿斯塔纳出席会议。", "astana"},
		{"赴俄罗斯出席上海合作组织成员国外长理事会会议有何重要意义?", "russia"},
		{"attended the meeting in Dushanbe.", "dushanbe"},
		{"新华社北京9月16日电，王毅访问俄罗斯。", ""},
		{"BEIJING, May 21 (Xinhua) — Wang Yi met Lavrov.", ""},
	}
	for _, tt := range tests {
		if got := locativePlace(e, tt.in); got != tt.want {
			t.Errorf("locativePlace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzStripDateline checks that removing a dateline only ever removes a
// prefix and leaves a sentence.
func FuzzStripDateline(f *testing.F) {
	for _, s := range []string{"BEIJING, May 21, 2023 (Xinhua) — Wang Yi attended.", "中新社阿斯塔纳5月21日电 (记者 单璐) 当地时间5月21日,王毅出席。", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := stripDateline(s)
		if !strings.HasSuffix(s, got) {
			t.Errorf("%q is not a suffix of %q", got, s)
		}
		if got != s && utf8.RuneCountInString(got) < answer.MinSentenceRunes {
			t.Errorf("left too little: %q", got)
		}
	})
}

// FuzzShortenLead checks that a shortened lead is a verbatim prefix within
// the width limit.
func FuzzShortenLead(f *testing.F) {
	for _, s := range []string{strings.Repeat("word ", 80), strings.Repeat("上合组织，", 40), "short", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := shortenLead(s)
		if got == s {
			return
		}
		kept, ok := strings.CutSuffix(got, "…")
		if !ok || !strings.HasPrefix(s, kept) || textWidth(kept) > maxLeadWidth {
			t.Errorf("shortenLead(%q) = %q", s, got)
		}
	})
}
