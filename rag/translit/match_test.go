package translit

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// nameRow is one line of testdata/names.tsv: one name in three scripts.
type nameRow struct {
	id         string
	zh, en, ru string
}

// loadTSV reads the non-comment lines of a TAB-separated test file, each
// with exactly cols columns.
func loadTSV(t testing.TB, path string, cols int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != cols {
			t.Fatalf("%s:%d: %d columns, want %d", path, line, len(f), cols)
		}
		rows = append(rows, f)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return rows
}

// loadNames reads testdata/names.tsv.
func loadNames(t testing.TB) []nameRow {
	t.Helper()
	var out []nameRow
	seen := map[string]bool{}
	for _, f := range loadTSV(t, "testdata/names.tsv", 4) {
		if seen[f[0]] {
			t.Fatalf("names.tsv: duplicate id %q", f[0])
		}
		seen[f[0]] = true
		out = append(out, nameRow{id: f[0], zh: f[1], en: f[2], ru: f[3]})
	}
	return out
}

// scoredPair is one pair of the evaluation with its kind.
type scoredPair struct {
	kind string
	a, b string
}

// evalSet is the labelled pairs of the tables: true pairs and non-matching
// pairs by kind.
type evalSet struct {
	truePairs  []scoredPair // kinds zh-en, zh-ru, en-ru
	falsePairs []scoredPair // kinds names, near, words
}

