package retrieve

import (
	"fmt"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
)

// BenchmarkEngineBuild builds an engine over 1k, 10k and 100k synthetic
// chunks (indexChunks: 20–60 words of Chinese, English and Russian each)
// with the built-in glossary: by analysing the texts; from the saved
// analysis of them (Config.Analysis), as a cold start does; and from the
// saved analysis when one document (three chunks) was edited, recording
// the new analysis, as a start after one report changed does.
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
		data, _ := NewEngine(Config{Chunks: chunks, Glossary: g, RecordAnalysis: true}).Analysis()
		b.Run(fmt.Sprintf("chunks=%d/from-analysis", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, reused := NewEngine(Config{Chunks: chunks, Glossary: g, Analysis: data}).Analysis(); !reused {
					b.Fatal("analysis not used")
				}
			}
			b.ReportMetric(float64(len(data)), "analysis-bytes")
		})
		edited := append([]rag.Chunk(nil), chunks...)
		edited[len(edited)/2].Text += " Lavrov met Wang Yi in Samarkand in 2031."
		b.Run(fmt.Sprintf("chunks=%d/one-doc-changed", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if e := NewEngine(Config{Chunks: edited, Glossary: g, Analysis: data, RecordAnalysis: true}); e.AnalysedChunks() != 3 {
					b.Fatalf("analysed %d chunks, want 3", e.AnalysedChunks())
				}
			}
		})
	}
}
