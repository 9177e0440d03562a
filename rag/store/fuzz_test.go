package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
