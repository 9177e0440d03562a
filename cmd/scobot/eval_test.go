package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extraReport is a report that no built-in document holds, for runs over
// the built-in corpus plus a folder.
const extraReport = "SCO Secretary-General opens the Zenith Hall in Beijing\n\nBEIJING, March 3, 2023 — The Secretary-General of the Shanghai Cooperation Organization opened the Zenith Hall, a new conference centre of the Secretariat, on Friday. The hall seats 400 delegates.\n"

func TestCorpusOfSeveralFolders(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, map[string]string{"900_zenith.txt": extraReport})
	code, out, errOut := run(t, nil, "", "docs", "--json", "--db", t.TempDir(), "--corpus", "builtin,"+dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var docs []struct{ ID string }
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, d := range docs {
		ids[d.ID] = true
	}
	if !ids["900_zenith"] || !ids["000_b54822d210cd7471"] || len(docs) != 6 {
		t.Errorf("docs = %v, want the five built-in reports and 900_zenith", ids)
	}
	// The same ID in a second folder is skipped with a warning, not an error.
	dup := t.TempDir()
	writeCorpus(t, dup, map[string]string{"900_zenith.txt": "Another text about the Zenith Hall.\n"})
	code, out, errOut = run(t, nil, "", "docs", "--json", "--db", t.TempDir(), "--corpus", dir+","+dup)
	if code != 0 || !strings.Contains(errOut, "duplicate document ID 900_zenith") {
		t.Fatalf("exit %d, stderr %q: want a duplicate warning", code, errOut)
	}
	if !strings.Contains(out, "Zenith Hall") || strings.Contains(out, "Another text") {
		t.Errorf("the first folder's document must win: %s", out)
	}
}

