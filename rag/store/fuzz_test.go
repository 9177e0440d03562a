package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/scobot/scobot/rag"
)

func FuzzChunkMetadata(f *testing.F) {
	seeds := []rag.Chunk{
		{ID: "a#0", Doc: "a", Pos: 0, Lang: "en", Title: "T", Date: "2024-07-04", Source: "Xinhua", URL: "https://x.org", Text: "text"},
		{ID: "002_中文#12", Doc: "002_中文", Pos: 12, Lang: "zh", Title: "上海合作组织", Source: "新华社", Text: "上合组织峰会。"},
		{ID: "x", Doc: "", Pos: -3, Text: ""},
	}
	for _, c := range seeds {
		f.Add(c.ID, c.Doc, c.Pos, c.Lang, c.Title, c.Date, c.Source, c.URL, c.Text)
	}
	f.Fuzz(func(t *testing.T, id, doc string, pos int, lang, title, date, source, url, text string) {
		want := rag.Chunk{ID: id, Doc: doc, Pos: pos, Lang: lang, Title: title, Date: date, Source: source, URL: url, Text: text}
		d := toDocument(want, []float32{1})
		got, err := fromDocument(d.ID, d.Metadata, d.Content)
		if err != nil {
			t.Fatalf("fromDocument: %v", err)
		}
		if got != want {
			t.Errorf("round trip = %+v, want %+v", got, want)
		}
	})
}

func FuzzOpenSnapshot(f *testing.F) {
	valid := validSnapshot(f)
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add(valid[:len(valid)/3])
	f.Add([]byte("garbage"))
	f.Add([]byte{0x1f, 0x8b})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, SnapshotName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Open(context.Background(), dir, newFake("fake-8", 8), nil)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Open error = %v, want one wrapping ErrUnreadable", err)
			}
			return
		}
		if got := len(s.Chunks()); got != s.Len() {
			t.Errorf("Chunks has %d entries, Len says %d", got, s.Len())
		}
	})
}

// FuzzOpenLog opens an index whose change log is fuzzed (seeded with the
// valid log of three changes, cut and lengthened): Open never fails on
// it, and the index is one the store held, never a mix.
func FuzzOpenLog(f *testing.F) {
	emb := sparseFake{newFake("sparse-32", 32)}
	dir := f.TempDir()
	base := corpusOf(6, 2)
	one := append(slices.Clone(base), makeDoc("new", 2, "v1"))
	two := slices.Delete(slices.Clone(one), 0, 1)
	three := slices.Clone(two)
	three[len(three)-1] = makeDoc("new", 3, "v2") // an edit
	held := map[string]bool{}
	s := mustOpen(f, dir, emb)
	s.logShare = 10 // this small index would compact at every change
	for _, docs := range [][]Doc{base, one, two, three} {
		mustSync(f, s, docs)
		held[s.ContentSig()] = true
	}
	valid, err := os.ReadFile(s.logPath())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add(valid[:len(valid)/2])
	f.Add(append(slices.Clone(valid), valid[len(valid)/2:]...))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(s.logPath(), data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Open(context.Background(), dir, emb, nil)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !held[got.ContentSig()] {
			t.Fatalf("opened to index %s, which the store never held", got.ContentSig())
		}
		if n := len(got.Chunks()); n != got.Len() {
			t.Errorf("Chunks has %d entries, Len says %d", n, got.Len())
		}
	})
}

// FuzzDecodeChange decodes fuzzed changes (seeded with an encoded one):
// no panic, and what decodes encodes back to itself.
func FuzzDecodeChange(f *testing.F) {
	d := makeDoc("a", 2, "v1")
	p := &plan{changed: map[string]docEntry{d.ID: {hash: "h", chunks: d.Chunks}}, removed: []string{"gone"}, toEmbed: d.Chunks}
	f.Add(encodeChange(loggedChange{next: "n", dim: 4, p: p, vecs: compactVectors([][]float32{{1, 0, 0, 0}, {0.5, 0.5, 0.5, 0.5}}, 4)}))
	f.Add(encodeChange(loggedChange{next: "n", dim: 0, p: &plan{removed: []string{"x"}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeChange(b)
		if err != nil {
			return
		}
		again, err := decodeChange(encodeChange(c))
		if err != nil {
			t.Fatalf("a decoded change does not decode once encoded again: %v", err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Errorf("round trip = %+v, want %+v", again, c)
		}
	})
}
