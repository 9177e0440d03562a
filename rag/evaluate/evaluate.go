// Package evaluate scores scobot's answers on question sets: Recall@1,
// Recall@k, MRR, abstention accuracy and fact coverage, overall and per tag.
// It also reads the fixed split of a development set into a tuning half and
// a report half (split.go) and the floors CI holds the figures to
// (floors.go).
package evaluate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/textnorm"
)

// Question is one line of an evaluation file (JSONL): a question, the
// documents that answer it (none: the corpus cannot, and the answer must
// abstain) and the facts an answer must contain (each group lists
// alternatives; one of each group must appear).
type Question struct {
	ID       string     `json:"id"`
	Question string     `json:"question"`
	Docs     []string   `json:"docs"`
	Facts    [][]string `json:"facts"`
	Tags     []string   `json:"tags,omitempty"`
}

// Answerable reports whether the corpus is expected to answer q.
func (q Question) Answerable() bool { return len(q.Docs) > 0 }

// ReadQuestions parses a JSONL evaluation file. Blank lines are skipped; a
// malformed line is an error naming its line number.
func ReadQuestions(r io.Reader) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal([]byte(text), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if strings.TrimSpace(q.Question) == "" {
			return nil, fmt.Errorf("line %d: no question", line)
		}
		if q.ID == "" {
			q.ID = fmt.Sprintf("line-%d", line)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("couldn't read the questions: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no questions found")
	}
	return out, nil
}

// WithTag keeps the questions tagged tag.
func WithTag(qs []Question, tag string) []Question {
	var out []Question
	for _, q := range qs {
		if slices.Contains(q.Tags, tag) {
			out = append(out, q)
		}
	}
	return out
}

// Result is the outcome of one evaluation question.
type Result struct {
	ID             string   `json:"id"`
	Question       string   `json:"question"`
	Tags           []string `json:"tags,omitempty"`
	Gold           []string `json:"gold"`
	Ranked         []string `json:"ranked"` // distinct documents in passage rank order
	RecallAt1      float64  `json:"recall_at_1"`
	RecallAtK      float64  `json:"recall_at_k"`
	RR             float64  `json:"rr"`
	Abstained      bool     `json:"abstained"`
	AbstainCorrect bool     `json:"abstention_correct"`
	FactCoverage   float64  `json:"fact_coverage"`
	Missing        []string `json:"missing_facts,omitempty"`
	// Lost says where the answer lost its missing facts.
	Lost    Lost    `json:"lost,omitzero"`
	Support float64 `json:"support"`
	Answer  string  `json:"answer"`
	// Checked is what checking a generated answer found (nil for an
	// extractive one).
	Checked *rag.GenerationCheck `json:"checked,omitempty"`
}

// Figures are the aggregate scores of a set of results. Recall, MRR and
// fact coverage are averaged over the answerable questions; abstention
// accuracy over all (an unanswerable question is right when the answer
// abstains, an answerable one when it does not).
type Figures struct {
	Questions          int     `json:"questions"`
	Answerable         int     `json:"answerable"`
	RecallAt1          float64 `json:"recall_at_1"`
	RecallAtK          float64 `json:"recall_at_k"`
	MRR                float64 `json:"mrr"`
	AbstentionAccuracy float64 `json:"abstention_accuracy"`
	FactCoverage       float64 `json:"fact_coverage"`
	// Generated counts the answers a language model wrote; with some,
	// MarkersValid is the share of the citation markers it wrote that
	// point at a source it was given, and SentencesSupported the share of
	// its sentences the passages they cite support.
	Generated          int     `json:"generated,omitempty"`
	MarkersValid       float64 `json:"markers_valid,omitempty"`
	SentencesSupported float64 `json:"sentences_supported,omitempty"`
	// Lost sums where the answers lost their missing facts.
	Lost Lost `json:"lost,omitzero"`
}

// Lost counts missing facts by where the answer lost them: by abstaining,
// by not quoting a retrieved passage that states them, or by not
// retrieving one that does (the fact is in none of the k passages). It
// tells a selection fault from a retrieval fault without reading the
// questions.
type Lost struct {
	Abstained    int `json:"abstained"`
	NotQuoted    int `json:"not_quoted"`
	NotRetrieved int `json:"not_retrieved"`
}

