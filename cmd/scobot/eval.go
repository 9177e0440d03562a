package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/scobot/scobot/rag"
)

func runEval(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "eval", "--qa FILE")
	qa := fs.String("qa", "", "JSONL question file (required)")
	k := fs.Int("k", 5, "passages retrieved per question (Recall@k)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	retrievers := fs.String("retriever", "hybrid", "comma-separated retrievers to compare: vector, lexical, hybrid, or all")
	verbose := fs.Bool("v", false, "list every question, not only the misses")
	tag := fs.String("tag", "", "only the questions with this tag (e.g. crosslingual, zh, date, abstain)")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	if *qa == "" {
		return fmt.Errorf("%w: --qa FILE is required", errUsage)
	}
	if *k <= 0 {
		return fmt.Errorf("%w: --k must be positive", errUsage)
	}
	var modes []rag.Mode
	names := strings.Split(*retrievers, ",")
	if strings.TrimSpace(*retrievers) == "all" {
		names = []string{"vector", "lexical", "hybrid"}
	}
	for _, n := range names {
		mode, err := rag.ParseMode(n)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		modes = append(modes, mode)
	}
	qs, err := readQuestions(*qa)
	if err != nil {
		return err
	}
	if *tag != "" {
		qs = withTag(qs, *tag)
		if len(qs) == 0 {
			return fmt.Errorf("no question in %s has the tag %q", *qa, *tag)
		}
	}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	var reports []rag.EvalReport
	for _, mode := range modes {
		rep, err := rag.Evaluate(ctx, a.ask, qs, *k, mode)
		if err != nil {
			return err
		}
		reports = append(reports, rep)
	}
	if *asJSON {
		if len(reports) == 1 {
			return writeJSON(m.Stdout, reports[0])
		}
		return writeJSON(m.Stdout, reports)
	}
	for _, rep := range reports {
		writeEvalDetails(m.Stdout, rep, *verbose)
	}
	fmt.Fprintf(m.Stdout, "\n%-9s %9s %9s %9s %9s %11s %9s\n", "retriever", "questions", "R@1", fmt.Sprintf("R@%d", *k), "MRR", "abstention", "facts")
	for _, rep := range reports {
		fmt.Fprintf(m.Stdout, "%-9s %9d %9.3f %9.3f %9.3f %11.3f %9.3f\n", rep.Retriever, rep.Questions, rep.RecallAt1, rep.RecallAtK, rep.MRR, rep.AbstentionAccuracy, rep.FactCoverage)
	}
	return nil
}

// writeEvalDetails lists the questions a retriever got wrong (or all of them).
func writeEvalDetails(w io.Writer, rep rag.EvalReport, all bool) {
	fmt.Fprintf(w, "== %s\n", rep.Retriever)
	for _, r := range rep.PerQuestion {
		ok := r.AbstainCorrect && (len(r.Gold) == 0 || (r.RecallAtK == 1 && r.FactCoverage == 1))
		if ok && !all {
			continue
		}
		mark := "ok  "
		if !ok {
			mark = "MISS"
		}
		fmt.Fprintf(w, "%s %-10s R@%d=%.0f rr=%.2f abstained=%v support=%.2f facts=%.2f %s\n", mark, r.ID, rep.K, r.RecallAtK, r.RR, r.Abstained, r.Support, r.FactCoverage, r.Question)
		if len(r.Missing) > 0 {
			fmt.Fprintf(w, "     missing facts: %s\n", strings.Join(r.Missing, ", "))
		}
	}
}

// readQuestions reads an evaluation file.
func readQuestions(path string) ([]rag.EvalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("couldn't open the question file: %w", err)
	}
	defer f.Close()
	qs, err := rag.ReadEvalQuestions(f)
	if err != nil {
		return nil, fmt.Errorf("question file %s: %w", path, err)
	}
	return qs, nil
}

// withTag keeps the questions tagged tag.
func withTag(qs []rag.EvalQuestion, tag string) []rag.EvalQuestion {
	var out []rag.EvalQuestion
	for _, q := range qs {
		if slices.Contains(q.Tags, tag) {
			out = append(out, q)
		}
	}
	return out
}
