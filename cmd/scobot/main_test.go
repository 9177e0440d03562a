package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// run runs scobot with args and returns its exit code, stdout and stderr.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// keys returns the sorted keys of a JSON object.
func keys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, raw)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestAskJSONShape(t *testing.T) {
	db := t.TempDir()
	code, out, errOut := run(t, nil, "", "ask", "--db", db, "--json", "Which foreign ministers did Wang Yi meet in Astana?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var raw json.RawMessage = []byte(out)
	if got, want := keys(t, raw), []string{"abstained", "answer", "citations", "follow_ups", "mode", "passages", "question"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	var a struct {
		Abstained bool
		Mode      string
		Answer    string
		Citations []json.RawMessage
		Passages  []json.RawMessage
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	if a.Abstained || a.Mode != "extractive" || len(a.Citations) == 0 || len(a.Passages) == 0 {
		t.Fatalf("answer = %+v", a)
	}
	if got, want := keys(t, a.Citations[0]), []string{"date", "doc", "n", "source", "title", "url"}; !slices.Equal(got, want) {
		t.Errorf("citation keys = %v, want %v", got, want)
	}
	if got, want := keys(t, a.Passages[0]), []string{"chunk", "doc", "score", "text"}; !slices.Equal(got, want) {
		t.Errorf("passage keys = %v, want %v", got, want)
	}
	if !strings.Contains(a.Answer, "Lavrov") {
		t.Errorf("the answer should name Lavrov:\n%s", a.Answer)
	}
}

func TestAskAbstainsAsJSON(t *testing.T) {
	code, out, _ := run(t, nil, "", "ask", "--db", t.TempDir(), "--json", "Who won the 2022 FIFA World Cup?")
	var a struct {
		Abstained bool
		Citations []any
	}
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("exit %d, out %s", code, out)
	}
	if !a.Abstained || a.Citations == nil || len(a.Citations) != 0 {
		t.Errorf("want abstained with an empty citation list, got %s", out)
	}
}

func TestAskText(t *testing.T) {
	code, out, _ := run(t, nil, "", "ask", "--db", t.TempDir(), "What did Wang Yi say about vaccine nationalism?")
	if code != 0 || !strings.Contains(out, "Sources:") || !strings.Contains(out, "[1] ") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

// writeCorpus writes files into a fresh corpus folder.
func writeCorpus(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type indexStats struct {
	Added, Updated, Removed, Unchanged, Chunks, Embedded int
	Seconds                                              float64
}

func indexJSON(t *testing.T, corpusDir, db string) indexStats {
	t.Helper()
	code, out, errOut := run(t, nil, "", "index", "--corpus", corpusDir, "--db", db, "--json")
	if code != 0 {
		t.Fatalf("index exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	var raw json.RawMessage = []byte(last)
	if got, want := keys(t, raw), []string{"added", "chunks", "embedded", "removed", "seconds", "unchanged", "updated"}; !slices.Equal(got, want) {
		t.Fatalf("index JSON keys = %v, want %v", got, want)
	}
	var st indexStats
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestIndexIsIncremental(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	writeCorpus(t, dir, map[string]string{
		"a.txt": "Wang Yi met Lavrov in Astana on May 21, 2024.\n\nThey discussed the SCO summit in July.",
		"b.md":  "# Dushanbe meeting\n\nOn July 14, 2021, the SCO foreign ministers met in Dushanbe.",
	})
	st := indexJSON(t, dir, db)
	if st.Added != 2 || st.Embedded == 0 || st.Embedded != st.Chunks {
		t.Fatalf("first index = %+v", st)
	}
	st = indexJSON(t, dir, db)
	if st.Embedded != 0 || st.Unchanged != 2 || st.Added != 0 {
		t.Fatalf("unchanged corpus = %+v, want embedded 0", st)
	}
	writeCorpus(t, dir, map[string]string{"a.txt": "Wang Yi met Lavrov and Aleinik in Astana on May 21, 2024."})
	st = indexJSON(t, dir, db)
	if st.Updated != 1 || st.Unchanged != 1 || st.Embedded == 0 || st.Embedded >= st.Chunks+1 {
		t.Fatalf("one changed document = %+v", st)
	}
	if err := os.Remove(filepath.Join(dir, "b.md")); err != nil {
		t.Fatal(err)
	}
	st = indexJSON(t, dir, db)
	if st.Removed != 1 || st.Embedded != 0 {
		t.Fatalf("one removed document = %+v", st)
	}
	code, out, _ := run(t, nil, "", "ask", "--corpus", dir, "--db", db, "--json", "What happened in Dushanbe?")
	if code != 0 || strings.Contains(out, `"doc": "b"`) {
		t.Errorf("a removed document must not be retrieved: %s", out)
	}
}

func TestDocsJSON(t *testing.T) {
	code, out, errOut := run(t, nil, "", "docs", "--db", t.TempDir(), "--json", "--chunks")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var docs []json.RawMessage
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 5 {
		t.Fatalf("want 5 documents, got %d (%v)", len(docs), err)
	}
	if got, want := keys(t, docs[0]), []string{"chunk_count", "chunks", "date", "id", "langs", "source", "title", "url"}; !slices.Equal(got, want) {
		t.Errorf("doc keys = %v, want %v", got, want)
	}
	var parsed []struct {
		ID, Date string
		Chunks   []json.RawMessage
	}
	_ = json.Unmarshal([]byte(out), &parsed)
	wantDates := map[string]string{
		"000_b54822d210cd7471": "2024-05-21",
		"001_14086ad8159a262e": "2024-05-21",
		"002_c42d388d6a7d4817": "2020-09-16",
		"003_e29fc6cbd48e96a3": "2021-07-14",
		"004_73a6135f73033407": "2020-11-05",
	}
	for _, d := range parsed {
		if wantDates[d.ID] != d.Date {
			t.Errorf("%s dated %q, want %q", d.ID, d.Date, wantDates[d.ID])
		}
		if len(d.Chunks) == 0 {
			t.Errorf("%s: --chunks gave no chunks", d.ID)
			continue
		}
		if got, want := keys(t, d.Chunks[0]), []string{"id", "lang", "text"}; !slices.Equal(got, want) {
			t.Errorf("chunk keys = %v, want %v", got, want)
		}
	}
}

func TestEvalJSON(t *testing.T) {
	qa := filepath.Join(t.TempDir(), "qa.jsonl")
	writeCorpus(t, filepath.Dir(qa), map[string]string{"qa.jsonl": `{"id":"a","question":"Where was the SCO Council of Foreign Ministers meeting held in July 2021?","docs":["003_e29fc6cbd48e96a3"],"facts":[["Dushanbe"]]}
{"id":"b","question":"Who won the 2022 FIFA World Cup?","docs":[],"facts":[]}
`})
	code, out, errOut := run(t, nil, "", "eval", "--db", t.TempDir(), "--qa", qa, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var raw json.RawMessage = []byte(out)
	if got, want := keys(t, raw), []string{"abstention_accuracy", "answerable", "fact_coverage", "k", "mrr", "per_question", "questions", "recall_at_1", "recall_at_k", "retriever"}; !slices.Equal(got, want) {
		t.Errorf("eval keys = %v, want %v", got, want)
	}
	var rep struct {
		Questions          int
		RecallAtK          float64 `json:"recall_at_k"`
		AbstentionAccuracy float64 `json:"abstention_accuracy"`
	}
	_ = json.Unmarshal(raw, &rep)
	if rep.Questions != 2 || rep.RecallAtK != 1 || rep.AbstentionAccuracy != 1 {
		t.Errorf("report = %+v", rep)
	}
	code, out, _ = run(t, nil, "", "eval", "--db", t.TempDir(), "--qa", qa, "--retriever", "all")
	for _, row := range []string{"vector ", "lexical ", "hybrid "} {
		if code != 0 || !strings.Contains(out, row) {
			t.Errorf("--retriever all: exit %d, no %q row in\n%s", code, row, out)
		}
	}
}

func TestChat(t *testing.T) {
	in := "What did Wang Yi say about vaccine nationalism?\n\n\nnot reached\n"
	code, out, errOut := run(t, nil, in, "chat", "--db", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "vaccine nationalism") || strings.Count(out, "Sources:") != 1 {
		t.Errorf("chat should answer once and stop at the empty line:\n%s", out)
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	db := t.TempDir()
	bad := filepath.Join(t.TempDir(), "index")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "index.chromem"), []byte("not a snapshot"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, exitUsage, ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"bad flag", []string{"ask", "--bogus", "q"}, exitUsage, "bogus"},
		{"no question", []string{"ask", "--db", db}, exitUsage, "give a question"},
		{"missing corpus", []string{"ask", "--db", db, "--corpus", "/nonexistent/scobot", "q?"}, exitError, "does not exist"},
		{"empty corpus", []string{"ask", "--db", db, "--corpus", t.TempDir(), "q?"}, exitError, "no documents"},
		{"eval without file", []string{"eval", "--db", db}, exitUsage, "--qa"},
		{"eval missing file", []string{"eval", "--db", db, "--qa", "/nonexistent.jsonl"}, exitError, "couldn't open"},
		{"bad retriever", []string{"ask", "--db", db, "--retriever", "magic", "q?"}, exitUsage, "unknown retriever"},
		{"bad k", []string{"ask", "--db", db, "--k", "-3", "q?"}, exitUsage, "--k must be positive"},
		{"brief bad k", []string{"brief", "--db", db, "--k", "0", "topic"}, exitUsage, "--k must be positive"},
		{"floors with a flag they override", []string{"eval", "--db", db, "--floors", "../../eval/floors.json", "--k", "1", "-v"}, exitUsage, "no --k, --v"},
		{"calibrate on an unknown run", []string{"calibrate", "--db", db, "--floors", "../../eval/floors.json", "--runs", "qa,nosuch"}, exitUsage, `no run "nosuch"`},
		{"calibrate run weight outside --runs", []string{"calibrate", "--db", db, "--floors", "../../eval/floors.json", "--runs", "qa", "--run-weight", "dev=2"}, exitUsage, "not one of --runs"},
		{"calibrate negative l2", []string{"calibrate", "--db", db, "--l2", "-1"}, exitUsage, "--l2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, nil, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr: %s", errOut)
			}
		})
	}
	// --rebuild recovers from an unreadable index.
	if code, _, errOut := run(t, nil, "", "index", "--db", bad, "--rebuild"); code != 0 {
		t.Errorf("index --rebuild: exit %d: %s", code, errOut)
	}
}

func TestSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, map[string]string{"only.txt": "The SCO foreign ministers met in Dushanbe on July 14, 2021."})
	dotenv := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(dotenv, []byte("# comment\nexport SCOBOT_CORPUS=\"/nonexistent\"\nSCOBOT_DB="+t.TempDir()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, DotenvPath: dotenv,
		Getenv: func(k string) string { return map[string]string{"SCOBOT_CORPUS": dir}[k] }}
	// The environment's corpus wins over .env's.
	if code := m.Run(context.Background(), []string{"docs", "--json"}); code != 0 || !strings.Contains(out.String(), `"only"`) {
		t.Fatalf("exit %d, out %s, err %s", code, out.String(), errOut.String())
	}
	// A flag wins over both.
	out.Reset()
	if code := m.Run(context.Background(), []string{"docs", "--json", "--corpus", "/also/nonexistent"}); code != exitError {
		t.Errorf("the --corpus flag should win: exit %d", code)
	}
}

func TestParseDotenv(t *testing.T) {
	got, err := parseDotenv(strings.NewReader("A=1\n# c\n\nexport B = two words # note\nC='x # y'\n"), ".env")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "1", "B": "two words", "C": "x # y"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if _, err := parseDotenv(strings.NewReader("A=1\nnonsense\n"), ".env"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("want an error naming line 2, got %v", err)
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	c := &cli{env: env{getenv: func(string) string { return "" }}}
	m := &Main{Stderr: &bytes.Buffer{}}
	fs := c.flagSet(m, "ask", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := c.parse(fs, []string{"what", "--json", "is", "--", "--not-a-flag"})
	if err != nil || !*asJSON || strings.Join(pos, " ") != "what is --not-a-flag" {
		t.Errorf("pos %v, json %v, err %v", pos, *asJSON, err)
	}
}

func TestChatResolvesFollowUps(t *testing.T) {
	in := "What did Wang Yi propose in Dushanbe?\nwhat about vaccines?\n"
	code, out, errOut := run(t, nil, in, "chat", "--db", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	answers := strings.Split(out, "\nSources:")
	if len(answers) != 3 {
		t.Fatalf("want two answers with sources, got:\n%s", out)
	}
	// The follow-up borrows "Wang Yi … Dushanbe" from the first question:
	// it is answered from the 2021 Dushanbe report.
	if !strings.Contains(answers[1], "vaccine") || !strings.Contains(answers[2], "2021-07-14") {
		t.Errorf("the follow-up was not resolved against the first question:\n%s", out)
	}
}

// A line over the old 1 MB scanner limit (a paste gone wrong) gets a
// refusal, and the questions after it are still answered.
func TestChatSurvivesAHugeLine(t *testing.T) {
	huge := strings.Repeat("Wang Yi ", (1<<20)/8+100) // over 1 MiB, no newline inside
	in := huge + "\nWhat did Wang Yi say about vaccine nationalism?\n\n"
	code, out, errOut := run(t, nil, in, "chat", "--db", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "too long") {
		t.Errorf("no refusal of the huge line:\n%.2000s", out)
	}
	if !strings.Contains(out, "vaccine nationalism") || strings.Count(out, "Sources:") != 1 {
		t.Errorf("the question after the huge line was not answered:\n%.2000s", out)
	}
}
