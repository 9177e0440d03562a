package store

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/scobot/scobot/internal/atomicfile"
)

// failingWrite is a Store.write that fails like a full disk.
func failingWrite(string, func(io.Writer) error) error {
	return &os.PathError{Op: "write", Path: "index.chromem.tmp-1", Err: syscall.ENOSPC}
}

// TestSyncUnsavedKeepsMemory injects a full disk into the save: Sync says
// so with ErrNotSaved but the index in memory is complete and searchable,
// notes stay in memory without a second error, and the next Sync that can
// write saves.
func TestSyncUnsavedKeepsMemory(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{makeDoc("a", 3, "v1"), makeDoc("b", 2, "v1")}
	s := mustOpen(t, dir, newFake("fake-8", 8))
	s.write = failingWrite
	st, err := s.Sync(context.Background(), docs, nil)
	if !errors.Is(err, ErrNotSaved) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Sync error = %v, want ErrNotSaved wrapping ENOSPC", err)
	}
	if st.Added != 2 || st.Chunks != 5 {
		t.Errorf("Stats = %+v, want 2 added, 5 chunks", st)
	}
	if diff := chunkDiff(s.Chunks(), allChunks(docs)); diff != "" {
		t.Fatalf("memory lost the synced chunks: %s", diff)
	}
	if err := s.SetNotes(map[string]float64{"k": 1}); err != nil {
		t.Errorf("SetNotes on an unsaved index = %v, want nil (already reported)", err)
	}
	if v, ok := s.Note("k"); !ok || v != 1 {
		t.Errorf("Note = %v, %v; want 1, true", v, ok)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("snapshot written despite the failure: %v", err)
	}

	s.write = atomicfile.WriteFunc
	if _, err := s.Sync(context.Background(), docs, nil); err != nil {
		t.Fatalf("Sync once writable: %v", err)
	}
	if diff := chunkDiff(mustOpen(t, dir, newFake("fake-8", 8)).Chunks(), allChunks(docs)); diff != "" {
		t.Errorf("retry did not save: %s", diff)
	}
}

// TestSyncReadOnlyFolder: a folder the process may not write into (chmod
// 0555) leaves a usable index in memory.
func TestSyncReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod 0555 does not stop root from writing (TestSyncUnsavedKeepsMemory injects the failure instead)")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	docs := []Doc{makeDoc("a", 3, "v1")}
	s := mustOpen(t, dir, newFake("fake-8", 8))
	_, err := s.Sync(context.Background(), docs, nil)
	if !errors.Is(err, ErrNotSaved) {
		t.Fatalf("Sync error = %v, want ErrNotSaved", err)
	}
	if diff := chunkDiff(s.Chunks(), allChunks(docs)); diff != "" {
		t.Fatalf("memory lost the synced chunks: %s", diff)
	}
	if ps, err := s.Search(context.Background(), rawVector("a chunk 0 v1", 8), 1, nil); err != nil || len(ps) != 1 {
		t.Errorf("Search = %v, %v; want one passage", ps, err)
	}
}

// TestOpenInMemory: dir "" is an index that works and never touches disk.
func TestOpenInMemory(t *testing.T) {
	s := mustOpen(t, "", newFake("fake-8", 8))
	docs := []Doc{makeDoc("a", 2, "v1")}
	if st := mustSync(t, s, docs); st.Added != 1 {
		t.Errorf("Stats = %+v, want 1 added", st)
	}
	if s.Path() != "" {
		t.Errorf("Path = %q, want \"\"", s.Path())
	}
	if err := s.SetNotes(map[string]float64{"k": 2}); err != nil {
		t.Errorf("SetNotes = %v", err)
	}
	if diff := chunkDiff(s.Chunks(), allChunks(docs)); diff != "" {
		t.Error(diff)
	}
}

// TestOpenEmptyKeepsOldUntilSaved: a rebuild (OpenEmpty) that is
// interrupted leaves the previous snapshot in place; one that completes
// replaces it, also when the old snapshot was unreadable.
func TestOpenEmptyKeepsOldUntilSaved(t *testing.T) {
	dir := t.TempDir()
	v1 := []Doc{makeDoc("a", 3, "v1")}
	mustSync(t, mustOpen(t, dir, newFake("fake-8", 8)), v1)

	ctx, cancel := context.WithCancel(context.Background())
	f := newFake("fake-8", 8)
	f.onCall = func(int32) { cancel() } // SIGINT while embedding
	s, err := OpenEmpty(ctx, dir, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 {
		t.Errorf("OpenEmpty holds %d chunks, want 0", s.Len())
	}
	if _, err := s.Sync(ctx, []Doc{makeDoc("a", 3, "v2")}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sync error = %v, want context.Canceled", err)
	}
	if diff := chunkDiff(mustOpen(t, dir, newFake("fake-8", 8)).Chunks(), allChunks(v1)); diff != "" {
		t.Fatalf("interrupted rebuild lost the old index: %s", diff)
	}

	// A corrupt snapshot is replaced by the rebuilt one.
	if err := os.WriteFile(filepath.Join(dir, SnapshotName), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), dir, newFake("fake-8", 8), nil); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("Open of garbage = %v, want ErrUnreadable", err)
	}
	s, err = OpenEmpty(context.Background(), dir, newFake("fake-8", 8), nil)
	if err != nil {
		t.Fatal(err)
	}
	v2 := []Doc{makeDoc("a", 3, "v2")}
	mustSync(t, s, v2)
	if diff := chunkDiff(mustOpen(t, dir, newFake("fake-8", 8)).Chunks(), allChunks(v2)); diff != "" {
		t.Errorf("rebuilt snapshot: %s", diff)
	}

	// Rebuilding into an empty corpus still replaces the snapshot.
	s, err = OpenEmpty(context.Background(), dir, newFake("fake-8", 8), nil)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, s, nil)
	if n := mustOpen(t, dir, newFake("fake-8", 8)).Len(); n != 0 {
		t.Errorf("rebuild to an empty corpus left %d chunks on disk", n)
	}
}

// TestOpenRemovesStaleTemps: temporary files left by a killed save are
// removed at Open once stale; a fresh one (a save in progress elsewhere) and
// unrelated files stay.
func TestOpenRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	files := map[string]bool{ // name → want kept
		SnapshotName + ".tmp-123":            false,
		SnapshotName + ".notes.json.tmp-456": false,
		SnapshotName + ".tmp-fresh":          true,
		"notes.txt":                          true,
		"other.tmp-1":                        true,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != SnapshotName+".tmp-fresh" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	mustOpen(t, dir, newFake("fake-8", 8))
	for name, keep := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if kept := err == nil; kept != keep {
			t.Errorf("%s: kept = %v, want %v", name, kept, keep)
		}
	}
}
