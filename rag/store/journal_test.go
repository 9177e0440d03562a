package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scobot/scobot/internal/framelog"
	"github.com/scobot/scobot/rag/vecscan"
)

// corpusOf returns n documents of perDoc chunks each, named d000, d001, …
func corpusOf(n, perDoc int) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = makeDoc(fmt.Sprintf("d%03d", i), perDoc, "v1")
	}
	return docs
}

// fileSizes returns the size of every file in dir by name.
func fileSizes(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fi.Size()
	}
	return out
}

// countWrites makes s count the bytes it writes to disk (whole files and
// appends) into the returned counter.
func countWrites(s *Store) *int64 {
	var n int64
	write, appendTo := s.write, s.appendAt
	s.write = func(path string, fn func(io.Writer) error) error {
		return write(path, func(w io.Writer) error { return fn(&countingWriter{w, &n}) })
	}
	s.appendAt = func(path string, off int64, rec []byte) error {
		n += int64(len(rec))
		return appendTo(path, off, rec)
	}
	return &n
}

type countingWriter struct {
	w io.Writer
	n *int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// TestLogAppendIsSmall: adding or editing one report writes that report's
// chunks and vectors to the change log, the same number of bytes whatever
// the size of the index, and leaves the snapshot and segment file alone.
func TestLogAppendIsSmall(t *testing.T) {
	emb := sparseFake{newFake("sparse-256", 256)}
	grow := map[int][2]int64{} // index size → bytes written by the second and third change
	for _, n := range []int{50, 500} {
		dir := t.TempDir()
		docs := corpusOf(n, 4)
		s := mustOpen(t, dir, emb)
		mustSync(t, s, docs)
		before := fileSizes(t, dir)
		snapBefore, _ := os.ReadFile(s.Path())

		written := countWrites(s)
		docs = append(docs, makeDoc("new", 4, "v1"))
		if st := mustSync(t, s, docs); st.Added != 1 {
			t.Fatalf("Stats = %+v", st)
		}
		*written = 0
		docs = append(docs, makeDoc("newer", 4, "v1"))
		mustSync(t, s, docs)
		second := *written
		*written = 0
		docs[0] = makeDoc(docs[0].ID, 4, "v2") // an edit
		mustSync(t, s, docs)
		grow[n] = [2]int64{second, *written}

		after := fileSizes(t, dir)
		if snapAfter, _ := os.ReadFile(s.Path()); !bytes.Equal(snapBefore, snapAfter) {
			t.Errorf("n=%d: the snapshot was written again", n)
		}
		if after[SegmentName] != before[SegmentName] {
			t.Errorf("n=%d: the segment file changed size: %d → %d", n, before[SegmentName], after[SegmentName])
		}
		if after[LogName] == 0 || after[LogName] > 4<<10 {
			t.Errorf("n=%d: log of %d bytes after three one-report changes, want a few kilobytes", n, after[LogName])
		}
		t.Logf("n=%d: snapshot %d B, segment %d B, log %d B after 3 changes; change 2 wrote %d B, change 3 %d B",
			n, after[SnapshotName], after[SegmentName], after[LogName], grow[n][0], grow[n][1])
	}
	if grow[50] != grow[500] {
		t.Errorf("bytes written by one change: %v at 50 documents, %v at 500; want the same", grow[50], grow[500])
	}
}

// openLogging opens the store in dir and returns it with what it logged
// at Info level and above.
func openLogging(t *testing.T, dir string, emb Embedder) (*Store, string) {
	t.Helper()
	var logs bytes.Buffer
	s, err := Open(context.Background(), dir, emb, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s, logs.String()
}

// opensCleanTo checks that the store in dir opens, logging nothing at
// Info level or above, to the index of docs.
func opensCleanTo(t *testing.T, dir string, emb Embedder, docs []Doc) {
	t.Helper()
	got, logs := openLogging(t, dir, emb)
	sameIndex(t, got, reference(t, emb, docs))
	if logs != "" {
		t.Errorf("opening logged %q", logs)
	}
}

// reference returns a store built from scratch, in memory, over docs.
func reference(t *testing.T, emb Embedder, docs []Doc) *Store {
	t.Helper()
	s := mustOpen(t, "", emb)
	mustSync(t, s, docs)
	return s
}

// sameIndex checks that got holds what want holds: chunks, vectors,
// content signature, and the same results from chromem-go's search and
// from the packed scan.
func sameIndex(t *testing.T, got, want *Store) {
	t.Helper()
	if diff := chunkDiff(got.Chunks(), want.Chunks()); diff != "" {
		t.Fatalf("chunks: %s", diff)
	}
	if g, w := got.ContentSig(), want.ContentSig(); g != w {
		t.Errorf("content signature %s, want %s", g, w)
	}
	if g, w := vectorsOf(t, got), vectorsOf(t, want); !reflect.DeepEqual(g, w) {
		t.Error("vectors differ")
	}
	ctx := context.Background()
	for _, q := range []string{"question", "d001 chunk 2 v2", "new chunk 1 v1"} {
		qv := rawVector(q, got.dim)
		wantRes, err := want.Search(ctx, qv, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		packed, err := vecscan.New(got, 1).Search(ctx, qv, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(idsOf(packed), idsOf(wantRes)) {
			t.Errorf("packed scan for %q = %v, want %v", q, idsOf(packed), idsOf(wantRes))
		}
		gotRes, err := got.Search(ctx, qv, 5, nil) // chromem-go, the reference search
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(idsOf(gotRes), idsOf(wantRes)) {
			t.Errorf("search for %q = %v, want %v", q, idsOf(gotRes), idsOf(wantRes))
		}
	}
}

// logChanges applies to a built index of docs an addition, an edit and a
// removal, one Sync each, and returns the corpus after each of them.
func logChanges(t *testing.T, s *Store, docs []Doc) [][]Doc {
	t.Helper()
	added := append(slices.Clone(docs), makeDoc("new", 3, "v1"))
	edited := slices.Clone(added)
	edited[1] = makeDoc(edited[1].ID, 5, "v2")
	removed := slices.Delete(slices.Clone(edited), 2, 3)
	steps := [][]Doc{added, edited, removed}
	for _, step := range steps {
		mustSync(t, s, step)
	}
	if _, err := os.Stat(s.logPath()); err != nil {
		t.Fatalf("the changes were not logged: %v", err)
	}
	return steps
}

// TestLogReplay: an index opened after changes appended to its log holds
// what an index built from scratch over the same corpus holds, opened
// from its segment file (chromem-go loaded later, the log replayed into
// it) or from its snapshot.
func TestLogReplay(t *testing.T) {
	for _, emb := range []Embedder{newFake("fake-16", 16), sparseFake{newFake("sparse-64", 64)}} {
		t.Run(emb.ID(), func(t *testing.T) {
			dir := t.TempDir()
			s := mustOpen(t, dir, emb)
			mustSync(t, s, corpusOf(30, 4))
			steps := logChanges(t, s, corpusOf(30, 4))
			want := reference(t, emb, steps[len(steps)-1])
			sameIndex(t, s, want)

			seg := mustOpen(t, dir, emb)
			if !fromSegment(seg) {
				t.Fatal("not opened from the segment file")
			}
			sameIndex(t, seg, want)

			if err := os.Remove(seg.segmentPath()); err != nil {
				t.Fatal(err)
			}
			snap := mustOpen(t, dir, emb)
			if fromSegment(snap) {
				t.Fatal("opened from a segment file that is gone")
			}
			sameIndex(t, snap, want)
			// The segment written again is the snapshot's: the log still
			// applies over it.
			sameIndex(t, mustOpen(t, dir, emb), want)
		})
	}
}

// withLog builds in dir an index of 20 documents (docs), then removes the
// first, which starts the change log.
func withLog(t *testing.T, dir string, emb Embedder) (s *Store, docs []Doc) {
	t.Helper()
	docs = corpusOf(20, 4)
	s = mustOpen(t, dir, emb)
	mustSync(t, s, docs)
	mustSync(t, s, docs[1:])
	return s, docs
}

// TestLogRemoval: removing a report appends a change that holds its ID
// only, and the reopened index lacks it.
func TestLogRemoval(t *testing.T) {
	emb := newFake("fake-16", 16)
	dir := t.TempDir()
	s, docs := withLog(t, dir, emb)
	written := countWrites(s)
	if st := mustSync(t, s, docs[2:]); st.Removed != 1 || st.Embedded != 0 {
		t.Fatalf("Stats = %+v", st)
	}
	if *written > 200 {
		t.Errorf("a removal wrote %d bytes, want a record of IDs and signatures", *written)
	}
	got := mustOpen(t, dir, emb)
	sameIndex(t, got, reference(t, emb, docs[2:]))
}

// TestLogSyncLeavesSnapshotUnread: a store opened from its segment file
// appends a change without loading the snapshot into chromem-go; what it
// then holds is what a reopened store holds.
func TestLogSyncLeavesSnapshotUnread(t *testing.T) {
	emb := newFake("fake-16", 16)
	dir := t.TempDir()
	_, docs := withLog(t, dir, emb)
	s := mustOpen(t, dir, emb)
	edited := slices.Clone(docs[1:])
	edited[0] = makeDoc(edited[0].ID, 2, "v2")
	if st := mustSync(t, s, edited); st.Updated != 1 {
		t.Fatalf("Stats = %+v", st)
	}
	if !fromSegment(s) {
		t.Error("a Sync appended to the change log loaded the snapshot")
	}
	want := reference(t, emb, edited)
	sameIndex(t, mustOpen(t, dir, emb), want)
	sameIndex(t, s, want) // chromem-go loaded now, the log replayed into it
}

// loggedStore returns a store built over base and synced with each of steps,
// and the size of its log after each step.
func loggedStore(t *testing.T, dir string, emb Embedder, base []Doc, steps [][]Doc) (*Store, []int64) {
	t.Helper()
	s := mustOpen(t, dir, emb)
	mustSync(t, s, base)
	var sizes []int64
	for _, step := range steps {
		mustSync(t, s, step)
		sizes = append(sizes, fileSizes(t, dir)[LogName])
	}
	return s, sizes
}

// TestLogEveryCut: a log cut at any byte of its last change (a crash
// mid-append) opens to the index before that change, and one holding all
// of it to the index after; garbage after the last change is ignored. The
// next Sync appends after what it could read.
func TestLogEveryCut(t *testing.T) {
	emb := sparseFake{newFake("sparse-32", 32)}
	base := corpusOf(10, 3)
	one := append(slices.Clone(base), makeDoc("new", 2, "v1"))
	two := append(slices.Clone(one), makeDoc("newer", 2, "v1"))
	dir := t.TempDir()
	s, sizes := loggedStore(t, dir, emb, base, [][]Doc{one, two})
	full, err := os.ReadFile(s.logPath())
	if err != nil {
		t.Fatal(err)
	}
	before, after := reference(t, emb, one), reference(t, emb, two)
	for cut := sizes[0]; cut <= sizes[1]; cut++ {
		write(t, s.logPath(), full[:cut])
		got := mustOpen(t, dir, emb)
		want := before
		if cut == sizes[1] {
			want = after
		}
		if g, w := got.ContentSig(), want.ContentSig(); g != w {
			t.Fatalf("log cut at %d of %d bytes: index %s, want %s", cut, sizes[1], g, w)
		}
	}
	write(t, s.logPath(), append(slices.Clone(full), "garbage after the end"...))
	sameIndex(t, mustOpen(t, dir, emb), after)

	// Cut in the middle of the last change, then synced again: the torn
	// bytes are dropped and the new change follows the first.
	write(t, s.logPath(), full[:sizes[1]-5])
	torn, logs := openLogging(t, dir, emb)
	if !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "cut short") {
		t.Errorf("no warning about the torn change: %q", logs)
	}
	three := slices.Delete(slices.Clone(one), 0, 1) // a removal: a change shorter than the torn one
	mustSync(t, torn, three)
	// The torn bytes were dropped before the removal was appended: no
	// warning now.
	opensCleanTo(t, dir, emb, three)
}

// TestLogDamaged: a change whose checksum fails, a damaged header, and a
// log made for another snapshot each give an index the store once held,
// with a warning for damage, never a mix.
func TestLogDamaged(t *testing.T) {
	emb := newFake("fake-16", 16)
	base := corpusOf(10, 3)
	one := append(slices.Clone(base), makeDoc("new", 2, "v1"))
	two := append(slices.Clone(one), makeDoc("newer", 2, "v1"))
	three := slices.Delete(slices.Clone(two), 0, 1)
	tests := []struct {
		name   string
		damage func(b []byte, sizes []int64) []byte
		want   []Doc
		warn   bool
	}{
		{"second change flipped", func(b []byte, sizes []int64) []byte {
			b[sizes[0]+20] ^= 1
			return b
		}, one, true},
		{"header flipped", func(b []byte, _ []int64) []byte {
			b[30] ^= 1
			return b
		}, base, true},
		{"bad magic", func(b []byte, _ []int64) []byte { return append([]byte("XX"), b[2:]...) }, base, true},
		{"length beyond the file", func(b []byte, sizes []int64) []byte {
			b[sizes[0]+3] = 0x7f
			return b
		}, one, true},
		{"first change lost", func(b []byte, sizes []int64) []byte {
			// The second change (newer added) replayed over the base,
			// without the first (new added), would give an index nobody
			// had.
			headerEnd := 12 + 8 + int(binary.LittleEndian.Uint32(b[12:]))
			return slices.Delete(b, headerEnd, int(sizes[0]))
		}, base, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, sizes := loggedStore(t, dir, emb, base, [][]Doc{one, two, three})
			b, err := os.ReadFile(s.logPath())
			if err != nil {
				t.Fatal(err)
			}
			write(t, s.logPath(), tt.damage(b, sizes))
			got, logs := openLogging(t, dir, emb)
			if tt.warn != strings.Contains(logs, "level=WARN") {
				t.Errorf("warning %v, want %v: %q", !tt.warn, tt.warn, logs)
			}
			sameIndex(t, got, reference(t, emb, tt.want))
			// It syncs on from there and saves.
			mustSync(t, got, three)
			sameIndex(t, mustOpen(t, dir, emb), reference(t, emb, three))
		})
	}

	t.Run("another snapshot's log", func(t *testing.T) {
		// A compaction that wrote the new snapshot and died before it
		// removed the log: the log names the old snapshot.
		dir := t.TempDir()
		s, _ := loggedStore(t, dir, emb, base, [][]Doc{one})
		old, err := os.ReadFile(s.logPath())
		if err != nil {
			t.Fatal(err)
		}
		s.logShare = 0
		mustSync(t, s, base) // compacts: the snapshot holds base again
		write(t, s.logPath(), old)
		sameIndex(t, mustOpen(t, dir, emb), reference(t, emb, base))
	})
}

// TestLogCompaction: once the log would outgrow its share of the
// snapshot, the Sync writes the snapshot and segment file afresh and
// removes the log; the reopened index is the same.
func TestLogCompaction(t *testing.T) {
	emb := newFake("fake-16", 16)
	dir := t.TempDir()
	docs := corpusOf(20, 4)
	s := mustOpen(t, dir, emb)
	mustSync(t, s, docs)
	snap := fileSizes(t, dir)[SnapshotName]
	compactions := 0
	var logSizes []int64
	for i := range 40 {
		docs = append(docs, makeDoc(fmt.Sprintf("add%02d", i), 4, "v1"))
		prev := fileSizes(t, dir)
		mustSync(t, s, docs)
		now := fileSizes(t, dir)
		logSizes = append(logSizes, now[LogName])
		if float64(now[LogName]) > defaultLogShare*float64(snap) {
			t.Fatalf("change %d: log of %d bytes over %.2f of the snapshot's %d", i, now[LogName], defaultLogShare, snap)
		}
		if now[SnapshotName] != prev[SnapshotName] {
			compactions++
			snap = now[SnapshotName]
			if _, ok := now[LogName]; ok {
				t.Errorf("change %d: compacted but the log is still there", i)
			}
		}
	}
	if compactions == 0 || compactions > 20 {
		t.Errorf("%d compactions in 40 changes (log sizes %v), want some, far from every change", compactions, logSizes)
	}
	sameIndex(t, mustOpen(t, dir, emb), reference(t, emb, docs))
}

// TestLogTwoWriters: two stores on one folder (two processes) that both
// change the index leave it as the last one to save has it, whether the
// other appended to the log since or compacted since (the later Sync then
// writes its whole index afresh from its rows rather than appending to a
// log of a snapshot that is gone). Never a mix.
func TestLogTwoWriters(t *testing.T) {
	emb := newFake("fake-16", 16)
	for _, compactA := range []bool{false, true} {
		t.Run(fmt.Sprintf("compact=%v", compactA), func(t *testing.T) {
			dir := t.TempDir()
			_, docs := withLog(t, dir, emb) // a log both read
			a, b := mustOpen(t, dir, emb), mustOpen(t, dir, emb)
			if compactA {
				a.logShare = 0
			}
			mustSync(t, a, append(slices.Clone(docs), makeDoc("by-a", 2, "v1")))
			mustSync(t, a, append(slices.Clone(docs), makeDoc("by-a", 9, "v2")))
			fromB := append(slices.Clone(docs[2:]), makeDoc("by-b", 1, "v1"))
			if _, err := b.Sync(context.Background(), fromB, nil); err != nil {
				t.Fatal(err)
			}
			opensCleanTo(t, dir, emb, fromB)
		})
	}
}

// TestLogAppendFailure: an append that fails falls back to writing the
// index afresh; when that fails too the index in memory is kept and the
// next Sync saves it.
func TestLogAppendFailure(t *testing.T) {
	emb := newFake("fake-16", 16)
	dir := t.TempDir()
	s, docs := withLog(t, dir, emb)
	failAppend := func(string, int64, []byte) error { return os.ErrPermission }
	s.appendAt = failAppend
	mustSync(t, s, docs[2:])
	if _, err := os.Stat(s.logPath()); !os.IsNotExist(err) {
		t.Errorf("after a failed append: the log is still there (%v), want the index written afresh", err)
	}
	sameIndex(t, mustOpen(t, dir, emb), reference(t, emb, docs[2:]))

	s.write = failingWrite
	if _, err := s.Sync(context.Background(), docs[3:], nil); err == nil {
		t.Fatal("Sync with no way to save: no error")
	}
	sameIndex(t, s, reference(t, emb, docs[3:]))
	sameIndex(t, mustOpen(t, dir, emb), reference(t, emb, docs[2:]))
	s.write, s.appendAt = failingWrite, framelog.AppendAt
	if _, err := s.Sync(context.Background(), docs[3:], nil); err == nil {
		t.Fatal("an unsaved index must be written afresh, not appended to its log")
	}
}

// TestLogChangeRoundTrip: a change decodes to what was encoded, dense and
// sparse vectors alike, and a cut or lengthened one does not decode.
func TestLogChangeRoundTrip(t *testing.T) {
	d := makeDoc("中文", 3, "v1")
	dense := [][]float32{{1, 2, 3, 4}, {0, 0, 0, 1}, {0.5, 0, -0.5, 0}}
	p := &plan{changed: map[string]docEntry{d.ID: {hash: "h", chunks: d.Chunks}}, removed: []string{"gone", "also gone"}, toEmbed: d.Chunks}
	vecs := compactVectors(dense, 4) // {0, 0, 0, 1} kept sparse, the others dense
	if !vecs[1].sparse() || vecs[0].sparse() {
		t.Fatal("compactVectors keeps the wrong vectors sparse")
	}
	c := loggedChange{next: "n", dim: 4, p: p, vecs: vecs}
	b := encodeChange(c)
	got, err := decodeChange(b)
	if err != nil {
		t.Fatal(err)
	}
	var gotDense [][]float32
	for _, v := range got.vecs {
		gotDense = append(gotDense, v.expand(4, nil))
	}
	if got.next != "n" || got.dim != 4 || !reflect.DeepEqual(gotDense, dense) || got.vecs[1].sparse() != vecs[1].sparse() ||
		!reflect.DeepEqual(got.p.changed, p.changed) || !reflect.DeepEqual(got.p.toEmbed, p.toEmbed) ||
		!reflect.DeepEqual(got.p.removed, []string{"also gone", "gone"}) {
		t.Errorf("round trip: %+v %+v", got, got.p)
	}
	for _, bad := range [][]byte{b[:len(b)-1], append(slices.Clone(b), 0)} {
		if _, err := decodeChange(bad); err == nil {
			t.Errorf("a change of %d bytes (of %d) decoded", len(bad), len(b))
		}
	}
}

// TestLogSnapshotCopied: the changes a change log holds over a snapshot
// whose time changed but not its bytes (the folder copied without times)
// are kept: Open takes the segment file and replays the log, writing the
// log's header again with the new time; the next Sync appends to the log
// rather than compacting. A snapshot of another save (a byte of it
// changed, same size) is not taken for the log's: its changes are
// ignored.
func TestLogSnapshotCopied(t *testing.T) {
	emb := newFake("fake-16", 16)
	base := corpusOf(10, 3)
	one := append(slices.Clone(base), makeDoc("new", 2, "v1"))
	two := append(slices.Clone(one), makeDoc("newer", 2, "v1"))

	t.Run("copied", func(t *testing.T) {
		src := t.TempDir()
		loggedStore(t, src, emb, base, [][]Doc{one})
		dir := copyDir(t, src)
		snapBefore, err := os.ReadFile(filepath.Join(dir, SnapshotName))
		if err != nil {
			t.Fatal(err)
		}

		s, logs := openLogging(t, dir, emb)
		if !fromSegment(s) {
			t.Error("Open read the snapshot although only its time changed")
		}
		if !strings.Contains(logs, copiedMsg) || strings.Contains(logs, "level=WARN") {
			t.Errorf("Open logged %q, want the snapshot told by its checksum, no warning", logs)
		}
		sameIndex(t, s, reference(t, emb, one))

		mustSync(t, s, two)
		if snap, _ := os.ReadFile(filepath.Join(dir, SnapshotName)); !bytes.Equal(snap, snapBefore) {
			t.Error("the Sync after the copy compacted rather than appending to the log")
		}
		again, logs := openLogging(t, dir, emb)
		if !fromSegment(again) || logs != "" {
			t.Errorf("reopened from the segment: %v, logging %q; want it, silently", fromSegment(again), logs)
		}
		sameIndex(t, again, reference(t, emb, two))
	})

	t.Run("touched while open", func(t *testing.T) {
		// The snapshot's time changes under an open store: its next Sync
		// appends to the log all the same.
		dir := t.TempDir()
		s, _ := loggedStore(t, dir, emb, base, [][]Doc{one})
		touch(t, s.Path())
		snapBefore, err := os.ReadFile(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		mustSync(t, s, two)
		if snap, _ := os.ReadFile(s.Path()); !bytes.Equal(snap, snapBefore) {
			t.Error("the Sync compacted rather than appending to the log")
		}
		sameIndex(t, s, reference(t, emb, two))
		sameIndex(t, mustOpen(t, dir, emb), reference(t, emb, two))
	})

	t.Run("a byte changed", func(t *testing.T) {
		dir := t.TempDir()
		loggedStore(t, dir, emb, base, [][]Doc{one})
		flipSnapshotByte(t, filepath.Join(dir, SnapshotName))
		s, logs := openLogging(t, dir, emb)
		if fromSegment(s) {
			t.Error("Open took the segment file of another snapshot")
		}
		if strings.Contains(logs, copiedMsg) {
			t.Errorf("Open logged %q for a snapshot that changed", logs)
		}
		sameIndex(t, s, reference(t, emb, base))
	})
}

// TestLogWithoutChecksum: a change log written before the snapshot's
// checksum was recorded (or by an older scobot over a newer snapshot)
// still applies by the snapshot's time; with the time changed, it and a
// segment file without checksum are rejected, as they were.
func TestLogWithoutChecksum(t *testing.T) {
	emb := newFake("fake-16", 16)
	base := corpusOf(10, 3)
	one := append(slices.Clone(base), makeDoc("new", 2, "v1"))
	old := func(t *testing.T, segmentToo bool) string {
		dir := t.TempDir()
		s, _ := loggedStore(t, dir, emb, base, [][]Doc{one})
		lf, err := readLog(s.logPath(), 0)
		if err != nil || lf == nil {
			t.Fatalf("readLog = %v, %v", lf, err)
		}
		h := lf.header
		h.SnapshotSum = ""
		if err := s.rewriteLogHeader(h, lf.ends[0]); err != nil {
			t.Fatal(err)
		}
		if segmentToo {
			editSegmentMeta(t, s.segmentPath(), func(m *segMeta) { m.SnapshotSum = "" })
		}
		return dir
	}
	t.Run("same time", func(t *testing.T) {
		s, logs := openLogging(t, old(t, false), emb)
		if !fromSegment(s) || logs != "" {
			t.Errorf("opened from the segment: %v, logging %q; want it, silently", fromSegment(s), logs)
		}
		sameIndex(t, s, reference(t, emb, one))
	})
	t.Run("touched", func(t *testing.T) {
		dir := old(t, true)
		touch(t, filepath.Join(dir, SnapshotName))
		s := mustOpen(t, dir, emb)
		if fromSegment(s) {
			t.Error("took a segment file without checksum for a snapshot of another time")
		}
		sameIndex(t, s, reference(t, emb, base))
	})
}
