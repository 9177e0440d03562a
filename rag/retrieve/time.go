package retrieve

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag"
)

// TimeConstraint is what a question says about time: the years and months it
// names and whether it asks for the most recent event.
type TimeConstraint struct {
	Years  []int // years named, in order, each once
	Months []int // months named, 1–12
	Latest bool  // it asks for the most recent event ("latest", "最近")
}

var (
	yearRE    = regexp.MustCompile(`\b((?:19[5-9]|20[0-9])[0-9])\b`)
	zhMonthRE = regexp.MustCompile(`(?:^|[^0-9])(1[0-2]|0?[1-9])月`)
	enMonthRE = regexp.MustCompile(`(?i)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b`)
	latestRE  = regexp.MustCompile(`(?i)\b(latest|most recent|newest|last time|recently)\b|最近|最新|最后一次|上一次`)
)

// MonthNumber returns the month (1–12) an English month name or its
// abbreviation ("May", "Sept") stands for, 0 for anything else.
func MonthNumber(name string) int {
	if len(name) < 3 {
		return 0
	}
	return enMonths[strings.ToLower(name[:3])]
}

var enMonths = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// parseTime reads the time constraint of a question.
func parseTime(q string) TimeConstraint {
	var tc TimeConstraint
	for _, m := range yearRE.FindAllStringSubmatch(q, -1) {
		y, _ := strconv.Atoi(m[1])
		if !slices.Contains(tc.Years, y) {
			tc.Years = append(tc.Years, y)
		}
	}
	for _, m := range zhMonthRE.FindAllStringSubmatch(q, -1) {
		mo, _ := strconv.Atoi(m[1])
		if !slices.Contains(tc.Months, mo) {
			tc.Months = append(tc.Months, mo)
		}
	}
	for _, m := range enMonthRE.FindAllStringSubmatch(q, -1) {
		word := strings.ToLower(m[1])
		// "may" is also a verb; count it only capitalised ("in May").
		if word == "may" && !strings.HasPrefix(m[1], "M") {
			continue
		}
		if mo := enMonths[word[:3]]; !slices.Contains(tc.Months, mo) {
			tc.Months = append(tc.Months, mo)
		}
	}
	tc.Latest = latestRE.MatchString(q)
	return tc
}

// empty reports whether the question says nothing about time.
func (tc TimeConstraint) empty() bool {
	return len(tc.Years) == 0 && len(tc.Months) == 0 && !tc.Latest
}

// MatchesYear reports whether a chunk belongs to one of the constraint's
// years: by its document's date, or because its text names the year.
func (tc TimeConstraint) MatchesYear(c rag.Chunk) bool {
	for _, y := range tc.Years {
		ys := strconv.Itoa(y)
		if strings.HasPrefix(c.Date, ys) || strings.Contains(c.Text, ys) {
			return true
		}
	}
	return false
}

// NamesAYear reports whether a text names a year (1950–2099) at all.
func NamesAYear(text string) bool { return yearRE.MatchString(text) }

// MatchesMonth reports whether a chunk's document date falls in one of the
// constraint's months.
func (tc TimeConstraint) MatchesMonth(c rag.Chunk) bool {
	if len(c.Date) < 7 {
		return false
	}
	mo, err := strconv.Atoi(c.Date[5:7])
	if err != nil {
		return false
	}
	for _, m := range tc.Months {
		if m == mo {
			return true
		}
	}
	return false
}

// yearsKnown is the share of the years a question names that some
// document names (by its date or in its text); 1 when it names none.
func (e *Engine) yearsKnown(tc TimeConstraint) float64 {
	if len(tc.Years) == 0 {
		return 1
	}
	n := 0
	for _, y := range tc.Years {
		if e.docYears[y] {
			n++
		}
	}
	return float64(n) / float64(len(tc.Years))
}

// outsideYears reports whether every year the question names is one no
// document names and lies outside the span the documents cover: before the
// earliest year any of them names, or after the newest report's date
// (reports up to 2025 cannot say what 2026 brought unless one of them
// announces it, naming the year). A year inside the span is not enough to
// abstain on: scraped reports often carry no date, and one may tell of
// that year's summit without writing the year.
func (e *Engine) outsideYears(tc TimeConstraint) bool {
	if len(tc.Years) == 0 || len(e.docYears) == 0 {
		return false
	}
	lo, hi := e.earliest, e.newest
	if hi == 0 { // no report is dated: the latest year any names
		hi = e.latest
	}
	for _, y := range tc.Years {
		if e.docYears[y] || (y >= lo && y <= hi) {
			return false
		}
	}
	return true
}

// withNewest adds to ranked the passages of the newest report about what
// the question asks, searched for in the whole index and not only among
// the best-ranked candidates: "the latest meeting" is the newest report's,
// however well older ones match. A report is about the question when its
// passage holds at least Params.LatestCoverage of the best coverage any
// passage reaches; applyTime then prefers the newest.
func (e *Engine) withNewest(ranked []rag.Passage, q Query) []rag.Passage {
	hits := e.lex.Search(q.Terms, len(e.chunks))
	if len(hits) == 0 || len(q.Units) == 0 {
		return ranked
	}
	cov := make([]float64, len(hits))
	best := 0.0
	for i, h := range hits {
		id := h.ID
		cov[i] = coverage(func(t string) bool { return e.lex.Has(id, t) }, q.Units)
		best = max(best, cov[i])
	}
	newest := ""
	var pick []rag.Passage
	for i, h := range hits {
		if best == 0 || cov[i] < e.params.LatestCoverage*best {
			continue
		}
		c := e.chunks[h.ID]
		switch {
		case c.Date > newest:
			newest, pick = c.Date, []rag.Passage{{Chunk: c, Score: h.Score}}
		case c.Date == newest && newest != "":
			pick = append(pick, rag.Passage{Chunk: c, Score: h.Score})
		}
	}
	have := map[string]bool{}
	for _, p := range ranked {
		have[p.ID] = true
	}
	// Below the ranked passages' scores, so that only the latest boost,
	// not their own score, brings them up.
	floor := 0.0
	if len(ranked) > 0 {
		floor = ranked[len(ranked)-1].Score
	}
	for _, p := range pick {
		if !have[p.ID] {
			p.Score = floor * 0.99
			ranked = append(ranked, p)
		}
	}
	return ranked
}

// applyTime re-ranks passages by the question's time constraint. It reports
// a miss when the question names only years outside those the documents
// cover (outsideYears).
func (e *Engine) applyTime(ps []rag.Passage, tc TimeConstraint) ([]rag.Passage, bool) {
	if tc.empty() || len(ps) == 0 {
		return ps, false
	}
	miss := e.outsideYears(tc)
	newest := ""
	if tc.Latest {
		for _, p := range ps {
			if p.Date > newest {
				newest = p.Date
			}
		}
	}
	out := make([]rag.Passage, len(ps))
	for i, p := range ps {
		if len(tc.Years) > 0 && tc.MatchesYear(p.Chunk) {
			p.Score *= e.params.YearBoost
		}
		if len(tc.Months) > 0 && tc.MatchesMonth(p.Chunk) {
			p.Score *= e.params.MonthBoost
		}
		if newest != "" && p.Date == newest {
			p.Score *= e.params.LatestBoost
		}
		out[i] = p
	}
	sortPassages(out)
	return out, miss
}
