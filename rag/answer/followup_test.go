package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
)

func TestResolveFollowUp(t *testing.T) {
	prev := []rag.Turn{{Question: "What did Wang Yi propose in Astana?"}}
	tests := []struct {
		q       string
		history []rag.Turn
		want    string
	}{
		{"and in 2021?", prev, "and in 2021? (What did Wang Yi propose in Astana?)"},
		{"他还说了什么?", prev, "他还说了什么? (What did Wang Yi propose in Astana?)"},
		{"What about vaccines?", prev, "What about vaccines? (What did Wang Yi propose in Astana?)"},
		{"2021?", prev, "2021? (What did Wang Yi propose in Astana?)"},
		{"Who won the World Cup?", prev, "Who won the World Cup?"},
		{"What did Lavrov say about the summit held in Dushanbe in July?", prev, "What did Lavrov say about the summit held in Dushanbe in July?"},
		{"and in 2021?", nil, "and in 2021?"},
	}
	for _, tt := range tests {
		if got := resolveFollowUp(tt.q, tt.history); got != tt.want {
			t.Errorf("resolveFollowUp(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestAssistantAnswersFollowUps(t *testing.T) {
	a := NewAssistant(newTestEngine(t))
	first, err := a.Ask(context.Background(), rag.Request{Question: "What did Wang Yi say about vaccine nationalism?"})
	if err != nil || first.Abstained {
		t.Fatalf("first: %v %+v", err, first)
	}
	var streamed string
	second, err := a.Ask(context.Background(), rag.Request{
		Question: "and in 2021?",
		History:  []rag.Turn{{Question: first.Resolved, Answer: first.Text}},
		OnText:   func(s string) { streamed = s },
	})
	if err != nil {
		t.Fatal(err)
	}
	if second.Abstained || !strings.Contains(second.Resolved, "vaccine nationalism") || len(second.Citations) == 0 || second.Citations[0].Doc != "dushanbe" {
		t.Errorf("follow-up: resolved %q, answer %+v", second.Resolved, second)
	}
	if streamed != second.Text {
		t.Errorf("OnText got %q, want the final text", streamed)
	}
	if second.Question != "and in 2021?" {
		t.Errorf("Question = %q, want the asker's words", second.Question)
	}
}
