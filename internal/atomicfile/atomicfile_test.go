package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// A write replaces the file whole and leaves no temporary file; a write
// that cannot finish leaves the old content and no temporary file.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, content := range []string{"old", "new"} {
		if err := Write(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Fatalf("file holds %q, want %q", b, content)
		}
	}
	// A folder where the file should be: the rename fails.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(blocked, []byte("lost")); err == nil {
		t.Fatal("Write over a non-empty folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %d entries, want the file and the folder only: %v", len(entries), entries)
	}
}

// Removing a file that is not there is no error; one that is, is gone.
func TestRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := Remove(path); err != nil {
		t.Errorf("Remove of a missing file: %v", err)
	}
	if err := Write(path, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("file still there: %v", err)
	}
}
