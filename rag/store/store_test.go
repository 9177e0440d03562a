package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/rag"
)

// fakeEmbedder returns a deterministic pseudo-random vector per text, scaled
// so it is NOT of unit length (the store must normalise). It counts calls and
// texts, and can be told to fail or to return vectors of another dimension.
type fakeEmbedder struct {
	id  string
	dim int

	failOnCall int32 // 1-based Embed call that fails; 0 = never
	badDimCall int32 // 1-based Embed call whose vectors have dim+1 components
	onCall     func(n int32)

	calls atomic.Int32
	texts atomic.Int32
}

var _ Embedder = (*fakeEmbedder)(nil)

func (f *fakeEmbedder) ID() string { return f.id }

var errFakeEmbed = errors.New("fake embedder failure")

func (f *fakeEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	n := f.calls.Add(1)
	if f.onCall != nil {
		f.onCall(n)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n == f.failOnCall {
		return nil, errFakeEmbed
	}
	f.texts.Add(int32(len(texts)))
	dim := f.dim
	if n == f.badDimCall {
		dim++
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = rawVector(t, dim)
	}
	return out, nil
}

// rawVector is the fake's unnormalised vector for text.
func rawVector(text string, dim int) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(3 * r.NormFloat64())
	}
	return v
}

func newFake(id string, dim int) *fakeEmbedder { return &fakeEmbedder{id: id, dim: dim} }

// makeDoc returns a document with n chunks whose texts depend on version.
func makeDoc(id string, n int, version string) Doc {
	d := Doc{ID: id}
	for i := range n {
		d.Chunks = append(d.Chunks, rag.Chunk{
			ID:     fmt.Sprintf("%s#%d", id, i),
			Doc:    id,
			Pos:    i,
			Lang:   "en",
			Title:  "Title of " + id,
			Date:   "2024-07-04",
			Source: "Xinhua",
			URL:    "https://example.org/" + id,
			Text:   fmt.Sprintf("%s chunk %d %s", id, i, version),
		})
	}
	return d
}

// allChunks flattens docs into the order Store.Chunks promises.
func allChunks(docs []Doc) []rag.Chunk {
	var out []rag.Chunk
	for _, d := range docs {
		out = append(out, d.Chunks...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Doc != out[j].Doc {
			return out[i].Doc < out[j].Doc
		}
		return out[i].Pos < out[j].Pos
	})
	return out
}

func mustOpen(t testing.TB, dir string, emb Embedder) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, emb, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func mustSync(t testing.TB, s *Store, docs []Doc) Stats {
	t.Helper()
	st, err := s.Sync(context.Background(), docs, nil)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return st
}

