package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/vecscan"
)

// sparseFake is fakeEmbedder with all but every eighth component zeroed,
// so the store keeps its vectors as sparse rows.
type sparseFake struct{ *fakeEmbedder }

func (f sparseFake) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out, err := f.fakeEmbedder.Embed(ctx, texts)
	for _, v := range out {
		for i := range v {
			if i%8 != len(v)%8 {
				v[i] = 0
			}
		}
	}
	return out, err
}

// segDocs is a corpus of a few documents, one of them without chunks.
func segDocs() []Doc {
	return []Doc{makeDoc("a", 5, "v1"), makeDoc("b", 3, "v1"), makeDoc("c", 40, "v1"), {ID: "empty"}, makeDoc("中文", 4, "v1")}
}

// vectorsOf returns every vector of s by chunk ID, as EachVector hands them.
func vectorsOf(t *testing.T, s *Store) map[string][]float32 {
	t.Helper()
	out := map[string][]float32{}
	if _, _, err := s.EachVector(context.Background(), func(c rag.Chunk, v []float32) error {
		out[c.ID] = v
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// fromSegment reports whether s was opened from its segment file and has
// not loaded the snapshot since.
func fromSegment(s *Store) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.db == nil
}

// TestSegmentRoundTrip: a store opened from its segment file has the
// chunks and vectors of the store that wrote it, without reading the
// snapshot, and the packed scan over it finds what chromem-go finds.
func TestSegmentRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		emb  Embedder
		form string
	}{
		{"dense", newFake("fake-16", 16), "dense"},
		{"sparse", sparseFake{newFake("sparse-64", 64)}, "sparse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			built := mustOpen(t, dir, tc.emb)
			mustSync(t, built, segDocs())

			s := mustOpen(t, dir, tc.emb)
			if !fromSegment(s) {
				t.Fatal("Open read the snapshot although the segment file matches it")
			}
			if diff := chunkDiff(s.Chunks(), built.Chunks()); diff != "" {
				t.Fatalf("chunks: %s", diff)
			}
			if s.ContentSig() != built.ContentSig() || s.Len() != built.Len() {
				t.Errorf("signature %s (%d chunks), want %s (%d)", s.ContentSig(), s.Len(), built.ContentSig(), built.Len())
			}
			if got, want := vectorsOf(t, s), vectorsOf(t, built); !reflect.DeepEqual(got, want) {
				t.Error("vectors differ from the store that wrote the segment")
			}
			rows, ok, err := s.Rows(ctx)
			if err != nil || !ok {
				t.Fatalf("Rows: %v, %v", ok, err)
			}
			if (rows.Inverted != nil) != (tc.form == "sparse") {
				t.Errorf("rows read from the segment inverted: %v; want them for the sparse form only", rows.Inverted != nil)
			}
			x := vecscan.New(s, 2)
			if form, err := x.Form(ctx); err != nil || form != tc.form {
				t.Errorf("packed form %q, %v; want %q", form, err, tc.form)
			}
			if !fromSegment(s) {
				t.Error("packing the vectors read the snapshot")
			}
			for i := range 10 {
				q := rawVector(fmt.Sprint("question ", i), s.dim)
				got, err := x.Search(ctx, q, 7, nil)
				if err != nil {
					t.Fatal(err)
				}
				want, err := s.Search(ctx, q, 7, nil) // chromem-go, loaded on demand
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("query %d: packed scan %v, chromem-go %v", i, idsOf(got), idsOf(want))
				}
			}
			if fromSegment(s) {
				t.Error("chromem-go's Search did not load the snapshot")
			}
		})
	}
}

