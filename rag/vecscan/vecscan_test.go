package vecscan_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
	"github.com/scobot/scobot/rag/vecscan"
)

var _ retrieve.VectorIndex = (*vecscan.Index)(nil)

var words = strings.Fields("Wang Yi foreign minister SCO summit Astana Dushanbe cooperation security development vaccine proposal multilateralism Belt Road member states council meeting Lavrov talks regional stability economy trade terrorism Shanghai Spirit initiative video anniversary " +
	"王毅 外长 上合组织 峰会 阿斯塔纳 杜尚别 合作 安全 发展 疫苗 建议 多边主义 一带一路 成员国 理事会 会议 拉夫罗夫 会谈 地区 稳定 经济 贸易 恐怖主义 上海精神 倡议 视频 周年")

// sentence returns n seeded random words.
func sentence(r *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[r.IntN(len(words))]
	}
	return strings.Join(ws, " ")
}

// synthDocs returns n chunks in documents of 20, with seeded random text.
func synthDocs(n int) []store.Doc { return synthDocsOf(n, sentence, 40) }

// wideSentence returns n seeded random words of a 30,000-word vocabulary,
// so that hashembed vectors of 120-word chunks have about as many non-zero
// components as real reports' (131 of 1,024).
func wideSentence(r *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("w%d", r.IntN(30_000))
	}
	return strings.Join(ws, " ")
}

// synthDocsOf returns n chunks of words words each made by text, in
// documents of 20.
func synthDocsOf(n int, text func(*rand.Rand, int) string, words int) []store.Doc {
	r := rand.New(rand.NewPCG(3, 4))
	var docs []store.Doc
	for d := 0; d*20 < n; d++ {
		doc := store.Doc{ID: fmt.Sprintf("doc%05d", d)}
		for p := 0; p < 20 && d*20+p < n; p++ {
			doc.Chunks = append(doc.Chunks, rag.Chunk{ID: fmt.Sprintf("%s#%d", doc.ID, p), Doc: doc.ID, Pos: p, Lang: "en", Text: text(r, words)})
		}
		docs = append(docs, doc)
	}
	return docs
}

// randomEmbedder gives dense random unit vectors seeded by each text's
// hash, so they are the same on every run and safe for concurrent use.
type randomEmbedder struct{ dim int }

func (e *randomEmbedder) ID() string { return fmt.Sprintf("random-%d", e.dim) }
func (e *randomEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, text := range texts {
		h := fnv.New64a()
		h.Write([]byte(text))
		out[i] = ragtest.RandomUnit(rand.New(rand.NewPCG(h.Sum64(), 1)), e.dim)
	}
	return out, nil
}

// corpus is an in-memory store synced with docs and its query vectors.
type corpus struct {
	st      *store.Store
	queries [][]float32
}

