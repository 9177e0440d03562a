package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/retrieve"
)

func TestResolveFollowUp(t *testing.T) {
	g, _ := ragtest.Glossaries(t)
	prev := []rag.Turn{{Question: "What did Wang Yi propose in Astana?"}}
	dated := []rag.Turn{{Question: "王毅在2024年提出了哪些建议?"}}
	tests := []struct {
		q       string
		history []rag.Turn
		want    string
	}{
		// A name or a year takes the place of the previous one's.
		{"and in Dushanbe?", prev, "What did Wang Yi propose in Dushanbe?"},
		{"那在杜尚别呢?", prev, "What did Wang Yi propose in Dushanbe?"},
		{"那在2021年呢?", dated, "王毅在2021年提出了哪些建议?"},
		// A kind the previous question lacks is added to it.
		{"and in 2021?", prev, "What did Wang Yi propose in Astana in 2021?"},
		{"2021?", prev, "What did Wang Yi propose in Astana in 2021?"},
		// A number that only holds a year's digits is no year.
		{"and the 20000 troops?", dated, "and the 20000 troops? (王毅在2024年提出了哪些建议?)"},
		// Nothing to put in its place: the two are combined.
		{"他还说了什么?", prev, "他还说了什么? (What did Wang Yi propose in Astana?)"},
		{"What about vaccines?", prev, "What about vaccines? (What did Wang Yi propose in Astana?)"},
		// New questions stand alone.
		{"Who won the World Cup?", prev, "Who won the World Cup?"},
		{"What did Lavrov say about the summit held in Dushanbe in July?", prev, "What did Lavrov say about the summit held in Dushanbe in July?"},
		{"and in 2021?", nil, "and in 2021?"},
	}
	for _, tt := range tests {
		if got := resolveFollowUp(tt.q, tt.history, g); got != tt.want {
			t.Errorf("resolveFollowUp(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestFollowUpReplacesThePlace is the chat without a model: "and in
// Astana?" after a question about Dushanbe asks the same about Astana.
func TestFollowUpReplacesThePlace(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	a := NewAssistant(retrieve.NewEngine(retrieve.Config{Chunks: ragtest.Fixture(), Glossary: g, Lexicon: lex}))
	first, err := a.Ask(context.Background(), rag.Request{Question: "What did Wang Yi propose in Dushanbe?"})
	if err != nil || first.Abstained {
		t.Fatalf("first: %v %+v", err, first)
	}
	second, err := a.Ask(context.Background(), rag.Request{Question: "and in Astana?", History: []rag.Turn{{Question: first.Resolved, Answer: first.Text}}})
	if err != nil {
		t.Fatal(err)
	}
	if second.Abstained || len(second.Citations) == 0 || second.Citations[0].Doc != "astana-mfa" || !strings.Contains(second.Text, "四点建议") {
		t.Errorf("follow-up resolved as %q: %+v", second.Resolved, second)
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
