// Package realdocs reads, for tests, the seed reports in the repository
// and the real development reports beside it (../shared/realdev/docs),
// where they lie: those are third-party texts, never copied in.
package realdocs

import (
	"os"
	"path/filepath"
	"testing"
)

// Seeds returns the texts of the seed reports (corpus/docs/*.txt); root is
// the path from the calling test's folder to the repository's ("../..").
// The test fails when there are none.
func Seeds(t testing.TB, root string) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(root, "corpus", "docs", "*.txt"))
	if len(paths) == 0 {
		t.Fatalf("no seed reports in %s", filepath.Join(root, "corpus", "docs"))
	}
	return read(t, paths)
}

// Real returns the texts of the real development reports, or none (logged)
// when ../shared/realdev/docs is not beside the repository; root is as for
// Seeds.
func Real(t testing.TB, root string) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(root, "..", "shared", "realdev", "docs", "*"))
	if len(paths) == 0 {
		t.Log("no ../shared/realdev/docs beside the repository: testing without the real documents")
	}
	return read(t, paths)
}

func read(t testing.TB, paths []string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
