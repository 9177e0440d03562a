package retrieve

import (
	"slices"
	"testing"

	"github.com/scobot/scobot/rag/internal/ragtest"
)

func TestChineseDateUnitsAreNotWords(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	// "2020年" is a date: the year constraint weighs it, and "年" must not
	// become the word "year", which would favour every English "years".
	q := e.ParseQuery("2020年上合组织外长会的核心任务是什么?")
	if slices.Contains(q.Words, "year") || q.Terms["year"] > 0 {
		t.Errorf("a date's 年 became the word year: words %v", q.Words)
	}
	if len(q.Time.Years) != 1 || q.Time.Years[0] != 2020 {
		t.Errorf("years = %v, want [2020]", q.Time.Years)
	}
	// "哪一年" asks for a year: still the word.
	if q := e.ParseQuery("伊朗是哪一年成为成员国的?"); !slices.Contains(q.Words, "year") {
		t.Errorf("哪一年 lost the word year: words %v", q.Words)
	}
}
