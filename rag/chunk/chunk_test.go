package chunk

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/tokens"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func doc(id string, parts ...corpus.Part) corpus.Document {
	return corpus.Document{
		ID: id, Title: "Title " + id, Date: "2021-07-14", Source: "MFA", URL: "https://example.org/" + id, Parts: parts,
	}
}

// enPara returns an English paragraph of n sentences of 10 words (15 units).
func enPara(tag string, n int) string {
	var s []string
	for i := range n {
		s = append(s, fmt.Sprintf("Sentence %s%d says that member states should strengthen their cooperation.", tag, i))
	}
	return strings.Join(s, " ")
}

// zhPara returns a Chinese paragraph of n sentences of 20 Han characters.
func zhPara(n int) string {
	return strings.Repeat("成员国应在上合组织框架内加强沟通协调共同。", n)
}

func TestDocument(t *testing.T) {
	tests := []struct {
		name  string
		doc   corpus.Document
		opts  Options
		sizes []float64 // expected chunk sizes, in order
	}{
		{"empty", doc("e"), Options{}, nil},
		{"blank part", doc("b", corpus.Part{Lang: "en", Text: " \n\n "}), Options{}, nil},
		{"one short paragraph", doc("s", corpus.Part{Lang: "en", Text: enPara("a", 2)}), Options{}, []float64{30}},
		{"paragraphs packed up to target", doc("p", corpus.Part{Lang: "en", Text: strings.Join([]string{
			enPara("a", 6), enPara("b", 6), enPara("c", 6), enPara("d", 6)}, "\n\n")}), Options{}, []float64{180, 180}},
		{"paragraph over target kept whole", doc("w", corpus.Part{Lang: "zh", Text: zhPara(10) + "\n\n" + zhPara(15)}),
			Options{}, []float64{200, 300}},
		{"paragraph over max cut at sentences", doc("m", corpus.Part{Lang: "zh", Text: zhPara(30)}),
			Options{}, []float64{240, 240, 120}},
		{"tiny last chunk merged", doc("t", corpus.Part{Lang: "zh", Text: zhPara(12) + "\n\n" + zhPara(1)}),
			Options{}, []float64{260}},
		{"tiny first paragraph joins next", doc("f", corpus.Part{Lang: "zh", Text: zhPara(1) + "\n\n" + zhPara(15)}),
			Options{}, []float64{320}},
		{"parts never mixed", doc("x", corpus.Part{Lang: "zh", Text: zhPara(2)}, corpus.Part{Lang: "en", Text: enPara("a", 2)}),
			Options{}, []float64{40, 30}},
		{"long sentence cut at commas", doc("c", corpus.Part{Lang: "zh", Text: strings.Repeat("成员国应加强沟通协调,", 60) + "。"}),
			Options{Target: 100, Max: 150}, []float64{100, 100, 100, 100, 100, 100}},
		{"long sentence without commas cut at spaces", doc("sp", corpus.Part{Lang: "en", Text: strings.Repeat("word ", 200)}),
			Options{Target: 100, Max: 150}, []float64{99, 99, 102}},
		{"long run cut anywhere", doc("r", corpus.Part{Lang: "zh", Text: strings.Repeat("合", 250)}),
			Options{Target: 100, Max: 120}, []float64{100, 100, 50}},
		{"small options raised", doc("o", corpus.Part{Lang: "zh", Text: zhPara(1)}), Options{Target: 1, Max: 1},
			[]float64{4, 4, 4, 4, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := Document(tt.doc, tt.opts)
			var sizes []float64
			for _, c := range chunks {
				sizes = append(sizes, Size(c.Text))
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.sizes) {
				t.Errorf("chunk sizes = %v, want %v", sizes, tt.sizes)
			}
			checkChunks(t, tt.doc, tt.opts, chunks)
		})
	}
}

// checkChunks checks Document's invariants: IDs and positions, copied
// metadata, one part per chunk, sizes within Max, no text lost or repeated,
// and the same result on a second run.
func checkChunks(t *testing.T, d corpus.Document, opts Options, chunks []rag.Chunk) {
	t.Helper()
	_, hardMax, _ := opts.normalised()
	part, off := 0, 0
	var got, want strings.Builder
	for i, c := range chunks {
		if c.ID != fmt.Sprintf("%s#%d", d.ID, i) || c.Pos != i || c.Doc != d.ID {
			t.Fatalf("chunk %d: ID %q, Pos %d, Doc %q", i, c.ID, c.Pos, c.Doc)
		}
		if c.Title != d.Title || c.Date != d.Date || c.Source != d.Source || c.URL != d.URL {
			t.Fatalf("chunk %d: metadata not copied: %+v", i, c)
		}
		if strings.TrimSpace(c.Text) != c.Text || c.Text == "" {
			t.Fatalf("chunk %d: empty or untrimmed text %q", i, c.Text)
		}
		if s := Size(c.Text); s > hardMax {
			t.Fatalf("chunk %d: size %v > max %v", i, s, hardMax)
		}
		// The chunk is a slice of one part, after the previous chunk in the
		// same part or in a later part.
		for part < len(d.Parts) {
			if j := strings.Index(d.Parts[part].Text[off:], c.Text); j >= 0 {
				off += j + len(c.Text)
				break
			}
			part++
			off = 0
		}
		if part == len(d.Parts) {
			t.Fatalf("chunk %d is not a slice of one part, in order: %q", i, c.Text)
		}
		wantLang := d.Parts[part].Lang
		if wantLang == "" {
			wantLang = tokens.Lang(d.Parts[part].Text)
		}
		if c.Lang != wantLang {
			t.Fatalf("chunk %d: Lang %q, want %q", i, c.Lang, wantLang)
		}
		got.WriteString(c.Text)
	}
	for _, p := range d.Parts {
		want.WriteString(p.Text)
	}
	if a, b := nonSpace(got.String()), nonSpace(want.String()); a != b {
		t.Fatalf("chunks lose or repeat text:\n got %q\nwant %q", a, b)
	}
	again := Document(d, opts)
	if fmt.Sprint(again) != fmt.Sprint(chunks) {
		t.Fatal("a second run gave different chunks")
	}
}