func TestSyncIncremental(t *testing.T) {
	dir := t.TempDir()
	a, b, c := makeDoc("a", 3, "v1"), makeDoc("b", 2, "v1"), makeDoc("c", 4, "v1")
	a2 := makeDoc("a", 2, "v2")
	d := makeDoc("d", 1, "v1")

	steps := []struct {
		name      string
		reopen    bool // open a new Store on the same dir first
		docs      []Doc
		want      Stats
		wantCalls int32
		gone      []string // documents that must be absent from Search
	}{
		{name: "empty index embeds all", docs: []Doc{a, b, c},
			want: Stats{Added: 3, Chunks: 9, Embedded: 9}, wantCalls: 3},
		{name: "unchanged embeds nothing", docs: []Doc{a, b, c},
			want: Stats{Unchanged: 3, Chunks: 9}},
		{name: "unchanged after reopen", reopen: true, docs: []Doc{c, b, a},
			want: Stats{Unchanged: 3, Chunks: 9}},
		{name: "changed doc re-embedded alone", docs: []Doc{a2, b, c},
			want: Stats{Updated: 1, Unchanged: 2, Chunks: 8, Embedded: 2}, wantCalls: 1},
		{name: "changed doc persisted", reopen: true, docs: []Doc{a2, b, c},
			want: Stats{Unchanged: 3, Chunks: 8}},
		{name: "removed doc", docs: []Doc{a2, c},
			want: Stats{Removed: 1, Unchanged: 2, Chunks: 6}, gone: []string{"b"}},
		{name: "removal persisted, one added", reopen: true, docs: []Doc{a2, c, d},
			want: Stats{Added: 1, Unchanged: 2, Chunks: 7, Embedded: 1}, wantCalls: 1, gone: []string{"b"}},
		{name: "everything removed", docs: nil,
			want: Stats{Removed: 3}, gone: []string{"a", "b", "c", "d"}},
		{name: "empty persisted", reopen: true, docs: nil, want: Stats{}},
	}

	var s *Store
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if s == nil || step.reopen {
				s = mustOpen(t, dir, newFake("fake-8", 8))
				s.BatchSize = 3
			}
			fake := s.emb.(*fakeEmbedder)
			calls0, texts0 := fake.calls.Load(), fake.texts.Load()
			got := mustSync(t, s, step.docs)
			got.Seconds = 0
			if got != step.want {
				t.Errorf("Stats = %+v, want %+v", got, step.want)
			}
			if n := fake.calls.Load() - calls0; n != step.wantCalls {
				t.Errorf("Embed calls = %d, want %d", n, step.wantCalls)
			}
			if n := fake.texts.Load() - texts0; int(n) != step.want.Embedded {
				t.Errorf("texts embedded = %d, want %d", n, step.want.Embedded)
			}
			if diff := chunkDiff(s.Chunks(), allChunks(step.docs)); diff != "" {
				t.Errorf("Chunks: %s", diff)
			}
			if s.Len() != step.want.Chunks {
				t.Errorf("Len = %d, want %d", s.Len(), step.want.Chunks)
			}
			// Every indexed chunk is found by its own text's vector, and no
			// removed document is ever returned.
			for _, c := range allChunks(step.docs) {
				ps, err := s.Search(context.Background(), rawVector(c.Text, 8), 1, nil)
				if err != nil {
					t.Fatalf("Search: %v", err)
				}
				if len(ps) != 1 || ps[0].ID != c.ID || math.Abs(ps[0].Score-1) > 1e-5 {
					t.Errorf("Search(text of %s) = %+v, want it with score 1", c.ID, ps)
				}
			}
			for _, g := range step.gone {
				ps, err := s.Search(context.Background(), rawVector(g+" chunk 0 v1", 8), 100, nil)
				if err != nil {
					t.Fatalf("Search: %v", err)
				}
				for _, p := range ps {
					if p.Doc == g {
						t.Errorf("removed document %s still returned: %s", g, p.ID)
					}
				}
			}
		})
	}
}

// chunkDiff describes how got differs from want, "" if equal.
func chunkDiff(got, want []rag.Chunk) string {
	if len(got) == 0 && len(want) == 0 {
		return ""
	}
	if reflect.DeepEqual(got, want) {
		return ""
	}
	return fmt.Sprintf("got %d chunks %v\nwant %d chunks %v", len(got), idsOf(got), len(want), idsOf(want))
}

// idsOf lists the chunk IDs of chunks or passages.
func idsOf[T rag.Chunk | rag.Passage](xs []T) []string {
	ids := make([]string, len(xs))
	for i, x := range xs {
		switch v := any(x).(type) {
		case rag.Chunk:
			ids[i] = v.ID
		case rag.Passage:
			ids[i] = v.ID
		}
	}
	return ids
}

func TestOpenOtherEmbedder(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{makeDoc("a", 3, "v1"), makeDoc("b", 2, "v1")}
	mustSync(t, mustOpen(t, dir, newFake("old-8", 8)), docs)

	s := mustOpen(t, dir, newFake("new-16", 16))
	old, rebuilt := s.Rebuilt()
	if !rebuilt || old != "old-8" {
		t.Fatalf("Rebuilt() = %q, %v; want \"old-8\", true", old, rebuilt)
	}
	if s.Len() != 0 || len(s.Chunks()) != 0 {
		t.Fatalf("rebuilt index holds %d chunks, want 0", s.Len())
	}
	if s.EmbedderID() != "new-16" {
		t.Errorf("EmbedderID = %q", s.EmbedderID())
	}
	st := mustSync(t, s, docs)
	if st.Added != 2 || st.Embedded != 5 {
		t.Errorf("Stats after rebuild = %+v, want 2 added, 5 embedded", st)
	}

	// A fresh Store sees only new-16 vectors: 16-dimensional queries work for
	// every chunk (an 8-dimensional leftover would make chromem fail).
	s2 := mustOpen(t, dir, newFake("new-16", 16))
	if _, rebuilt := s2.Rebuilt(); rebuilt {
		t.Error("reopen with the same embedder reported a rebuild")
	}
	ps, err := s2.Search(context.Background(), rawVector("a chunk 0 v1", 16), 10, nil)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if len(ps) != 5 || ps[0].ID != "a#0" {
		t.Errorf("Search after rebuild = %v, want 5 results led by a#0", idsOf(ps))
	}
	if _, err := s2.Search(context.Background(), rawVector("a chunk 0 v1", 8), 10, nil); err == nil {
		t.Error("Search with an old-dimension vector succeeded")
	}
}

