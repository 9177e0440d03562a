package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyDir copies the files of src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNewDocumentsAreFoundLikeTheSeeds drops reports written in the style of
// other news sites (an English page with cookie banner and share bar, a
// GB18030 Chinese portal page, a spam repost, a Russian wire story), with no
// metadata, into a corpus beside the seeds: they must be dated by
// heuristics and found first for questions about them.
func TestNewDocumentsAreFoundLikeTheSeeds(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	copyDir(t, "../../corpus/docs", dir)
	copyDir(t, "../../corpus/testdata/sites", dir)

	code, out, errOut := run(t, nil, "", "docs", "--corpus", dir, "--db", db, "--json")
	if code != 0 {
		t.Fatalf("docs: exit %d: %s", code, errOut)
	}
	var docs []struct{ ID, Date, Title string }
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	dates := map[string]string{}
	for _, d := range docs {
		dates[d.ID] = d.Date
	}
	for _, id := range []string{"steppe_herald_astana", "gb18030_portal_summit", "repost_spam_summit", "tass_style_astana"} {
		if dates[id] != "2024-07-04" {
			t.Errorf("%s dated %q, want 2024-07-04 (all: %v)", id, dates[id], dates)
		}
	}

	tests := []struct {
		q     string
		docs  []string // any of these first
		facts []string // any of these in the answer
	}{
		{"Which country was admitted as a full SCO member at the Astana summit in July 2024?",
			[]string{"steppe_herald_astana", "gb18030_portal_summit", "tass_style_astana"}, []string{"Belarus", "白俄罗斯"}},
		{"上合组织阿斯塔纳峰会发表了什么宣言?",
			[]string{"gb18030_portal_summit", "repost_spam_summit", "steppe_herald_astana"}, []string{"阿斯塔纳宣言", "Astana Declaration"}},
		{"Who chaired the SCO summit in Astana in July 2024?",
			[]string{"steppe_herald_astana", "tass_style_astana"}, []string{"Tokayev", "Токаев"}},
		{"Which country will host the next SCO summit after Astana?",
			[]string{"steppe_herald_astana", "gb18030_portal_summit", "tass_style_astana"}, []string{"China", "中国", "Китае"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			code, out, errOut := run(t, nil, "", "ask", "--corpus", dir, "--db", db, "--json", tt.q)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var a struct {
				Answer    string
				Abstained bool
				Passages  []struct{ Doc string }
			}
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatal(err)
			}
			if a.Abstained || len(a.Passages) == 0 {
				t.Fatalf("abstained: %s", a.Answer)
			}
			if !slices.Contains(tt.docs, a.Passages[0].Doc) {
				t.Errorf("first passage from %s, want one of %v", a.Passages[0].Doc, tt.docs)
			}
			found := false
			for _, f := range tt.facts {
				found = found || strings.Contains(a.Answer, f)
			}
			if !found {
				t.Errorf("answer lacks any of %v:\n%s", tt.facts, a.Answer)
			}
		})
	}
}
