package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/scobot/scobot/internal/testfs"
)

// TestSyncFullDisk saves into a real full file system: a 64 KiB tmpfs
// filled to the last byte. Mounting needs privileges most test machines
// lack; the test is skipped there (TestSyncUnsavedKeepsMemory injects the
// same failure).
func TestSyncFullDisk(t *testing.T) {
	dir, why := testfs.FullDir(t)
	if dir == "" {
		t.Skipf("%s; the injected ENOSPC of TestSyncUnsavedKeepsMemory covers this", why)
	}

	docs := []Doc{makeDoc("a", 20, "v1"), makeDoc("b", 20, "v1")}
	s := mustOpen(t, filepath.Join(dir), newFake("fake-8", 8))
	_, err := s.Sync(context.Background(), docs, nil)
	if !errors.Is(err, ErrNotSaved) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Sync error = %v, want ErrNotSaved wrapping ENOSPC", err)
	}
	if diff := chunkDiff(s.Chunks(), allChunks(docs)); diff != "" {
		t.Fatalf("memory lost the synced chunks: %s", diff)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "filler" {
			t.Errorf("failed save left %s behind", e.Name())
		}
	}
}