func TestOpenUnreadable(t *testing.T) {
	valid := validSnapshot(t)
	otherDB := chromem.NewDB()
	if _, err := otherDB.CreateCollection("x", nil, noEmbedding); err != nil {
		t.Fatal(err)
	}
	var foreign bytes.Buffer
	if err := otherDB.ExportToWriter(&foreign, false, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"garbage", []byte("this is not a chromem snapshot at all \x00\x01\x02")},
		{"empty", nil},
		{"truncated", valid[:len(valid)/2]},
		{"gzip magic then garbage", []byte{0x1f, 0x8b, 1, 2, 3, 4}},
		{"foreign chromem export", foreign.Bytes()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, SnapshotName)
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(context.Background(), dir, newFake("fake-8", 8), nil)
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Open error = %v, want one wrapping ErrUnreadable", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
		})
	}
}

// validSnapshot returns the bytes of a small good snapshot.
func validSnapshot(t testing.TB) []byte {
	dir := t.TempDir()
	s := mustOpen(t, dir, newFake("fake-8", 8))
	mustSync(t, s, []Doc{makeDoc("a", 3, "v1"), makeDoc("b", 2, "v1")})
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenCreatesDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "deep", "index")
	s := mustOpen(t, dir, newFake("fake-8", 8))
	if s.Path() != filepath.Join(dir, SnapshotName) {
		t.Errorf("Path = %q", s.Path())
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("Open did not create %s: %v", dir, err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of an empty dir wrote a snapshot: %v", err)
	}
	if _, rebuilt := s.Rebuilt(); rebuilt {
		t.Error("new index reported a rebuild")
	}
}

func TestSyncFailureKeepsSnapshot(t *testing.T) {
	docs := []Doc{makeDoc("a", 4, "v1"), makeDoc("b", 4, "v1")}
	changed := []Doc{makeDoc("a", 4, "v2"), makeDoc("b", 4, "v2"), makeDoc("c", 4, "v1")}

	tests := []struct {
		name    string
		setup   func(f *fakeEmbedder, cancel context.CancelFunc)
		wantErr error
	}{
		{"embedder fails half-way", func(f *fakeEmbedder, _ context.CancelFunc) { f.failOnCall = 3 }, errFakeEmbed},
		{"wrong dimension half-way", func(f *fakeEmbedder, _ context.CancelFunc) { f.badDimCall = 3 }, nil},
		{"cancelled half-way", func(f *fakeEmbedder, cancel context.CancelFunc) {
			f.onCall = func(n int32) {
				if n == 3 {
					cancel()
				}
			}
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := mustOpen(t, dir, newFake("fake-8", 8))
			mustSync(t, s, docs)
			before, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}

			fake := newFake("fake-8", 8)
			s = mustOpen(t, dir, fake)
			s.BatchSize, s.Concurrency = 2, 1
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tt.setup(fake, cancel)
			_, err = s.Sync(ctx, changed, nil)
			if err == nil {
				t.Fatal("Sync succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Sync error = %v, want %v", err, tt.wantErr)
			}
			if fake.calls.Load() > 4 {
				t.Errorf("embedder called %d times after the failure at call 3", fake.calls.Load())
			}

			after, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("snapshot changed after a failed Sync")
			}
			if diff := chunkDiff(s.Chunks(), allChunks(docs)); diff != "" {
				t.Errorf("in-memory index changed after a failed Sync: %s", diff)
			}
			if diff := chunkDiff(mustOpen(t, dir, newFake("fake-8", 8)).Chunks(), allChunks(docs)); diff != "" {
				t.Errorf("reloaded snapshot: %s", diff)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 2 || entries[0].Name() != SnapshotName || entries[1].Name() != SegmentName {
				t.Errorf("dir holds %v, want only the snapshot and its segment file", entries)
			}

			// The same Store recovers: a good Sync applies everything.
			fake.failOnCall, fake.badDimCall, fake.onCall = 0, 0, nil
			st, err := s.Sync(context.Background(), changed, nil)
			if err != nil {
				t.Fatalf("retry Sync: %v", err)
			}
			if st.Updated != 2 || st.Added != 1 || st.Embedded != 12 {
				t.Errorf("retry Stats = %+v", st)
			}
		})
	}
}

