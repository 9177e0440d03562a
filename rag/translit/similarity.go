package translit

// Threshold is the Similarity at or above which Match calls two names the
// same. It was chosen on the tables in testdata (see match_test.go): there,
// at 0.85, 84% of the true Chinese–English and Chinese–Russian pairs match,
// while 1.2% of the Chinese forms match one of the three names closest in
// spelling to their own, 0.02% match any other name and 0.01% of the pairs
// of a name and an ordinary word match. At 0.80 recall is 88% but 2.4% of
// the close neighbours match; at 0.90, 73% and 0.8%.
const Threshold = 0.85

// MinConsonants is the least number of consonant symbols each key must have
// for Similarity to be above zero. A key with one consonant (Osh, Ufa) leaves
// nothing to tell names apart, and keys with few consonants are judged more
// strictly (the relative distance is multiplied by 4 for keys of two
// consonants, by 1.5 for keys of three): a key of two consonants (Baku, Modi,
// Shoigu) must equal the other, a key of three (Putin, Nepal) must be very
// close to it. Such short names are better covered by a glossary.
const MinConsonants = 2

// minKeyLen is the least length of a key that can match: "sosi" (Sochi) can,
// "kan" (Khan) cannot.
const minKeyLen = 4

// costs are the parameters of the weighted edit distance between keys.
type costs struct {
	vowel     float64 // insert or delete a vowel
	consonant float64 // insert or delete a consonant
	final     float64 // delete a key-final t or l: Samarkand 撒马尔罕
	coda      float64 // delete an l between a vowel and a consonant: Merkel 默克尔
	glide     float64 // delete an f between a consonant and a vowel: Gwadar 瓜达尔
	cross     float64 // substitute a vowel for a consonant
	mismatch  float64 // substitute unrelated consonants

	palatal float64 // j for s, k or t: 西 si, 基 ki, 季 ti
	labial  float64 // p for f
	nasal   float64 // m for n
	dental  float64 // s for t
	liquid  float64 // l for n

	vowelClose float64 // e for i, o for u
	vowelMid   float64 // e for o: pinyin e (科 ke = ko)
	vowelNear  float64 // a for e or o, and i for o or u
	vowelFar   float64 // a for i or u

	penalty2 float64 // factor on the distance when a key has 2 consonants
	penalty3 float64 // factor on the distance when a key has 3 consonants
}

// defaultCosts are the costs Similarity uses, chosen by a coordinate search
// on testdata under the false-match ceilings of match_test.go.
var defaultCosts = costs{
	vowel: 0.2, consonant: 1, final: 0.3, coda: 0.4, glide: 0.5,
	cross: 1.3, mismatch: 1,
	palatal: 0.3, labial: 0.8, nasal: 0.6, dental: 0.5, liquid: 0.8,
	vowelClose: 0.15, vowelMid: 0.2, vowelNear: 0.25, vowelFar: 0.35,
	penalty2: 4, penalty3: 1.5,
}

// symbols is the key alphabet: consonant classes, then vowels.
const symbols = consonants + vowels

// scorer computes the similarity of keys for one set of costs. It is
// immutable once made.
type scorer struct {
	c costs
	// minConsonantCost is the least cost of an edit that leaves a consonant
	// unmatched by one of its own class: deleting or inserting it, or
	// substituting it for a consonant of another class (which pairs one
	// consonant of each key).
	minConsonantCost float64
	index            [128]int8       // symbol → position in symbols, -1 if none
	sub              [14][14]float64 // substitution cost between symbols
}

// defaultScorer is the scorer of defaultCosts.
var defaultScorer = newScorer(defaultCosts)

