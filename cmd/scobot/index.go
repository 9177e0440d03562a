package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scobot/scobot/rag"
)

func runIndex(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "index", "")
	asJSON := fs.Bool("json", false, "end the output with one JSON line of figures")
	rebuild := fs.Bool("rebuild", false, "drop the existing index and embed everything again")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	opts := openOptions{rebuild: *rebuild, strict: true}
	var bar *progressBar
	if isTerminal(m.Stderr) {
		bar = &progressBar{w: m.Stderr}
		opts.progress = bar.update
	}
	start := time.Now()
	a, err := openApp(ctx, c.cfg, c.log, opts)
	if bar != nil {
		bar.done()
	}
	if err != nil {
		return err
	}
	st := a.stats
	st.Seconds = time.Since(start).Seconds()
	for _, s := range a.skipped {
		fmt.Fprintf(m.Stdout, "skipped %s: %s\n", s.File, s.Reason)
	}
	fmt.Fprintf(m.Stdout, "Indexed %d documents in %s: %d added, %d updated, %d removed, %d unchanged; %d chunks, %d embedded, %.2fs.\n",
		len(a.docs), a.store.Path(), st.Added, st.Updated, st.Removed, st.Unchanged, st.Chunks, st.Embedded, st.Seconds)
	if *asJSON {
		line, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("couldn't write JSON: %w", err)
		}
		fmt.Fprintln(m.Stdout, string(line))
	}
	return nil
}

// progressBar draws "[#####     ] 32/64 chunks" on a terminal.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\rEmbedding [%s%s] %d/%d chunks", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
	p.drawn = true
}

func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func runDocs(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "docs", "")
	asJSON := fs.Bool("json", false, "print a JSON array")
	withChunks := fs.Bool("chunks", false, "include every chunk's text")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	out := make([]docJSON, 0, len(a.docs))
	for _, d := range a.docs {
		cs := a.chunks[d.ID]
		dj := docJSON{ID: d.ID, Title: d.Title, Date: d.Date, Source: d.Source, URL: d.URL, Langs: d.Langs, ChunkCount: len(cs), Chunks: []chunkJSON{}}
		if dj.Langs == nil {
			dj.Langs = []string{}
		}
		if *withChunks {
			for _, ch := range cs {
				dj.Chunks = append(dj.Chunks, chunkJSON{ID: ch.ID, Lang: ch.Lang, Text: ch.Text})
			}
		}
		out = append(out, dj)
	}
	if *asJSON {
		return writeJSON(m.Stdout, out)
	}
	for _, d := range out {
		fmt.Fprintf(m.Stdout, "%s  %s\n    %s — %s, %s; %s; %d chunks\n", d.ID, d.Date, d.Title, d.Source, strings.Join(d.Langs, "+"), orNone(d.URL), d.ChunkCount)
		for _, ch := range d.Chunks {
			fmt.Fprintf(m.Stdout, "  [%s %s] %s\n", ch.ID, ch.Lang, ch.Text)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "no URL"
	}
	return s
}

// docJSON is one element of `scobot docs --json`.
type docJSON struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Date       string      `json:"date"`
	Source     string      `json:"source"`
	URL        string      `json:"url"`
	Langs      []string    `json:"langs"`
	ChunkCount int         `json:"chunk_count"`
	Chunks     []chunkJSON `json:"chunks"` // filled by --chunks
}

type chunkJSON struct {
	ID   string `json:"id"`
	Lang string `json:"lang"`
	Text string `json:"text"`
}

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
