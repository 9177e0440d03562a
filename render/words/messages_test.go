package words

import (
	"strings"
	"testing"
)

// TestTable: every message is in every language, with the same verbs to
// fill, and Text fills them.
func TestTable(t *testing.T) {
	for k, m := range messages {
		for i, s := range m {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s has no %s text", k, Languages[i])
			}
			if verbs(s) != verbs(m[0]) {
				t.Errorf("%s in %s fills %d values, in English %d", k, Languages[i], verbs(s), verbs(m[0]))
			}
		}
	}
	if got := Text("zh", SourcesTitle, 3); got != "我根据 3 篇报道作答" {
		t.Errorf("Text = %q", got)
	}
	if got := Text("fr", SourcesHeading); got != "Sources" {
		t.Errorf("an unknown language gives %q, want English", got)
	}
	if got := Text("zh", RateQuestions, 5, Text("zh", PerMinute)); got != "每分钟 5 个问题" {
		t.Errorf("reordered verbs: %q", got)
	}
}

// verbs counts the values a message fills.
func verbs(s string) int { return strings.Count(s, "%") - 2*strings.Count(s, "%%") }

func TestLang(t *testing.T) {
	for tag, want := range map[string]string{"zh-hans": "zh", "zh_TW": "zh", "ru-RU": "ru", "EN": "en", "fr": "", "": ""} {
		if got := Lang(tag); got != want {
			t.Errorf("Lang(%q) = %q, want %q", tag, got, want)
		}
	}
}

// TestCount: a count takes its noun's grammatical number in Russian (1
// встреча, 2–4 встречи, 5–20 встреч, 21 встреча…) and its words for one
// to ten.
func TestCount(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		keys [3]Key
		want string
	}{
		{"ru", 1, [3]Key{MeetingsOne, MeetingsFew, MeetingsMany}, "1 встреча"},
		{"ru", 3, [3]Key{MeetingsOne, MeetingsFew, MeetingsMany}, "3 встречи"},
		{"ru", 5, [3]Key{MeetingsOne, MeetingsFew, MeetingsMany}, "5 встреч"},
		{"ru", 11, [3]Key{MeetingsOne, MeetingsFew, MeetingsMany}, "11 встреч"},
		{"ru", 14, [3]Key{EventsOne, EventsFew, EventsMany}, "14 событий"},
		{"ru", 21, [3]Key{EventsOne, EventsFew, EventsMany}, "21 событие"},
		{"ru", 22, [3]Key{EventsOne, EventsFew, EventsMany}, "22 события"},
		{"ru", 1, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "одно предложение"},
		{"ru", 4, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "четыре предложения"},
		{"ru", 5, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "пять предложений"},
		{"ru", 12, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "12 предложений"},
		{"en", 4, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "four"},
		{"en", 12, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "12"},
		{"zh", 2, [3]Key{ProposalsOne, ProposalsFew, ProposalsMany}, "两点"},
		{"zh", 3, [3]Key{MeetingsOne, MeetingsFew, MeetingsMany}, "3"},
	}
	for _, tt := range tests {
		if got := Count(tt.lang, tt.n, tt.keys[0], tt.keys[1], tt.keys[2]); got != tt.want {
			t.Errorf("Count(%s, %d, %s) = %q, want %q", tt.lang, tt.n, tt.keys[0], got, tt.want)
		}
	}
}
