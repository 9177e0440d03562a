package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestMemProfile: SCOBOT_MEMPROFILE writes a heap profile (gzipped
// protobuf, as go tool pprof reads) that holds an allocation the command
// made while it ran.
func TestMemProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mem.pprof")
	stop, err := startMemProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	big := allocateForProfile()
	time.Sleep(20 * memSampleEvery) // the sampler sees the heap grow
	runtime.KeepAlive(big)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a gzipped profile: %v", err)
	}
	prof, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inuse_space", "alloc_space", "allocateForProfile"} {
		if !bytes.Contains(prof, []byte(want)) {
			t.Errorf("the profile lacks %q", want)
		}
	}

	code, _, errOut := run(t, map[string]string{envMemProfile: filepath.Join(t.TempDir(), "none", "mem.pprof")}, "", "docs", "--db", t.TempDir())
	if code != exitUsage {
		t.Errorf("a profile that cannot be created: exit %d (%s), want %d", code, errOut, exitUsage)
	}
}

//go:noinline
func allocateForProfile() []byte {
	b := make([]byte, 64<<20)
	b[len(b)-1] = 1
	return b
}
