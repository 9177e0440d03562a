package translit

import (
	"fmt"
	"sort"
	"strings"
)

// Form is one name-like form of an Inventory, as Lookup returns it.
type Form struct {
	Text   string  // the form as written in the text: 拉夫罗夫, Lavrov
	Script Script  // its script
	Key    string  // Key(Text)
	Count  int     // how many times it was added
	Score  float64 // Similarity to the looked-up name (Lookup only)
}

// Inventory collects the name-like forms of a corpus (Han name runs and
// capitalised Latin and Cyrillic words) at index time, so that at query time
// Lookup finds, for a name in a question, its forms in the other scripts.
//
// Build it with Add from one goroutine; once built, Lookup may be called from
// many goroutines at once. The zero value is not ready: use NewInventory.
type Inventory struct {
	forms   []entry
	byText  map[string]int32 // form text → index in forms, -1 if unusable
	buckets map[int]*bucket  // consonant count → keys with that many
	maxLen  int              // longest key
}

// entry is one distinct form of an Inventory.
type entry struct {
	text   string
	script Script
	key    prepared
	count  int
	// alt is the key of the form without a Russian case ending (Лавровым →
	// Лавров), if it has one.
	alt *prepared
}

// bucket holds the keys of one consonant count.
type bucket struct {
	items     []item
	maxWeight float64 // of its keys
}

// item is one key in a bucket: the key of forms[idx], or its alt key.
type item struct {
	idx int32
	alt bool
}

// russianEndings are the case endings with a consonant that Russian puts on
// names (instrumental Лавровым, Самаркандом; prepositional plural -ах).
// Endings of vowels alone (Лаврова, Лаврову, Захаровой) cost little in
// Similarity and need no stripping. (textnorm.StemRussian strips those and
// the surname suffix -ов too, which would change how the name sounds.)
var russianEndings = []string{"ами", "ями", "ым", "им", "ом", "ем", "ах", "ях", "ых", "их"}

// russianStem returns w without a consonantal case ending, or "" if it has
// none. Words of fewer than six letters are left alone: Касым, Салим.
func russianStem(w string) string {
	rs := []rune(w)
	if len(rs) < 6 || ScriptOf(w) != Cyrillic {
		return ""
	}
	lw := lowerWord(w)
	for _, e := range russianEndings {
		if strings.HasSuffix(lw, e) {
			return string(rs[:len(rs)-len([]rune(e))])
		}
	}
	return ""
}

// NewInventory returns an empty Inventory.
func NewInventory() *Inventory {
	return &Inventory{byText: map[string]int32{}, buckets: map[int]*bucket{}}
}

// Add adds the name-like forms of text: its NameRuns and Words.
func (inv *Inventory) Add(text string) {
	scanHan(text, inv.addForm)
	scanWords(text, inv.addForm)
}

// Forms returns the name-like forms of text, in the order Add counts them:
// AddForms(Forms(text)) does exactly what Add(text) does. Unlike Add it
// touches no inventory, so texts can be scanned concurrently and counted in
// order afterwards.
func Forms(text string) []string {
	var out []string
	add := func(f string) { out = append(out, f) }
	scanHan(text, add)
	scanWords(text, add)
	return out
}

// EachForm calls fn with every form the inventory counted, in the order
// first counted, and its count; then with every form it found unusable
// (too short a key), sorted, and a count of 0. Replaying the calls with
// AddFormCount gives the same inventory.
func (inv *Inventory) EachForm(fn func(form string, count int)) {
	for _, e := range inv.forms {
		fn(e.text, e.count)
	}
	var unusable []string
	for t, i := range inv.byText {
		if i < 0 {
			unusable = append(unusable, t)
		}
	}
	sort.Strings(unusable)
	for _, t := range unusable {
		fn(t, 0)
	}
}

// AddFormCount counts form n times, as n AddForms of it would (and, for a
// form never seen, n of 0 adds it uncounted: see EachForm).
func (inv *Inventory) AddFormCount(form string, n int) {
	_, seen := inv.byText[form]
	inv.addForm(form)
	if i := inv.byText[form]; i >= 0 {
		if seen {
			inv.forms[i].count += n - 1
		} else {
			inv.forms[i].count = n
		}
	}
}

// AddForms counts forms found by Forms, in order.
func (inv *Inventory) AddForms(forms []string) {
	for _, f := range forms {
		inv.addForm(f)
	}
}