func TestSyncWrongDimensionNamesEmbedder(t *testing.T) {
	s := mustOpen(t, t.TempDir(), &fakeEmbedder{id: "shaky-8", dim: 8, badDimCall: 2})
	s.BatchSize = 2
	_, err := s.Sync(context.Background(), []Doc{makeDoc("a", 4, "v1")}, nil)
	if err == nil || !strings.Contains(err.Error(), `"shaky-8"`) || !strings.Contains(err.Error(), "dimensional") {
		t.Fatalf("Sync error = %v, want a dimension error naming the embedder", err)
	}

	// And a dimension that differs from the one on disk.
	dir := t.TempDir()
	mustSync(t, mustOpen(t, dir, newFake("liar", 8)), []Doc{makeDoc("a", 1, "v1")})
	s = mustOpen(t, dir, newFake("liar", 16))
	if _, err := s.Sync(context.Background(), []Doc{makeDoc("b", 1, "v1")}, nil); err == nil {
		t.Fatal("Sync mixing 8- and 16-dimensional vectors under one ID succeeded")
	}
}

// declaredDim is a fakeEmbedder that declares a dimension.
type declaredDim struct {
	*fakeEmbedder
	dim int
}

func (d declaredDim) Dim() int { return d.dim }

func TestSyncChecksDeclaredDimension(t *testing.T) {
	s := mustOpen(t, t.TempDir(), declaredDim{newFake("says-16", 8), 16})
	_, err := s.Sync(context.Background(), []Doc{makeDoc("a", 1, "v1")}, nil)
	if err == nil || !strings.Contains(err.Error(), "8-dimensional vector for chunk a#0, want 16") {
		t.Fatalf("Sync error = %v, want one about 8 vs 16 dimensions", err)
	}
	s = mustOpen(t, t.TempDir(), declaredDim{newFake("says-8", 8), 8})
	mustSync(t, s, []Doc{makeDoc("a", 1, "v1")})
}

// badEmbedder returns fixed vectors regardless of input.
type badEmbedder struct{ vecs [][]float32 }

func (b badEmbedder) ID() string { return "bad" }
func (b badEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	return b.vecs, nil
}

func TestSyncRejectsBadVectors(t *testing.T) {
	tests := []struct {
		name string
		vecs [][]float32
		want string
	}{
		{"zero vector", [][]float32{{0, 0, 0}}, "zero vector"},
		{"NaN", [][]float32{{float32(math.NaN()), 1, 0}}, "non-finite"},
		{"empty vector", [][]float32{{}}, "empty vector"},
		{"too few vectors", nil, "returned 0 vectors for 1 texts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, t.TempDir(), badEmbedder{tt.vecs})
			_, err := s.Sync(context.Background(), []Doc{makeDoc("a", 1, "v1")}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Sync error = %v, want it to mention %q", err, tt.want)
			}
			if s.Len() != 0 {
				t.Errorf("Len = %d after a failed Sync", s.Len())
			}
		})
	}
}

