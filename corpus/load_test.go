package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// loadSeeds loads the embedded corpus and returns its documents by ID.
func loadSeeds(t testing.TB) map[string]Document {
	t.Helper()
	res, err := Load(context.Background(), Embedded(), nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]Document{}
	for _, d := range res.Docs {
		docs[d.ID] = d
	}
	return docs
}

// readSeeds returns the raw text of each embedded seed by ID.
func readSeeds(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		b, err := fs.ReadFile(Embedded(), p)
		out[docID(p)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 5 {
		t.Fatalf("want 5 seeds, got %d", len(out))
	}
	return out
}

const goodArticle = "ASTANA, July 4 (Xinhua) -- Leaders of the Shanghai Cooperation Organization adopted the Astana Declaration on Thursday.\n\nThe next summit will be held in China, officials said after the meeting."

func TestLoadEmbedded(t *testing.T) {
	res, err := Load(context.Background(), Embedded(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range res.Docs {
		ids = append(ids, d.ID)
		if d.File != d.ID+".txt" {
			t.Errorf("%s: File = %q", d.ID, d.File)
		}
		if d.Title == "" || d.Date == "" || d.Source == "" || len(d.Parts) == 0 {
			t.Errorf("%s: incomplete document: %+v", d.ID, d)
		}
	}
	want := "000_b54822d210cd7471 001_14086ad8159a262e 002_c42d388d6a7d4817 003_e29fc6cbd48e96a3 004_73a6135f73033407"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("IDs = %s, want %s", got, want)
	}
	if len(res.Skipped) != 0 {
		t.Errorf("Skipped = %v", res.Skipped)
	}
}

func TestLoadSkipsBadFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":                 {Data: []byte(goodArticle)},
		"sub/b.MD":              {Data: []byte("# Summit opens\n\n" + goodArticle)},
		"sub/deeper/c.htm":      {Data: []byte("<html><body><p>" + goodArticle + "</p></body></html>")},
		"empty.txt":             {Data: []byte(" \n\t\n")},
		"binary.txt":            {Data: []byte("GIF89a\x00\x01\x02\x03\x00\x00")},
		"garbage.txt":           {Data: []byte("\xff\xfe\xfd"[2:] + strings.Repeat("\xc3\x28\x80\xff", 50))},
		"boiler.txt":            {Data: []byte("Print | Email | Share\n\n© 2024 Steppe Herald. All rights reserved.")},
		"dup/a.html":            {Data: []byte("<p>" + goodArticle + "</p>")},
		"notes.json":            {Data: []byte("{}")},
		"image.png":             {Data: []byte("\x89PNG\x00")},
		"README":                {Data: []byte("not a document")},
		"sub/metadata.json":     {Data: []byte("not json, but not at the root either")},
		"sub/deeper/x.HTML":     {Data: []byte("<p>" + strings.Replace(goodArticle, "Leaders", "Heads", 1) + "</p>")},
		"sub/deeper/y.txt~":     {Data: []byte("backup")},
		"sub/deeper/z.markdown": {Data: []byte(goodArticle)},
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	res, err := Load(context.Background(), fsys, logger)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range res.Docs {
		ids = append(ids, d.ID+"="+d.File)
	}
	if got, want := strings.Join(ids, " "), "a=a.txt b=sub/b.MD c=sub/deeper/c.htm x=sub/deeper/x.HTML z=sub/deeper/z.markdown"; got != want {
		t.Errorf("docs = %s\nwant %s", got, want)
	}
	wantSkipped := map[string]string{
		"empty.txt":   "empty file",
		"binary.txt":  "binary file",
		"garbage.txt": "undecodable text",
		"boiler.txt":  "no article text",
		"dup/a.html":  "duplicate document ID a (also in a.txt)",
	}
	if len(res.Skipped) != len(wantSkipped) {
		t.Errorf("Skipped = %v", res.Skipped)
	}
	for _, s := range res.Skipped {
		if want, ok := wantSkipped[s.File]; !ok || s.Reason != want {
			t.Errorf("Skipped %s: reason %q, want %q", s.File, s.Reason, want)
		}
		if n := strings.Count(logs.String(), "file="+s.File+" "); n != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", s.File, n, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("skips not logged at Warn:\n%s", logs.String())
	}
}

func TestLoadHTMLLangFallback(t *testing.T) {
	fsys := fstest.MapFS{"n.html": {Data: []byte(`<html lang="ar-EG"><body><p>انعقدت قمة منظمة شنغهاي للتعاون في أستانا يوم الخميس.</p></body></html>`)}}
	res, err := Load(context.Background(), fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Docs) != 1 || res.Docs[0].Langs[0] != "ar" {
		t.Errorf("Docs = %+v, want language ar from <html lang>", res.Docs)
	}
}

func TestLoadOversized(t *testing.T) {
	fsys := fstest.MapFS{
		"small.txt": {Data: []byte(goodArticle)},
		"big.txt":   {Data: []byte(strings.Repeat(goodArticle+"\n\n", 20))},
	}
	l := loader{maxSize: 1 << 10}
	res, _, _, err := l.load(context.Background(), fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Docs) != 1 || res.Docs[0].ID != "small" {
		t.Errorf("Docs = %+v", res.Docs)
	}
	if len(res.Skipped) != 1 || res.Skipped[0] != (Skipped{File: "big.txt", Reason: "larger than 1 KiB"}) {
		t.Errorf("Skipped = %+v", res.Skipped)
	}
	if got := (loader{maxSize: MaxFileSize}); sizeString(got.maxSize) != "16 MiB" {
		t.Errorf("default limit reads %q", sizeString(got.maxSize))
	}
}

// lyingFS reports a small size for a file that is larger, so the reader's
// own limit must catch it.
type lyingFS struct{ fstest.MapFS }

func (l lyingFS) Open(name string) (fs.File, error) {
	f, err := l.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return lyingFile{f}, nil
}

type lyingFile struct{ fs.File }

func (f lyingFile) Stat() (fs.FileInfo, error) { return nil, errors.New("no stat") }

func TestLoadOversizedWithoutStat(t *testing.T) {
	fsys := lyingFS{fstest.MapFS{"big.txt": {Data: []byte(strings.Repeat("x", 2048))}}}
	res, _, _, err := loader{maxSize: 1024}.load(context.Background(), fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Reason != "larger than 1 KiB" {
		t.Errorf("Skipped = %+v", res.Skipped)
	}
}

type brokenFS struct{}

func (brokenFS) Open(string) (fs.File, error) { return nil, fs.ErrPermission }

func TestLoadErrors(t *testing.T) {
	t.Run("unwalkable", func(t *testing.T) {
		if _, err := Load(context.Background(), brokenFS{}, nil); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("err = %v, want permission error", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Load(ctx, fstest.MapFS{"a.txt": {Data: []byte(goodArticle)}}, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("bad metadata", func(t *testing.T) {
		fsys := fstest.MapFS{
			"a.txt":         {Data: []byte(goodArticle)},
			"metadata.json": {Data: []byte("{\n  \"a\": {\n    \"titel\": \"x\"\n  }\n}\n")},
		}
		_, err := Load(context.Background(), fsys, nil)
		if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), `"titel"`) {
			t.Errorf("err = %v, want one naming line 3 and the field", err)
		}
	})
}

func TestLoadOverrides(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt": {Data: []byte(goodArticle)},
		"b.txt": {Data: []byte(goodArticle)},
		"metadata.json": {Data: []byte(`{
  "a": {"title": "Curated title", "date": "2024-07-04", "source": "Curated source", "url": "https://example.org/a"},
  "b": {"date": "2024-07"},
  "ghost": {"title": "no such document"}
}`)},
	}
	var logs bytes.Buffer
	res, err := Load(context.Background(), fsys, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.Docs[0], res.Docs[1]
	if a.Title != "Curated title" || a.Date != "2024-07-04" || a.Source != "Curated source" || a.URL != "https://example.org/a" {
		t.Errorf("a = %+v", a)
	}
	if b.Date != "2024-07" || b.Source != "Xinhua" {
		t.Errorf("b: date %q source %q; want the override's date and the heuristic source", b.Date, b.Source)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "id=ghost") {
		t.Errorf("unknown ID not warned about:\n%s", logs.String())
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	fsys := Embedded()
	ctx := context.Background()
	for b.Loop() {
		if _, err := Load(ctx, fsys, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadMany loads 200 reports (the built-in ones under other
// names); run with -cpu 1,2 to see the files cleaned on every core.
func BenchmarkLoadMany(b *testing.B) {
	emb := Embedded()
	var names []string
	err := fs.WalkDir(emb, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && docExts[strings.ToLower(path.Ext(p))] {
			names = append(names, p)
		}
		return err
	})
	if err != nil || len(names) == 0 {
		b.Fatalf("built-in reports: %v (%d)", err, len(names))
	}
	fsys := fstest.MapFS{}
	for i := range 200 {
		p := names[i%len(names)]
		raw, err := fs.ReadFile(emb, p)
		if err != nil {
			b.Fatal(err)
		}
		fsys[fmt.Sprintf("r%03d_%s", i, path.Base(p))] = &fstest.MapFile{Data: raw}
	}
	ctx := context.Background()
	for b.Loop() {
		res, err := Load(ctx, fsys, nil)
		if err != nil || len(res.Docs) != 200 {
			b.Fatalf("loaded %d of 200: %v", len(res.Docs), err)
		}
	}
}

// TestLoadReusing: a file reuse vouches for is not read again (here its
// bytes were spoilt since and its old result still stands), the others
// are; duplicate IDs, the metadata file and the order are decided over
// both exactly as Load decides them.
func TestLoadReusing(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":        {Data: []byte(goodArticle)},
		"sub/a.txt":    {Data: []byte(goodArticle)},
		"b.txt":        {Data: []byte("")},
		"c.md":         {Data: []byte(goodArticle)},
		MetadataFile:   {Data: []byte(`{"a": {"title": "Curated"}}`)},
		"notes/x.html": {Data: []byte("<html><body><nav>Home</nav></body></html>")},
	}
	ctx := context.Background()
	want, err := Load(ctx, fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, built, read, err := LoadReusing(ctx, fsys, nil, nil)
	if err != nil || read != 6-1 { // every document file but the metadata
		t.Fatalf("first load: %d read, %v", read, err)
	}
	fsys["a.txt"] = &fstest.MapFile{Data: []byte("\x00\x01spoilt\x00")}
	got, _, read, err := LoadReusing(ctx, fsys, nil, func(p string) (Built, bool) {
		b, ok := built[p]
		return b, ok && p != "c.md"
	})
	if err != nil {
		t.Fatal(err)
	}
	if read != 1 {
		t.Errorf("%d files read, want 1 (c.md)", read)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadReusing =\n%+v\nwant Load's\n%+v", got, want)
	}
	if got.Docs[0].Title != "Curated" || built["a.txt"].Doc.Title == "Curated" {
		t.Errorf("the metadata file applied to %q, the kept result %q: want it applied after, not kept", got.Docs[0].Title, built["a.txt"].Doc.Title)
	}
}
