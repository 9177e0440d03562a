package corpus

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden compares each seed's cleaned text, and its metadata, with the
// files under testdata/golden (regenerate with -update, then read them).
func TestGolden(t *testing.T) {
	res, err := Load(context.Background(), Embedded(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 0 {
		t.Fatalf("skipped seeds: %v", res.Skipped)
	}
	for _, d := range res.Docs {
		t.Run(d.ID, func(t *testing.T) {
			var b strings.Builder
			for _, p := range d.Parts {
				b.WriteString("=== part " + p.Lang + "\n")
				b.WriteString(p.Text)
				b.WriteString("\n")
			}
			checkGolden(t, filepath.Join("testdata", "golden", d.ID+".txt"), b.String())
			meta := struct {
				ID, Title, Date, Source, URL, File string
				Langs                              []string
			}{d.ID, d.Title, d.Date, d.Source, d.URL, d.File, d.Langs}
			js, err := json.MarshalIndent(meta, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "golden", d.ID+".meta.json"), string(js)+"\n")
		})
	}
}

func checkGolden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output:\n%s", file, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