func nonSpace(s string) string { return strings.Join(strings.Fields(s), "") }

func TestSize(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"", 0},
		{"。, !", 0},
		{"上海合作组织", 6},
		{"Wang Yi met Lavrov.", 6},
		{"王毅会见Lavrov", 5.5},
		{"2024年5月", 1.5 + 1 + 1.5 + 1},
		{strings.Repeat("a", 12), 1.5},
		{strings.Repeat("a", 13), 3},
		{"Шанхай", 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Size(tt.in); got != tt.want {
				t.Errorf("Size(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// seedDocument builds a corpus.Document from a raw seed file the simple
// way: every non-empty line a paragraph, consecutive paragraphs of one
// language (tokens.Lang) one Part. The real cleaner lives in package corpus;
// this only needs realistic text.
func seedDocument(t *testing.T, path string) corpus.Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSuffix(filepath.Base(path), ".txt")
	d := corpus.Document{ID: id, Title: "seed " + id, Source: "test", File: filepath.Base(path)}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		lang := tokens.Lang(line)
		if n := len(d.Parts); n > 0 && d.Parts[n-1].Lang == lang {
			d.Parts[n-1].Text += "\n\n" + line
			continue
		}
		d.Parts = append(d.Parts, corpus.Part{Lang: lang, Text: line})
		d.Langs = append(d.Langs, lang)
	}
	return d
}

// goldenChunk is what the golden file records of a chunk.
type goldenChunk struct {
	ID    string  `json:"id"`
	Lang  string  `json:"lang"`
	Size  float64 `json:"size"`
	Start string  `json:"start"`
	End   string  `json:"end"`
}

func TestSeeds(t *testing.T) {
	files, err := filepath.Glob("../../corpus/docs/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed documents found: %v", err)
	}
	var golden []goldenChunk
	for _, f := range files {
		d := seedDocument(t, f)
		t.Run(d.ID, func(t *testing.T) {
			chunks := Document(d, Options{})
			checkChunks(t, d, Options{}, chunks)
			for _, c := range chunks {
				r := []rune(c.Text)
				golden = append(golden, goldenChunk{
					ID: c.ID, Lang: c.Lang, Size: Size(c.Text),
					Start: string(r[:min(20, len(r))]), End: string(r[max(0, len(r)-20):]),
				})
			}
		})
	}
	got, err := json.MarshalIndent(golden, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "seeds.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("couldn't read golden file (run with -update): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("seed chunks differ from %s; run go test -update and review the diff", path)
	}
}

func FuzzDocument(f *testing.F) {
	f.Add("王毅出席会议。他表示,要加强合作!\n\n真的吗?是的", "Wang Yi attended. He said so.\n\nMr. Smith agreed.", 0, 0)
	f.Add(zhPara(30), enPara("a", 20), 50, 60)
	f.Add(strings.Repeat("合", 300), strings.Repeat("word ", 300), 10, 12)
	f.Add("", "a", 1, 1)
	f.Fuzz(func(t *testing.T, zh, en string, target, max int) {
		if !utf8.ValidString(zh) || !utf8.ValidString(en) {
			t.Skip("parts are valid UTF-8")
		}
		opts := Options{Target: target % 1000, Max: max % 1000}
		d := doc("fz", corpus.Part{Lang: "zh", Text: zh}, corpus.Part{Lang: "en", Text: en})
		checkChunks(t, d, opts, Document(d, opts))
	})
}

func BenchmarkDocument(b *testing.B) {
	d := doc("bench", corpus.Part{Lang: "zh", Text: strings.Repeat(zhPara(8)+"\n\n", 10)},
		corpus.Part{Lang: "en", Text: strings.Repeat(enPara("a", 8)+"\n\n", 10)})
	b.ReportAllocs()
	for b.Loop() {
		Document(d, Options{})
	}
}
