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
