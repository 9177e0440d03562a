package evaluate

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
)

func TestReadQuestions(t *testing.T) {
	in := `{"id":"a","question":"Q1?","docs":["d1"],"facts":[["x","y"]]}

{"question":"Q2?","docs":[],"facts":[]}
`
	qs, err := ReadQuestions(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || qs[0].ID != "a" || qs[1].ID != "line-3" || qs[1].Answerable() {
		t.Fatalf("got %+v", qs)
	}
	for _, bad := range []string{"", "{not json}\n", `{"id":"x","question":""}`} {
		if _, err := ReadQuestions(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadQuestions(%q): want an error", bad)
		}
	}
	_, err = ReadQuestions(strings.NewReader("{\"question\":\"ok\"}\n{bad\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error should name line 2, got %v", err)
	}
}

// scripted answers each question with a fixed answer.
type scripted map[string]rag.Answer

var _ QuestionAnswerer = scripted(nil)

func (s scripted) Answer(_ context.Context, q string, _ rag.AnswerOptions) (rag.Answer, error) {
	return s[q], nil
}

func passages(docs ...string) []rag.Passage {
	var ps []rag.Passage
	for i, d := range docs {
		ps = append(ps, rag.Passage{Chunk: rag.Chunk{ID: d + "#" + string(rune('0'+i)), Doc: d}})
	}
	return ps
}

func TestEvaluateArithmetic(t *testing.T) {
	qs := []Question{
		{ID: "first", Question: "q1", Docs: []string{"A"}, Facts: [][]string{{"lavrov", "拉夫罗夫"}, {"July"}}},
		{ID: "second", Question: "q2", Docs: []string{"B"}, Facts: [][]string{{"five-point"}}},
		{ID: "missed", Question: "q3", Docs: []string{"C"}},
		{ID: "abstain-ok", Question: "q4"},
		{ID: "abstain-bad", Question: "q5"},
	}
	answers := scripted{
		// Gold first; both facts (one in another case and language).
		"q1": {Text: "…拉夫罗夫… in JULY", Passages: passages("A", "A", "B")},
		// Gold second among distinct documents (A repeats); fact missing.
		"q2": {Text: "nothing", Passages: passages("A", "A", "B")},
		// Gold never retrieved; the answer abstained wrongly.
		"q3": {Abstained: true, Passages: passages("A")},
		"q4": {Abstained: true},
		"q5": {Text: "made up", Passages: passages("A")},
	}
	rep, err := Evaluate(context.Background(), answers, qs, 5, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"recall_at_1":         1.0 / 3,
		"recall_at_k":         2.0 / 3,
		"mrr":                 (1 + 0.5 + 0) / 3,
		"abstention_accuracy": 3.0 / 5, // q1, q2, q4 right; q3, q5 wrong
		"fact_coverage":       (1 + 0 + 1) / 3.0,
	}
	got := map[string]float64{
		"recall_at_1": rep.RecallAt1, "recall_at_k": rep.RecallAtK, "mrr": rep.MRR,
		"abstention_accuracy": rep.AbstentionAccuracy, "fact_coverage": rep.FactCoverage,
	}
	for k, w := range want {
		if math.Abs(got[k]-w) > 1e-9 {
			t.Errorf("%s = %.4f, want %.4f", k, got[k], w)
		}
	}
	if rep.Questions != 5 || rep.K != 5 || rep.Retriever != rag.ModeHybrid {
		t.Errorf("header = %d %d %s", rep.Questions, rep.K, rep.Retriever)
	}
	if r := rep.PerQuestion[1]; r.RR != 0.5 || r.RecallAt1 != 0 || len(r.Missing) != 1 {
		t.Errorf("second = %+v", r)
	}
	if r := rep.PerQuestion[0]; strings.Join(r.Ranked, ",") != "A,B" {
		t.Errorf("ranked = %v, want distinct documents A,B", r.Ranked)
	}
}

func TestRecallAtKCountsDistinctDocuments(t *testing.T) {
	q := Question{Question: "q", Docs: []string{"C"}}
	r := ScoreAnswer(q, rag.Answer{Text: "x", Passages: passages("A", "A", "A", "B", "C")}, 2)
	if r.RecallAtK != 0 {
		t.Errorf("C is the third distinct document; Recall@2 = %v, want 0", r.RecallAtK)
	}
	if r.RR != 1.0/3 {
		t.Errorf("RR = %v, want 1/3", r.RR)
	}
}

func TestEvaluateByTag(t *testing.T) {
	qs := []Question{
		{ID: "a", Question: "q1", Docs: []string{"A"}, Tags: []string{"date"}},
		{ID: "b", Question: "q2", Docs: []string{"B"}, Tags: []string{"date", "crosslingual"}},
		{ID: "c", Question: "q3", Tags: []string{"abstain"}},
	}
	answers := scripted{
		"q1": {Text: "x", Passages: passages("A")},
		"q2": {Text: "x", Passages: passages("A")},
		"q3": {Abstained: true},
	}
	rep, err := Evaluate(context.Background(), answers, qs, 5, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.ByTag["date"]; d.Questions != 2 || d.RecallAtK != 0.5 {
		t.Errorf("date = %+v, want 2 questions at R@5 0.5", d)
	}
	if c := rep.ByTag["crosslingual"]; c.Questions != 1 || c.RecallAtK != 0 {
		t.Errorf("crosslingual = %+v", c)
	}
	if a := rep.ByTag["abstain"]; a.Answerable != 0 || a.AbstentionAccuracy != 1 {
		t.Errorf("abstain = %+v", a)
	}
	if got := strings.Join(rep.Tags(), ","); got != "crosslingual,date,abstain" {
		t.Errorf("tags = %s", got)
	}
}

// A fact is found whatever script or width the answer writes it in: a
// traditional-script quote states a simplified fact, full-width digits a
// year; a fact the answer lacks stays missing.
func TestFactsFoldScriptAndWidth(t *testing.T) {
	ans := rag.Answer{Text: "上合組織秘書處首任秘書長張德廣於２００４年就任。"}
	got, missing := factCoverage([][]string{{"张德广", "Zhang Deguang"}, {"2004"}, {"Bishkek", "比什凯克"}}, ans)
	if want := 2.0 / 3; got != want {
		t.Errorf("coverage %.3f, want %.3f (missing %v)", got, want, missing)
	}
	if len(missing) != 1 || missing[0] != "Bishkek|比什凯克" {
		t.Errorf("missing %v, want only Bishkek", missing)
	}
}

// Dashes, spaces and digit-group separators do not make a fact missing:
// "2004–2006" states "2004-2006", "1 — 2 ноября" "1-2 ноября", "1,000"
// "1000"; a different number stays missing.
func TestFactsFoldDashesAndDigitGroups(t *testing.T) {
	ans := rag.Answer{Text: "Zhang Deguang served in 2004–2006. 1 — 2 ноября 2019 года. China will offer 1,000 places and 2 500 grants."}
	got, missing := factCoverage([][]string{{"2004-2006"}, {"1-2 ноября 2019"}, {"1000"}, {"2500"}, {"3000"}}, ans)
	if want := 4.0 / 5; got != want {
		t.Errorf("coverage %.3f, want %.3f (missing %v)", got, want, missing)
	}
}

// A missing fact is counted where the answer lost it: by abstaining, in a
// retrieved passage the answer did not quote, or in no retrieved passage.
func TestLostFacts(t *testing.T) {
	facts := [][]string{{"Tashkent"}, {"2004"}, {"Bishkek"}, {"Karimov"}}
	ans := rag.Answer{Text: "RATS opened in Tashkent.", Passages: []rag.Passage{
		{Chunk: rag.Chunk{Text: "RATS opened in Tashkent on 17 June 2004."}},
		{Chunk: rag.Chunk{Text: "Its council met in Bishkek."}},
	}}
	if got, want := lostAt(facts, ans), (Lost{NotQuoted: 2, NotRetrieved: 1}); got != want {
		t.Errorf("lost %+v, want %+v", got, want)
	}
	ans.Abstained = true
	if got, want := lostAt(facts, ans), (Lost{Abstained: 4}); got != want {
		t.Errorf("abstained: lost %+v, want %+v", got, want)
	}
	rep := aggregate([]Result{{Gold: []string{"a"}, Lost: Lost{NotQuoted: 2}}, {Gold: []string{"b"}, Lost: Lost{NotRetrieved: 1}}})
	if rep.Lost.Total() != 3 {
		t.Errorf("aggregate lost %+v, want 3 in all", rep.Lost)
	}
}
