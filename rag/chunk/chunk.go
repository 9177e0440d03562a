// Package chunk splits cleaned documents into the retrievable, citable
// pieces scobot indexes (rag.Chunk).
//
// Chunks follow the document's own structure: each Part (one language) is
// chunked on its own, paragraphs stay whole when they fit, and cuts fall
// between sentences (rag/tokens.Sentences); only a sentence longer than the
// hard maximum is cut inside, at commas, then at spaces. A chunk's Text is a
// verbatim slice of its Part's text, paragraph breaks included, so nothing is
// rewritten and every sentence of the document is in exactly one chunk.
package chunk

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/tokens"
)

// Chunk sizes are measured in units (see Size): a Han character is one
// unit, a Latin (or Cyrillic, …) word one and a half, since an English word
// carries about as much as one and a half Chinese characters.
//
// DefaultTarget is about one long or two short news paragraphs: ~250
// Chinese characters or ~170 English words. That is big enough to hold a
// fact with its context (who said it, where, when) for an extractive answer,
// and small enough that one chunk is about one thing, so BM25 and cosine
// scores are not diluted and a citation points at the passage that matters.
// DefaultMax is the hard limit (~400 characters / ~270 words), which leaves
// room to keep a long paragraph whole and keeps every chunk well within any
// embedding model's input limit.
const (
	DefaultTarget = 250
	DefaultMax    = 400
)

// minUnits is the smallest Target or Max accepted; smaller values are
// raised to it, so that every piece of text fits.
const minUnits = 4

// Options sets chunk sizes, in units (see Size). Zero values mean the
// defaults; Target is raised to at least 4 and Max to at least Target.
type Options struct {
	Target int // chunks are filled up to about this size
	Max    int // no chunk is larger than this
}

func (o Options) normalised() (target, hardMax, tiny float64) {
	if o.Target <= 0 {
		o.Target = DefaultTarget
	}
	if o.Max <= 0 {
		o.Max = max(DefaultMax, o.Target)
	}
	o.Target = max(o.Target, minUnits)
	o.Max = max(o.Max, o.Target)
	return float64(o.Target), float64(o.Max), float64(o.Target) / 4
}

// Document splits d into chunks, part by part, so a chunk never mixes
// languages. Chunk IDs are "<doc>#<pos>", pos counting from 0 across the
// whole document; each chunk carries d's Title, Date, Source and URL and its
// part's Lang (guessed with tokens.Lang when the part has none). The same
// document and options always give the same chunks.
//
// There is no overlap between chunks. Paragraphs are kept whole, so a cut
// rarely separates a statement from its context; overlapping chunks would put
// the same sentence in two results, which crowds fused rankings with
// near-duplicates and makes the same fact cite two chunks. A caller that
// wants context can fetch the neighbours <doc>#<pos±1>.
//
// Chunks are filled greedily: a paragraph joins the current chunk if the
// result stays within Target (or within Max while the chunk is still tiny,
// under Target/4); otherwise it starts a new chunk, whole if it fits in Max,
// else cut between sentences. A tiny last chunk of a part is merged into the
// one before it when the two fit in Max.
func Document(d corpus.Document, opts Options) []rag.Chunk {
	target, hardMax, tiny := opts.normalised()
	var out []rag.Chunk
	for _, p := range d.Parts {
		lang := p.Lang
		if lang == "" {
			lang = tokens.Lang(p.Text)
		}
		for _, text := range split(p.Text, target, hardMax, tiny) {
			pos := len(out)
			out = append(out, rag.Chunk{
				ID:     fmt.Sprintf("%s#%d", d.ID, pos),
				Doc:    d.ID,
				Pos:    pos,
				Lang:   lang,
				Title:  d.Title,
				Date:   d.Date,
				Source: d.Source,
				URL:    d.URL,
				Text:   text,
			})
		}
	}
	return out
}

// span is a piece of text: text[start:end], trimmed, with its size.
type span struct {
	start, end int
	size       float64
	paraStart  bool // the piece begins a paragraph
}

