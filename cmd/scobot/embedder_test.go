package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestAnotherEmbedderKeepsItsFigures runs the project's question sets with
// an embedder that is not the built-in one: the fake OpenAI server's
// 16-dimensional bag of whitespace words, whose cosines sit on another
// scale altogether and which reads a Chinese sentence as one or two
// "words". The decision to abstain rests on lexical evidence and fusion
// weighs the embedder by how well it finds its own index's sentences, so
// abstention and facts must hold.
func TestAnotherEmbedderKeepsItsFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two question sets")
	}
	f := newFakeOpenAI(t, "", false)
	env := llmEnv(f, map[string]string{"EMBEDDING_MODEL": "fake-embed", "SCOBOT_LOG_LEVEL": "warn"})
	sets := []string{"../../eval/qa.jsonl", "../../../shared/eval/dev.jsonl"}
	var questions, abstainRight, answerable int
	var facts float64
	for _, qa := range sets {
		if _, err := os.Stat(qa); err != nil {
			t.Logf("skipping %s: %v", qa, err)
			continue
		}
		code, out, errOut := run(t, env, "", "eval", "--db", t.TempDir(), "--qa", qa, "--json")
		if code != 0 {
			t.Fatalf("eval %s: exit %d: %s", qa, code, errOut)
		}
		var rep struct {
			Questions          int     `json:"questions"`
			Answerable         int     `json:"answerable"`
			AbstentionAccuracy float64 `json:"abstention_accuracy"`
			FactCoverage       float64 `json:"fact_coverage"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		questions += rep.Questions
		abstainRight += int(rep.AbstentionAccuracy*float64(rep.Questions) + 0.5)
		answerable += rep.Answerable
		facts += rep.FactCoverage * float64(rep.Answerable)
	}
	if f.embedCalls.Load() == 0 {
		t.Fatal("the other embedder was never called")
	}
	abst, fc := float64(abstainRight)/float64(questions), facts/float64(answerable)
	t.Logf("with the other embedder: abstention %.3f, facts %.3f over %d questions", abst, fc, questions)
	if abst < 0.9 || fc < 0.8 {
		t.Errorf("abstention %.3f (want ≥ 0.9), facts %.3f (want ≥ 0.8)", abst, fc)
	}
}
