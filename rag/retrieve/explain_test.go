package retrieve

import (
	"context"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
)

// The explanation shows the window the evidence was measured on, and what
// of each unit that window holds, not the whole passage.
func TestExplainShowsTheBestWindow(t *testing.T) {
	cs := []rag.Chunk{{ID: "a#0", Doc: "a", Lang: "en", Text: "Wang Yi arrived in Astana on Monday. " +
		"The weather was cold. Crowds gathered at the airport. Officials gave speeches. " +
		"The foreign ministers met to discuss the budget of the Secretariat. They agreed on it."}}
	e := newGlossaryEngine(t, cs)
	r, err := e.Retrieve(context.Background(), "Did the foreign ministers agree on the Secretariat's budget in Astana?", Options{Mode: rag.ModeLexical})
	if err != nil {
		t.Fatal(err)
	}
	x := r.Explain()
	w, _ := x.Evidence["best_window"].(string)
	if !strings.Contains(w, "budget") || strings.Contains(w, "arrived in Astana") {
		t.Fatalf("best window %q: want the sentences about the budget, not the arrival", w)
	}
	for _, u := range x.Units {
		if u.Text == "Astana" && u.Best != 0 {
			t.Errorf("Astana is outside the best window but shown held %v", u.Best)
		}
		if u.Text == "budget" && u.Best != 1 {
			t.Errorf("budget is in the best window but shown held %v", u.Best)
		}
	}
}