// TestSegmentFallback: a segment file that is damaged, cut short, of
// another version or made from another snapshot is ignored: the store
// loads the snapshot, its chunks and search are right, and the segment
// file is written again for the next start.
func TestSegmentFallback(t *testing.T) {
	emb := newFake("fake-8", 8)
	tests := []struct {
		name   string
		damage func(t *testing.T, dir, seg string, good []byte)
	}{
		{"corrupt byte", func(t *testing.T, _, seg string, good []byte) {
			b := slices.Clone(good)
			b[len(b)/2] ^= 0x20
			write(t, seg, b)
		}},
		{"truncated", func(t *testing.T, _, seg string, good []byte) { write(t, seg, good[:len(good)-7]) }},
		{"wrong version", func(t *testing.T, _, seg string, good []byte) {
			b := slices.Clone(good)
			b[8]++ // the version follows the 8-byte magic
			write(t, seg, b)
		}},
		{"stale", func(t *testing.T, dir, seg string, _ []byte) {
			// The segment of an earlier snapshot, left behind by a save
			// that wrote the snapshot but died before the segment.
			s := mustOpen(t, dir, emb)
			s.logShare = 0 // every Sync writes a new snapshot
			old, err := os.ReadFile(seg)
			if err != nil {
				t.Fatal(err)
			}
			mustSync(t, s, append(segDocs(), makeDoc("late", 2, "v1")))
			mustSync(t, s, segDocs())
			write(t, seg, old)
		}},
		{"snapshot touched, no checksum", func(t *testing.T, dir, seg string, _ []byte) {
			// A segment file written before the snapshot's checksum was
			// recorded: the time alone tells.
			editSegmentMeta(t, seg, func(m *segMeta) { m.SnapshotSum = "" })
			touch(t, filepath.Join(dir, SnapshotName))
		}},
		{"snapshot touched, a byte changed", func(t *testing.T, dir, _ string, _ []byte) {
			flipSnapshotByte(t, filepath.Join(dir, SnapshotName))
		}},
		{"missing", func(t *testing.T, _, seg string, _ []byte) {
			if err := os.Remove(seg); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			built := mustOpen(t, dir, emb)
			mustSync(t, built, segDocs())
			seg := built.segmentPath()
			good, err := os.ReadFile(seg)
			if err != nil {
				t.Fatal(err)
			}
			tt.damage(t, dir, seg, good)

			s := mustOpen(t, dir, emb)
			if fromSegment(s) {
				t.Fatal("Open took the index from a segment file it should have ignored")
			}
			if diff := chunkDiff(s.Chunks(), allChunks(segDocs())); diff != "" {
				t.Fatalf("chunks: %s", diff)
			}
			q := rawVector("question", 8)
			got, err := vecscan.New(s, 1).Search(context.Background(), q, 5, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteForce(allChunks(segDocs()), q, 5, nil); !slices.Equal(idsOf(got), idsOf(want)) {
				t.Errorf("search = %v, want %v", idsOf(got), idsOf(want))
			}
			if again := mustOpen(t, dir, emb); !fromSegment(again) {
				t.Error("the segment file was not written again")
			}
		})
	}
}

// touch sets the modification time of the file at path an hour ahead.
func touch(t *testing.T, path string) {
	t.Helper()
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
}

// flipSnapshotByte changes a digit of the time of the save that the
// snapshot at path records in its manifest (its size, its being readable
// and the index it holds unchanged) and touches it: the snapshot of
// another save of the same content.
func flipSnapshotByte(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(b, []byte(`"saved":`))
	if i < 0 {
		t.Fatal("no time of save in the snapshot")
	}
	b[i+len(`"saved":`)+3] ^= 1 // a digit stays a digit
	write(t, path, b)
	touch(t, path)
}

// editSegmentMeta rewrites the segment file at path with its meta section
// changed by edit.
func editSegmentMeta(t *testing.T, path string, edit func(*segMeta)) {
	t.Helper()
	f, err := segfile.Read(path, segmentVersion)
	if err != nil {
		t.Fatal(err)
	}
	var sections []segfile.Section
	for _, name := range f.Names() {
		b, _ := f.Section(name)
		if name == secMeta {
			var m segMeta
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			edit(&m)
			if b, err = json.Marshal(m); err != nil {
				t.Fatal(err)
			}
		}
		b = slices.Clone(b)
		sections = append(sections, segfile.Section{Name: name, Write: func(w io.Writer) error { _, err := w.Write(b); return err }})
	}
	f.Close()
	if err := segfile.WriteFile(path, segmentVersion, sections); err != nil {
		t.Fatal(err)
	}
}

// segMetaOf reads the meta section of the segment file at path.
func segMetaOf(t *testing.T, path string) segMeta {
	t.Helper()
	f, err := segfile.Read(path, segmentVersion)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := f.Section(secMeta)
	var m segMeta
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// copyDir copies every file of the folder src into a new folder, as cp -r
// does: the copies have new modification times. It returns the new folder.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dst, e.Name()), b)
	}
	// On a file system with coarse times, the copy could keep the time.
	from, err := os.Stat(filepath.Join(src, SnapshotName))
	if err != nil {
		t.Fatal(err)
	}
	if to, err := os.Stat(filepath.Join(dst, SnapshotName)); err != nil || to.ModTime().Equal(from.ModTime()) {
		touch(t, filepath.Join(dst, SnapshotName))
	}
	return dst
}

