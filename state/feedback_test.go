package state

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/rag/evaluate"
)

func TestFeedbackListAndExport(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	db, _ := openTest(t, Options{Now: clock.Now})
	start := clock.Now()
	add := []Feedback{
		{Vote: VoteUp, Question: "Who met in Astana?", Answer: "Wang Yi [1]", Citations: []Citation{{"astana-2024", "Wang Yi in Astana"}}, Chat: "c1", UserID: 7, Mode: "extractive"},
		{Vote: VoteDown, Question: "王毅在阿斯塔纳提出了哪四点建议?", Answer: "……[1][2]", Citations: []Citation{{"xinhua-0704", "王毅出席"}, {"tass-0704", "Лавров"}, {"xinhua-0704", "王毅出席"}}, Chat: "c1", UserID: 8, Mode: "llm"},
		{Vote: VoteDown, Question: "When is the 2030 summit?\nAnd where?", Answer: "The reports do not say.", Chat: "c2", UserID: 9, Mode: "extractive"},
		{Vote: VoteDown, Question: `Quote "<b>" & more`, Answer: "x", Citations: []Citation{{"astana-2024", ""}}, Chat: "c2", UserID: 9},
	}
	for i, f := range add {
		if i == 2 {
			clock.Advance(time.Hour)
		}
		got, err := db.AddFeedback(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == "" || !got.At.Equal(clock.Now()) {
			t.Errorf("AddFeedback gave ID %q, At %v", got.ID, got.At)
		}
	}
	later := start.Add(time.Hour)

	t.Run("list", func(t *testing.T) {
		tests := []struct {
			name   string
			filter FeedbackFilter
			want   []int // indexes into add
		}{
			{"all", FeedbackFilter{}, []int{0, 1, 2, 3}},
			{"only down", FeedbackFilter{OnlyDown: true}, []int{1, 2, 3}},
			{"since", FeedbackFilter{Since: later}, []int{2, 3}},
			{"down since", FeedbackFilter{OnlyDown: true, Since: later}, []int{2, 3}},
			{"since the future", FeedbackFilter{Since: later.Add(time.Second)}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fs, err := db.ListFeedback(ctx, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range fs {
					got = append(got, f.Question)
				}
				var want []string
				for _, i := range tt.want {
					want = append(want, add[i].Question)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("got %q, want %q", got, want)
				}
			})
		}
		fs, _ := db.ListFeedback(ctx, FeedbackFilter{})
		if f := fs[1]; f.UserID != 8 || f.Chat != "c1" || f.Mode != "llm" || len(f.Citations) != 3 || f.Citations[1].Title != "Лавров" || f.Answer != add[1].Answer {
			t.Errorf("stored feedback lost fields: %+v", f)
		}
	})

	t.Run("export read back by evaluate", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := db.ExportFeedback(ctx, &buf, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("exported %d, want the 3 👎", n)
		}
		if strings.Count(buf.String(), "\n") != 3 {
			t.Errorf("export is not one line per question:\n%s", buf.String())
		}
		qs, err := evaluate.ReadQuestions(&buf)
		if err != nil {
			t.Fatalf("evaluate.ReadQuestions refuses the export: %v", err)
		}
		tests := []struct {
			question string
			docs     string
			tags     string
		}{
			{add[1].Question, "[xinhua-0704 tass-0704]", "[feedback needs-review]"},
			{add[2].Question, "[]", "[feedback needs-review abstained]"},
			{add[3].Question, "[astana-2024]", "[feedback needs-review]"},
		}
		if len(qs) != len(tests) {
			t.Fatalf("read %d questions back, want %d", len(qs), len(tests))
		}
		ids := map[string]bool{}
		for i, tt := range tests {
			q := qs[i]
			if q.Question != tt.question || fmt.Sprint(q.Docs) != tt.docs || fmt.Sprint(q.Tags) != tt.tags || len(q.Facts) != 0 {
				t.Errorf("question %d read back as %+v; want %q docs %s tags %s", i, q, tt.question, tt.docs, tt.tags)
			}
			if !strings.HasPrefix(q.ID, "feedback-") || ids[q.ID] {
				t.Errorf("question %d has ID %q", i, q.ID)
			}
			ids[q.ID] = true
		}
		if !qs[0].Answerable() || qs[1].Answerable() {
			t.Error("cited docs should make a question answerable, none should not")
		}
	})

	t.Run("export since", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := db.ExportFeedback(ctx, &buf, later)
		if err != nil || n != 2 {
			t.Errorf("exported %d since %v (err %v), want 2", n, later, err)
		}
	})

	t.Run("bad feedback refused", func(t *testing.T) {
		for _, f := range []Feedback{{Vote: "meh", Question: "q"}, {Vote: VoteUp, Question: "  "}} {
			if _, err := db.AddFeedback(ctx, f); err == nil {
				t.Errorf("AddFeedback(%+v) accepted", f)
			}
		}
	})
}

func TestFeedbackChangedVoteCountsOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t, Options{})
	votes := []struct {
		vote     Vote
		answerID string
		user     int64
	}{
		{VoteUp, "ans-1", 7},
		{VoteDown, "ans-1", 7}, // 7 changes their mind: replaces the 👍
		{VoteUp, "ans-1", 8},   // another reader: a vote of their own
		{VoteDown, "", 7},      // no answer ID: never merged
		{VoteDown, "", 7},
	}
	var ids []string
	for _, v := range votes {
		f, err := db.AddFeedback(ctx, Feedback{Vote: v.vote, Question: "q", AnswerID: v.answerID, UserID: v.user})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	if ids[0] != ids[1] {
		t.Errorf("a changed vote got a new ID: %v", ids)
	}
	fs, err := db.ListFeedback(ctx, FeedbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%s:%d", f.Vote, f.AnswerID, f.UserID))
	}
	if want := "[down:ans-1:7 up:ans-1:8 down::7 down::7]"; fmt.Sprint(got) != want {
		t.Errorf("feedback %v, want %s", got, want)
	}
}
