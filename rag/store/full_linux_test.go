package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSyncFullDisk saves into a real full file system: a 64 KiB tmpfs
// filled to the last byte. Mounting needs privileges most test machines
// lack; the test is skipped there (TestSyncUnsavedKeepsMemory injects the
// same failure).
func TestSyncFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); the injected ENOSPC of TestSyncUnsavedKeepsMemory covers this", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	// Fill it.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	f.Close()

	docs := []Doc{makeDoc("a", 20, "v1"), makeDoc("b", 20, "v1")}
	s := mustOpen(t, filepath.Join(dir), newFake("fake-8", 8))
	_, err = s.Sync(context.Background(), docs, nil)
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
