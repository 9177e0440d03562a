package retrieve

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
)

// BenchmarkEngineBuild builds an engine over 1k, 10k and 100k synthetic
// chunks (indexChunks: 20–60 words of Chinese, English and Russian each)
// with the built-in glossary: by analysing the texts; from the saved
// analysis of them (ReadAnalysis), as a cold start does; from the
// per-document analysis alone (the built structures missing), as the
// first start after a change does; and from the saved analysis when one
// document (three chunks) was edited, saving what changed, as a start
// after one report changed does (B-written: the bytes it adds to the
// files).
//
//	go test ./rag/retrieve -run - -bench EngineBuild -benchtime 3x
func BenchmarkEngineBuild(b *testing.B) {
	g, err := glossary.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1_000, 10_000, 100_000} {
		chunks := indexChunks(n)
		b.Run(fmt.Sprintf("chunks=%d/analyse", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewEngine(Config{Chunks: chunks, Glossary: g})
			}
		})
		path := filepath.Join(b.TempDir(), "analysis")
		buildSaving(b, path, Config{Chunks: chunks, Glossary: g})
		b.Run(fmt.Sprintf("chunks=%d/from-analysis", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				saved := ReadAnalysis(path, nil)
				if !NewEngine(Config{Chunks: chunks, Glossary: g, Analysis: saved}).ReusedAnalysis() {
					b.Fatal("analysis not used")
				}
				saved.Close()
			}
			b.ReportMetric(float64(filesSize(path)), "analysis-bytes")
		})
		b.Run(fmt.Sprintf("chunks=%d/from-per-doc", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				saved := ReadAnalysis(path, nil)
				saved.built = nil // as after a change: the built structures are of other chunks
				if e := NewEngine(Config{Chunks: chunks, Glossary: g, Analysis: saved}); e.ReusedAnalysis() || e.AnalysedChunks() != 0 {
					b.Fatalf("reused %v, analysed %d chunks; want false, 0", e.ReusedAnalysis(), e.AnalysedChunks())
				}
				saved.Close()
			}
		})
		edited := append([]rag.Chunk(nil), chunks...)
		b.Run(fmt.Sprintf("chunks=%d/one-doc-changed", n), func(b *testing.B) {
			b.ReportAllocs()
			var written int64
			for i := 0; b.Loop(); i++ {
				edited[len(edited)/2].Text = chunks[len(edited)/2].Text + fmt.Sprintf(" Lavrov met Wang Yi in Samarkand in %d.", 2031+i)
				size := filesSize(path)
				if e := buildSaving(b, path, Config{Chunks: edited, Glossary: g}); e.AnalysedChunks() != 3 {
					b.Fatalf("analysed %d chunks, want 3", e.AnalysedChunks())
				}
				written += filesSize(path) - size
			}
			b.ReportMetric(float64(written)/float64(b.N), "B-written")
		})
	}
}

// filesSize returns the size of the analysis files at path together.
func filesSize(path string) int64 {
	var n int64
	for _, p := range []string{path, path + AnalysisLogSuffix, path + AnalysisBuiltSuffix} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}