// Total is the number of missing facts.
func (l Lost) Total() int { return l.Abstained + l.NotQuoted + l.NotRetrieved }

// Report aggregates an evaluation run: the figures of all questions, of
// each tag's questions, and every question's result.
type Report struct {
	Figures
	K           int                `json:"k"`
	Retriever   rag.Mode           `json:"retriever"`
	ByTag       map[string]Figures `json:"by_tag,omitempty"`
	PerQuestion []Result           `json:"per_question"`
}

// Tags returns the report's tags in a stable order: crosslingual, date and
// abstain first (the ones every set shares), then the rest alphabetically.
func (r Report) Tags() []string {
	rank := map[string]int{"crosslingual": 1, "date": 2, "abstain": 3}
	tags := make([]string, 0, len(r.ByTag))
	for t := range r.ByTag {
		tags = append(tags, t)
	}
	sort.Slice(tags, func(i, j int) bool {
		ri, rj := rank[tags[i]], rank[tags[j]]
		if ri == 0 {
			ri = 100
		}
		if rj == 0 {
			rj = 100
		}
		if ri != rj {
			return ri < rj
		}
		return tags[i] < tags[j]
	})
	return tags
}

// QuestionAnswerer answers a question; rag/answer's Assistant is one.
type QuestionAnswerer interface {
	Answer(ctx context.Context, question string, opts rag.AnswerOptions) (rag.Answer, error)
}

// Evaluate answers every question and scores the answers. Passages are
// retrieved k at a time; the ranking is scored even when the answer abstains.
func Evaluate(ctx context.Context, a QuestionAnswerer, qs []Question, k int, mode rag.Mode) (Report, error) {
	if k <= 0 {
		k = 5
	}
	if mode == "" {
		mode = rag.ModeHybrid
	}
	rep := Report{K: k, Retriever: mode}
	for _, q := range qs {
		ans, err := a.Answer(ctx, q.Question, rag.AnswerOptions{K: k, Mode: mode})
		if err != nil {
			return rep, fmt.Errorf("question %s: %w", q.ID, err)
		}
		rep.PerQuestion = append(rep.PerQuestion, ScoreAnswer(q, ans, k))
	}
	rep.Figures = aggregate(rep.PerQuestion)
	byTag := map[string][]Result{}
	for _, r := range rep.PerQuestion {
		for _, t := range r.Tags {
			byTag[t] = append(byTag[t], r)
		}
	}
	if len(byTag) > 0 {
		rep.ByTag = map[string]Figures{}
		for t, rs := range byTag {
			rep.ByTag[t] = aggregate(rs)
		}
	}
	return rep, nil
}

// ScoreAnswer scores one answer against its evaluation question.
func ScoreAnswer(q Question, ans rag.Answer, k int) Result {
	res := Result{ID: q.ID, Question: q.Question, Tags: q.Tags, Gold: nonNilStrings(q.Docs), Abstained: ans.Abstained, Support: ans.Support, Answer: ans.Text, Checked: ans.Checked}
	res.Ranked = rag.DistinctDocs(ans.Passages)
	gold := map[string]bool{}
	for _, d := range q.Docs {
		gold[d] = true
	}
	for i, d := range res.Ranked {
		if !gold[d] {
			continue
		}
		if res.RR == 0 {
			res.RR = 1 / float64(i+1)
		}
		if i == 0 {
			res.RecallAt1 = 1
		}
		if i < k {
			res.RecallAtK = 1
		}
	}
	res.AbstainCorrect = ans.Abstained != q.Answerable()
	if q.Answerable() {
		res.FactCoverage, res.Missing = factCoverage(q.Facts, ans)
		res.Lost = lostAt(q.Facts, ans)
	}
	return res
}