// copiedMsg is what the store logs when it tells a snapshot by its checksum.
const copiedMsg = "its content is unchanged"

// TestSegmentSnapshotCopied: a snapshot whose time changed but not its
// bytes (touched, or the folder copied without times) is told by its
// checksum: Open takes the index from the segment file, says so at Info
// level, and writes the segment again with the new time, so that the
// next Open takes it by its time, saying nothing.
func TestSegmentSnapshotCopied(t *testing.T) {
	emb := sparseFake{newFake("sparse-64", 64)}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string) string
	}{
		{"touched", func(t *testing.T, dir string) string { touch(t, filepath.Join(dir, SnapshotName)); return dir }},
		{"copied", copyDir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			built := mustOpen(t, dir, emb)
			mustSync(t, built, segDocs())
			if m := segMetaOf(t, built.segmentPath()); !strings.HasPrefix(m.SnapshotSum, sumPrefix) {
				t.Fatalf("the segment recorded the snapshot's checksum %q", m.SnapshotSum)
			}
			dir = tc.change(t, dir)

			s, logs := openLogging(t, dir, emb)
			if !fromSegment(s) {
				t.Fatal("Open read the snapshot although only its time changed")
			}
			if !strings.Contains(logs, "level=INFO") || !strings.Contains(logs, copiedMsg) {
				t.Errorf("Open logged %q, want the snapshot told by its checksum at Info level", logs)
			}
			sameIndex(t, s, built)
			fi, err := os.Stat(filepath.Join(dir, SnapshotName))
			if err != nil {
				t.Fatal(err)
			}
			if m := segMetaOf(t, filepath.Join(dir, SegmentName)); m.SnapshotModTime != fi.ModTime().UnixNano() {
				t.Error("the segment file was not written again with the snapshot's new time")
			}
			again, logs := openLogging(t, dir, emb)
			if !fromSegment(again) || logs != "" {
				t.Errorf("reopened from the segment: %v, logging %q; want it, silently", fromSegment(again), logs)
			}
		})
	}
}

// TestSegmentSnapshotSum: the checksum the segment file records is the
// snapshot file's, as written by a save and as read back.
func TestSegmentSnapshotSum(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, newFake("fake-8", 8))
	mustSync(t, s, segDocs())
	got := segMetaOf(t, s.segmentPath()).SnapshotSum
	want, err := fileSum(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("segment records %q, the snapshot's checksum is %q", got, want)
	}
}

// write replaces the file at path with b.
func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSegmentLazySync: a store opened from its segment file syncs an
// unchanged corpus without reading the snapshot, and reads it once for
// searches racing a Sync that changes something; the change is saved (in
// the change log) and reopens from the segment file with it.
func TestSegmentLazySync(t *testing.T) {
	ctx := context.Background()
	emb := newFake("fake-8", 8)
	dir := t.TempDir()
	mustSync(t, mustOpen(t, dir, emb), segDocs())

	s := mustOpen(t, dir, emb)
	if st := mustSync(t, s, segDocs()); st.Unchanged != len(segDocs()) || !fromSegment(s) {
		t.Fatalf("unchanged Sync: %+v, snapshot read: %v", st, !fromSegment(s))
	}
	changed := segDocs()
	changed[1] = makeDoc("b", 4, "v2")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := s.Search(ctx, rawVector("q", 8), 3, nil); err != nil {
				t.Error(err)
			}
		})
	}
	st, err := s.Sync(ctx, changed, nil)
	wg.Wait()
	if err != nil || st.Updated != 1 || st.Embedded != 4 {
		t.Fatalf("Sync = %+v, %v; want one document updated, 4 chunks embedded", st, err)
	}
	if fromSegment(s) {
		t.Error("the searches did not load the snapshot")
	}
	if diff := chunkDiff(s.Chunks(), allChunks(changed)); diff != "" {
		t.Fatalf("after Sync: %s", diff)
	}
	again := mustOpen(t, dir, emb)
	if !fromSegment(again) {
		t.Error("not reopened from the segment file")
	}
	if diff := chunkDiff(again.Chunks(), allChunks(changed)); diff != "" {
		t.Errorf("reopened from the segment file: %s", diff)
	}
	if got, want := vectorsOf(t, again), vectorsOf(t, s); !reflect.DeepEqual(got, want) {
		t.Error("reopened vectors differ")
	}
	snap := mustOpen(t, dir, emb)
	if err := snap.ensureDB(); err != nil {
		t.Fatal(err)
	}
	if got, want := vectorsOf(t, snap), vectorsOf(t, s); !reflect.DeepEqual(got, want) {
		t.Error("the snapshot's vectors differ from the segment's")
	}
}