// newScorer precomputes the substitution costs of c.
func newScorer(c costs) *scorer {
	s := &scorer{c: c}
	for i := range s.index {
		s.index[i] = -1
	}
	for i := 0; i < len(symbols); i++ {
		s.index[symbols[i]] = int8(i)
	}
	s.minConsonantCost = min(c.consonant, c.final, c.coda, c.glide, c.cross-c.vowel)
	for i := 0; i < len(symbols); i++ {
		for j := 0; j < len(symbols); j++ {
			s.sub[i][j] = c.substitution(symbols[i], symbols[j])
			if i != j && i < len(consonants) && j < len(consonants) {
				s.minConsonantCost = min(s.minConsonantCost, s.sub[i][j])
			}
		}
	}
	return s
}

// substitution returns the cost of replacing symbol x by y.
func (c costs) substitution(x, y byte) float64 {
	if x == y {
		return 0
	}
	vx, vy := isVowel(x), isVowel(y)
	switch {
	case vx && vy:
		switch pair(x, y) {
		case pair('e', 'i'), pair('o', 'u'):
			return c.vowelClose
		case pair('e', 'o'):
			return c.vowelMid
		case pair('a', 'i'), pair('a', 'u'):
			return c.vowelFar
		}
		return c.vowelNear
	case vx != vy:
		return c.cross
	}
	switch pair(x, y) {
	case pair('j', 's'), pair('j', 'k'), pair('j', 't'):
		return c.palatal
	case pair('f', 'p'):
		return c.labial
	case pair('m', 'n'):
		return c.nasal
	case pair('s', 't'):
		return c.dental
	case pair('l', 'n'):
		return c.liquid
	}
	return c.mismatch
}

// pair packs two symbols into one number, in either order.
func pair(x, y byte) uint16 {
	if x > y {
		x, y = y, x
	}
	return uint16(x)<<8 | uint16(y)
}

// Similarity returns how alike two names sound, from 0 (unrelated, or a key
// too short to judge: see MinConsonants) to 1 (equal keys). It is one minus
// the weighted edit distance between Key(a) and Key(b) divided by the weight
// of the heavier key (a consonant weighs 1, a vowel 0.2), the quotient
// multiplied by 1.5 when a key has three consonants and by 4 when it has
// two. Vowel edits are cheap (0.15 to 0.35), consonant edits dear (1), with
// cheaper substitutions between near classes (pinyin j for s, k or t 0.3;
// d/t for s 0.5; m for n 0.6) and cheaper deletions where Chinese drops a
// sound (a final t or l, an l before a consonant, a w/v glide).
func Similarity(a, b string) float64 {
	return KeySimilarity(Key(a), Key(b))
}

// Match reports whether a and b are probably the same name: Similarity(a, b)
// is at least Threshold.
func Match(a, b string) bool {
	return Similarity(a, b) >= Threshold
}

// KeySimilarity is Similarity on keys already made by Key.
func KeySimilarity(ka, kb string) float64 {
	return defaultScorer.similarity(ka, kb)
}

// similarity implements KeySimilarity for the costs of s.
func (s *scorer) similarity(ka, kb string) float64 {
	a, b := s.prepare(ka), s.prepare(kb)
	return s.similarityBounded(&a, &b, 0, nil)
}

// prepared is a key made ready for the distance computation.
type prepared struct {
	key    string
	sym    []int8                 // position of each symbol in symbols
	del    []float64              // cost of deleting each symbol (see indel)
	cons   int                    // number of consonants
	weight float64                // cost of deleting every symbol at full price
	hist   [len(consonants)]uint8 // number of consonants of each class
}

// prepare returns key made ready for the distance computation.
func (s *scorer) prepare(key string) prepared {
	p := prepared{key: key, sym: make([]int8, len(key)), del: make([]float64, len(key))}
	for i := 0; i < len(key); i++ {
		p.sym[i] = s.index[key[i]&0x7f]
		if p.sym[i] < 0 {
			p.sym[i] = 0 // never made by Key; read as a consonant
		}
		p.del[i] = s.indel(key, i)
		if isVowel(key[i]) {
			p.weight += s.c.vowel
		} else {
			p.weight += s.c.consonant
			p.cons++
			if p.hist[p.sym[i]] < 255 {
				p.hist[p.sym[i]]++
			}
		}
	}
	return p
}

