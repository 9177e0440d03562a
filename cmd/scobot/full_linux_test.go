package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// fullDir returns a folder on a 64 KiB tmpfs filled to the last byte, or ""
// where the test may not mount one (most machines: it needs privileges).
func fullDir(t *testing.T) string {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Logf("cannot mount a tmpfs here: %v", err)
		return ""
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			return dir
		}
	}
}
