package retrieve

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/lexical"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/rag/translit"
)

// indexChunks returns n chunks of mixed Chinese, English and Russian text
// naming years, over documents of a few chunks each, from a fixed seed.
func indexChunks(n int) []rag.Chunk {
	words := strings.Fields("Wang Yi Lavrov Astana Dushanbe summit foreign ministers security 王毅 拉夫罗夫 阿斯塔纳 杜尚别 外长 会谈 上海精神 Лавров Астана министр встреча 2001 2017 2024 SCO Tashkent 塔什干")
	rng := rand.New(rand.NewPCG(7, 12))
	out := make([]rag.Chunk, n)
	for i := range out {
		doc := fmt.Sprintf("d%04d", i/3)
		var b strings.Builder
		for range 20 + rng.IntN(40) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "in %d.", 1995+rng.IntN(35))
		out[i] = rag.Chunk{ID: doc + "#" + strconv.Itoa(i%3), Doc: doc, Pos: i % 3, Lang: "en", Date: fmt.Sprintf("%d-01-02", 2000+rng.IntN(25)), Text: b.String()}
	}
	return out
}

// TestIndexIsOnePass: the engine's structures, built on every core a batch
// at a time, are exactly those of one pass over the chunks in order, with
// each document's chunks together or interleaved with others'.
func TestIndexIsOnePass(t *testing.T) {
	together := indexChunks(3*indexBatch + 17)
	interleaved := slices.Clone(together)
	slices.SortStableFunc(interleaved, func(a, b rag.Chunk) int { return cmp.Compare(a.Pos, b.Pos) })
	t.Run("together", func(t *testing.T) { indexIsOnePass(t, together) })
	t.Run("interleaved", func(t *testing.T) { indexIsOnePass(t, interleaved) })
}

func indexIsOnePass(t *testing.T, chunks []rag.Chunk) {
	e := NewEngine(Config{Chunks: chunks})

	want := struct {
		lex      *lexical.Index
		terms    *vocab
		docTerms map[string]idSet
		forms    *translit.Inventory
		docYears map[int]bool
		newest   int
	}{lexical.New(), newVocab(), map[string]idSet{}, translit.NewInventory(), map[int]bool{}, 0}
	for _, c := range chunks {
		terms := tokens.Terms(c.Text)
		want.lex.Add(c.ID, terms)
		var ids []uint32
		for _, t := range terms {
			ids = append(ids, want.terms.add(t))
		}
		want.docTerms[c.Doc] = want.docTerms[c.Doc].union(newIDSet(ids))
		if y, err := strconv.Atoi(c.Date[:4]); err == nil {
			want.docYears[y] = true
			want.newest = max(want.newest, y)
		}
		for _, m := range yearRE.FindAllStringSubmatch(c.Text, -1) {
			if y, err := strconv.Atoi(m[1]); err == nil {
				want.docYears[y] = true
			}
		}
		want.forms.Add(c.Text)
	}
	for _, set := range want.docTerms {
		for _, id := range set {
			want.terms.df[id]++
		}
	}

	if !reflect.DeepEqual(e.terms, want.terms) {
		t.Error("term numbers or document frequencies differ from one pass")
	}
	if !reflect.DeepEqual(e.docTerms, want.docTerms) {
		t.Error("per-document term sets differ from one pass")
	}
	// The lexical index numbers a chunk's terms in map order, so compare
	// what it finds rather than its insides.
	if e.lex.Len() != want.lex.Len() {
		t.Errorf("lexical index holds %d chunks, want %d", e.lex.Len(), want.lex.Len())
	}
	for term := range want.terms.ids {
		q := map[string]float64{term: 1, "wang": 0.5}
		if got, want := e.lex.Search(q, len(chunks)), want.lex.Search(q, len(chunks)); !reflect.DeepEqual(got, want) {
			t.Errorf("lexical search for %q differs from one pass", term)
		}
	}
	if !reflect.DeepEqual(e.forms, want.forms) {
		t.Error("name forms differ from one pass")
	}
	if !reflect.DeepEqual(e.docYears, want.docYears) || e.newest != want.newest {
		t.Errorf("years %v (newest %d), want %v (newest %d)", e.docYears, e.newest, want.docYears, want.newest)
	}
	if len(e.chunks) != len(chunks) || len(e.byDoc) != (len(chunks)+2)/3 {
		t.Errorf("%d chunks in %d documents, want %d in %d", len(e.chunks), len(e.byDoc), len(chunks), (len(chunks)+2)/3)
	}
}

// TestFormsIsAdd: counting Forms(text) with AddForms is Add(text).
func TestFormsIsAdd(t *testing.T) {
	a, b := translit.NewInventory(), translit.NewInventory()
	for _, c := range indexChunks(50) {
		a.Add(c.Text)
		b.AddForms(translit.Forms(c.Text))
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("AddForms(Forms(text)) counted other forms than Add(text)")
	}
}
