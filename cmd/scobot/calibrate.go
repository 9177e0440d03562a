package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/evaluate"
	"github.com/scobot/scobot/rag/retrieve"
)

// example is one question's evidence and whether the corpus answers it.
type example struct {
	run, id    string
	answerable bool
	ruled      bool      // the rules decide it (an entity or a year no report has)
	x          []float64 // its evidence (retrieve.Evidence.Features)
	fit        []float64 // x with the features not fitted on zeroed
}

func runCalibrate(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "calibrate", "--floors FILE --runs NAME,NAME…")
	floors := fs.String("floors", "eval/floors.json", "floors file whose runs give the questions and corpora")
	runsFlag := fs.String("runs", "qa,dev,realdev-tune", "comma-separated runs of the floors file to fit on (never a report half)")
	l2 := fs.Float64("l2", 1, "L2 penalty on the weights")
	negWeight := fs.Float64("neg-weight", 2, "how many times an unanswerable question counts (0: as many as answerable ones per unanswerable one, to balance them)")
	verbose := fs.Bool("v", false, "print every question's evidence")
	only := fs.String("features", strings.Join(retrieve.FeatureNames, ","), "comma-separated features to fit on; the others get weight 0")
	runWeights := fs.String("run-weight", "", "comma-separated run=weight: how many times each question of a run counts (default 1), e.g. realdev-tune=2")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	if *l2 < 0 {
		return fmt.Errorf("%w: --l2 must not be negative", errUsage)
	}
	gates, err := evaluate.ReadGates(*floors)
	if err != nil {
		return err
	}
	want := splitList(*runsFlag)
	var names []string
	for _, g := range gates.Runs {
		names = append(names, g.Name)
	}
	for _, w := range want {
		if !slices.Contains(names, w) {
			return fmt.Errorf("%w: no run %q in %s (have %s)", errUsage, w, *floors, strings.Join(names, ", "))
		}
	}
	use := map[int]bool{}
	for _, f := range splitList(*only) {
		i := slices.Index(retrieve.FeatureNames, f)
		if i < 0 {
			return fmt.Errorf("%w: unknown feature %q (have %s)", errUsage, f, strings.Join(retrieve.FeatureNames, ", "))
		}
		use[i] = true
	}
	rw := map[string]float64{}
	for _, kv := range splitList(*runWeights) {
		name, v, ok := strings.Cut(kv, "=")
		w, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || w <= 0 {
			return fmt.Errorf("%w: --run-weight wants run=positive number, got %q", errUsage, kv)
		}
		if !slices.Contains(want, name) {
			return fmt.Errorf("%w: --run-weight %q: %s is not one of --runs %s", errUsage, kv, name, *runsFlag)
		}
		rw[name] = w
	}
	var exs []example
	for _, g := range gates.Runs {
		if !slices.Contains(want, g.Name) {
			continue
		}
		if g.Half == "report" {
			return fmt.Errorf("%w: run %s is a report half: fitting on it would make its figures worthless", errUsage, g.Name)
		}
		if miss := g.Missing(); miss != "" {
			fmt.Fprintf(m.Stderr, "scobot calibrate: skipping %s: %s does not exist\n", g.Name, miss)
			continue
		}
		qs, a, err := loadRun(ctx, gateCLI(c, g), evalRun{qa: g.QA, split: g.Split, half: g.Half})
		if err != nil {
			return fmt.Errorf("run %s: %w", g.Name, err)
		}
		for _, q := range qs {
			r, err := a.engine.Retrieve(ctx, q.Question, retrieve.Options{Mode: rag.ModeHybrid})
			if err != nil {
				return fmt.Errorf("run %s, question %s: %w", g.Name, q.ID, err)
			}
			ex := example{run: g.Name, id: q.ID, answerable: q.Answerable(), ruled: r.Ruled(), x: r.Evidence.Features()}
			ex.fit = make([]float64, len(ex.x))
			for i := range ex.x {
				if use[i] {
					ex.fit[i] = ex.x[i]
				}
			}
			exs = append(exs, ex)
		}
	}
	if len(exs) == 0 {
		return fmt.Errorf("no questions: every run of %s was skipped", *runsFlag)
	}
	var xs [][]float64
	var ys []bool
	var runs []string
	for _, ex := range exs {
		if !ex.ruled {
			runs = append(runs, ex.run)
			xs = append(xs, ex.fit)
			ys = append(ys, ex.answerable)
		}
	}
	nw := *negWeight
	if nw <= 0 {
		pos := 0
		for _, y := range ys {
			if y {
				pos++
			}
		}
		nw = float64(pos) / float64(max(1, len(ys)-pos))
	}
	ws := make([]float64, len(xs))
	for i := range ws {
		ws[i] = 1
		if w, ok := rw[runs[i]]; ok {
			ws[i] = w
		}
		if !ys[i] {
			ws[i] *= nw
		}
	}
	model := retrieve.Fit(xs, ys, ws, *l2)
	if *verbose {
		fmt.Fprintf(m.Stdout, "%-14s %-8s %-6s %s  p\n", "run", "id", "label", strings.Join(retrieve.FeatureNames, " "))
		for _, ex := range exs {
			label := "no"
			if ex.answerable {
				label = "yes"
			}
			if ex.ruled {
				label += "*"
			}
			var fs []string
			for _, v := range ex.x {
				fs = append(fs, fmt.Sprintf("%.2f", v))
			}
			fmt.Fprintf(m.Stdout, "%-14s %-8s %-6s %s  %.2f\n", ex.run, ex.id, label, strings.Join(fs, " "), model.Prob(ex.fit))
		}
	}
	fitted := make([]float64, len(xs))
	for i, x := range xs {
		fitted[i] = model.Prob(x)
	}
	held := retrieve.LeaveOneOut(xs, ys, ws, *l2)
	fmt.Fprintf(m.Stdout, "fitted on %d questions (%d left to the rules) of %s; features: %s; unanswerable weigh %.2f; run weights %q\n", len(xs), len(exs)-len(xs), *runsFlag, *only, nw, *runWeights)
	fmt.Fprintf(m.Stdout, "%-13s %9s %14s %28s\n", "abstain below", "accuracy", "leave-one-out", "leave-one-out errors (answerable abstained / unanswerable answered)")
	for _, b := range []float64{0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7} {
		fn, fp := 0, 0
		for i, p := range held {
			switch {
			case ys[i] && p < b:
				fn++
			case !ys[i] && p >= b:
				fp++
			}
		}
		fmt.Fprintf(m.Stdout, "%-13.2f %9.3f %14.3f %16d / %d\n", b, retrieve.Accuracy(fitted, ys, b), retrieve.Accuracy(held, ys, b), fn, fp)
	}
	fmt.Fprintf(m.Stdout, "Abstention: %s,\n", model)
	return nil
}
