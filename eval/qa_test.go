package eval_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

const (
	qaPath   = "qa.jsonl"
	devPath  = "../../shared/eval/dev.jsonl" // /work/shared/eval/dev.jsonl seen from /work/main/eval
	docsDir  = "../corpus/docs"
	minTotal = 48
)

// question is one line of a question set.
type question struct {
	ID       string     `json:"id"`
	Question string     `json:"question"`
	Docs     []string   `json:"docs"`
	Facts    [][]string `json:"facts"`
	Tags     []string   `json:"tags"`
}

// knownTags are the tags a line may carry.
var knownTags = []string{"zh", "en", "crosslingual", "date", "abstain", "followup-free"}

// document is a raw corpus file and the languages it is written in.
type document struct {
	text  string
	langs []string // "zh" and/or "en"
}

func TestQuestionSets(t *testing.T) {
	docs := loadDocs(t, docsDir)
	tests := []struct {
		name     string
		path     string
		optional bool // skip when the file is absent
		tagged   bool // lines must carry tags that agree with their content
	}{
		{name: "qa", path: qaPath, tagged: true},
		{name: "dev", path: devPath, optional: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(tt.path)
			if tt.optional && errors.Is(err, fs.ErrNotExist) {
				t.Skipf("%s is absent", tt.path)
			}
			if err != nil {
				t.Fatalf("couldn't read %s: %v", tt.path, err)
			}
			qs, problems := parseQuestions(data)
			problems = append(problems, checkQuestions(qs, docs)...)
			if tt.tagged {
				problems = append(problems, checkTags(qs, docs)...)
			}
			for _, p := range problems {
				t.Errorf("%s: %s", tt.path, p)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	data, err := os.ReadFile(qaPath)
	if err != nil {
		t.Fatalf("couldn't read %s: %v", qaPath, err)
	}
	qs, problems := parseQuestions(data)
	if len(problems) > 0 {
		t.Fatalf("%s does not parse: %v", qaPath, problems)
	}
	docs := loadDocs(t, docsDir)

	tagged := func(tag string) func(question) bool {
		return func(q question) bool { return slices.Contains(q.Tags, tag) }
	}
	type rule struct {
		name  string
		match func(question) bool
		min   int
	}
	rules := []rule{
		{name: "all", match: func(question) bool { return true }, min: minTotal},
		{name: "zh", match: tagged("zh"), min: 18},
		{name: "en", match: tagged("en"), min: 18},
		{name: "crosslingual", match: tagged("crosslingual"), min: 12},
		{name: "date", match: tagged("date"), min: 6},
		{name: "abstain", match: tagged("abstain"), min: 10},
	}
	for id := range docs {
		rules = append(rules, rule{
			name:  "doc " + id,
			match: func(q question) bool { return slices.Contains(q.Docs, id) },
			min:   6,
		})
	}
	slices.SortFunc(rules, func(a, b rule) int { return strings.Compare(a.name, b.name) })

	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			n := 0
			for _, q := range qs {
				if r.match(q) {
					n++
				}
			}
			if n < r.min {
				t.Errorf("%d questions, want at least %d", n, r.min)
			}
		})
	}
}

func TestQANotInDev(t *testing.T) {
	dev, err := os.ReadFile(devPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent", devPath)
	}
	if err != nil {
		t.Fatalf("couldn't read %s: %v", devPath, err)
	}
	qa, err := os.ReadFile(qaPath)
	if err != nil {
		t.Fatalf("couldn't read %s: %v", qaPath, err)
	}
	devQs, _ := parseQuestions(dev)
	qaQs, _ := parseQuestions(qa)
	seen := make(map[string]string)
	for _, q := range devQs {
		seen[q.Question] = q.ID
		seen[q.ID] = q.ID
	}
	for _, q := range qaQs {
		if id, ok := seen[q.Question]; ok {
			t.Errorf("%s repeats %s's question %q", q.ID, id, q.Question)
		}
		if _, ok := seen[q.ID]; ok {
			t.Errorf("id %s is also used in %s", q.ID, devPath)
		}
	}
}

