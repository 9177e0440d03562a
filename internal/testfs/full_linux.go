//go:build linux

// Package testfs gives tests file systems that misbehave the way real ones
// do.
package testfs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// FullDir returns a folder on a 64 KiB tmpfs filled to the last byte (every
// write there fails with ENOSPC), unmounted when the test ends; or "" with
// the reason where the test may not mount one (it needs privileges most
// machines do not give).
func FullDir(t testing.TB) (dir, why string) {
	t.Helper()
	dir = t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		return "", "cannot mount a tmpfs here: " + err.Error()
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
			return dir, ""
		}
	}
}
