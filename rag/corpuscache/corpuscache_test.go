package corpuscache

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/scobot/scobot/corpus"
)

// fixture is a corpus folder on disk, its Source and a cache path.
type fixture struct {
	dir, cache string
	srcs       []Source
}

func newFixture(t *testing.T, files map[string]string) fixture {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		write(t, filepath.Join(dir, name), text)
	}
	return fixture{dir: dir, cache: filepath.Join(t.TempDir(), "idx", "corpus.cache"), srcs: []Source{{Name: dir, FS: os.DirFS(dir)}}}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	testDocs    = []corpus.Document{{ID: "a", Title: "A", Parts: []corpus.Part{{Lang: "en", Text: "alpha"}}, File: "a.txt"}}
	testSkipped = []corpus.Skipped{{File: "bad.txt", Reason: "empty file"}}
)

// save fingerprints and saves the test documents for f.
func (f fixture) save(t *testing.T, key string) {
	t.Helper()
	before, err := Fingerprint(context.Background(), f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(context.Background(), f.cache, key, f.srcs, before, testDocs, testSkipped); err != nil {
		t.Fatal(err)
	}
}

// lookup fingerprints f now and looks the cache up.
func (f fixture) lookup(t *testing.T, key string) (hashed int, ok bool) {
	t.Helper()
	now, err := Fingerprint(context.Background(), f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	docs, skipped, hashed, ok := Lookup(context.Background(), f.cache, key, f.srcs, now)
	if ok && (!reflect.DeepEqual(docs, testDocs) || !reflect.DeepEqual(skipped, testSkipped)) {
		t.Fatalf("Lookup = %+v, %+v; want the saved documents", docs, skipped)
	}
	return hashed, ok
}

// TestUnchangedFilesNotHashed: files whose size and time are as recorded
// are trusted without reading them.
func TestUnchangedFilesNotHashed(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "alpha", "sub/b.md": "beta", "metadata.json": "{}"})
	f.save(t, "k")
	hashed, ok := f.lookup(t, "k")
	if !ok || hashed != 0 {
		t.Errorf("Lookup of an unchanged corpus: ok %v, %d files hashed; want a hit hashing none", ok, hashed)
	}
}

// TestChangedTimeSameContentHits: a file touched but not changed is hashed,
// and its hash says it is the same.
func TestChangedTimeSameContentHits(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "alpha", "b.txt": "beta"})
	f.save(t, "k")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(f.dir, "a.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	hashed, ok := f.lookup(t, "k")
	if !ok || hashed != 1 {
		t.Errorf("Lookup after a touch: ok %v, %d hashed; want a hit hashing 1", ok, hashed)
	}
}

// TestChangesMiss: any change to the corpus files, or another key, misses.
func TestChangesMiss(t *testing.T) {
	later := time.Now().Add(time.Hour)
	tests := []struct {
		name   string
		change func(t *testing.T, f fixture)
		key    string
	}{
		{"edited, same size", func(t *testing.T, f fixture) {
			p := filepath.Join(f.dir, "a.txt")
			write(t, p, "ALPHA")
			os.Chtimes(p, later, later)
		}, "k"},
		{"grown", func(t *testing.T, f fixture) { write(t, filepath.Join(f.dir, "a.txt"), "alpha and more") }, "k"},
		{"added", func(t *testing.T, f fixture) { write(t, filepath.Join(f.dir, "c.txt"), "gamma") }, "k"},
		{"removed", func(t *testing.T, f fixture) { os.Remove(filepath.Join(f.dir, "b.txt")) }, "k"},
		{"metadata added", func(t *testing.T, f fixture) { write(t, filepath.Join(f.dir, "metadata.json"), "{}") }, "k"},
		{"other key", func(*testing.T, fixture) {}, "k2"},
		{"cache corrupt", func(t *testing.T, f fixture) { write(t, f.cache, "garbage") }, "k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"a.txt": "alpha", "b.txt": "beta"})
			f.save(t, "k")
			tt.change(t, f)
			if _, ok := f.lookup(t, tt.key); ok {
				t.Error("Lookup hit after the change")
			}
		})
	}
}