// TestSegmentSnapshotGone: a store whose snapshot disappears (opened from
// its segment file, or having written it) searches with chromem-go filled
// from its rows, as it would have from the snapshot.
func TestSegmentSnapshotGone(t *testing.T) {
	emb := newFake("fake-8", 8)
	q := rawVector("q", 8)
	ref := mustOpen(t, "", emb)
	mustSync(t, ref, segDocs())
	want, err := ref.Search(context.Background(), q, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	built := mustOpen(t, dir, emb)
	mustSync(t, built, segDocs())
	opened := mustOpen(t, dir, emb)
	if err := os.Remove(opened.Path()); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Store{"built": built, "opened": opened} {
		got, err := s.Search(context.Background(), q, 3, nil)
		if err != nil {
			t.Fatalf("%s: Search = %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Search = %v, want %v", name, idsOf(got), idsOf(want))
		}
	}
}

// TestRowsFollowSync: after a Sync that adds, updates and removes
// documents, the rows the store derives from the rows before it are the
// rows gathered from chromem-go afresh, sparse or dense.
func TestRowsFollowSync(t *testing.T) {
	for _, emb := range []Embedder{newFake("fake-16", 16), sparseFake{newFake("sparse-64", 64)}} {
		t.Run(emb.ID(), func(t *testing.T) {
			var logs bytes.Buffer
			s, err := Open(context.Background(), t.TempDir(), emb, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			if err != nil {
				t.Fatal(err)
			}
			mustSync(t, s, segDocs())
			logs.Reset()
			changed := segDocs()[1:]
			changed[0] = makeDoc("b", 6, "v2")
			changed = append(changed, makeDoc("new", 3, "v1"))
			mustSync(t, s, changed)
			if strings.Contains(logs.String(), "reading the vectors from chromem-go") {
				t.Error("the Sync read every vector from chromem-go again")
			}
			if err := s.ensureDB(); err != nil { // chromem-go from the snapshot the Sync wrote
				t.Fatal(err)
			}
			s.mu.RLock()
			defer s.mu.RUnlock()
			if s.rows == nil || s.rows.Gen != s.gen {
				t.Fatal("no rows at hand after the Sync")
			}
			fresh, err := s.gatherRows(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.rows, fresh) {
				t.Error("rows derived at the commit differ from the rows gathered from chromem-go")
			}
		})
	}
}

// TestSaveKeepsRowsInverted: the sparse rows a save inverts for the
// segment file are handed to the packed scan inverted, so it does not
// invert them a second time.
func TestSaveKeepsRowsInverted(t *testing.T) {
	s := mustOpen(t, t.TempDir(), sparseFake{newFake("sparse-64", 64)})
	mustSync(t, s, segDocs())
	r, ok, err := s.Rows(context.Background())
	if err != nil || !ok {
		t.Fatalf("Rows = %v, %v", ok, err)
	}
	if r.Inverted == nil {
		t.Fatal("the rows after a save are not inverted")
	}
	want, err := vecscan.Invert(vecscan.Rows{Dim: r.Dim, Chunks: r.Chunks, Start: r.Start, Idx: r.Idx, Vals: r.Vals})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*r.Inverted, want) {
		t.Error("the inverted rows kept are not the rows inverted")
	}
}