func TestEvalSplitHalves(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, map[string]string{"900_zenith.txt": extraReport})
	qa := filepath.Join(t.TempDir(), "qa.jsonl")
	writeCorpus(t, filepath.Dir(qa), map[string]string{"qa.jsonl": `{"id":"z1","question":"How many delegates does the Zenith Hall seat?","docs":["900_zenith"],"facts":[["400"]]}
{"id":"s1","question":"Where was the SCO Council of Foreign Ministers meeting held in July 2021?","docs":["003_e29fc6cbd48e96a3"],"facts":[["Dushanbe"]]}
`})
	split := filepath.Join(t.TempDir(), "split.json")
	writeCorpus(t, filepath.Dir(split), map[string]string{"split.json": `{"halves": {"a": {"docs": ["900_zenith"]}, "b": {"docs": ["003_e29fc6cbd48e96a3"]}}}`})
	code, out, errOut := run(t, nil, "", "eval", "--json", "--db", t.TempDir(), "--corpus", "builtin,"+dir, "--qa", qa, "--split", split, "--half", "b")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Questions   int `json:"questions"`
		PerQuestion []struct {
			ID     string   `json:"id"`
			Ranked []string `json:"ranked"`
		} `json:"per_question"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Questions != 1 || rep.PerQuestion[0].ID != "s1" {
		t.Fatalf("half b should hold s1 only: %+v", rep)
	}
	for _, d := range rep.PerQuestion[0].Ranked {
		if d == "900_zenith" {
			t.Errorf("half b's corpus must not hold half a's report: ranked %v", rep.PerQuestion[0].Ranked)
		}
	}
	if code, _, errOut := run(t, nil, "", "eval", "--qa", qa, "--split", split); code != 2 || !strings.Contains(errOut, "--half") {
		t.Errorf("--split without --half: exit %d, %q", code, errOut)
	}
	// A split that leaves out a document no folder holds (renamed, say)
	// fails: the renamed report would leak into the other half.
	renamed := filepath.Join(t.TempDir(), "split.json")
	writeCorpus(t, filepath.Dir(renamed), map[string]string{"split.json": `{"halves": {"a": {"docs": ["900_zenith", "900_zenith_old"]}, "b": {"docs": ["003_e29fc6cbd48e96a3"]}}}`})
	if code, _, errOut := run(t, nil, "", "eval", "--db", t.TempDir(), "--corpus", "builtin,"+dir, "--qa", qa, "--split", renamed, "--half", "b"); code != 1 || !strings.Contains(errOut, "900_zenith_old") {
		t.Errorf("a split naming a missing document: exit %d, %q", code, errOut)
	}
	// A misspelt field is an error, not a half without its questions.
	typo := filepath.Join(t.TempDir(), "split.json")
	writeCorpus(t, filepath.Dir(typo), map[string]string{"split.json": `{"halves": {"a": {"docs": ["900_zenith"], "unanswerables": ["x"]}, "b": {"docs": ["003_e29fc6cbd48e96a3"]}}}`})
	if code, _, errOut := run(t, nil, "", "eval", "--db", t.TempDir(), "--corpus", "builtin,"+dir, "--qa", qa, "--split", typo, "--half", "b"); code != 1 || !strings.Contains(errOut, "unanswerables") {
		t.Errorf("a split with a misspelt field: exit %d, %q", code, errOut)
	}
}

func TestEvalFloorsFailBelowAFloor(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, map[string]string{"qa.jsonl": `{"id":"s1","question":"Where was the SCO Council of Foreign Ministers meeting held in July 2021?","docs":["003_e29fc6cbd48e96a3"],"facts":[["Dushanbe"]]}
{"id":"w","question":"Who won the 2022 FIFA World Cup?","docs":[],"facts":[]}
`})
	floors := func(mrr string) string {
		p := filepath.Join(dir, "floors.json")
		body := `{"runs": [
		  {"name": "own", "qa": "qa.jsonl", "floors": {"mrr": ` + mrr + `, "abstention_accuracy": 1}},
		  {"name": "elsewhere", "qa": "missing/qa.jsonl", "optional": true, "floors": {"mrr": 1}}
		]}`
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	code, out, errOut := run(t, nil, "", "eval", "--db", t.TempDir(), "--floors", floors("1.0"))
	if code != 0 {
		t.Fatalf("floors that hold: exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "own") || !strings.Contains(out, "elsewhere            skipped") {
		t.Errorf("output should list both runs, the optional one skipped:\n%s", out)
	}
	// A floor above what the run reaches fails the command.
	code, out, errOut = run(t, nil, "", "eval", "--db", t.TempDir(), "--floors", floors("1.01"))
	if code != 1 || !strings.Contains(out, "BELOW FLOOR") || !strings.Contains(errOut, "fell below their floors") {
		t.Errorf("a figure below its floor: exit %d, out %q, err %q", code, out, errOut)
	}
	// --set reaches every run: refusing everything breaks the abstention floor.
	code, out, _ = run(t, nil, "", "eval", "--db", t.TempDir(), "--floors", floors("1.0"), "--set", "AbstainBelow=1.01")
	if code != 1 || !strings.Contains(out, "abstention") {
		t.Errorf("--set AbstainBelow=1.01 with --floors: exit %d, out %q", code, out)
	}
}

// A question set whose documents the corpus lacks is most likely run over
// the wrong corpus: eval says so instead of only scoring zeros.
func TestEvalWarnsOfDocumentsTheCorpusLacks(t *testing.T) {
	qa := filepath.Join(t.TempDir(), "qa.jsonl")
	writeCorpus(t, filepath.Dir(qa), map[string]string{"qa.jsonl": `{"id":"a","question":"Where was the SCO Council of Foreign Ministers meeting held in July 2021?","docs":["no_such_report"],"facts":[["Dushanbe"]]}
`})
	_, out, errOut := run(t, nil, "", "eval", "--db", t.TempDir(), "--qa", qa)
	if !strings.Contains(out+errOut, "the corpus lacks") || !strings.Contains(out+errOut, "no_such_report") {
		t.Errorf("want a warning naming no_such_report:\n%s%s", out, errOut)
	}
}