func TestSyncRejectsBadDocs(t *testing.T) {
	a := makeDoc("a", 2, "v1")
	wrongDoc := makeDoc("b", 1, "v1")
	wrongDoc.Chunks[0].Doc = "a"
	noChunkID := makeDoc("b", 1, "v1")
	noChunkID.Chunks[0].ID = ""
	sharedID := makeDoc("b", 1, "v1")
	sharedID.Chunks[0].ID = "a#0"
	tests := []struct {
		name string
		docs []Doc
		want string
	}{
		{"empty doc ID", []Doc{{ID: ""}}, "empty ID"},
		{"doc twice", []Doc{a, a}, "given twice"},
		{"chunk of another doc", []Doc{a, wrongDoc}, "belongs to document"},
		{"chunk without ID", []Doc{noChunkID}, "empty ID"},
		{"chunk ID shared", []Doc{a, sharedID}, "used twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake("fake-8", 8)
			s := mustOpen(t, t.TempDir(), fake)
			_, err := s.Sync(context.Background(), tt.docs, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Sync error = %v, want it to mention %q", err, tt.want)
			}
			if fake.calls.Load() != 0 {
				t.Errorf("embedder called for invalid input")
			}
		})
	}
}

func TestSyncProgress(t *testing.T) {
	s := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	s.BatchSize, s.Concurrency = 3, 3
	var (
		mu    sync.Mutex
		dones []int
	)
	_, err := s.Sync(context.Background(), []Doc{makeDoc("a", 7, "v1"), makeDoc("b", 4, "v1")}, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 11 {
			t.Errorf("progress total = %d, want 11", total)
		}
		dones = append(dones, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dones) != 4 || !slices.IsSorted(dones) || dones[len(dones)-1] != 11 {
		t.Errorf("progress done values = %v, want 4 increasing values ending at 11", dones)
	}
}

func TestSearch(t *testing.T) {
	docs := []Doc{makeDoc("a", 5, "v1"), makeDoc("b", 3, "v1"), makeDoc("c", 6, "v1"), makeDoc("d", 4, "v1"), makeDoc("e", 2, "v1")}
	s := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	mustSync(t, s, docs)
	query := rawVector("some question", 8)
	all := allChunks(docs)

	tests := []struct {
		name      string
		k         int
		docs      map[string]bool
		perDocMax int // 0: the default; -1: never per document
		wantLen   int
	}{
		{name: "top 3", k: 3, wantLen: 3},
		{name: "k equals Len", k: 20, wantLen: 20},
		{name: "k larger than Len", k: 1000, wantLen: 20},
		{name: "k zero", k: 0, wantLen: 0},
		{name: "k negative", k: -1, wantLen: 0},
		{name: "one doc", k: 4, docs: map[string]bool{"c": true}, wantLen: 4},
		{name: "one doc, k above its size", k: 10, docs: map[string]bool{"b": true}, wantLen: 3},
		{name: "one doc over-fetch", k: 4, docs: map[string]bool{"c": true}, perDocMax: -1, wantLen: 4},
		{name: "two docs per doc", k: 5, docs: map[string]bool{"a": true, "e": true}, perDocMax: 2, wantLen: 5},
		{name: "two docs over-fetch", k: 5, docs: map[string]bool{"a": true, "e": true}, wantLen: 5},
		{name: "three docs per doc", k: 6, docs: map[string]bool{"a": true, "b": true, "d": true}, perDocMax: 3, wantLen: 6},
		{name: "three docs over-fetch", k: 6, docs: map[string]bool{"a": true, "b": true, "d": true}, wantLen: 6},
		{name: "over-fetch all of them", k: 100, docs: map[string]bool{"a": true, "b": true, "d": true}, wantLen: 12},
		{name: "false entries ignored", k: 10, docs: map[string]bool{"a": true, "b": false}, wantLen: 5},
		{name: "every doc", k: 7, docs: map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true}, wantLen: 7},
		{name: "unknown doc", k: 5, docs: map[string]bool{"zzz": true}, wantLen: 0},
		{name: "empty filter matches nothing", k: 5, docs: map[string]bool{}, wantLen: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.perDocMax = defaultPerDocMax
			if tt.perDocMax != 0 {
				s.perDocMax = tt.perDocMax
			}
			got, err := s.Search(context.Background(), query, tt.k, tt.docs)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			want := bruteForce(all, query, tt.k, tt.docs)
			if len(want) != tt.wantLen {
				t.Fatalf("test case expects %d results, brute force gives %d", tt.wantLen, len(want))
			}
			if !slices.Equal(idsOf(got), idsOf(want)) {
				t.Errorf("Search = %v\nwant     %v", idsOf(got), idsOf(want))
			}
			for i := range got {
				if math.Abs(got[i].Score-want[i].Score) > 1e-5 {
					t.Errorf("score of %s = %v, want %v", got[i].ID, got[i].Score, want[i].Score)
				}
				if got[i].Chunk != want[i].Chunk {
					t.Errorf("chunk %s = %+v, want %+v", got[i].ID, got[i].Chunk, want[i].Chunk)
				}
			}
		})
	}
}

