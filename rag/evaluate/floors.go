package evaluate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Gates is a floors file: the evaluation runs CI makes and the figure each
// must reach.
type Gates struct {
	About string `json:"about"`
	Runs  []Gate `json:"runs"`
}

// Gate is one evaluation run and its floors. Paths are relative to the
// floors file's folder.
type Gate struct {
	Name string `json:"name"`
	// QA is the question file.
	QA string `json:"qa"`
	// Corpus lists the document folders, "builtin" for the built-in corpus;
	// empty means the built-in corpus alone.
	Corpus []string `json:"corpus,omitempty"`
	// Split and Half, when set, run one half of a split: its questions,
	// and the corpus without the other halves' documents.
	Split string `json:"split,omitempty"`
	Half  string `json:"half,omitempty"`
	// Retriever is the retrieval mode; "" means hybrid.
	Retriever string `json:"retriever,omitempty"`
	// Optional runs are skipped, not failed, when a file they need is
	// missing (a development set outside the repository).
	Optional bool `json:"optional,omitempty"`
	// Floors are the least figures the run must reach.
	Floors Floors `json:"floors"`
	// Measured records the figures the floors were set from, for the
	// reader; it is not checked.
	Measured map[string]float64 `json:"measured,omitempty"`
}

// Floors are minimum figures; a nil field is not checked.
type Floors struct {
	RecallAt1  *float64 `json:"recall_at_1,omitempty"`
	RecallAtK  *float64 `json:"recall_at_k,omitempty"`
	MRR        *float64 `json:"mrr,omitempty"`
	Abstention *float64 `json:"abstention_accuracy,omitempty"`
	Facts      *float64 `json:"fact_coverage,omitempty"`
}

// ReadGates reads a floors file and makes its paths absolute (relative
// ones are taken from the file's folder).
func ReadGates(path string) (Gates, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Gates{}, fmt.Errorf("couldn't read the floors file: %w", err)
	}
	var g Gates
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return Gates{}, fmt.Errorf("floors file %s: %w", path, err)
	}
	if len(g.Runs) == 0 {
		return Gates{}, fmt.Errorf("floors file %s: no runs", path)
	}
	dir := filepath.Dir(path)
	abs := func(p string) string {
		if p == "" || p == "builtin" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	names := map[string]bool{}
	for i := range g.Runs {
		r := &g.Runs[i]
		if r.Name == "" || r.QA == "" {
			return Gates{}, fmt.Errorf("floors file %s: run %d needs a name and a qa file", path, i+1)
		}
		if names[r.Name] {
			return Gates{}, fmt.Errorf("floors file %s: two runs are named %q", path, r.Name)
		}
		names[r.Name] = true
		if (r.Split == "") != (r.Half == "") {
			return Gates{}, fmt.Errorf("floors file %s: run %s needs both split and half, or neither", path, r.Name)
		}
		r.QA, r.Split = abs(r.QA), abs(r.Split)
		for j, c := range r.Corpus {
			r.Corpus[j] = abs(c)
		}
	}
	return g, nil
}

// Missing returns the first file or folder the run needs that does not
// exist, or "".
func (g Gate) Missing() string {
	need := append([]string{g.QA, g.Split}, g.Corpus...)
	for _, p := range need {
		if p == "" || p == "builtin" {
			continue
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
	return ""
}

// Check returns one line for each figure below its floor; none means the
// run passes.
func (f Floors) Check(got Figures) []string {
	var out []string
	check := func(name string, floor *float64, v float64) {
		if floor != nil && v < *floor-1e-9 {
			out = append(out, fmt.Sprintf("%s %.3f is below its floor %.3f", name, v, *floor))
		}
	}
	check("R@1", f.RecallAt1, got.RecallAt1)
	check("R@k", f.RecallAtK, got.RecallAtK)
	check("MRR", f.MRR, got.MRR)
	check("abstention", f.Abstention, got.AbstentionAccuracy)
	check("facts", f.Facts, got.FactCoverage)
	return out
}
