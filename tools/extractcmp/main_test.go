package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/scobot/scobot/corpus"
)

// TestDefaultIsBest holds the decision the table made: on every set, the
// default extractor keeps at least as much of the article as the cleaner
// it replaced and leaves no more page furniture than either extractor
// alone, and on the HTML pages it leaves fewer lines outside the article
// than either. (Readability alone keeps one realdev passage more, with
// four times the furniture.) realdev is measured
// when ../shared/realdev is there.
func TestDefaultIsBest(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	realdev := filepath.Join(root, "..", "shared", "realdev")
	if _, err := os.Stat(realdev); err != nil {
		t.Logf("realdev not measured: %v", err)
	}
	rows, err := compare(root, realdev, nil)
	if err != nil {
		t.Fatal(err)
	}
	bySet := map[string]map[corpus.Extractor]row{}
	for _, r := range rows {
		if bySet[r.set] == nil {
			bySet[r.set] = map[corpus.Extractor]row{}
		}
		bySet[r.set][r.x] = r
	}
	if len(bySet["html"]) == 0 || len(bySet["seeds"]) == 0 {
		t.Fatalf("sets measured: %v", bySet)
	}
	share := func(n, d int) float64 {
		if d == 0 {
			return 0
		}
		return float64(n) / float64(d)
	}
	for set, xs := range bySet {
		best := xs[corpus.DefaultExtractor]
		for x, r := range xs {
			if x == corpus.DefaultExtractor {
				continue
			}
			if x == corpus.ExtractCleaner && share(best.keptSents, best.refSents) < share(r.keptSents, r.refSents) {
				t.Errorf("%s: %s keeps %d/%d of the article, %s %d/%d", set, corpus.DefaultExtractor, best.keptSents, best.refSents, x, r.keptSents, r.refSents)
			}
			if share(best.furniture, best.lines) > share(r.furniture, r.lines) {
				t.Errorf("%s: %s leaves %d/%d furniture lines, %s %d/%d", set, corpus.DefaultExtractor, best.furniture, best.lines, x, r.furniture, r.lines)
			}
			if set == "html" && share(best.offRef, best.lines) >= share(r.offRef, r.lines) {
				t.Errorf("html: %s leaves %d/%d lines outside the article, %s %d/%d", corpus.DefaultExtractor, best.offRef, best.lines, x, r.offRef, r.lines)
			}
		}
	}
}

// TestFlatPage: scraped text becomes one paragraph per block, its lines
// joined by <br>, markdown links as links, all escaped.
func TestFlatPage(t *testing.T) {
	got := flatPage("# Title\n\nline one\nline <two>\n\n- [Home](/) & more\n")
	want := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body><div>\n" +
		"<h2>Title</h2>\n<p>line one<br>\nline &lt;two&gt;</p>\n<li><a href=\"/\">Home</a> &amp; more</li>\n</div></body></html>\n"
	if got != want {
		t.Errorf("flatPage =\n%s\nwant\n%s", got, want)
	}
}