// newCorpus builds a store of n chunks embedded by kind ("hashembed",
// "hashembed-wide" or "dense") and 20 queries of that kind.
func newCorpus(t testing.TB, kind string, n int) corpus {
	t.Helper()
	ctx := context.Background()
	var (
		emb     store.Embedder
		queries [][]float32
	)
	docs := synthDocs(n)
	switch kind {
	case "hashembed-wide":
		he := hashembed.New(hashembed.Config{})
		emb = he
		docs = synthDocsOf(n, wideSentence, 120)
		r := rand.New(rand.NewPCG(5, 6))
		for range 20 {
			q, err := he.EmbedQuery(ctx, wideSentence(r, 8))
			if err != nil {
				t.Fatal(err)
			}
			queries = append(queries, q)
		}
	case "hashembed":
		he := hashembed.New(hashembed.Config{})
		emb = he
		r := rand.New(rand.NewPCG(5, 6))
		for range 20 {
			q, err := he.EmbedQuery(ctx, sentence(r, 6))
			if err != nil {
				t.Fatal(err)
			}
			queries = append(queries, q)
		}
	case "dense":
		emb = &randomEmbedder{dim: 1024}
		r := rand.New(rand.NewPCG(7, 8))
		for range 20 {
			queries = append(queries, ragtest.RandomUnit(r, 1024))
		}
	}
	st, err := store.Open(ctx, "", emb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Sync(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	return corpus{st: st, queries: queries}
}

// overlap returns how many of got's passages are in want, counting as in
// want a passage that ties with want's last score (chromem-go picks among
// the chunks tied at the k-th score in no set order; the packed scan takes
// the first by Doc and Pos). It checks that each shared chunk has exactly
// the reference's score (both forms sum in chromem-go's order, so the
// figures fused downstream do not move) and that the two score lists are
// the same.
func overlap(t *testing.T, got, want []rag.Passage) int {
	t.Helper()
	score := map[string]float64{}
	for _, p := range want {
		score[p.ID] = p.Score
	}
	n := 0
	for i, p := range got {
		if i < len(want) && p.Score != want[i].Score {
			t.Errorf("passage %d (%s) scores %v, chromem-go's passage %d (%s) %v", i, p.ID, p.Score, i, want[i].ID, want[i].Score)
		}
		s, ok := score[p.ID]
		switch {
		case ok && s != p.Score:
			t.Errorf("chunk %s scored %v, chromem-go scores it %v", p.ID, p.Score, s)
		case ok, len(want) > 0 && p.Score == want[len(want)-1].Score:
			n++
		}
	}
	return n
}

// TestSameTopKAsChromem checks the packed scan against chromem-go's exact
// search (Store.Search) at k=50 on a 10k-chunk corpus, for the sparse
// vectors of hashembed and for dense random unit vectors.
func TestSameTopKAsChromem(t *testing.T) {
	for _, tc := range []struct{ kind, form string }{{"hashembed", "sparse"}, {"hashembed-wide", "sparse"}, {"dense", "dense"}} {
		t.Run(tc.kind, func(t *testing.T) {
			ctx := context.Background()
			c := newCorpus(t, tc.kind, 10_000)
			x := vecscan.New(c.st, 0)
			if form, err := x.Form(ctx); err != nil || form != tc.form {
				t.Fatalf("packed form = %q, %v; want %q", form, err, tc.form)
			}
			const k = 50
			shared, total := 0, 0
			for _, q := range c.queries {
				want, err := c.st.Search(ctx, q, k, nil)
				if err != nil {
					t.Fatal(err)
				}
				got, err := x.Search(ctx, q, k, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("got %d passages, chromem-go %d", len(got), len(want))
				}
				for i := 1; i < len(got); i++ {
					if got[i].Score > got[i-1].Score {
						t.Fatalf("passage %d scores %v above passage %d's %v", i, got[i].Score, i-1, got[i-1].Score)
					}
				}
				shared += overlap(t, got, want)
				total += len(want)
			}
			if share := float64(shared) / float64(total); share < 0.99 {
				t.Errorf("top-%d overlap with chromem-go = %.4f, want ≥ 0.99", k, share)
			} else {
				t.Logf("top-%d overlap with chromem-go = %.4f over %d queries", k, share, len(c.queries))
			}
		})
	}
}

// TestFilter checks that docs restricts the search as Store.Search does.
func TestFilter(t *testing.T) {
	ctx := context.Background()
	for _, kind := range []string{"hashembed", "dense"} {
		t.Run(kind, func(t *testing.T) {
			c := newCorpus(t, kind, 2_000)
			x := vecscan.New(c.st, 2)
			filters := []map[string]bool{
				{"doc00007": true},
				{"doc00003": true, "doc00050": true, "doc00099": true, "nosuchdoc": true},
				{"doc00010": true, "doc00011": false},
			}
			for i, docs := range filters {
				for _, q := range c.queries[:5] {
					want, err := c.st.Search(ctx, q, 10, docs)
					if err != nil {
						t.Fatal(err)
					}
					got, err := x.Search(ctx, q, 10, docs)
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range got {
						if !docs[p.Doc] {
							t.Fatalf("filter %d: got chunk %s of a document outside the filter", i, p.ID)
						}
					}
					if len(got) != len(want) || overlap(t, got, want) != len(want) {
						t.Fatalf("filter %d: got %v, want %v", i, ids(got), ids(want))
					}
				}
			}
			for _, docs := range []map[string]bool{{}, {"nosuchdoc": true}, {"doc00001": false}} {
				got, err := x.Search(ctx, c.queries[0], 10, docs)
				if err != nil || got != nil {
					t.Errorf("filter %v: got %v, %v; want nil, nil", docs, ids(got), err)
				}
			}
		})
	}
}

func ids(ps []rag.Passage) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// TestEmpty checks that an empty index, k <= 0 and a zero vector give
// nil, nil.
func TestEmpty(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", hashembed.New(hashembed.Config{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	x := vecscan.New(st, 0)
	q := make([]float32, hashembed.DefaultDim)
	q[3] = 1
	if got, err := x.Search(ctx, q, 5, nil); got != nil || err != nil {
		t.Errorf("empty index: got %v, %v; want nil, nil", got, err)
	}
	if _, err := st.Sync(ctx, synthDocs(40), nil); err != nil {
		t.Fatal(err)
	}
	if got, err := x.Search(ctx, q, 0, nil); got != nil || err != nil {
		t.Errorf("k=0: got %v, %v; want nil, nil", got, err)
	}
	if got, err := x.Search(ctx, make([]float32, hashembed.DefaultDim), 5, nil); got != nil || err != nil {
		t.Errorf("zero vector: got %v, %v; want nil, nil", got, err)
	}
}

// TestDimensionMismatch checks that a query of another dimension is an error.
func TestDimensionMismatch(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(t, "dense", 100)
	x := vecscan.New(c.st, 0)
	_, err := x.Search(ctx, make([]float32, 512), 5, nil)
	if err == nil || !strings.Contains(err.Error(), "512 dimensions") {
		t.Errorf("512-dimensional query on a 1024-dimensional index: err = %v, want a dimension error", err)
	}
}

// TestFollowsSync checks that a Sync that changes the store's vectors is
// seen by the next Search.
func TestFollowsSync(t *testing.T) {
	ctx := context.Background()
	emb := hashembed.New(hashembed.Config{})
	st, err := store.Open(ctx, "", emb, nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := synthDocs(200)
	if _, err := st.Sync(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	x := vecscan.New(st, 0)
	q, err := emb.EmbedQuery(ctx, "Lavrov talks in Dushanbe")
	if err != nil {
		t.Fatal(err)
	}
	before, err := x.Search(ctx, q, 3, nil)
	if err != nil || len(before) != 3 {
		t.Fatalf("got %v, %v", ids(before), err)
	}
	// Replace the best document's text; drop the second's document.
	gone := before[1].Doc
	var kept []store.Doc
	for _, d := range docs {
		switch d.ID {
		case gone:
			continue
		case before[0].Doc:
			d.Chunks = []rag.Chunk{{ID: d.ID + "#0", Doc: d.ID, Text: "蒙古国 观察员"}}
		}
		kept = append(kept, d)
	}
	if _, err := st.Sync(ctx, kept, nil); err != nil {
		t.Fatal(err)
	}
	after, err := x.Search(ctx, q, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := st.Search(ctx, q, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range after {
		if p.Doc == gone || p.ID == before[0].ID {
			t.Fatalf("after the Sync the search still returns %s", p.ID)
		}
	}
	if overlap(t, after, want) != len(want) {
		t.Errorf("after the Sync: got %v, want %v", ids(after), ids(want))
	}
}

// TestTiesByDocAndPos checks that chunks of equal score come in (Doc, Pos)
// order, also when the k-th place is tied, in both forms.
func TestTiesByDocAndPos(t *testing.T) {
	ctx := context.Background()
	for _, kind := range []string{"hashembed", "dense"} {
		t.Run(kind, func(t *testing.T) {
			var emb store.Embedder = hashembed.New(hashembed.Config{})
			if kind == "dense" {
				emb = &randomEmbedder{dim: 64}
			}
			var docs []store.Doc
			for _, id := range []string{"d", "b", "c", "a"} {
				d := store.Doc{ID: id}
				for p, text := range []string{"Lavrov talks", "SCO summit in Astana", "Lavrov talks"} {
					d.Chunks = append(d.Chunks, rag.Chunk{ID: fmt.Sprintf("%s#%d", id, p), Doc: id, Pos: p, Text: text})
				}
				docs = append(docs, d)
			}
			st, err := store.Open(ctx, "", emb, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Sync(ctx, docs, nil); err != nil {
				t.Fatal(err)
			}
			vecs, err := emb.Embed(ctx, []string{"Lavrov talks"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := vecscan.New(st, 0).Search(ctx, vecs[0], 3, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"a#0", "a#2", "b#0"}; !slices.Equal(ids(got), want) {
				t.Errorf("got %v, want %v", ids(got), want)
			}
		})
	}
}

// TestConcurrentSearchDuringSync runs searches while Syncs change the
// store; under -race it checks that repacking and searching share nothing
// unguarded, and every search sees a whole index.
func TestConcurrentSearchDuringSync(t *testing.T) {
	ctx := context.Background()
	emb := hashembed.New(hashembed.Config{})
	st, err := store.Open(ctx, "", emb, nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := synthDocs(400)
	if _, err := st.Sync(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	x := vecscan.New(st, 2)
	q, err := emb.EmbedQuery(ctx, "Lavrov talks in Dushanbe")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				ps, err := x.Search(ctx, q, 10, nil)
				if err != nil || len(ps) != 10 {
					t.Errorf("got %d passages, %v", len(ps), err)
					return
				}
			}
		})
	}
	for i := range 5 {
		if _, err := st.Sync(ctx, docs[:len(docs)-i-1], nil); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
