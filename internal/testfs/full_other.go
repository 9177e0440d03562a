//go:build !linux

// Package testfs gives tests file systems that misbehave the way real ones
// do.
package testfs

import "testing"

// FullDir returns "" and why: a full file system is made with a Linux
// tmpfs.
func FullDir(t testing.TB) (dir, why string) {
	return "", "a full file system is made with a Linux tmpfs"
}
