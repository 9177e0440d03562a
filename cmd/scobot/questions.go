package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/scobot/scobot/rag"
)

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