// levenshtein is the plain edit distance between two strings of runes. It
// picks the near neighbours independently of Key.
func levenshtein(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			d := prev[j-1]
			if ra[i-1] != rb[j-1] {
				d++
			}
			d = min(d, prev[j]+1, cur[j-1]+1)
			cur[j] = d
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// buildEvalSet makes the pairs from names.tsv and distractors.tsv:
//   - true pairs: the three forms of each name against each other;
//   - names: the Chinese form of each name against the English and Russian
//     forms of every other name;
//   - near: the same, only for the three other names closest in English
//     spelling (plain edit distance relative to length): the hard cases;
//   - words: ordinary words against the names in the other scripts.
func buildEvalSet(t testing.TB, names []nameRow) evalSet {
	t.Helper()
	var set evalSet
	for _, n := range names {
		set.truePairs = append(set.truePairs,
			scoredPair{"zh-en", n.zh, n.en},
			scoredPair{"zh-ru", n.zh, n.ru},
			scoredPair{"en-ru", n.en, n.ru})
	}
	for i, x := range names {
		type cand struct {
			j int
			d float64
		}
		var near []cand
		for j, y := range names {
			if i == j {
				continue
			}
			set.falsePairs = append(set.falsePairs,
				scoredPair{"names", x.zh, y.en}, scoredPair{"names", x.zh, y.ru})
			d := float64(levenshtein(x.en, y.en)) / float64(max(len(x.en), len(y.en)))
			near = append(near, cand{j, d})
		}
		sort.Slice(near, func(a, b int) bool {
			if near[a].d != near[b].d {
				return near[a].d < near[b].d
			}
			return near[a].j < near[b].j
		})
		for _, c := range near[:3] {
			y := names[c.j]
			set.falsePairs = append(set.falsePairs,
				scoredPair{"near", x.zh, y.en}, scoredPair{"near", x.zh, y.ru})
		}
	}
	for _, d := range loadTSV(t, "testdata/distractors.tsv", 2) {
		for _, n := range names {
			switch d[0] {
			case "han":
				set.falsePairs = append(set.falsePairs,
					scoredPair{"words", d[1], n.en}, scoredPair{"words", d[1], n.ru})
			case "latin", "cyrillic":
				set.falsePairs = append(set.falsePairs, scoredPair{"words", d[1], n.zh})
			default:
				t.Fatalf("distractors.tsv: unknown script %q", d[0])
			}
		}
	}
	return set
}

// rate is a count of hits out of a total.
type rate struct{ hit, total int }

func (r rate) String() string {
	return fmt.Sprintf("%d/%d = %.2f%%", r.hit, r.total, 100*r.frac())
}

func (r rate) frac() float64 {
	if r.total == 0 {
		return 0
	}
	return float64(r.hit) / float64(r.total)
}

// result is one scored pair of an evaluation.
type result struct {
	p     scoredPair
	score float64
}

// report is the outcome of an evaluation at a threshold.
type report struct {
	recall map[string]*rate // by true-pair kind, and "zh" for zh-en + zh-ru
	falses map[string]*rate // by non-matching kind
	misses []result         // true pairs below the threshold, best first
	fms    []result         // non-matching pairs at or above it, best first
}

// evaluate scores every pair of set with s at threshold.
func evaluate(s *scorer, set evalSet, threshold float64) report {
	keys := map[string]string{}
	key := func(x string) string {
		k, ok := keys[x]
		if !ok {
			k = Key(x)
			keys[x] = k
		}
		return k
	}
	r := report{recall: map[string]*rate{"zh": {}}, falses: map[string]*rate{}}
	for _, p := range set.truePairs {
		sc := s.similarity(key(p.a), key(p.b))
		if r.recall[p.kind] == nil {
			r.recall[p.kind] = &rate{}
		}
		kinds := []*rate{r.recall[p.kind]}
		if strings.HasPrefix(p.kind, "zh") {
			kinds = append(kinds, r.recall["zh"])
		}
		for _, k := range kinds {
			k.total++
			if sc >= threshold {
				k.hit++
			}
		}
		if sc < threshold {
			r.misses = append(r.misses, result{p, sc})
		}
	}
	for _, p := range set.falsePairs {
		sc := s.similarity(key(p.a), key(p.b))
		if r.falses[p.kind] == nil {
			r.falses[p.kind] = &rate{}
		}
		k := r.falses[p.kind]
		k.total++
		if sc >= threshold {
			k.hit++
			r.fms = append(r.fms, result{p, sc})
		}
	}
	sort.SliceStable(r.misses, func(i, j int) bool { return r.misses[i].score > r.misses[j].score })
	sort.SliceStable(r.fms, func(i, j int) bool { return r.fms[i].score > r.fms[j].score })
	return r
}

// TestMatchTables measures recall on the true cross-script pairs of
// names.tsv and the false-match rate on pairs of different names and on
// names against ordinary words, and fails if either is off its mark.
func TestMatchTables(t *testing.T) {
	set := buildEvalSet(t, loadNames(t))
	if n := len(set.truePairs) / 3; n < 80 {
		t.Fatalf("names.tsv has %d names, want at least 80", n)
	}
	r := evaluate(defaultScorer, set, Threshold)
	for _, k := range []string{"zh-en", "zh-ru", "zh", "en-ru"} {
		t.Logf("recall %-5s %v", k, r.recall[k])
	}
	for _, k := range []string{"names", "near", "words"} {
		t.Logf("false matches %-5s %v", k, r.falses[k])
	}
	if testing.Verbose() {
		for _, m := range r.misses {
			t.Logf("miss  %.2f  %s %s | %s %s", m.score, m.p.a, Key(m.p.a), m.p.b, Key(m.p.b))
		}
		for _, m := range r.fms {
			t.Logf("false %.2f  %-5s %s %s | %s %s", m.score, m.p.kind, m.p.a, Key(m.p.a), m.p.b, Key(m.p.b))
		}
	}

	// Floors a little under the measured figures, so that a change that
	// loses real recall or lets in false matches fails.
	floors := map[string]float64{"zh": 0.80, "en-ru": 0.90}
	for k, want := range floors {
		if got := r.recall[k].frac(); got < want {
			t.Errorf("recall %s %v, want >= %.0f%%", k, r.recall[k], 100*want)
		}
	}
	ceilings := map[string]float64{"names": 0.002, "near": 0.015, "words": 0.002}
	for k, want := range ceilings {
		f := r.falses[k]
		if f.total < 300 {
			t.Errorf("only %d non-matching pairs of kind %s, want >= 300", f.total, k)
		}
		if got := f.frac(); got > want {
			t.Errorf("false-match rate %s %v, want <= %.1f%%", k, f, 100*want)
		}
	}
}
