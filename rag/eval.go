package rag

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// EvalQuestion is one line of an evaluation file (JSONL): a question, the
// documents that answer it (none: the corpus cannot, and the answer must
// abstain) and the facts an answer must contain (each group lists
// alternatives; one of each group must appear).
type EvalQuestion struct {
	ID       string     `json:"id"`
	Question string     `json:"question"`
	Docs     []string   `json:"docs"`
	Facts    [][]string `json:"facts"`
	Tags     []string   `json:"tags,omitempty"`
}

// Answerable reports whether the corpus is expected to answer q.
func (q EvalQuestion) Answerable() bool { return len(q.Docs) > 0 }

// ReadEvalQuestions parses a JSONL evaluation file. Blank lines are skipped;
// a malformed line is an error naming its line number.
func ReadEvalQuestions(r io.Reader) ([]EvalQuestion, error) {
	var out []EvalQuestion
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q EvalQuestion
		if err := json.Unmarshal([]byte(text), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if strings.TrimSpace(q.Question) == "" {
			return nil, fmt.Errorf("line %d: no question", line)
		}
		if q.ID == "" {
			q.ID = fmt.Sprintf("line-%d", line)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("couldn't read the questions: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no questions found")
	}
	return out, nil
}

// EvalResult is the outcome of one evaluation question.
type EvalResult struct {
	ID             string   `json:"id"`
	Question       string   `json:"question"`
	Tags           []string `json:"tags,omitempty"`
	Gold           []string `json:"gold"`
	Ranked         []string `json:"ranked"` // distinct documents in passage rank order
	RecallAt1      float64  `json:"recall_at_1"`
	RecallAtK      float64  `json:"recall_at_k"`
	RR             float64  `json:"rr"`
	Abstained      bool     `json:"abstained"`
	AbstainCorrect bool     `json:"abstention_correct"`
	FactCoverage   float64  `json:"fact_coverage"`
	Missing        []string `json:"missing_facts,omitempty"`
	Support        float64  `json:"support"`
	Answer         string   `json:"answer"`
}

// EvalReport aggregates an evaluation run. Recall, MRR and fact coverage are
// averaged over the answerable questions; abstention accuracy over all (an
// unanswerable question is right when the answer abstains, an answerable one
// when it does not).
type EvalReport struct {
	Questions          int          `json:"questions"`
	K                  int          `json:"k"`
	Retriever          Mode         `json:"retriever"`
	RecallAt1          float64      `json:"recall_at_1"`
	RecallAtK          float64      `json:"recall_at_k"`
	MRR                float64      `json:"mrr"`
	AbstentionAccuracy float64      `json:"abstention_accuracy"`
	FactCoverage       float64      `json:"fact_coverage"`
	PerQuestion        []EvalResult `json:"per_question"`
}

// QuestionAnswerer answers a question; Engine.Answer is one.
type QuestionAnswerer interface {
	Answer(ctx context.Context, question string, opts AnswerOptions) (Answer, error)
}

// Evaluate answers every question and scores the answers. Passages are
// retrieved k at a time; the ranking is scored even when the answer abstains.
func Evaluate(ctx context.Context, a QuestionAnswerer, qs []EvalQuestion, k int, mode Mode) (EvalReport, error) {
	if k <= 0 {
		k = 5
	}
	if mode == "" {
		mode = ModeHybrid
	}
	rep := EvalReport{Questions: len(qs), K: k, Retriever: mode}
	for _, q := range qs {
		ans, err := a.Answer(ctx, q.Question, AnswerOptions{K: k, Mode: mode})
		if err != nil {
			return rep, fmt.Errorf("question %s: %w", q.ID, err)
		}
		rep.PerQuestion = append(rep.PerQuestion, ScoreAnswer(q, ans, k))
	}
	rep.aggregate()
	return rep, nil
}

// ScoreAnswer scores one answer against its evaluation question.
func ScoreAnswer(q EvalQuestion, ans Answer, k int) EvalResult {
	res := EvalResult{ID: q.ID, Question: q.Question, Tags: q.Tags, Gold: nonNilStrings(q.Docs), Abstained: ans.Abstained, Support: ans.Support, Answer: ans.Text}
	res.Ranked = distinctDocs(ans.Passages)
	gold := map[string]bool{}
	for _, d := range q.Docs {
		gold[d] = true
	}
	for i, d := range res.Ranked {
		if !gold[d] {
			continue
		}
		if res.RR == 0 {
			res.RR = 1 / float64(i+1)
		}
		if i == 0 {
			res.RecallAt1 = 1
		}
		if i < k {
			res.RecallAtK = 1
		}
	}
	res.AbstainCorrect = ans.Abstained != q.Answerable()
	if q.Answerable() {
		res.FactCoverage, res.Missing = factCoverage(q.Facts, ans)
	}
	return res
}

// factCoverage is the share of fact groups the answer contains (one
// alternative of a group is enough, case-insensitive). An abstention
// contains none.
func factCoverage(facts [][]string, ans Answer) (float64, []string) {
	if len(facts) == 0 {
		return 1, nil
	}
	if ans.Abstained {
		var missing []string
		for _, g := range facts {
			missing = append(missing, strings.Join(g, "|"))
		}
		return 0, missing
	}
	text := strings.ToLower(ans.Text)
	found := 0
	var missing []string
	for _, g := range facts {
		ok := false
		for _, alt := range g {
			if alt != "" && strings.Contains(text, strings.ToLower(alt)) {
				ok = true
				break
			}
		}
		if ok {
			found++
		} else {
			missing = append(missing, strings.Join(g, "|"))
		}
	}
	return float64(found) / float64(len(facts)), missing
}

func (rep *EvalReport) aggregate() {
	var answerable int
	var abstainRight int
	for _, r := range rep.PerQuestion {
		if r.AbstainCorrect {
			abstainRight++
		}
		if len(r.Gold) == 0 {
			continue
		}
		answerable++
		rep.RecallAt1 += r.RecallAt1
		rep.RecallAtK += r.RecallAtK
		rep.MRR += r.RR
		rep.FactCoverage += r.FactCoverage
	}
	if answerable > 0 {
		n := float64(answerable)
		rep.RecallAt1 /= n
		rep.RecallAtK /= n
		rep.MRR /= n
		rep.FactCoverage /= n
	}
	if len(rep.PerQuestion) > 0 {
		rep.AbstentionAccuracy = float64(abstainRight) / float64(len(rep.PerQuestion))
	}
}

// distinctDocs lists the documents of passages in rank order, each once.
func distinctDocs(ps []Passage) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Doc] {
			seen[p.Doc] = true
			out = append(out, p.Doc)
		}
	}
	return out
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
