package evaluate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const testSplit = `{"halves": {
  "tune":   {"docs": ["a", "b"], "unanswerable": ["u1"]},
  "report": {"docs": ["c"],      "unanswerable": ["u2"]}
}}`

func TestSplitAssignsQuestionsByDocument(t *testing.T) {
	sp, err := ReadSplit(writeFile(t, "split.json", testSplit))
	if err != nil {
		t.Fatal(err)
	}
	qs := []Question{
		{ID: "q1", Docs: []string{"a"}},
		{ID: "q2", Docs: []string{"a", "b"}},
		{ID: "q3", Docs: []string{"c"}},
		{ID: "u1"},
		{ID: "u2"},
	}
	ids := func(qs []Question) string {
		var out []string
		for _, q := range qs {
			out = append(out, q.ID)
		}
		return strings.Join(out, ",")
	}
	tune, err := sp.Questions("tune", qs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(tune); got != "q1,q2,u1" {
		t.Errorf("tune questions = %s, want q1,q2,u1", got)
	}
	report, err := sp.Questions("report", qs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(report); got != "q3,u2" {
		t.Errorf("report questions = %s, want q3,u2", got)
	}
	if ex := sp.Excluded("report"); !ex["a"] || !ex["b"] || ex["c"] {
		t.Errorf("a report run must not see the tuning documents: excluded %v", ex)
	}
	if _, err := sp.Questions("other", qs); err == nil {
		t.Error("an unknown half must be an error")
	}
}

func TestSplitRejectsAmbiguity(t *testing.T) {
	sp, err := ReadSplit(writeFile(t, "split.json", testSplit))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []Question{
		{ID: "spans", Docs: []string{"a", "c"}},
		{ID: "nowhere", Docs: []string{"z"}},
		{ID: "unlisted"},
	} {
		if _, err := sp.Questions("tune", []Question{q}); err == nil {
			t.Errorf("question %s: want an error", q.ID)
		}
	}
	both := `{"halves": {"tune": {"docs": ["a"]}, "report": {"docs": ["a"]}}}`
	if _, err := ReadSplit(writeFile(t, "split.json", both)); err == nil {
		t.Error("a document in both halves must be an error")
	}
}

// TestRealdevSplitIsComplete checks the project's split of the development
// set, when the set is there: every report in exactly one half, every
// question in one half.
func TestRealdevSplitIsComplete(t *testing.T) {
	const dir = "../../../shared/realdev"
	entries, err := os.ReadDir(filepath.Join(dir, "docs"))
	if err != nil {
		t.Skipf("no development set at %s: %v", dir, err)
	}
	sp, err := ReadSplit("../../eval/realdev-split.json")
	if err != nil {
		t.Fatal(err)
	}
	inHalf := map[string]bool{}
	for _, h := range sp.Halves {
		for _, d := range h.Docs {
			inHalf[d] = true
		}
	}
	for _, e := range entries {
		id := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		if !inHalf[id] {
			t.Errorf("report %s is in no half of the split", id)
		}
	}
	f, err := os.Open(filepath.Join(dir, "qa.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQuestions(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name := range sp.Halves {
		hq, err := sp.Questions(name, qs)
		if err != nil {
			t.Fatal(err)
		}
		n += len(hq)
	}
	if n != len(qs) {
		t.Errorf("the halves hold %d questions, the set has %d", n, len(qs))
	}
}