// TestCheckersCatchMistakes makes sure the checks above are not vacuous: each
// broken line must be reported with the expected complaint.
func TestCheckersCatchMistakes(t *testing.T) {
	docs := map[string]document{
		"zh_doc": {text: "王毅在阿斯塔纳出席会议。", langs: []string{"zh"}},
		"en_doc": {text: "Wang Yi attended the meeting in Dushanbe.", langs: []string{"en"}},
	}
	tests := []struct {
		name string
		data string
		want string // substring of one reported problem
	}{
		{
			name: "invalid JSON",
			data: `{"id": "x1", "question": "Where?", `,
			want: "invalid JSON",
		},
		{
			name: "unknown field",
			data: `{"id": "x1", "question": "Where?", "docs": [], "facts": [], "tags": ["en", "abstain"], "answer": "no"}`,
			want: "invalid JSON",
		},
		{
			name: "duplicate id",
			data: `{"id": "x1", "question": "Who won?", "docs": [], "facts": [], "tags": ["en", "abstain"]}
{"id": "x1", "question": "Who lost?", "docs": [], "facts": [], "tags": ["en", "abstain"]}`,
			want: "duplicate id",
		},
		{
			name: "missing document",
			data: `{"id": "x1", "question": "Where?", "docs": ["nope"], "facts": [["Dushanbe"]], "tags": ["en"]}`,
			want: "no such document",
		},
		{
			name: "fact not in document",
			data: `{"id": "x1", "question": "Where?", "docs": ["en_doc"], "facts": [["Astana", "阿斯塔纳"]], "tags": ["en"]}`,
			want: "occurs in none of",
		},
		{
			name: "abstain with facts",
			data: `{"id": "x1", "question": "Where?", "docs": [], "facts": [["Dushanbe"]], "tags": ["en", "abstain"]}`,
			want: "abstains but has facts",
		},
		{
			name: "answerable without facts",
			data: `{"id": "x1", "question": "Where?", "docs": ["en_doc"], "facts": [], "tags": ["en"]}`,
			want: "has no facts",
		},
		{
			name: "empty alternative",
			data: `{"id": "x1", "question": "Where?", "docs": ["en_doc"], "facts": [["Dushanbe", ""]], "tags": ["en"]}`,
			want: "empty alternative",
		},
		{
			name: "wrong language tag",
			data: `{"id": "x1", "question": "会议在哪里举行?", "docs": ["zh_doc"], "facts": [["阿斯塔纳"]], "tags": ["en"]}`,
			want: "language tag",
		},
		{
			name: "unknown tag",
			data: `{"id": "x1", "question": "Where?", "docs": ["en_doc"], "facts": [["Dushanbe"]], "tags": ["en", "sport"]}`,
			want: "unknown tag",
		},
		{
			name: "abstain tag missing",
			data: `{"id": "x1", "question": "Who won?", "docs": [], "facts": [], "tags": ["en"]}`,
			want: "abstain",
		},
		{
			name: "crosslingual tag missing",
			data: `{"id": "x1", "question": "Where did Wang Yi go?", "docs": ["zh_doc"], "facts": [["阿斯塔纳"]], "tags": ["en"]}`,
			want: "crosslingual",
		},
		{
			name: "crosslingual tag wrong",
			data: `{"id": "x1", "question": "Where did Wang Yi go?", "docs": ["en_doc"], "facts": [["Dushanbe"]], "tags": ["en", "crosslingual"]}`,
			want: "crosslingual",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, problems := parseQuestions([]byte(tt.data))
			problems = append(problems, checkQuestions(qs, docs)...)
			problems = append(problems, checkTags(qs, docs)...)
			for _, p := range problems {
				if strings.Contains(p, tt.want) {
					return
				}
			}
			t.Errorf("no problem mentions %q; got %q", tt.want, problems)
		})
	}

	t.Run("good line passes", func(t *testing.T) {
		data := `{"id": "x1", "question": "王毅在杜尚别说了什么?", "docs": ["en_doc"], "facts": [["Dushanbe", "杜尚别"]], "tags": ["zh", "crosslingual"]}`
		qs, problems := parseQuestions([]byte(data))
		problems = append(problems, checkQuestions(qs, docs)...)
		problems = append(problems, checkTags(qs, docs)...)
		if len(problems) > 0 {
			t.Errorf("unexpected problems: %q", problems)
		}
	})
}

// parseQuestions decodes one JSON object per non-blank line, rejecting
// unknown fields and trailing data.
func parseQuestions(data []byte) ([]question, []string) {
	var (
		qs       []question
		problems []string
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var q question
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			problems = append(problems, fmt.Sprintf("line %d: invalid JSON: %v", n, err))
			continue
		}
		if dec.More() {
			problems = append(problems, fmt.Sprintf("line %d: invalid JSON: trailing data", n))
			continue
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Sprintf("couldn't scan lines: %v", err))
	}
	return qs, problems
}

