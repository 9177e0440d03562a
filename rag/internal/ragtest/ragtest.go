// Package ragtest holds what the tests of scobot's rag packages share: a
// small bilingual corpus in the shape of the real one, the built-in
// glossaries, fakes of the vector index, the query embedder and the
// language model, and golden files. It is imported by tests only.
package ragtest

import (
	"context"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
)

// update makes Golden rewrite the golden files: go test -update.
var update = flag.Bool("update", false, "rewrite golden files")

// Fixture is a tiny bilingual corpus in the shape of the real one: a
// Chinese report of the 2024 Astana meeting (four proposals, talks with
// Lavrov), an English one of the 2021 Dushanbe meeting (a five-point
// proposal, vaccine nationalism) and an English briefing on the 2020
// summit (Le Yucheng, held by video).
func Fixture() []rag.Chunk {
	astana := rag.Chunk{Doc: "astana-mfa", Lang: "zh", Title: "王毅出席上海合作组织成员国外长理事会会议", Date: "2024-05-21", Source: "外交部 <b>&</b>", URL: "https://example.org/a"}
	dushanbe := rag.Chunk{Doc: "dushanbe", Lang: "en", Title: "Wang Yi Attends SCO Council of Foreign Ministers", Date: "2021-07-14", Source: "MFA"}
	briefing := rag.Chunk{Doc: "briefing", Lang: "en", Title: "Briefing on the 20th SCO summit", Date: "2020-11-05", Source: "Xinhua"}
	mk := func(base rag.Chunk, pos int, text string) rag.Chunk {
		base.Pos = pos
		base.ID = base.Doc + "#" + strconv.Itoa(pos)
		base.Text = text
		return base
	}
	return []rag.Chunk{
		mk(astana, 0, "当地时间2024年5月21日，外交部长王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议。"),
		mk(astana, 1, "王毅提出四点建议：\n\n一要坚持战略自主，保持团结协作。\n\n二要坚持安危共担，提升协作水平。\n\n三要坚持普惠共赢，赋能合作发展。\n\n四要坚持开放包容，深化交流互鉴。"),
		mk(astana, 2, "出席会议期间，王毅分别同俄罗斯外长拉夫罗夫、白俄罗斯外长阿列伊尼克举行了双边会谈。"),
		mk(dushanbe, 0, "On July 14, 2021, Wang Yi attended the meeting of the SCO Council of Foreign Ministers in Dushanbe. In this regard, Wang Yi put forward a five-point proposal."),
		mk(dushanbe, 1, "Third, the countries should firmly oppose \"vaccine nationalism\" and bridge the global \"vaccine divide\"."),
		mk(briefing, 0, "Vice Foreign Minister Le Yucheng said President Xi Jinping will attend the 20th meeting of the Council of Heads of State of the SCO on November 10. The summit will be held by video."),
	}
}

// Glossaries returns the built-in glossary of names and lexicon of
// ordinary words.
func Glossaries(t testing.TB) (names, words *glossary.Glossary) {
	t.Helper()
	names, err := glossary.Default()
	if err != nil {
		t.Fatal(err)
	}
	words, err = glossary.Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	return names, words
}

// Contains reports whether text is verbatim in one of chunks.
func Contains(chunks []rag.Chunk, text string) bool {
	for _, c := range chunks {
		if strings.Contains(c.Text, text) {
			return true
		}
	}
	return false
}

// MarkerRE finds the citation markers of an answer: [1].
var MarkerRE = regexp.MustCompile(`\[(\d+)\]`)

// Vectors is a fake vector index: it ranks Order in that order, or fails
// with Err, and counts its calls. Use it with Embedder.
type Vectors struct {
	Order []rag.Chunk // the ranking, best first
	Err   error       // when set, every search fails with it
	Calls int         // searches so far
}

// Search returns the first k chunks of Order, scored 1, 1/2, 1/3 …
func (f *Vectors) Search(_ context.Context, _ []float32, k int, _ map[string]bool) ([]rag.Passage, error) {
	f.Calls++
	if f.Err != nil {
		return nil, f.Err
	}
	var out []rag.Passage
	for i, c := range f.Order {
		if i == k {
			break
		}
		out = append(out, rag.Passage{Chunk: c, Score: 1 / float64(i+1)})
	}
	return out, nil
}

// Embedder is a fake query embedder: every question is the same vector,
// or fails with Err.
type Embedder struct {
	Err error // when set, every question fails with it
}

// EmbedQuery returns [1] and Err.
func (f Embedder) EmbedQuery(context.Context, string) ([]float32, error) {
	return []float32{1}, f.Err
}

// Generator is a fake language model: it replies with what Reply returns,
// streamed word by word (the text so far after each word), and records the
// prompts it was given. A reply with an error wrapping rag.ErrTruncated is
// streamed and returned with its error, as a cut-off reply is.
type Generator struct {
	Reply   func(system, user string) (string, error) // the reply to one call
	Systems []string                                  // the system prompts given, in order
	Users   []string                                  // the user prompts given, in order
}

var _ rag.Generator = (*Generator)(nil)

// Generate records the prompts and replies.
func (f *Generator) Generate(_ context.Context, system, user string, onText func(string)) (string, error) {
	f.Systems = append(f.Systems, system)
	f.Users = append(f.Users, user)
	text, err := f.Reply(system, user)
	if err != nil && !errors.Is(err, rag.ErrTruncated) {
		return "", err
	}
	if onText != nil {
		sofar := ""
		for _, w := range strings.SplitAfter(text, " ") {
			sofar += w
			onText(sofar)
		}
	}
	return text, err
}

// Golden compares got with the file testdata/name of the calling test's
// package, rewriting it first when the tests run with -update.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// RandomUnit returns a pseudo-random unit vector of dimension dim from r
// (seeded by the caller, so a test's vectors are the same every run): a
// dense embedding as an API embedder gives.
func RandomUnit(r *rand.Rand, dim int) []float32 {
	v := make([]float32, dim)
	var sq float64
	for i := range v {
		x := r.NormFloat64()
		v[i] = float32(x)
		sq += x * x
	}
	norm := math.Sqrt(sq)
	for i := range v {
		v[i] = float32(float64(v[i]) / norm)
	}
	return v
}
