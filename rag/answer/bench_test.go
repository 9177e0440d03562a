package answer_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/chunk"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
	"github.com/scobot/scobot/rag/vecscan"
)

var (
	enWords = strings.Fields("Wang Yi foreign minister SCO summit Astana Dushanbe cooperation security development vaccine proposal multilateralism Belt Road member states council meeting Lavrov talks regional stability economy trade terrorism Shanghai Spirit initiative video anniversary")
	zhWords = strings.Fields("王毅 外长 上合组织 峰会 阿斯塔纳 杜尚别 合作 安全 发展 疫苗 建议 多边主义 一带一路 成员国 理事会 会议 拉夫罗夫 会谈 地区 稳定 经济 贸易 恐怖主义 上海精神 倡议 视频 周年")
)

// synthChunks makes n chunks of SCO-like text, half English, half Chinese,
// from a seeded generator so every run indexes the same corpus.
func synthChunks(n int) []store.Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	const perDoc = 20
	var docs []store.Doc
	for d := 0; d*perDoc < n; d++ {
		doc := store.Doc{ID: fmt.Sprintf("doc%06d", d)}
		date := fmt.Sprintf("20%02d-%02d-%02d", 15+rng.IntN(10), 1+rng.IntN(12), 1+rng.IntN(28))
		for p := 0; p < perDoc && d*perDoc+p < n; p++ {
			lang, words, sep, end := "en", enWords, " ", ". "
			if p%2 == 1 {
				lang, words, sep, end = "zh", zhWords, "", "。"
			}
			var b strings.Builder
			for s := 0; s < 5; s++ {
				for w := 0; w < 12; w++ {
					if w > 0 {
						b.WriteString(sep)
					}
					b.WriteString(words[rng.IntN(len(words))])
				}
				b.WriteString(end)
			}
			doc.Chunks = append(doc.Chunks, rag.Chunk{
				ID: fmt.Sprintf("%s#%d", doc.ID, p), Doc: doc.ID, Pos: p, Lang: lang,
				Title: "Synthetic report " + doc.ID, Date: date, Source: "Bench", Text: b.String(),
			})
		}
		docs = append(docs, doc)
	}
	return docs
}

func newEmbedder(b *testing.B) (*hashembed.Embedder, *glossary.Glossary) {
	g, err := glossary.Default()
	if err != nil {
		b.Fatal(err)
	}
	return hashembed.New(hashembed.Config{Extra: g.Concepts, ExtraID: "glossary-" + g.ID()}), g
}

// BenchmarkIndex measures building an index from nothing: embedding every
// chunk and saving the snapshot.
func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("chunks=%d", n), func(b *testing.B) {
			docs := synthChunks(n)
			emb, _ := newEmbedder(b)
			b.ReportAllocs()
			for b.Loop() {
				st, err := store.Open(context.Background(), b.TempDir(), emb, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := st.Sync(context.Background(), docs, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// realCorpus chunks the built-in corpus.
func realCorpus(b *testing.B) []store.Doc {
	res, err := corpus.Load(context.Background(), corpus.Embedded(), nil)
	if err != nil {
		b.Fatal(err)
	}
	var docs []store.Doc
	for _, d := range res.Docs {
		docs = append(docs, store.Doc{ID: d.ID, Chunks: chunk.Document(d, chunk.Options{})})
	}
	return docs
}

// BenchmarkQuery measures one question end to end: expansion, lexical and
// vector search (the packed rag/vecscan index, as the app uses), fusion,
// and the extractive answer, over the built-in corpus and over synthetic
// corpora.
func BenchmarkQuery(b *testing.B) {
	for _, n := range []int{0, 1_000, 10_000, 100_000} {
		name := fmt.Sprintf("chunks=%d", n)
		if n == 0 {
			name = "corpus"
		}
		b.Run(name, func(b *testing.B) {
			var docs []store.Doc
			if n == 0 {
				docs = realCorpus(b)
			} else {
				docs = synthChunks(n)
			}
			emb, g := newEmbedder(b)
			st, err := store.Open(context.Background(), b.TempDir(), emb, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.Sync(context.Background(), docs, nil); err != nil {
				b.Fatal(err)
			}
			lex, err := glossary.Lexicon()
			if err != nil {
				b.Fatal(err)
			}
			// Pack the vectors now, as the app does while it opens (its
			// calibration searches), so the loop times questions only.
			vec := vecscan.New(st, 0)
			if _, err := vec.Refresh(context.Background()); err != nil {
				b.Fatal(err)
			}
			a := answer.NewAssistant(retrieve.NewEngine(retrieve.Config{Chunks: st.Chunks(), Vector: vec, Embedder: emb, Glossary: g, Lexicon: lex}))
			questions := []string{
				"Which foreign ministers did Wang Yi meet in Astana?",
				"王毅在杜尚别上合组织外长理事会会议上提出了什么建议?",
			}
			b.ReportAllocs()
			i := 0
			start := cpuTime()
			for b.Loop() {
				if _, err := a.Answer(context.Background(), questions[i%len(questions)], rag.AnswerOptions{}); err != nil {
					b.Fatal(err)
				}
				i++
			}
			// CPU time per question, all threads and the collector: on a
			// shared machine it varies less than the wall time (ns/op).
			b.ReportMetric(float64(cpuTime()-start)/float64(i), "cpu-ns/op")
		})
	}
}

// BenchmarkEngine measures building the retrieval engine over chunks that
// are already indexed (no embedding), and reports the heap the built
// engine keeps in use (heap-MB, after a collection).
func BenchmarkEngine(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("chunks=%d", n), func(b *testing.B) {
			var chunks []rag.Chunk
			for _, d := range synthChunks(n) {
				chunks = append(chunks, d.Chunks...)
			}
			_, g := newEmbedder(b)
			lex, err := glossary.Lexicon()
			if err != nil {
				b.Fatal(err)
			}
			var heap float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				e := retrieve.NewEngine(retrieve.Config{Chunks: chunks, Glossary: g, Lexicon: lex})
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(after.HeapInuse-before.HeapInuse) / (1 << 20)
				runtime.KeepAlive(e)
			}
			b.ReportMetric(heap, "heap-MB")
		})
	}
}