// factCoverage is the share of fact groups the answer contains (one
// alternative of a group is enough, case-insensitive). An abstention
// contains none.
func factCoverage(facts [][]string, ans rag.Answer) (float64, []string) {
	if len(facts) == 0 {
		return 1, nil
	}
	if ans.Abstained {
		var missing []string
		for _, g := range facts {
			missing = append(missing, strings.Join(g, "|"))
		}
		return 0, missing
	}
	text := foldFact(ans.Text)
	found := 0
	var missing []string
	for _, g := range facts {
		ok := false
		for _, alt := range g {
			if alt = foldFact(alt); alt != "" && strings.Contains(text, alt) {
				ok = true
				break
			}
		}
		if ok {
			found++
		} else {
			missing = append(missing, strings.Join(g, "|"))
		}
	}
	return float64(found) / float64(len(facts)), missing
}

// lostAt says where the answer lost each fact it misses (see Lost).
func lostAt(facts [][]string, ans rag.Answer) Lost {
	var l Lost
	text := foldFact(ans.Text)
	var passages []string
	for _, p := range ans.Passages {
		passages = append(passages, foldFact(p.Text))
	}
	in := func(alts []string, text string) bool {
		return slices.ContainsFunc(alts, func(a string) bool { a = foldFact(a); return a != "" && strings.Contains(text, a) })
	}
	for _, g := range facts {
		switch {
		case !ans.Abstained && in(g, text):
		case ans.Abstained:
			l.Abstained++
		case slices.ContainsFunc(passages, func(p string) bool { return in(g, p) }):
			l.NotQuoted++
		default:
			l.NotRetrieved++
		}
	}
	return l
}

// aggregate sums up results.
func aggregate(rs []Result) Figures {
	f := Figures{Questions: len(rs)}
	abstainRight := 0
	var markers, valid, sentences, supported int
	for _, r := range rs {
		if r.AbstainCorrect {
			abstainRight++
		}
		if c := r.Checked; c != nil {
			f.Generated++
			markers += c.Markers
			valid += c.ValidMarkers
			sentences += c.Sentences
			supported += c.Supported
		}
		if len(r.Gold) == 0 {
			continue
		}
		f.Answerable++
		f.RecallAt1 += r.RecallAt1
		f.RecallAtK += r.RecallAtK
		f.MRR += r.RR
		f.FactCoverage += r.FactCoverage
		f.Lost.Abstained += r.Lost.Abstained
		f.Lost.NotQuoted += r.Lost.NotQuoted
		f.Lost.NotRetrieved += r.Lost.NotRetrieved
	}
	if f.Answerable > 0 {
		n := float64(f.Answerable)
		f.RecallAt1 /= n
		f.RecallAtK /= n
		f.MRR /= n
		f.FactCoverage /= n
	}
	if len(rs) > 0 {
		f.AbstentionAccuracy = float64(abstainRight) / float64(len(rs))
	}
	if markers > 0 {
		f.MarkersValid = float64(valid) / float64(markers)
	}
	if sentences > 0 {
		f.SentencesSupported = float64(supported) / float64(sentences)
	}
	return f
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// foldFact is the form facts and answers are compared in: textnorm's
// (NFKC, so full-width digits are digits; traditional Chinese as
// simplified), lower case, every dash a hyphen with no space around it,
// runs of white space one space, and no separator between digit groups.
// An answer quoting a traditional-script report's "張德廣" states the fact
// "张德广"; "2004–2006" states "2004-2006", "1 — 2 ноября" "1-2 ноября",
// "1,000" and "1 000" "1000". Facts and answers fold alike, so no
// spelling of either is favoured.
func foldFact(s string) string {
	s = strings.ToLower(textnorm.Normalize(s))
	s = dashRE.ReplaceAllString(s, "-")
	s = strings.Join(strings.Fields(s), " ")
	return digitGroupRE.ReplaceAllString(s, "$1$2")
}

// dashRE finds a dash of any kind with the spaces around it.
var dashRE = regexp.MustCompile(`\s*[-‐‑‒–—―−﹣－]\s*`)

// digitGroupRE finds a separator between a digit and a group of three:
// "1,000", "1 000", "1 000" (NFKC has made the narrow space a space).
var digitGroupRE = regexp.MustCompile(`(\d)[, ](\d{3})\b`)
