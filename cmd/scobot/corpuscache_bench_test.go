package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkUnchangedCorpus loads a corpus of 5,000 reports through the
// corpus cache with nothing changed since the last load, as a cold
// `scobot ask` does (its corpus phase).
//
//	go test ./cmd/scobot -run - -bench UnchangedCorpus -benchtime 20x
func BenchmarkUnchangedCorpus(b *testing.B) {
	dir, db := b.TempDir(), b.TempDir()
	body := strings.Repeat("The foreign ministers discussed security, trade and transport corridors across the region. ", 20)
	for i := range 5000 {
		text := fmt.Sprintf("SCO ministers met, report %d\n\n%s Report %d.\n", i, body, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%06d_report.txt", i)), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx, log := context.Background(), slog.New(slog.DiscardHandler)
	if _, err := loadCorpusCached(ctx, dir, nil, db, log); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		lc, err := loadCorpusCached(ctx, dir, nil, db, log)
		if err != nil || lc.text == nil || len(lc.docs) != 5000 {
			b.Fatalf("loaded %d documents (text kept back: %v), err %v", len(lc.docs), lc.text != nil, err)
		}
	}
}
