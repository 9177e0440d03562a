package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/corpus"
)

// TestCachedCorpusEqualsLoad: over two folders changed at random (the same
// document ID in both, or twice in one; files added, edited, removed and
// renamed), every command through the corpus cache gives what loadCorpus
// gives — documents, text included, and skipped files alike — and vouches
// for it (a corpus ID); so does the start after each, nothing changed,
// from the decisions the cache kept.
func TestCachedCorpusEqualsLoad(t *testing.T) {
	names := []string{"a.txt", "b.md", "sub/a.txt", "c.txt"}
	texts := []string{
		fmt.Sprintf("SCO ministers met in Dushanbe\n\nThe ministers met in Dushanbe on July 14, 2021, and discussed %s.\n", "security"),
		fmt.Sprintf("SCO ministers met in Dushanbe\n\nThe ministers met in Dushanbe on July 14, 2021, and discussed %s.\n", "SECURITY"),
		fmt.Sprintf("SCO ministers met in Astana\n\nThe ministers met in Astana on July 4, 2024, and discussed %s.\n", "trade"),
		"",
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			dirs := []string{t.TempDir(), t.TempDir()}
			db := t.TempDir()
			setting := dirs[0] + "," + dirs[1]
			clock := time.Now().Add(-time.Hour)
			put := func(p, text string) {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				clock = clock.Add(time.Second)
				if err := os.Chtimes(p, clock, clock); err != nil {
					t.Fatal(err)
				}
			}
			put(filepath.Join(dirs[0], "a.txt"), texts[0])
			for step := range 15 {
				dir := dirs[rng.IntN(2)]
				p := filepath.Join(dir, names[rng.IntN(len(names))])
				switch rng.IntN(4) {
				case 0, 1:
					put(p, texts[rng.IntN(len(texts))])
				case 2:
					os.Remove(p)
				default:
					to := filepath.Join(dirs[rng.IntN(2)], names[rng.IntN(len(names))])
					os.MkdirAll(filepath.Dir(to), 0o755)
					os.Rename(p, to)
				}
				want, wantSkipped, wantErr := loadCorpus(ctx, setting, nil, quiet)
				lc, err := loadCorpusCached(ctx, setting, nil, db, quiet)
				if (err != nil) != (wantErr != nil) {
					t.Fatalf("step %d: cached err %v, full err %v", step, err, wantErr)
				}
				if err != nil {
					continue
				}
				got, err := lc.whole(ctx, setting, nil, quiet)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(lc.skipped, wantSkipped) {
					t.Fatalf("step %d: through the cache:\n%+v\n%+v\nloadCorpus:\n%+v\n%+v", step, got, lc.skipped, want, wantSkipped)
				}
				if lc.id == "" {
					t.Errorf("step %d: the cached corpus has no ID", step)
				}
				// The next start, nothing changed, takes the decisions
				// kept, and gives the same again.
				var logs strings.Builder
				debug := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				again, err := loadCorpusCached(ctx, setting, nil, db, debug)
				if err != nil {
					t.Fatal(err)
				}
				if !containsLine(logs.String(), "corpus unchanged", "decisions=kept") {
					t.Fatalf("step %d: an unchanged corpus did not take the kept decisions:\n%s", step, logs.String())
				}
				bare := make([]corpus.Document, len(want))
				for i, d := range want {
					d.Parts = nil
					bare[i] = d
				}
				if !reflect.DeepEqual(again.docs, bare) {
					t.Fatalf("step %d: the kept documents:\n%+v\nloadCorpus, without the text:\n%+v", step, again.docs, bare)
				}
				if got, err = again.whole(ctx, setting, nil, quiet); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(again.skipped, wantSkipped) || again.id != lc.id {
					t.Fatalf("step %d: from the kept decisions:\n%+v\n%+v\nloadCorpus:\n%+v\n%+v", step, got, again.skipped, want, wantSkipped)
				}
			}
		})
	}
}

// containsLine reports whether a line of out holds every one of parts.
func containsLine(out string, parts ...string) bool {
	for line := range strings.Lines(out) {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}