// bruteForce ranks chunks by exact cosine similarity to q.
func bruteForce(chunks []rag.Chunk, q []float32, k int, docs map[string]bool) []rag.Passage {
	var ps []rag.Passage
	for _, c := range chunks {
		if docs != nil && !docs[c.Doc] {
			continue
		}
		ps = append(ps, rag.Passage{Chunk: c, Score: cosine(q, rawVector(c.Text, len(q)))})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Score > ps[j].Score })
	return ps[:max(0, min(k, len(ps)))]
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func TestSearchEdgeCases(t *testing.T) {
	empty := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	ps, err := empty.Search(context.Background(), rawVector("q", 8), 5, nil)
	if ps != nil || err != nil {
		t.Errorf("Search of empty index = %v, %v; want nil, nil", ps, err)
	}
	// An empty index has no dimension yet, so any vector is fine.
	if ps, err := empty.Search(context.Background(), []float32{1}, 5, nil); ps != nil || err != nil {
		t.Errorf("Search of empty index with a short vector = %v, %v; want nil, nil", ps, err)
	}

	s := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	mustSync(t, s, []Doc{makeDoc("a", 3, "v1")})
	_, err = s.Search(context.Background(), rawVector("q", 5), 5, nil)
	if err == nil || !strings.Contains(err.Error(), "5 dimensions") || !strings.Contains(err.Error(), "has 8") {
		t.Errorf("wrong-dimension Search error = %v", err)
	}
	if ps, err := s.Search(context.Background(), make([]float32, 8), 5, nil); ps != nil || err != nil {
		t.Errorf("zero-vector Search = %v, %v; want nil, nil", ps, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, rawVector("q", 8), 5, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Search with a cancelled ctx = %v, want context.Canceled", err)
	}
}

func TestChunkRoundTrip(t *testing.T) {
	doc := Doc{ID: "002_中文", Chunks: []rag.Chunk{
		{ID: "002_中文#0", Doc: "002_中文", Pos: 0, Lang: "zh", Title: "上海合作组织成员国元首理事会会议在阿斯塔纳举行",
			Date: "2024-07-04", Source: "新华社", URL: "", Text: "上海合作组织成员国元首理事会第二十四次会议7月4日在阿斯塔纳举行。"},
		{ID: "002_中文#1", Doc: "002_中文", Pos: 1, Lang: "en", Title: "SCO summit in Astana", Date: "",
			Source: "", URL: "https://example.org/a?b=c&d=\"e\"", Text: "Line one.\n\nLine two with  spaces\tand tabs."},
		{ID: "002_中文#2", Doc: "002_中文", Pos: 2, Lang: "", Title: "", Date: "2024", Source: "x", URL: "", Text: " "},
	}}
	dir := t.TempDir()
	s := mustOpen(t, dir, newFake("fake-8", 8))
	// Given out of order: Chunks must come back ordered by Pos.
	given := Doc{ID: doc.ID, Chunks: []rag.Chunk{doc.Chunks[2], doc.Chunks[0], doc.Chunks[1]}}
	mustSync(t, s, []Doc{given})

	for name, st := range map[string]*Store{"same store": s, "reopened": mustOpen(t, dir, newFake("fake-8", 8))} {
		t.Run(name, func(t *testing.T) {
			if diff := chunkDiff(st.Chunks(), doc.Chunks); diff != "" {
				t.Errorf("Chunks: %s", diff)
			}
			for _, c := range doc.Chunks {
				ps, err := st.Search(context.Background(), rawVector(c.Text, 8), 1, map[string]bool{doc.ID: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(ps) != 1 || ps[0].Chunk != c {
					t.Errorf("Search found %+v, want %+v", ps, c)
				}
			}
		})
	}
}

func TestConcurrentSearchDuringSync(t *testing.T) {
	s := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	s.BatchSize = 2
	v1 := []Doc{makeDoc("a", 6, "v1"), makeDoc("b", 6, "v1")}
	v2 := []Doc{makeDoc("a", 6, "v2"), makeDoc("b", 6, "v2")}
	mustSync(t, s, v1)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				ps, err := s.Search(ctx, rawVector("q", 8), 12, nil)
				if err != nil && ctx.Err() == nil {
					t.Errorf("Search: %v", err)
					return
				}
				// Never half a Sync: all 12 chunks of one version or the other.
				if err == nil && len(ps) != 12 {
					t.Errorf("Search returned %d chunks mid-Sync, want 12", len(ps))
					return
				}
				_ = s.Chunks()
			}
		})
	}
	for i := range 10 {
		docs := v1
		if i%2 == 0 {
			docs = v2
		}
		mustSync(t, s, docs)
	}
	cancel()
	wg.Wait()
}

