package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scobot/scobot/corpus"
)

// TestAddAndRemove runs scobot add and remove in turn on one corpus (the
// built-in one and a folder of the user's) and one folder of added
// reports: what each prints, its exit code, and what the corpus then
// holds.
func TestAddAndRemove(t *testing.T) {
	db, userDir := t.TempDir(), t.TempDir()
	added := filepath.Join(t.TempDir(), "added")
	copyFile(t, filepath.Join(liveDir, "sco_film_festival_qingdao.txt"), filepath.Join(userDir, "user_report.txt"))
	noText := filepath.Join(t.TempDir(), "notext.html") // a page of menus and footers only
	if err := os.WriteFile(noText, []byte(`<html><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav><footer>Copyright 2025 All rights reserved</footer></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	corpusFlag := "builtin," + userDir
	live := func(name string) string { return filepath.Join(liveDir, name) }
	page := []byte(`<html><head><title>The second SCO Film Festival opens in Qingdao</title></head><body><article><h1>The second SCO Film Festival opens in Qingdao</h1>` +
		`<p>2025-06-12 09:00:00 Source: China Daily</p><p>QINGDAO -- The second Film Festival of the Shanghai Cooperation Organization opened on Thursday in the coastal city of Qingdao, with 46 films from the member states in its competition.</p></article></body></html>`)
	fetch := func(_ context.Context, url string) (string, []byte, error) {
		return "fetched_film_festival.html", page, nil
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/2025/06/sco-film-festival.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer site.Close()
	// The steps that fetch from the loopback site allow private addresses.
	private := map[string]map[string]string{
		"a URL that is not found": {"INGEST_ALLOW_PRIVATE": "1"},
		"a URL fetched":           {"INGEST_ALLOW_PRIVATE": "1"},
	}
	steps := []struct {
		name    string
		args    []string
		fetch   pageFetcher
		code    int
		failed  int      // arguments not done
		out     []string // each in stdout
		errOut  []string // each in stderr, one line each
		present []string // added reports on disk afterwards
		absent  []string
	}{
		{"a good file", []string{"add", live("tianjin_development_bank.txt")}, nil, 0, 0,
			[]string{"added tianjin_development_bank", "title:     " + bankTitle, "date:      2025-09-01", "publisher: Xinhua", "languages: en", "chunks:    1", "Index updated:"},
			nil, []string{"tianjin_development_bank.txt"}, nil},
		{"bad files beside a good one", []string{"add", live("binary_report.txt"), live("empty_report.txt"), filepath.Join(t.TempDir(), "missing.txt"), "../../go.mod", noText, live("sco_film_festival_qingdao.txt")}, nil, 1, 5,
			[]string{"added sco_film_festival_qingdao", "title:     " + filmTitle},
			[]string{"binary_report.txt: binary file", "empty_report.txt: empty file", "missing.txt: couldn't open it", "go.mod: not a report file", "notext.html: no article text", "5 of 6 reports not added"},
			[]string{"sco_film_festival_qingdao.txt"}, []string{"binary_report.txt", "empty_report.txt"}},
		{"an ID added before", []string{"add", live("tianjin_development_bank.txt")}, nil, 1, 1,
			nil, []string{"a report with the ID tianjin_development_bank was added before", "--replace"}, nil, nil},
		{"an ID added before, with --replace", []string{"add", "--replace", live("tianjin_development_bank.txt")}, nil, 0, 0,
			[]string{"replaced tianjin_development_bank"}, nil, []string{"tianjin_development_bank.txt"}, nil},
		{"a built-in report's ID", []string{"add", "--replace", "../../corpus/docs/000_b54822d210cd7471.txt"}, nil, 1, 1,
			nil, []string{"the ID 000_b54822d210cd7471 is taken by the report 000_b54822d210cd7471.txt of the built-in corpus"}, nil, []string{"000_b54822d210cd7471.txt"}},
		{"a user folder's ID", []string{"add", filepath.Join(userDir, "user_report.txt")}, nil, 1, 1,
			nil, []string{"the ID user_report is taken by the report user_report.txt of " + userDir}, nil, []string{"user_report.txt"}},
		{"a URL on a private address", []string{"add", site.URL + "/2025/06/sco-film-festival.html"}, nil, 1, 1,
			nil, []string{"is private; set INGEST_ALLOW_PRIVATE to allow it"}, nil, nil},
		{"a URL that is not found", []string{"add", site.URL + "/nothing"}, nil, 1, 1,
			nil, []string{"404 Not Found"}, nil, nil},
		{"a URL fetched", []string{"add", site.URL + "/2025/06/sco-film-festival.html"}, nil, 0, 0,
			[]string{"title:     " + filmTitle, "publisher: China Daily"}, nil, nil, nil},
		{"a URL through a fetcher", []string{"add", "https://news.example/film"}, fetch, 0, 0,
			[]string{"added fetched_film_festival", "title:     " + filmTitle}, nil, []string{"fetched_film_festival.html"}, nil},
		{"remove an added report", []string{"remove", "sco_film_festival_qingdao"}, nil, 0, 0,
			[]string{"removed sco_film_festival_qingdao", "Index updated:"}, nil, nil, []string{"sco_film_festival_qingdao.txt"}},
		{"remove a built-in report", []string{"remove", "000_b54822d210cd7471"}, nil, 1, 1,
			nil, []string{"a built-in report (corpus/docs/000_b54822d210cd7471.txt)", "cannot be removed"}, nil, nil},
		{"remove a user folder's report", []string{"remove", "user_report"}, nil, 1, 1,
			nil, []string{"it is the file " + filepath.Join(userDir, "user_report.txt") + " of the corpus folder"}, nil, nil},
		{"remove an unknown ID", []string{"remove", "no_such_report"}, nil, 1, 1,
			nil, []string{"no_such_report: no report has this ID"}, nil, nil},
	}
	vars := map[string]string{"SCOBOT_ADDED": added}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			getenv := func(k string) string {
				if v, ok := private[s.name][k]; ok {
					return v
				}
				return vars[k]
			}
			m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: getenv, Fetch: s.fetch}
			args := append(append([]string{}, s.args...), "--corpus", corpusFlag, "--db", db)
			if code := m.Run(context.Background(), args); code != s.code {
				t.Errorf("exit %d, want %d (stdout %q, stderr %q)", code, s.code, out.String(), errOut.String())
			}
			for _, w := range s.out {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range s.errOut {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
				}
			}
			if s.code != 0 {
				// One line for each argument not done, and the summary.
				if n, want := strings.Count(errOut.String(), "\n"), s.failed+1; n != want {
					t.Errorf("%d lines on stderr, want %d:\n%s", n, want, errOut.String())
				}
			}
			for _, f := range s.present {
				if _, err := os.Stat(filepath.Join(added, f)); err != nil {
					t.Errorf("%s is not in the folder of added reports: %v", f, err)
				}
			}
			for _, f := range s.absent {
				if _, err := os.Stat(filepath.Join(added, f)); err == nil {
					t.Errorf("%s is in the folder of added reports", f)
				}
			}
		})
	}

	// docs marks the added reports, and only those.
	code, out, errOut := run(t, vars, "", "docs", "--json", "--corpus", corpusFlag, "--db", db)
	if code != 0 {
		t.Fatalf("docs: exit %d: %s", code, errOut)
	}
	var docs []docJSON
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"tianjin_development_bank": true, "fetched_film_festival": true, corpus.PageID(site.URL + "/2025/06/sco-film-festival.html"): true}
	for _, d := range docs {
		if d.Added != want[d.ID] {
			t.Errorf("docs: %s marked added %v, want %v", d.ID, d.Added, want[d.ID])
		}
		delete(want, d.ID)
	}
	if len(want) > 0 {
		t.Errorf("docs does not list %v", want)
	}
	// The added report is answered from, with its citation.
	code, out, _ = run(t, vars, "", "ask", "--json", "--corpus", corpusFlag, "--db", db, bankQ)
	if code != 0 || !strings.Contains(out, bankTitle) {
		t.Errorf("ask after add: exit %d, answer %s", code, out)
	}
}
