package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/vecscan"
)

const benchDim = 1024

// randomEmbedder returns seeded random unit vectors without looking at the
// texts, so benchmarks measure the store, not the embedder.
type randomEmbedder struct{ r *rand.Rand }

func (e *randomEmbedder) ID() string { return "random-1024" }
func (e *randomEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range texts {
		out[i] = ragtest.RandomUnit(e.r, benchDim)
	}
	return out, nil
}

// benchDocs returns nDocs documents of perDoc chunks each.
func benchDocs(nDocs, perDoc int) []Doc {
	docs := make([]Doc, nDocs)
	for d := range docs {
		id := fmt.Sprintf("doc%05d", d)
		docs[d].ID = id
		for p := range perDoc {
			docs[d].Chunks = append(docs[d].Chunks, rag.Chunk{
				ID: fmt.Sprintf("%s#%d", id, p), Doc: id, Pos: p, Lang: "en", Title: "Title " + id,
				Date: "2024-07-04", Source: "Xinhua", URL: "https://example.org/" + id,
				Text: fmt.Sprintf("Chunk %d of %s: the SCO summit in Astana adopted a declaration.", p, id),
			})
		}
	}
	return docs
}

func BenchmarkSync1k(b *testing.B) {
	docs := benchDocs(10, 100)
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			syncedStore(b, b.TempDir(), docs)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		s := syncedStore(b, b.TempDir(), docs)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Sync(context.Background(), docs, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reopen", func(b *testing.B) {
		dir := b.TempDir()
		s := syncedStore(b, dir, docs)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Open(context.Background(), dir, s.emb, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// syncedStore opens a store on dir with a randomEmbedder and syncs docs.
func syncedStore(b *testing.B, dir string, docs []Doc) *Store {
	b.Helper()
	s, err := Open(context.Background(), dir, &randomEmbedder{rand.New(rand.NewPCG(1, 2))}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Sync(context.Background(), docs, nil); err != nil {
		b.Fatal(err)
	}
	return s
}

// newBenchStore returns an in-memory store of n chunks (documents of 100
// chunks) with seeded random unit vectors, added straight through chromem.
func newBenchStore(b *testing.B, n int) *Store {
	b.Helper()
	s := &Store{embID: "random-1024", perDocMax: defaultPerDocMax}
	s.reset()
	docs := benchDocs(n/100, 100)
	r := rand.New(rand.NewPCG(42, 42))
	add := make([]chromem.Document, 0, n)
	for _, d := range docs {
		for _, c := range d.Chunks {
			add = append(add, toDocument(c, ragtest.RandomUnit(r, benchDim)))
		}
		s.docs[d.ID] = docEntry{chunks: d.Chunks}
	}
	if err := s.chunks.AddDocuments(context.Background(), add, runtime.NumCPU()); err != nil {
		b.Fatal(err)
	}
	s.n, s.dim = len(add), benchDim
	return s
}

func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := newBenchStore(b, n)
			q := ragtest.RandomUnit(rand.New(rand.NewPCG(7, 7)), benchDim)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if ps, err := s.Search(context.Background(), q, 10, nil); err != nil || len(ps) != 10 {
					b.Fatal(len(ps), err)
				}
			}
		})
	}
}

// BenchmarkSearchFilter compares the two filter strategies (one where-query
// per document, or an over-fetching unfiltered query) on 100k chunks in
// documents of 100, k = 10; it is what defaultPerDocMax is based on.
func BenchmarkSearchFilter(b *testing.B) {
	s := newBenchStore(b, 100_000)
	q := ragtest.RandomUnit(rand.New(rand.NewPCG(7, 7)), benchDim)
	for _, nDocs := range []int{1, 2, 4, 10, 100} {
		filter := map[string]bool{}
		for d := range nDocs {
			filter[fmt.Sprintf("doc%05d", d*7)] = true
		}
		for _, strategy := range []string{"perdoc", "overfetch"} {
			if strategy == "perdoc" && nDocs > 10 {
				continue // linear in nDocs: about 8 s per search at 100
			}
			b.Run(fmt.Sprintf("docs=%d/%s", nDocs, strategy), func(b *testing.B) {
				s.perDocMax = 0
				if strategy == "perdoc" {
					s.perDocMax = nDocs
				}
				b.ReportAllocs()
				for b.Loop() {
					if ps, err := s.Search(context.Background(), q, 10, filter); err != nil || len(ps) != 10 {
						b.Fatal(len(ps), err)
					}
				}
			})
		}
	}
}