func TestContentHash(t *testing.T) {
	base := makeDoc("a", 2, "v1").Chunks
	h := contentHash("e", base)
	mutations := map[string]func(c *rag.Chunk){
		"id":     func(c *rag.Chunk) { c.ID += "x" },
		"doc":    func(c *rag.Chunk) { c.Doc += "x" },
		"pos":    func(c *rag.Chunk) { c.Pos++ },
		"lang":   func(c *rag.Chunk) { c.Lang += "x" },
		"title":  func(c *rag.Chunk) { c.Title += "x" },
		"date":   func(c *rag.Chunk) { c.Date += "x" },
		"source": func(c *rag.Chunk) { c.Source += "x" },
		"url":    func(c *rag.Chunk) { c.URL += "x" },
		"text":   func(c *rag.Chunk) { c.Text += "x" },
		"field boundary": func(c *rag.Chunk) {
			c.Title, c.Date = c.Title+c.Date[:1], c.Date[1:]
		},
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			cs := slices.Clone(base)
			mutate(&cs[1])
			if contentHash("e", cs) == h {
				t.Errorf("changing %s left the hash unchanged", name)
			}
		})
	}
	if contentHash("f", base) == h {
		t.Error("changing the embedder ID left the hash unchanged")
	}
	if contentHash("e", base[:1]) == h {
		t.Error("dropping a chunk left the hash unchanged")
	}
	if contentHash("e", slices.Clone(base)) != h {
		t.Error("hash is not deterministic")
	}
}

// TestSearchOverFetchWidens filters on the documents whose best chunk is least
// like the query, so the first over-fetch finds none of their chunks and must
// widen.
func TestSearchOverFetchWidens(t *testing.T) {
	var docs []Doc
	for i := range 50 {
		docs = append(docs, makeDoc(fmt.Sprintf("d%02d", i), 4, "v1"))
	}
	s := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	mustSync(t, s, docs)
	query := rawVector("question", 8)
	ranked := bruteForce(allChunks(docs), query, 200, nil)
	var byBest []string // document IDs in order of their best chunk's rank
	for _, p := range ranked {
		if !slices.Contains(byBest, p.Doc) {
			byBest = append(byBest, p.Doc)
		}
	}
	filter := map[string]bool{}
	for _, id := range byBest[40:] {
		filter[id] = true
	}
	for _, k := range []int{1, 2, 5} {
		got, err := s.Search(context.Background(), query, k, filter)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteForce(allChunks(docs), query, k, filter)
		if !slices.Equal(idsOf(got), idsOf(want)) {
			t.Errorf("k=%d: Search = %v, want %v", k, idsOf(got), idsOf(want))
		}
	}
}

