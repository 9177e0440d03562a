package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/evaluate"
	"github.com/scobot/scobot/rag/retrieve"
)

// evalRun is one evaluation: a question file over a corpus, maybe one half
// of a split, with the retrievers to compare.
type evalRun struct {
	qa, tag     string
	split, half string
	k           int
	modes       []rag.Mode
	params      *retrieve.Params // nil: the defaults
	// answers is "llm" to answer with the configured language model (and
	// report its citation figures), "extractive" to quote the reports
	// even when one is configured, "" for whichever is configured.
	answers string
}

func runEval(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "eval", "--qa FILE | --floors FILE")
	qa := fs.String("qa", "", "JSONL question file")
	floors := fs.String("floors", "", "JSON floors file: run every evaluation it lists and fail when a figure is below its floor")
	k := fs.Int("k", 5, "passages retrieved per question (Recall@k)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	retrievers := fs.String("retriever", "hybrid", "comma-separated retrievers to compare: vector, lexical, hybrid, or all")
	verbose := fs.Bool("v", false, "list every question, not only the misses")
	tag := fs.String("tag", "", "only the questions with this tag (e.g. crosslingual, zh, date, abstain)")
	split := fs.String("split", "", "JSON split file dividing the question set into halves (with --half)")
	half := fs.String("half", "", "the half of --split to run: its questions, and the corpus without the other halves' documents")
	answers := fs.String("mode", "", "how to answer: llm (the configured language model, with its citation figures) or extractive; default: llm when CHAT_MODEL is set")
	var sets []string
	fs.Func("set", "change a retrieval parameter for this run, e.g. --set VectorWeight=0.8 (repeatable; names in rag/retrieve/params.go)", func(s string) error {
		sets = append(sets, s)
		return nil
	})
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	var params *retrieve.Params
	if len(sets) > 0 {
		p := retrieve.DefaultParams()
		for _, s := range sets {
			if err := p.Set(s); err != nil {
				return fmt.Errorf("%w: --set: %v", errUsage, err)
			}
		}
		params = &p
	}
	if *floors != "" {
		// The floors file gives each run's questions, corpus, half and
		// retriever, and its floors are figures at gateK: a flag setting
		// one of those would be silently ignored.
		var others []string
		fs.Visit(func(f *flag.Flag) {
			if !slices.Contains([]string{"floors", "set", "json", "db", "glossary"}, f.Name) {
				others = append(others, "--"+f.Name)
			}
		})
		if len(others) > 0 {
			return fmt.Errorf("%w: --floors runs the evaluations its file lists, each with its own questions, corpus, half and retriever; it takes no %s", errUsage, strings.Join(others, ", "))
		}
		return runGates(ctx, m, c, *floors, params, *asJSON)
	}
	if *qa == "" {
		return fmt.Errorf("%w: --qa FILE (or --floors FILE) is required", errUsage)
	}
	if *k <= 0 {
		return fmt.Errorf("%w: --k must be positive", errUsage)
	}
	if (*split == "") != (*half == "") {
		return fmt.Errorf("%w: --split and --half go together", errUsage)
	}
	modes, err := parseModes(*retrievers)
	if err != nil {
		return err
	}
	switch *answers {
	case "", "extractive":
	case "llm":
		if c.cfg.LLM.ChatModel == "" {
			return fmt.Errorf("%w: --mode llm answers with the configured language model: set %s (and its endpoint; see .env.example)", errUsage, envChatModel)
		}
	default:
		return fmt.Errorf("%w: --mode is llm or extractive, not %q", errUsage, *answers)
	}
	run := evalRun{qa: *qa, tag: *tag, split: *split, half: *half, k: *k, modes: modes, params: params, answers: *answers}
	reports, err := evaluateRun(ctx, c, run)
	if err != nil {
		return err
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
	writeEvalTable(m.Stdout, reports, *k)
	writeCitationTable(m.Stdout, reports)
	return nil
}

// writeCitationTable prints, for the reports whose answers a language
// model wrote, what checking them found.
func writeCitationTable(w io.Writer, reports []evaluate.Report) {
	header := false
	for _, rep := range reports {
		f := rep.Figures
		if f.Generated == 0 {
			continue
		}
		if !header {
			header = true
			fmt.Fprintf(w, "\n%-22s %9s %14s %20s %11s\n", "generated answers", "answers", "markers valid", "sentences supported", "abstention")
		}
		fmt.Fprintf(w, "%-22s %9d %14.3f %20.3f %11.3f\n", rep.Retriever, f.Generated, f.MarkersValid, f.SentencesSupported, f.AbstentionAccuracy)
	}
}

// parseModes reads the --retriever list.
func parseModes(list string) ([]rag.Mode, error) {
	names := splitList(list)
	if strings.TrimSpace(list) == "all" {
		names = []string{"vector", "lexical", "hybrid"}
	}
	var modes []rag.Mode
	for _, n := range names {
		mode, err := rag.ParseMode(n)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		modes = append(modes, mode)
	}
	return modes, nil
}

// loadRun reads the questions of one run and loads its corpus (without the
// other halves' documents when it is one half of a split).
func loadRun(ctx context.Context, c *cli, run evalRun) ([]evaluate.Question, *app, error) {
	qs, err := readQuestions(run.qa)
	if err != nil {
		return nil, nil, err
	}
	opts := openOptions{params: run.params, noAdded: true}
	if run.split != "" {
		sp, err := evaluate.ReadSplit(run.split)
		if err != nil {
			return nil, nil, err
		}
		if qs, err = sp.Questions(run.half, qs); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", run.split, err)
		}
		opts.exclude = sp.Excluded(run.half)
		opts.dbKey = "half-" + run.half
	}
	if run.tag != "" {
		qs = evaluate.WithTag(qs, run.tag)
		if len(qs) == 0 {
			return nil, nil, fmt.Errorf("no question in %s has the tag %q", run.qa, run.tag)
		}
	}
	a, err := openApp(ctx, c.cfg, c.log, opts)
	if err != nil {
		return nil, nil, err
	}
	if n, doc := unindexedGold(qs, a); n > 0 {
		// Every such question scores nothing: most likely the wrong corpus.
		c.log.Warn("questions name documents the corpus lacks; they cannot be found (is --corpus right?)", "questions", n, "first", doc, "qa", run.qa)
	}
	return qs, a, nil
}

