package corpuscache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scobot/scobot/corpus"
)

// stat returns the file's FileInfo.
func stat(b *testing.B, path string) os.FileInfo {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi
}

// BenchmarkAddOneReport: one report added to a corpus of 1,000 and the
// corpus loaded and saved through the cache ("incremental"), against a
// load and save that reuse nothing ("full", as before the cache kept each
// file's result). B-written counts the bytes the save added to the cache
// file and its log.
func BenchmarkAddOneReport(b *testing.B) {
	for _, mode := range []string{"incremental", "full"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			body := strings.Repeat("The foreign ministers discussed security, trade and transport corridors across the region. ", 40)
			for i := range 1000 {
				text := fmt.Sprintf("SCO ministers met, report %d\n\n%s Report %d.\n", i, body, i)
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%04d.txt", i)), []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			f := fixture{dir: dir, cache: filepath.Join(b.TempDir(), "corpus.cache"), srcs: []Source{{Name: dir, FS: os.DirFS(dir)}}}
			ctx := context.Background()
			loadSave := func() {
				before, err := Fingerprint(ctx, f.srcs)
				if err != nil {
					b.Fatal(err)
				}
				var c *Cache
				var reuse corpus.Reuse
				if mode == "incremental" {
					c = Open(ctx, f.cache, "k", f.srcs, before)
					if reuse, err = c.ReuseText(dir); err != nil {
						b.Fatal(err)
					}
				}
				res, built, _, err := corpus.LoadReusing(ctx, f.srcs[0].FS, nil, reuse)
				if err != nil {
					b.Fatal(err)
				}
				if err := Save(ctx, f.cache, "k", f.srcs, before, []map[string]corpus.Built{built}, []corpus.Result{res}, c); err != nil {
					b.Fatal(err)
				}
			}
			size := func() int64 {
				var n int64
				for _, p := range []string{f.cache, f.cache + LogSuffix} {
					if fi, err := os.Stat(p); err == nil {
						n += fi.Size()
					}
				}
				return n
			}
			loadSave()
			var written int64
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				text := fmt.Sprintf("SCO ministers met, added report %d\n\n%s\n", i, body)
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("added%04d.txt", i)), []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				was, wasBase := size(), stat(b, f.cache)
				b.StartTimer()
				loadSave()
				b.StopTimer()
				if now := stat(b, f.cache); now.ModTime() != wasBase.ModTime() || now.Size() != wasBase.Size() {
					written += size() // the base written whole, the log removed
				} else {
					written += size() - was // appended to the log
				}
			}
			b.ReportMetric(float64(written)/float64(b.N), "B-written/op")
		})
	}
}