// checkQuestions checks what every question set must satisfy: unique ids,
// existing documents, facts that occur verbatim in a listed document and no
// facts on lines the corpus cannot answer.
func checkQuestions(qs []question, docs map[string]document) []string {
	var problems []string
	report := func(q question, format string, args ...any) {
		problems = append(problems, q.ID+": "+fmt.Sprintf(format, args...))
	}
	ids := make(map[string]bool)
	for _, q := range qs {
		if q.ID == "" {
			report(q, "empty id (question %q)", q.Question)
		}
		if ids[q.ID] {
			report(q, "duplicate id")
		}
		ids[q.ID] = true
		if strings.TrimSpace(q.Question) == "" {
			report(q, "empty question")
		}
		listed := make(map[string]bool)
		for _, id := range q.Docs {
			if _, ok := docs[id]; !ok {
				report(q, "no such document %q in %s", id, docsDir)
			}
			if listed[id] {
				report(q, "document %q listed twice", id)
			}
			listed[id] = true
		}
		if len(q.Docs) == 0 && len(q.Facts) > 0 {
			report(q, "abstains but has facts %q", q.Facts)
		}
		if len(q.Docs) > 0 && len(q.Facts) == 0 {
			report(q, "has no facts")
		}
		for _, group := range q.Facts {
			if len(group) == 0 {
				report(q, "empty fact group")
				continue
			}
			if slices.Contains(group, "") {
				report(q, "empty alternative in %q", group)
				continue
			}
			if !anyOccurs(group, q.Docs, docs) {
				report(q, "fact group %q occurs in none of %q", group, q.Docs)
			}
		}
	}
	return problems
}

// anyOccurs reports whether some alternative occurs verbatim in the raw text
// of some listed document.
func anyOccurs(alternatives, ids []string, docs map[string]document) bool {
	for _, id := range ids {
		for _, alt := range alternatives {
			if strings.Contains(docs[id].text, alt) {
				return true
			}
		}
	}
	return false
}

// checkTags checks that tags are known and agree with the line: exactly one
// language tag matching the question's script, "abstain" exactly when no
// document is listed, and "crosslingual" exactly when no listed document is
// written in the question's language.
func checkTags(qs []question, docs map[string]document) []string {
	var problems []string
	report := func(q question, format string, args ...any) {
		problems = append(problems, q.ID+": "+fmt.Sprintf(format, args...))
	}
	for _, q := range qs {
		for _, tag := range q.Tags {
			if !slices.Contains(knownTags, tag) {
				report(q, "unknown tag %q", tag)
			}
		}
		lang := questionLang(q.Question)
		var langTags []string
		for _, tag := range q.Tags {
			if tag == "zh" || tag == "en" {
				langTags = append(langTags, tag)
			}
		}
		if len(langTags) != 1 || langTags[0] != lang {
			report(q, "language tag %q, but the question is %s", langTags, lang)
		}
		if abstain := slices.Contains(q.Tags, "abstain"); abstain != (len(q.Docs) == 0) {
			report(q, "tag abstain is %t but %d documents are listed", abstain, len(q.Docs))
		}
		if len(q.Docs) == 0 {
			if slices.Contains(q.Tags, "crosslingual") {
				report(q, "an abstain line cannot be crosslingual")
			}
			continue
		}
		sameLang := false
		for _, id := range q.Docs {
			if slices.Contains(docs[id].langs, lang) {
				sameLang = true
			}
		}
		if cross := slices.Contains(q.Tags, "crosslingual"); cross == sameLang {
			report(q, "tag crosslingual is %t but a listed document in %s exists: %t", cross, lang, sameLang)
		}
	}
	return problems
}

// questionLang returns "zh" for a question containing Han characters and
// "en" otherwise.
func questionLang(s string) string {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return "zh"
		}
	}
	return "en"
}

// loadDocs reads every .txt file in dir, keyed by its name without the
// extension.
func loadDocs(t *testing.T, dir string) map[string]document {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatalf("couldn't list %s: %v", dir, err)
	}
	if len(paths) == 0 {
		t.Fatalf("no documents in %s", dir)
	}
	docs := make(map[string]document, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("couldn't read %s: %v", p, err)
		}
		text := string(data)
		id := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		docs[id] = document{text: text, langs: docLangs(text)}
	}
	return docs
}

// docLangs says which languages a raw document carries article text in,
// judged by how many Han characters and Latin letters it holds; the
// thresholds sit far above the stray letters of URLs and menus.
func docLangs(text string) []string {
	var han, latin int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			latin++
		}
	}
	var langs []string
	if han >= 300 {
		langs = append(langs, "zh")
	}
	if latin >= 1000 {
		langs = append(langs, "en")
	}
	return langs
}