// TestSnapshotIsPlainChromem checks the snapshot is one ordinary chromem-go
// export that carries its own manifest.
func TestSnapshotIsPlainChromem(t *testing.T) {
	s := mustOpen(t, t.TempDir(), newFake("fake-8", 8))
	mustSync(t, s, []Doc{makeDoc("a", 3, "v1"), {ID: "empty"}})
	db := chromem.NewDB()
	if err := db.ImportFromFile(s.Path(), ""); err != nil {
		t.Fatalf("chromem cannot import the snapshot: %v", err)
	}
	if c := db.GetCollection(chunksCollection, noEmbedding); c == nil || c.Count() != 3 {
		t.Fatalf("chunk collection missing or wrong size")
	}
	m, err := db.GetCollection(manifestCollection, noEmbedding).GetByID(context.Background(), manifestDocID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"format":1`, `"embedder":"fake-8"`, `"dim":8`, `"empty":{`, `"a#2"`} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("manifest %s lacks %s", m.Content, want)
		}
	}
}

func TestDocWithoutChunks(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{{ID: "empty"}, makeDoc("a", 1, "v1")}
	st := mustSync(t, mustOpen(t, dir, newFake("fake-8", 8)), docs)
	if st.Added != 2 || st.Chunks != 1 {
		t.Errorf("first Stats = %+v", st)
	}
	st = mustSync(t, mustOpen(t, dir, newFake("fake-8", 8)), docs)
	if st.Unchanged != 2 || st.Embedded != 0 {
		t.Errorf("Stats after reopen = %+v, want 2 unchanged", st)
	}
}

// TestSaveFailureRetried makes the snapshot unwritable: Sync reports the
// error, the old snapshot survives, and the next Sync saves even though
// nothing changed since.
func TestSaveFailureRetried(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "index")
	v1, v2 := []Doc{makeDoc("a", 2, "v1")}, []Doc{makeDoc("a", 2, "v2")}
	s := mustOpen(t, dir, newFake("fake-8", 8))
	mustSync(t, s, v1)

	// Swap the directory for a file so no temporary snapshot can be created.
	if err := os.Rename(dir, dir+".away"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(context.Background(), v2, nil); err == nil || !strings.Contains(err.Error(), "couldn't save index") {
		t.Fatalf("Sync error = %v, want a save error", err)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dir+".away", dir); err != nil {
		t.Fatal(err)
	}
	if diff := chunkDiff(mustOpen(t, dir, newFake("fake-8", 8)).Chunks(), allChunks(v1)); diff != "" {
		t.Fatalf("old snapshot damaged: %s", diff)
	}

	st := mustSync(t, s, v2)
	if st.Unchanged != 1 || st.Embedded != 0 {
		t.Errorf("retry Stats = %+v, want 1 unchanged", st)
	}
	if diff := chunkDiff(mustOpen(t, dir, newFake("fake-8", 8)).Chunks(), allChunks(v2)); diff != "" {
		t.Errorf("retry did not save: %s", diff)
	}
}

func TestNotesLastUntilTheIndexChanges(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	emb := newFake("fake", 8)
	s := mustOpen(t, dir, emb)
	docs := []Doc{makeDoc("a", 2, "v1"), makeDoc("b", 2, "v1")}
	mustSync(t, s, docs)
	before, err := os.ReadFile(filepath.Join(dir, SnapshotName))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetNotes(map[string]float64{"vector_share": 0.5}); err != nil {
		t.Fatal(err)
	}
	// Beside the snapshot, which is not written again.
	if after, _ := os.ReadFile(filepath.Join(dir, SnapshotName)); !bytes.Equal(before, after) {
		t.Error("SetNotes rewrote the snapshot")
	}
	// Kept in the snapshot.
	s2 := mustOpen(t, dir, emb)
	if v, ok := s2.Note("vector_share"); !ok || v != 0.5 {
		t.Fatalf("after reopening: note %v %v, want 0.5", v, ok)
	}
	// An unchanged Sync keeps it; a change forgets it.
	if _, err := s2.Sync(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := s2.Note("vector_share"); !ok {
		t.Error("an unchanged Sync should keep the notes")
	}
	if _, err := s2.Sync(ctx, docs[:1], nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := s2.Note("vector_share"); ok {
		t.Error("a Sync that changes the index should forget its notes")
	}
	if _, ok := mustOpen(t, dir, emb).Note("vector_share"); ok {
		t.Error("reopened after a change, the index should not find the old notes")
	}
}