// AddName adds name as one form, as it is (a glossary term, a name from a
// title). Names whose key is too short to match (see MinConsonants) are
// counted but never found; a name without Latin, Cyrillic or Han letters is
// an error.
func (inv *Inventory) AddName(name string) error {
	name = strings.TrimSpace(name)
	if ScriptOf(name) == Other {
		return fmt.Errorf("translit: add name %q: no Latin, Cyrillic or Han letters", name)
	}
	inv.addForm(name)
	return nil
}

// usable reports whether a key is long enough to ever match.
func usable(p *prepared) bool {
	return p.cons >= MinConsonants && len(p.key) >= minKeyLen
}

// addForm counts one occurrence of the form text.
func (inv *Inventory) addForm(text string) {
	if i, ok := inv.byText[text]; ok {
		if i >= 0 {
			inv.forms[i].count++
		}
		return
	}
	text = strings.Clone(text) // do not pin the caller's chunk in memory
	key := defaultScorer.prepare(Key(text))
	if !usable(&key) {
		inv.byText[text] = -1
		return
	}
	i := int32(len(inv.forms))
	e := entry{text: text, script: ScriptOf(text), key: key, count: 1}
	if stem := russianStem(text); stem != "" {
		alt := defaultScorer.prepare(Key(stem))
		if usable(&alt) && alt.key != key.key {
			e.alt = &alt
		}
	}
	inv.forms = append(inv.forms, e)
	inv.byText[text] = i
	inv.addToBucket(&e.key, item{idx: i})
	if e.alt != nil {
		inv.addToBucket(e.alt, item{idx: i, alt: true})
	}
}

// addToBucket files it under the consonant count of p.
func (inv *Inventory) addToBucket(p *prepared, it item) {
	b := inv.buckets[p.cons]
	if b == nil {
		b = &bucket{}
		inv.buckets[p.cons] = b
	}
	b.items = append(b.items, it)
	b.maxWeight = max(b.maxWeight, p.weight)
	inv.maxLen = max(inv.maxLen, len(p.key))
}

// Len returns the number of distinct forms that can be found.
func (inv *Inventory) Len() int {
	return len(inv.forms)
}

// minGapCost returns the least edit cost of keys whose consonant counts
// differ by gap: each missing consonant must be deleted, one of them perhaps
// at the key-final price, the others at least at the cheapest other price.
func (s *scorer) minGapCost(gap int) float64 {
	if gap <= 0 {
		return 0
	}
	other := min(s.c.coda, s.c.glide, s.c.consonant)
	return min(s.c.final, other) + float64(gap-1)*other
}

// Lookup returns the forms of the inventory in scripts other than name's
// that match it (Similarity at least Threshold), best first: by Score, then
// by Count, then by Text. For "Lavrov" it returns 拉夫罗夫 and Лавров if the
// corpus has them. A Russian form with a consonantal case ending (Лавровым)
// also matches by its stem. It returns nil if name is too short to match.
func (inv *Inventory) Lookup(name string) []Form {
	sc := defaultScorer
	q := sc.prepare(Key(name))
	if !usable(&q) {
		return nil
	}
	script := ScriptOf(name)
	scratch := make([]float64, 2*(inv.maxLen+1))
	best := map[int32]float64{}
	for c, b := range inv.buckets {
		// The bucket can hold a match only if the consonants missing on
		// one side cost less than the distance the threshold allows.
		factor := sc.factor(min(c, q.cons))
		if sc.minGapCost(abs(c-q.cons)) > (1-Threshold)*max(q.weight, b.maxWeight)/factor {
			continue
		}
		for _, it := range b.items {
			e := &inv.forms[it.idx]
			if e.script == script {
				continue
			}
			p := &e.key
			if it.alt {
				p = e.alt
			}
			s := sc.similarityBounded(&q, p, Threshold, scratch)
			if s >= Threshold && s > best[it.idx] {
				best[it.idx] = s
			}
		}
	}
	if len(best) == 0 {
		return nil
	}
	out := make([]Form, 0, len(best))
	for i, s := range best {
		e := &inv.forms[i]
		out = append(out, Form{Text: e.text, Script: e.script, Key: e.key.key, Count: e.count, Score: s})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Text < b.Text
	})
	return out
}

// abs returns the absolute value of x.
func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