// similarityBounded returns the similarity of two prepared keys. A result
// below floor may be returned as 0: the distance computation stops as soon
// as it cannot reach floor any more. scratch, if long enough, is used for
// the rows of the computation (2 × (len(b.key)+1) values).
func (s *scorer) similarityBounded(a, b *prepared, floor float64, scratch []float64) float64 {
	n := min(a.cons, b.cons)
	if n < MinConsonants || min(len(a.key), len(b.key)) < minKeyLen {
		return 0
	}
	if a.key == b.key {
		return 1
	}
	factor := s.factor(n)
	w := max(a.weight, b.weight)
	// 1 - factor*d/w >= floor  ⇔  d <= (1-floor)*w/factor.
	limit := (1 - floor) * w / factor
	if s.lowerBound(a, b) > limit {
		return 0
	}
	d, ok := s.distance(a, b, limit, scratch)
	if !ok {
		return 0
	}
	rel := factor * d / w
	if rel >= 1 {
		return 0
	}
	return 1 - rel
}

// factor returns the factor on the relative distance of keys whose shorter
// one has n consonants: short keys are judged more strictly.
func (s *scorer) factor(n int) float64 {
	switch n {
	case 2:
		return s.c.penalty2
	case 3:
		return s.c.penalty3
	}
	return 1
}

// indel returns the cost of inserting or deleting key[i]. Some deletions are
// cheap because Chinese often leaves the sound out: a key-final t or l
// (Tashkent 塔什干, Ulaanbaatar 乌兰巴托), an l between a vowel and a
// consonant (Merkel 默克尔) and an f (w, v) gliding after a consonant before a
// vowel (Gwadar 瓜达尔).
func (s *scorer) indel(key string, i int) float64 {
	c := key[i]
	switch {
	case isVowel(c):
		return s.c.vowel
	case i == len(key)-1 && (c == 't' || c == 'l'):
		return s.c.final
	case c == 'l' && i > 0 && i+1 < len(key) && isVowel(key[i-1]) && !isVowel(key[i+1]):
		return s.c.coda
	case c == 'f' && i > 0 && i+1 < len(key) && !isVowel(key[i-1]) && isVowel(key[i+1]):
		return s.c.glide
	}
	return s.c.consonant
}

// lowerBound returns a cheap lower bound of the distance between two
// prepared keys. Consonants of a class that the other key has fewer of must
// each be deleted or substituted, at no less than the cheapest consonant
// cost; vowels in excess must be deleted or substituted for a consonant.
func (s *scorer) lowerBound(a, b *prepared) float64 {
	ua, ub := a.cons, b.cons
	for i := range a.hist {
		m := int(min(a.hist[i], b.hist[i]))
		ua -= m
		ub -= m
	}
	va, vb := len(a.key)-a.cons, len(b.key)-b.cons
	return s.minConsonantCost*float64(max(ua, ub)) + s.c.vowel*float64(abs(va-vb))
}

// distance returns the weighted edit distance between two prepared keys,
// and true; or false as soon as it is sure to exceed limit.
func (s *scorer) distance(a, b *prepared, limit float64, scratch []float64) (float64, bool) {
	n := len(b.sym) + 1
	if len(scratch) < 2*n {
		scratch = make([]float64, 2*n)
	}
	prev, cur := scratch[:n], scratch[n:2*n]
	prev[0] = 0
	for j := 1; j < n; j++ {
		prev[j] = prev[j-1] + b.del[j-1]
	}
	for i, x := range a.sym {
		row := &s.sub[x]
		del := a.del[i]
		cur[0] = prev[0] + del
		rowMin := cur[0]
		for j, y := range b.sym {
			d := prev[j] + row[y]
			if v := prev[j+1] + del; v < d {
				d = v
			}
			if v := cur[j] + b.del[j]; v < d {
				d = v
			}
			cur[j+1] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > limit {
			return rowMin, false // costs only grow from row to row
		}
		prev, cur = cur, prev
	}
	return prev[n-1], prev[n-1] <= limit
}