// unindexedGold counts the questions naming a document the app's corpus
// lacks, and returns the first such document.
func unindexedGold(qs []evaluate.Question, a *app) (int, string) {
	n, first := 0, ""
	for _, q := range qs {
		for _, d := range q.Docs {
			if len(a.engine.DocChunks(d)) == 0 {
				if n == 0 {
					first = d
				}
				n++
				break
			}
		}
	}
	return n, first
}

// evaluateRun loads the questions and the corpus of one run and evaluates
// each retriever.
func evaluateRun(ctx context.Context, c *cli, run evalRun) ([]evaluate.Report, error) {
	qs, a, err := loadRun(ctx, c, run)
	if err != nil {
		return nil, err
	}
	var reports []evaluate.Report
	var answerer evaluate.QuestionAnswerer = a.ask
	if run.answers == "extractive" {
		answerer = answer.NewAssistant(a.engine)
	}
	for _, mode := range run.modes {
		rep, err := evaluate.Evaluate(ctx, answerer, qs, run.k, mode)
		if err != nil {
			return nil, err
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// writeEvalTable prints the figures of each report, then each tag's.
func writeEvalTable(w io.Writer, reports []evaluate.Report, k int) {
	fmt.Fprintf(w, "\n%-22s %9s %7s %7s %7s %11s %7s\n", "retriever", "questions", "R@1", fmt.Sprintf("R@%d", k), "MRR", "abstention", "facts")
	row := func(name string, f evaluate.Figures) {
		if f.Answerable == 0 {
			// Only unanswerable questions: abstention is the one figure.
			fmt.Fprintf(w, "%-22s %9d %7s %7s %7s %11.3f %7s\n", name, f.Questions, "-", "-", "-", f.AbstentionAccuracy, "-")
			return
		}
		fmt.Fprintf(w, "%-22s %9d %7.3f %7.3f %7.3f %11.3f %7.3f\n", name, f.Questions, f.RecallAt1, f.RecallAtK, f.MRR, f.AbstentionAccuracy, f.FactCoverage)
	}
	for _, rep := range reports {
		row(string(rep.Retriever), rep.Figures)
	}
	for _, rep := range reports {
		for _, t := range rep.Tags() {
			row(fmt.Sprintf("%s [%s]", rep.Retriever, t), rep.ByTag[t])
		}
	}
	for _, rep := range reports {
		if l := rep.Lost; l.Total() > 0 {
			fmt.Fprintf(w, "%s: %d facts missed: %d by abstaining, %d in a retrieved passage but not quoted, %d in none of the %d passages\n",
				rep.Retriever, l.Total(), l.Abstained, l.NotQuoted, l.NotRetrieved, k)
		}
	}
}

// writeEvalDetails lists the questions a retriever got wrong (or all of them).
func writeEvalDetails(w io.Writer, rep evaluate.Report, all bool) {
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

// gateK is the k of every floors-file run: its recall_at_k floors are
// Recall@5.
const gateK = 5

// gateResult is one floors-file run's outcome, for --json.
type gateResult struct {
	Name     string           `json:"name"`
	Skipped  string           `json:"skipped,omitempty"`
	Figures  evaluate.Figures `json:"figures"`
	Failures []string         `json:"failures,omitempty"`
}

// runGates runs every evaluation of a floors file, with params when not
// nil (--set), and fails when a figure is below its floor. Optional runs
// whose files are missing are skipped.
func runGates(ctx context.Context, m *Main, c *cli, path string, params *retrieve.Params, asJSON bool) error {
	gates, err := evaluate.ReadGates(path)
	if err != nil {
		return err
	}
	var results []gateResult
	failed := 0
	for _, g := range gates.Runs {
		res := gateResult{Name: g.Name}
		if miss := g.Missing(); miss != "" {
			if !g.Optional {
				return fmt.Errorf("floors run %s: %s does not exist", g.Name, miss)
			}
			res.Skipped = miss + " does not exist"
			results = append(results, res)
			continue
		}
		mode, err := rag.ParseMode(g.Retriever)
		if err != nil {
			return fmt.Errorf("floors run %s: %w", g.Name, err)
		}
		rc := gateCLI(c, g)
		reps, err := evaluateRun(ctx, rc, evalRun{qa: g.QA, split: g.Split, half: g.Half, k: gateK, modes: []rag.Mode{mode}, params: params})
		if err != nil {
			return fmt.Errorf("floors run %s: %w", g.Name, err)
		}
		res.Figures = reps[0].Figures
		res.Failures = g.Floors.Check(res.Figures)
		if len(res.Failures) > 0 {
			failed++
		}
		results = append(results, res)
	}
	if asJSON {
		if err := writeJSON(m.Stdout, results); err != nil {
			return err
		}
	} else {
		writeGates(m.Stdout, results)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d evaluation runs fell below their floors (%s)", failed, len(results), path)
	}
	return nil
}

// gateCLI returns the settings of one floors-file run: its corpus, and its
// own index folder under --db when one is given (the runs' corpora differ).
func gateCLI(c *cli, g evaluate.Gate) *cli {
	rc := *c
	rc.cfg.Corpus = cleanCorpus(strings.Join(g.Corpus, ","))
	if c.cfg.DB != "" {
		rc.cfg.DB = filepath.Join(c.cfg.DB, g.Name)
	}
	return &rc
}

// writeGates prints the floors runs' figures and failures.
func writeGates(w io.Writer, results []gateResult) {
	fmt.Fprintf(w, "%-20s %9s %7s %7s %7s %11s %7s  %s\n", "run", "questions", "R@1", fmt.Sprintf("R@%d", gateK), "MRR", "abstention", "facts", "verdict")
	for _, r := range results {
		if r.Skipped != "" {
			fmt.Fprintf(w, "%-20s skipped: %s\n", r.Name, r.Skipped)
			continue
		}
		f := r.Figures
		verdict := "ok"
		if len(r.Failures) > 0 {
			verdict = "BELOW FLOOR: " + strings.Join(r.Failures, "; ")
		}
		fmt.Fprintf(w, "%-20s %9d %7.3f %7.3f %7.3f %11.3f %7.3f  %s\n", r.Name, f.Questions, f.RecallAt1, f.RecallAtK, f.MRR, f.AbstentionAccuracy, f.FactCoverage, verdict)
	}
}

// readQuestions reads an evaluation file.
func readQuestions(path string) ([]evaluate.Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("couldn't open the question file: %w", err)
	}
	defer f.Close()
	qs, err := evaluate.ReadQuestions(f)
	if err != nil {
		return nil, fmt.Errorf("question file %s: %w", path, err)
	}
	return qs, nil
}
