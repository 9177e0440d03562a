package retrieve

import "strings"

// Explanation is how a retrieval read its question and weighed the
// evidence, for people: `scobot ask --explain` prints it.
type Explanation struct {
	Question string             `json:"question"`
	Lang     string             `json:"lang"`
	Parts    []ExplainedPart    `json:"parts"`
	Units    []ExplainedUnit    `json:"units"`
	Years    []int              `json:"years,omitempty"`
	Months   []int              `json:"months,omitempty"`
	Latest   bool               `json:"latest,omitempty"`
	Evidence map[string]any     `json:"evidence"`
	Rules    map[string]any     `json:"rules"`
	Abstains bool               `json:"abstains"`
	Passages []ExplainedPassage `json:"passages"`
}

// ExplainedPart is a sub-question and what it asks for.
type ExplainedPart struct {
	Text   string `json:"text"`
	Answer string `json:"answer"`
}

// ExplainedUnit is one unit of the question.
type ExplainedUnit struct {
	Kind    string     `json:"kind"`
	Concept string     `json:"concept,omitempty"`
	Text    string     `json:"text"`
	Alts    [][]string `json:"alts"`
	Weight  float64    `json:"weight"`
	Common  bool       `json:"common,omitempty"`
	Part    int        `json:"part"`
	// Best is how much of the unit the best evidence window's sentences
	// hold as written (the evidence credits a unit the passage's language
	// cannot write with Params.UntranslatedCredit instead).
	Best float64 `json:"held_by_best_window"`
}

// ExplainedPassage is one retrieved passage, shortened.
type ExplainedPassage struct {
	Chunk string  `json:"chunk"`
	Date  string  `json:"date"`
	Score float64 `json:"score"`
	Text  string  `json:"text"`
}

var (
	unitKindNames   = map[UnitKind]string{UnitEntity: "entity", UnitPhrase: "phrase", UnitWord: "word", UnitTerm: "term"}
	answerTypeNames = map[AnswerType]string{AnswerAny: "any", AnswerDate: "date", AnswerPlace: "place", AnswerPerson: "person", AnswerNumber: "number", AnswerWords: "words"}
)

// Explain describes the retrieval.
func (r Retrieval) Explain() Explanation {
	x := Explanation{
		Question: r.Query.Text, Lang: r.Query.Lang,
		Years: r.Query.Time.Years, Months: r.Query.Time.Months, Latest: r.Query.Time.Latest,
		Abstains: r.Abstains(),
		Rules: map[string]any{
			"time_miss": r.TimeMiss, "other_years": r.OtherYears, "lacks": r.Lacks(), "unconnected": r.Unconnected, "unnamed": r.Unnamed,
			"probability": r.Support, "below": r.below,
		},
		Evidence: map[string]any{},
	}
	for _, p := range r.Query.Parts {
		x.Parts = append(x.Parts, ExplainedPart{Text: p.Text, Answer: answerTypeNames[p.Answer]})
	}
	for i, f := range r.Evidence.Features() {
		x.Evidence[FeatureNames[i]] = f
	}
	var best map[string]bool
	if b := r.Evidence.Best; b >= 0 && b < len(r.Passages) {
		x.Evidence["best_passage"] = r.Passages[b].ID
		best = map[string]bool{}
		ss := r.Sentences[r.Passages[b].ID]
		w := r.Evidence.Window
		if w[1] <= len(ss) {
			var text []string
			for _, s := range ss[w[0]:w[1]] {
				text = append(text, s.Text)
				for _, t := range s.Terms {
					best[t] = true
				}
			}
			x.Evidence["best_window"] = strings.Join(text, " ")
		}
	}
	for _, u := range r.Query.Units {
		eu := ExplainedUnit{Kind: unitKindNames[u.Kind], Concept: u.Concept, Text: u.Text, Alts: u.Alts, Weight: u.Weight, Common: u.Common, Part: u.Part}
		if best != nil {
			eu.Best = u.Holds(func(t string) bool { return best[t] })
		}
		x.Units = append(x.Units, eu)
	}
	for _, p := range r.Passages {
		text := []rune(p.Text)
		if len(text) > 160 {
			text = append(text[:160], '…')
		}
		x.Passages = append(x.Passages, ExplainedPassage{Chunk: p.ID, Date: p.Date, Score: p.Score, Text: string(text)})
	}
	return x
}