// BenchmarkScale measures the index at 1k, 10k and 100k chunks (documents
// of 100 chunks, 1,024-dimension vectors): a build from nothing (embedding
// and saving), a cold open of the built index (from its segment file;
// from it and a change log of one update; the snapshot's decode it
// replaces; and the open with the packing of the vectors for the scan), and the update of one report of 100 chunks (its
// chunks embedded again and the change saved; B-written/op is the bytes
// the store wrote for it).
//
//	go test ./rag/store -run - -bench Scale -benchtime 3x
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		docs := benchDocs(n/100, 100)
		b.Run(fmt.Sprintf("chunks=%d/build", n), func(b *testing.B) {
			for b.Loop() {
				syncedStore(b, b.TempDir(), docs)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "chunks/s")
		})
		b.Run(fmt.Sprintf("chunks=%d/open", n), func(b *testing.B) {
			dir := b.TempDir()
			s := syncedStore(b, dir, docs)
			for b.Loop() {
				o, err := Open(context.Background(), dir, s.emb, nil)
				if err != nil || o.db != nil {
					b.Fatalf("Open: %v (from the segment file: %v)", err, o != nil && o.db == nil)
				}
			}
		})
		// A cold open after one report of 100 chunks was updated: the
		// segment file, and the change log replayed over it.
		b.Run(fmt.Sprintf("chunks=%d/open-with-log", n), func(b *testing.B) {
			dir := b.TempDir()
			s := syncedStore(b, dir, docs)
			edited := slices.Clone(docs)
			edited[0] = Doc{ID: docs[0].ID, Chunks: slices.Clone(docs[0].Chunks)}
			edited[0].Chunks[0].Text += " (edited)"
			if _, err := s.Sync(context.Background(), edited, nil); err != nil {
				b.Fatal(err)
			}
			if _, err := os.Stat(s.logPath()); err != nil {
				b.Fatalf("the update was not logged: %v", err)
			}
			for b.Loop() {
				o, err := Open(context.Background(), dir, s.emb, nil)
				if err != nil || o.db != nil || o.ContentSig() != s.ContentSig() {
					b.Fatalf("Open: %v (from the segment file: %v)", err, o != nil && o.db == nil)
				}
			}
		})
		// What Open did before the segment file: decode the snapshot.
		b.Run(fmt.Sprintf("chunks=%d/open-snapshot", n), func(b *testing.B) {
			s := syncedStore(b, b.TempDir(), docs)
			for b.Loop() {
				if _, err := loadSnapshot(s.path); err != nil {
					b.Fatal(err)
				}
			}
		})
		// A cold start's whole path to the first search: open, then pack
		// the vectors for the scan (from the segment's rows).
		b.Run(fmt.Sprintf("chunks=%d/open-and-pack", n), func(b *testing.B) {
			dir := b.TempDir()
			s := syncedStore(b, dir, docs)
			for b.Loop() {
				o, err := Open(context.Background(), dir, s.emb, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := vecscan.New(o, 0).Refresh(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The update of one report: appended to the change log, with the
		// compactions that come due (amortised over the updates); and, for
		// comparison, as every update was saved before the log (the
		// snapshot and segment written afresh).
		for _, mode := range []string{"update-one", "update-one-rewrite"} {
			b.Run(fmt.Sprintf("chunks=%d/%s", n, mode), func(b *testing.B) {
				s := syncedStore(b, b.TempDir(), docs)
				if mode == "update-one-rewrite" {
					s.logShare = 0
				}
				written := countWrites(s)
				edited := slices.Clone(docs)
				i := 0
				for b.Loop() {
					i++
					d := Doc{ID: docs[0].ID, Chunks: slices.Clone(docs[0].Chunks)}
					d.Chunks[0].Text = fmt.Sprintf("%s (edit %d)", d.Chunks[0].Text, i)
					edited[0] = d
					st, err := s.Sync(context.Background(), edited, nil)
					if err != nil || st.Updated != 1 {
						b.Fatalf("sync: %+v, %v", st, err)
					}
				}
				b.ReportMetric(float64(*written)/float64(b.N), "B-written/op")
			})
		}
	}
}