// split chunks one part's text.
func split(text string, target, max, tiny float64) []string {
	var paras [][]span
	for _, s := range sentenceSpans(text) {
		for i, p := range cut(text, s, target, max, 0) {
			if i == 0 && s.paraStart || len(paras) == 0 {
				paras = append(paras, nil)
			}
			paras[len(paras)-1] = append(paras[len(paras)-1], p)
		}
	}

	var chunks []span
	var cur span
	add := func(s span) {
		if cur.end == 0 {
			cur = s
			return
		}
		cur.end = s.end
		cur.size += s.size
	}
	flush := func() {
		if cur.end > 0 {
			chunks = append(chunks, cur)
		}
		cur = span{}
	}
	fits := func(size float64) bool {
		return cur.size+size <= target || cur.size < tiny && cur.size+size <= max
	}
	for _, para := range paras {
		var size float64
		for _, s := range para {
			size += s.size
		}
		switch {
		case fits(size):
		case size <= max:
			flush()
		default:
			for _, s := range para {
				if !fits(s.size) {
					flush()
				}
				add(s)
			}
			continue
		}
		for _, s := range para {
			add(s)
		}
	}
	flush()
	if n := len(chunks); n >= 2 && chunks[n-1].size < tiny && chunks[n-2].size+chunks[n-1].size <= max {
		chunks[n-2].end = chunks[n-1].end
		chunks[n-2].size += chunks[n-1].size
		chunks = chunks[:n-1]
	}

	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = text[c.start:c.end]
	}
	return texts
}

// sentenceSpans locates the sentences of text. Sentences are trimmed slices
// of text in order, so each is found at the first match after the previous
// one (only white space lies between them).
func sentenceSpans(text string) []span {
	var spans []span
	at := 0
	for _, s := range tokens.Sentences(text) {
		i := at + strings.Index(text[at:], s)
		spans = append(spans, span{
			start:     i,
			end:       i + len(s),
			size:      Size(s),
			paraStart: len(spans) == 0 || strings.Count(text[at:i], "\n") >= 2,
		})
		at = i + len(s)
	}
	return spans
}

// cut splits a sentence larger than max into pieces of at most target (or
// at most max where a single piece cannot be split further at this level):
// at level 0 after commas and other clause marks, at level 1 after white
// space, at level 2 between any two characters.
func cut(text string, s span, target, max float64, level int) []span {
	if s.size <= max {
		return []span{s}
	}
	var out []span
	var cur span
	curSet := false
	flush := func() {
		if curSet {
			out = append(out, cur)
		}
		curSet = false
	}
	for _, p := range pieces(text, s, level) {
		if p.size > max {
			flush()
			out = append(out, cut(text, p, target, max, level+1)...)
			continue
		}
		if curSet && cur.size+p.size > target {
			flush()
		}
		if !curSet {
			cur, curSet = p, true
			continue
		}
		cur.end = p.end
		cur.size += p.size
	}
	flush()
	if len(out) > 0 {
		out[0].paraStart = s.paraStart
	}
	return out
}

// pieces splits s into trimmed, non-empty pieces at the breaks of level.
// Level 2 cuts before every rune that would add to a piece's non-zero size,
// so every piece is one Han character or up to 12 runes of one word (at most
// 1.5 units) and splitting always ends.
func pieces(text string, s span, level int) []span {
	var out []span
	start := s.start
	emit := func(end int) {
		if p, ok := trimmed(text, start, end); ok {
			out = append(out, p)
		}
		start = end
	}
	var sz sizer
	for i := s.start; i < s.end; {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch level {
		case 0:
			if isClauseMark(r) {
				emit(i + n)
			}
		case 1:
			if unicode.IsSpace(r) {
				emit(i + n)
			}
		default:
			if before := sz.size; sz.add(r) > before && before > 0 {
				emit(i)
				sz = sizer{}
				sz.add(r)
			}
		}
		i += n
	}
	emit(s.end)
	return out
}

func isClauseMark(r rune) bool {
	switch r {
	case '，', ',', '、', '；', ';', '：', ':':
		return true
	}
	return false
}

// trimmed returns text[start:end] without surrounding white space as a
// span, and false if nothing is left.
func trimmed(text string, start, end int) (span, bool) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	if start == end {
		return span{}, false
	}
	return span{start: start, end: end, size: Size(text[start:end])}, true
}

// Size returns the size of s in chunk units: 1 per Han character, 1.5 per
// word of other letters or digits (1.5 more for every further 12 characters
// of a long word, so a URL or a run of digits cannot hide a large size), 0
// for punctuation and white space.
func Size(s string) float64 {
	var sz sizer
	for _, r := range s {
		sz.add(r)
	}
	return sz.size
}

// sizer measures text incrementally, rune by rune.
type sizer struct {
	size      float64
	wordRunes int // runes of the word in progress, 0 outside words
}

// add adds r and returns the new size.
func (z *sizer) add(r rune) float64 {
	switch {
	case tokens.IsHan(r):
		z.size++
		z.wordRunes = 0
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		if z.wordRunes%12 == 0 {
			z.size += 1.5
		}
		z.wordRunes++
	default:
		z.wordRunes = 0
	}
	return z.size
}
