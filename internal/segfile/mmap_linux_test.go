package segfile

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rssFile returns the process's resident file-backed memory in KiB.
func rssFile(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}

// TestReadDropsPages: a mapped file, checksums checked, does not stay in
// the process's resident memory; its bytes are still there when touched
// again, and DropPages after a use lets them go again.
func TestReadDropsPages(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 4<<20) // 64 MiB
	path := filepath.Join(t.TempDir(), "big.seg")
	if err := WriteFile(path, 1, []Section{bytesSection("big", big)}); err != nil {
		t.Fatal(err)
	}
	before := rssFile(t)
	f, err := Read(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.mapped == nil {
		t.Skip("the file was not mapped")
	}
	if grew := rssFile(t) - before; grew > 16<<10 {
		t.Errorf("resident file memory grew by %d KiB reading a 64 MiB file", grew)
	}
	b, _ := f.Section("big")
	if !bytes.Equal(b, big) {
		t.Fatal("the section's bytes changed once its pages were dropped")
	}
	if rssFile(t)-before < 32<<10 {
		t.Skip("touching the section did not make it resident here")
	}
	f.DropPages()
	if grew := rssFile(t) - before; grew > 16<<10 {
		t.Errorf("resident file memory %d KiB above the start after DropPages", grew)
	}
}
