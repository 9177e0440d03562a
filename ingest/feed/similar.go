package feed

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/textnorm"
)

// The thresholds of the duplicate and same-event rules (see the package
// comment for why these values).
const (
	// ShingleSize is how many tokens make one shingle of the content
	// fingerprint.
	ShingleSize = 5
	// MinHashSize is how many hash functions the content fingerprint
	// keeps the minimum of.
	MinHashSize = 64
	// SameContent is the estimated resemblance (Jaccard similarity of the
	// shingle sets) at or above which two texts are the same content.
	SameContent = 0.8
	// EventDays is how many days apart two reports of one event may be
	// dated.
	EventDays = 2
	// EventOverlap is the least share of the shorter title+lead's terms
	// the other must hold for two reports to be of one event.
	EventOverlap = 1.0 / 3
	// EventMinShared is the least number of terms two reports' titles and
	// leads must share to be of one event.
	EventMinShared = 5
	// leadMin and leadMax bound the lead: the article's first paragraphs
	// until they hold leadMin words, cut at leadMax words (two Chinese
	// characters counting as one word).
	leadMin, leadMax = 25, 60
)

// tokens splits text as it is compared: normalised (textnorm), lower
// case, runs of letters and digits as one token each, and every Han,
// kana or Hangul character a token of its own; everything else separates.
func tokens(s string) []string {
	s = strings.ToLower(textnorm.Normalize(s))
	var out []string
	start := -1
	for i, r := range s {
		switch {
		case isIdeograph(r):
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// isIdeograph reports whether r is written without spaces between words
// (Han, kana, Hangul), so that each character is a token.
func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// fingerprint is what the state keeps of a report's content: Exact, a
// hash of its normalised tokens, and MinHash, the minimum of each of
// MinHashSize hash functions over its shingles (base64 of little-endian
// uint32s), which estimates the resemblance of two texts.
type fingerprint struct {
	Exact   string `json:"exact"`
	MinHash string `json:"minhash"`
}

// contentFingerprint returns the fingerprint of a cleaned article text.
func contentFingerprint(text string) fingerprint {
	toks := tokens(text)
	sum := sha256.Sum256([]byte(strings.Join(toks, " ")))
	mins := make([]uint32, MinHashSize)
	for i := range mins {
		mins[i] = ^uint32(0)
	}
	n := len(toks) - ShingleSize + 1
	if n < 1 {
		n = 1
	}
	for i := 0; i < n; i++ {
		end := i + ShingleSize
		if end > len(toks) {
			end = len(toks)
		}
		h := fnv.New64a()
		for _, t := range toks[i:end] {
			h.Write([]byte(t))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for j := range mins {
			if v := uint32(mix(x ^ seed(j))); v < mins[j] {
				mins[j] = v
			}
		}
	}
	b := make([]byte, 4*MinHashSize)
	for j, v := range mins {
		binary.LittleEndian.PutUint32(b[4*j:], v)
	}
	return fingerprint{Exact: hex.EncodeToString(sum[:12]), MinHash: base64.StdEncoding.EncodeToString(b)}
}

// seed is the j-th hash function's key.
func seed(j int) uint64 { return mix(uint64(j+1) * 0x9E3779B97F4A7C15) }

// mix is SplitMix64's finaliser: a fast, well-spread 64-bit hash of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// resemblance estimates the Jaccard similarity of the shingle sets of two
// fingerprints: the share of hash functions whose minimum agrees. Two
// fingerprints with the same Exact hash resemble each other fully.
func resemblance(a, b fingerprint) float64 {
	if a.Exact != "" && a.Exact == b.Exact {
		return 1
	}
	x, err1 := base64.StdEncoding.DecodeString(a.MinHash)
	y, err2 := base64.StdEncoding.DecodeString(b.MinHash)
	if err1 != nil || err2 != nil || len(x) != len(y) || len(x) == 0 {
		return 0
	}
	same := 0
	for i := 0; i+4 <= len(x); i += 4 {
		if binary.LittleEndian.Uint32(x[i:]) == binary.LittleEndian.Uint32(y[i:]) {
			same++
		}
	}
	return float64(same) / float64(len(x)/4)
}

// stopwords are the English and Russian words of three or more letters
// that say nothing about which event a report is of.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for with from that this was were are has have had its their his her
	they them than then into onto over under after before about also but not will would said says say
	who whom which what when where while been being one two our out new more most other such all any
	его она они это что как для при над под его был была были будет также который которые после
	года году год между про или уже еще ещё`) {
		m[w] = true
	}
	return m
}()

// eventTerms returns the terms of a report's title and lead that tell its
// event apart: words of three or more letters other than stopwords
// (Russian ones stemmed, an English plural "s" dropped), numbers of two or
// more digits, and bigrams of Chinese characters; sorted, each once.
func eventTerms(title, text string) []string {
	toks := tokens(title)
	lead := leadTokens(text)
	// A separator keeps a bigram from spanning the title and the lead.
	toks = append(append(toks, ""), lead...)
	set := map[string]bool{}
	for i, t := range toks {
		r, _ := utf8.DecodeRuneInString(t)
		switch {
		case t == "":
		case isIdeograph(r):
			if i+1 < len(toks) {
				if n, _ := utf8.DecodeRuneInString(toks[i+1]); toks[i+1] != "" && isIdeograph(n) {
					set[t+toks[i+1]] = true
				}
			}
		case unicode.IsDigit(r):
			if utf8.RuneCountInString(t) >= 2 {
				set[t] = true
			}
		case utf8.RuneCountInString(t) >= 3 && !stopwords[t]:
			if unicode.Is(unicode.Cyrillic, r) {
				t = textnorm.StemRussian(t)
			} else if len(t) > 4 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") {
				t = strings.TrimSuffix(t, "s")
			}
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// leadTokens returns the tokens of a text's lead: its first paragraphs
// until they hold leadMin words, at most leadMax words.
func leadTokens(text string) []string {
	var out []string
	weight := 0 // in half words: a Chinese character is one, a word two
	for _, para := range strings.Split(text, "\n\n") {
		if weight >= 2*leadMin {
			break
		}
		for _, t := range tokens(para) {
			r, _ := utf8.DecodeRuneInString(t)
			if isIdeograph(r) {
				weight++
			} else {
				weight += 2
			}
			if weight > 2*leadMax {
				return out
			}
			out = append(out, t)
		}
		// A separator keeps a bigram from spanning two paragraphs.
		out = append(out, "")
	}
	return out
}

// sharedTerms counts the terms two sorted term lists have in common.
func sharedTerms(a, b []string) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// sameEvent reports whether two reports are of one event: dated at most
// EventDays apart, and their titles and leads sharing at least
// EventMinShared terms and at least EventOverlap of the shorter one's.
func sameEvent(a, b report) bool {
	da, errA := time.Parse(time.DateOnly, a.Date)
	db, errB := time.Parse(time.DateOnly, b.Date)
	if errA != nil || errB != nil {
		return false
	}
	if diff := da.Sub(db); diff > EventDays*24*time.Hour || diff < -EventDays*24*time.Hour {
		return false
	}
	shared := sharedTerms(a.Terms, b.Terms)
	shorter := min(len(a.Terms), len(b.Terms))
	return shorter > 0 && shared >= EventMinShared && float64(shared) >= EventOverlap*float64(shorter)
}

// reportDate is the day a report is dated for the event rule: the
// document's own full date, else the feed item's.
func reportDate(doc corpus.Document, item time.Time) string {
	if len(doc.Date) == len(time.DateOnly) {
		if _, err := time.Parse(time.DateOnly, doc.Date); err == nil {
			return doc.Date
		}
	}
	if !item.IsZero() {
		return item.UTC().Format(time.DateOnly)
	}
	return ""
}