// TestAlwaysHash: a source without real times (embed.FS) is hashed every
// time, so a rebuilt binary with other files of the same sizes misses.
func TestAlwaysHash(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "corpus.cache")
	mk := func(text string) []Source {
		return []Source{{Name: "builtin", FS: fstest.MapFS{"a.txt": {Data: []byte(text)}}, AlwaysHash: true}}
	}
	ctx := context.Background()
	srcs := mk("alpha")
	before, _ := Fingerprint(ctx, srcs)
	if err := Save(ctx, cache, "k", srcs, before, testDocs, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, hashed, ok := Lookup(ctx, cache, "k", srcs, before); !ok || hashed != 1 {
		t.Errorf("same content: ok %v, hashed %d; want a hit hashing 1", ok, hashed)
	}
	other := mk("ALPHA")
	now, _ := Fingerprint(ctx, other)
	if _, _, _, ok := Lookup(ctx, cache, "k", other, now); ok {
		t.Error("other content of the same size hit")
	}
}

// TestSaveRefusesAChangingCorpus: a file changed while the corpus was
// loaded leaves no cache.
func TestSaveRefusesAChangingCorpus(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "alpha"})
	before, err := Fingerprint(context.Background(), f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(f.dir, "a.txt"), "alpha, edited meanwhile")
	if err := Save(context.Background(), f.cache, "k", f.srcs, before, testDocs, nil); err == nil {
		t.Error("Save succeeded although the corpus changed")
	}
	if _, err := os.Stat(f.cache); !os.IsNotExist(err) {
		t.Errorf("cache written: %v", err)
	}
}

// TestDanglingLinkFingerprinted: a link that points nowhere is described
// by itself instead of failing the fingerprint (which would reload the
// corpus on every command).
func TestDanglingLinkFingerprinted(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "alpha"})
	if err := os.Symlink(filepath.Join(f.dir, "gone.txt"), filepath.Join(f.dir, "link.txt")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	f.save(t, "k")
	if hashed, ok := f.lookup(t, "k"); !ok || hashed != 0 {
		t.Errorf("Lookup: ok %v, hashed %d; want a hit hashing none", ok, hashed)
	}
}

// TestOpenLeavesTextUnread: Open checks the fingerprint and returns the
// metadata without decoding the documents' text, which Documents reads;
// a damaged text section spoils Documents, not Open, and a cache file
// replaced by another corpus's after Open is not read as this one's.
func TestOpenLeavesTextUnread(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "alpha"})
	f.save(t, "k")
	now, err := Fingerprint(context.Background(), f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	hit, _, ok := Open(context.Background(), f.cache, "k", f.srcs, now)
	if !ok {
		t.Fatal("Open missed an unchanged corpus")
	}
	meta := testDocs[0]
	meta.Parts = nil
	if !reflect.DeepEqual(hit.Meta, []corpus.Document{meta}) || !reflect.DeepEqual(hit.Skipped, testSkipped) {
		t.Errorf("Open = %+v, %+v; want the metadata without text", hit.Meta, hit.Skipped)
	}
	if docs, err := hit.Documents(); err != nil || !reflect.DeepEqual(docs, testDocs) {
		t.Errorf("Documents = %+v, %v; want the saved documents", docs, err)
	}

	// Damage the last bytes of the file: the text section.
	b, err := os.ReadFile(f.cache)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.cache, b[:len(b)-4], 0o644); err != nil {
		t.Fatal(err)
	}
	hit, _, ok = Open(context.Background(), f.cache, "k", f.srcs, now)
	if !ok {
		t.Fatal("Open read the text section (it missed on damaged text)")
	}
	if _, err := hit.Documents(); err == nil {
		t.Error("Documents read damaged text without an error")
	}

	f.save(t, "k")
	hit, _, ok = Open(context.Background(), f.cache, "k", f.srcs, now)
	if !ok {
		t.Fatal("Open missed after saving again")
	}
	write(t, filepath.Join(f.dir, "b.txt"), "beta")
	f.save(t, "k")
	if _, err := hit.Documents(); err == nil {
		t.Error("Documents read a cache saved for another corpus after Open")
	}
}
