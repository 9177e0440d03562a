package evaluate

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestGatesResolvePathsAndCheckFloors(t *testing.T) {
	p := writeFile(t, "floors.json", `{"runs": [
	  {"name": "own", "qa": "qa.jsonl", "floors": {"mrr": 0.9, "abstention_accuracy": 0.95}},
	  {"name": "dev", "qa": "/abs/dev.jsonl", "corpus": ["builtin", "docs"], "split": "split.json", "half": "tune", "optional": true, "floors": {}}
	]}`)
	g, err := ReadGates(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if g.Runs[0].QA != filepath.Join(dir, "qa.jsonl") || g.Runs[1].QA != "/abs/dev.jsonl" {
		t.Errorf("qa paths = %q, %q", g.Runs[0].QA, g.Runs[1].QA)
	}
	if c := g.Runs[1].Corpus; c[0] != "builtin" || c[1] != filepath.Join(dir, "docs") {
		t.Errorf("corpus = %v", c)
	}
	if m := g.Runs[1].Missing(); m == "" {
		t.Error("the dev run's files do not exist; Missing should name one")
	}
	fails := g.Runs[0].Floors.Check(Figures{MRR: 0.85, AbstentionAccuracy: 0.95})
	if len(fails) != 1 || !strings.Contains(fails[0], "MRR 0.850") {
		t.Errorf("failures = %q, want the MRR one only", fails)
	}
	if fails := g.Runs[0].Floors.Check(Figures{MRR: 0.9, AbstentionAccuracy: 1}); len(fails) != 0 {
		t.Errorf("figures at their floors must pass, got %q", fails)
	}
}

func TestGatesRejectBadFiles(t *testing.T) {
	for name, body := range map[string]string{
		"no runs":      `{"runs": []}`,
		"unknown key":  `{"runs": [{"name": "a", "qa": "q", "flors": {}}]}`,
		"no qa":        `{"runs": [{"name": "a"}]}`,
		"half only":    `{"runs": [{"name": "a", "qa": "q", "half": "tune"}]}`,
		"twice a name": `{"runs": [{"name": "a", "qa": "q"}, {"name": "a", "qa": "q"}]}`,
	} {
		if _, err := ReadGates(writeFile(t, "floors.json", body)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
