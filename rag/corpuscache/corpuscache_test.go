package corpuscache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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

// article is a report the loader makes a document of.
func article(topic string) string {
	return fmt.Sprintf("SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021, and discussed %s.\n", topic)
}

// load is one command over f: it fingerprints the corpus, opens the cache,
// loads the corpus through it (the documents' text read from the cache
// only when nothing changed, as a second pass) and saves the cache unless
// nothing changed. It returns the result with the text, how many files
// were read and the Cache.
func (f fixture) load(t *testing.T, key string) (corpus.Result, int, *Cache) {
	t.Helper()
	ctx := context.Background()
	before, err := Fingerprint(ctx, f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	c := Open(ctx, f.cache, key, f.srcs, before)
	reuse := c.Reuse(f.dir)
	if !c.Unchanged() || c.Stale() {
		if reuse, err = c.ReuseText(f.dir); err != nil {
			t.Fatal(err)
		}
	}
	res, built, read, err := corpus.LoadReusing(ctx, f.srcs[0].FS, nil, reuse)
	if err != nil {
		t.Fatal(err)
	}
	if c.Unchanged() && !c.Stale() && read == 0 {
		if reuse, err = c.ReuseText(f.dir); err != nil {
			t.Fatal(err)
		}
		if res, _, _, err = corpus.LoadReusing(ctx, f.srcs[0].FS, nil, reuse); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := Save(ctx, f.cache, key, f.srcs, before, []map[string]corpus.Built{built}, []corpus.Result{res}, c); err != nil {
			t.Fatal(err)
		}
	}
	return res, read, c
}

// TestUnchangedFilesNotHashed: files whose size and time are as recorded
// are trusted without reading them.
func TestUnchangedFilesNotHashed(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security"), "sub/b.md": article("trade"), "metadata.json": "{}"})
	f.load(t, "k")
	_, read, c := f.load(t, "k")
	if !c.Unchanged() || c.Hashed() != 0 || read != 0 {
		t.Errorf("unchanged corpus: unchanged %v, %d files hashed, %d read; want unchanged, none hashed or read", c.Unchanged(), c.Hashed(), read)
	}
}

// TestChangedTimeSameContentReused: a file touched but not changed is
// hashed, its hash says it is the same, and it is not read again; the
// cache is saved again with the new time, so the next command hashes
// nothing.
func TestChangedTimeSameContentReused(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security"), "b.txt": article("trade")})
	f.load(t, "k")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(f.dir, "a.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	_, read, c := f.load(t, "k")
	if !c.Unchanged() || !c.Stale() || c.Hashed() != 1 || read != 0 {
		t.Errorf("after a touch: unchanged %v, stale %v, %d hashed, %d read; want unchanged but stale, 1 hashed, none read", c.Unchanged(), c.Stale(), c.Hashed(), read)
	}
	if _, _, c := f.load(t, "k"); !c.Unchanged() || c.Hashed() != 0 {
		t.Errorf("after saving the touch: unchanged %v, %d hashed; want unchanged, none hashed", c.Unchanged(), c.Hashed())
	}
}

// TestChangesReadOnlyWhatChanged: a change to the corpus reads the changed
// file alone; another key or a damaged cache reads everything.
func TestChangesReadOnlyWhatChanged(t *testing.T) {
	later := time.Now().Add(time.Hour)
	tests := []struct {
		name   string
		change func(t *testing.T, f fixture)
		key    string
		read   int
	}{
		{"edited, same size", func(t *testing.T, f fixture) {
			p := filepath.Join(f.dir, "a.txt")
			write(t, p, article("SECURITY"))
			os.Chtimes(p, later, later)
		}, "k", 1},
		{"grown", func(t *testing.T, f fixture) { write(t, filepath.Join(f.dir, "a.txt"), article("security and more")) }, "k", 1},
		{"added", func(t *testing.T, f fixture) { write(t, filepath.Join(f.dir, "c.txt"), article("energy")) }, "k", 1},
		{"removed", func(t *testing.T, f fixture) { os.Remove(filepath.Join(f.dir, "b.txt")) }, "k", 0},
		{"metadata added", func(t *testing.T, f fixture) {
			write(t, filepath.Join(f.dir, "metadata.json"), `{"a": {"title": "Curated"}}`)
		}, "k", 0},
		{"other key", func(*testing.T, fixture) {}, "k2", 2},
		{"cache corrupt", func(t *testing.T, f fixture) { write(t, f.cache, "garbage") }, "k", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"a.txt": article("security"), "b.txt": article("trade")})
			f.load(t, "k")
			tt.change(t, f)
			res, read, c := f.load(t, tt.key)
			if c.Unchanged() || read != tt.read {
				t.Errorf("after the change: unchanged %v, %d files read; want changed, %d read", c.Unchanged(), read, tt.read)
			}
			full, err := corpus.Load(context.Background(), f.srcs[0].FS, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, full) {
				t.Errorf("through the cache:\n%+v\nfull load:\n%+v", res, full)
			}
		})
	}
}

// TestAlwaysHash: a source without real times (embed.FS) is hashed every
// time, so a rebuilt binary with other files of the same sizes reads them.
func TestAlwaysHash(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "corpus.cache")
	mk := func(text string) []Source {
		return []Source{{Name: "builtin", FS: fstest.MapFS{"a.txt": {Data: []byte(text)}}, AlwaysHash: true}}
	}
	ctx := context.Background()
	srcs := mk(article("security"))
	before, _ := Fingerprint(ctx, srcs)
	_, built, _, err := corpus.LoadReusing(ctx, srcs[0].FS, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, cache, "k", srcs, before, []map[string]corpus.Built{built}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if c := Open(ctx, cache, "k", srcs, before); !c.Unchanged() || c.Hashed() != 1 {
		t.Errorf("same content: unchanged %v, hashed %d; want unchanged, hashing 1", c.Unchanged(), c.Hashed())
	}
	other := mk(article("SECURITY"))
	now, _ := Fingerprint(ctx, other)
	c := Open(ctx, cache, "k", other, now)
	if _, ok := c.Reuse("builtin")("a.txt"); ok || c.Unchanged() {
		t.Error("other content of the same size reused")
	}
}

// TestSaveRefusesAChangingCorpus: a file changed while the corpus was
// loaded leaves no cache.
func TestSaveRefusesAChangingCorpus(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security")})
	ctx := context.Background()
	before, err := Fingerprint(ctx, f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	_, built, _, err := corpus.LoadReusing(ctx, f.srcs[0].FS, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(f.dir, "a.txt"), article("security, edited meanwhile"))
	if err := Save(ctx, f.cache, "k", f.srcs, before, []map[string]corpus.Built{built}, nil, nil); err == nil {
		t.Error("Save succeeded although the corpus changed")
	}
	if _, err := os.Stat(f.cache); !os.IsNotExist(err) {
		t.Errorf("cache written: %v", err)
	}
}

// TestSaveRefusesDocumentsWithoutText: results reused without their text
// would save documents that have none.
func TestSaveRefusesDocumentsWithoutText(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security")})
	ctx := context.Background()
	before, _ := Fingerprint(ctx, f.srcs)
	built := map[string]corpus.Built{"a.txt": {Doc: corpus.Document{ID: "a", File: "a.txt"}}}
	if err := Save(ctx, f.cache, "k", f.srcs, before, []map[string]corpus.Built{built}, nil, nil); err == nil {
		t.Error("Save kept a document without text")
	}
}

// TestDanglingLinkFingerprinted: a link that points nowhere is described
// by itself instead of failing the fingerprint (which would reload the
// corpus on every command).
func TestDanglingLinkFingerprinted(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security")})
	if err := os.Symlink(filepath.Join(f.dir, "gone.txt"), filepath.Join(f.dir, "link.txt")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	f.load(t, "k")
	if _, read, c := f.load(t, "k"); !c.Unchanged() || c.Hashed() != 0 || read != 0 {
		t.Errorf("unchanged %v, hashed %d, read %d; want unchanged, none hashed or read", c.Unchanged(), c.Hashed(), read)
	}
}

// TestOpenLeavesTextUnread: Open checks the fingerprint and Reuse gives
// the results without decoding the documents' text, which ReuseText reads;
// a damaged text section spoils ReuseText, not Open, and a cache file
// replaced by another corpus's after Open is not read as this one's.
func TestOpenLeavesTextUnread(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security")})
	want, _, _ := f.load(t, "k")
	ctx := context.Background()
	now, err := Fingerprint(ctx, f.srcs)
	if err != nil {
		t.Fatal(err)
	}
	c := Open(ctx, f.cache, "k", f.srcs, now)
	b, ok := c.Reuse(f.dir)("a.txt")
	meta := want.Docs[0]
	meta.Parts = nil
	if !ok || !reflect.DeepEqual(b.Doc, meta) {
		t.Errorf("Reuse = %+v, %v; want the metadata without text", b, ok)
	}
	r, err := c.ReuseText(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := r("a.txt"); !ok || !reflect.DeepEqual(b.Doc, want.Docs[0]) {
		t.Errorf("ReuseText = %+v, %v; want the saved document", b, ok)
	}

	// Damage the last bytes of the file: the text section.
	raw, err := os.ReadFile(f.cache)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.cache, raw[:len(raw)-4], 0o644); err != nil {
		t.Fatal(err)
	}
	c = Open(ctx, f.cache, "k", f.srcs, now)
	if !c.Unchanged() {
		t.Fatal("Open read the text section (it missed on damaged text)")
	}
	if _, err := c.ReuseText(f.dir); err == nil {
		t.Error("ReuseText read damaged text without an error")
	}

	if err := os.WriteFile(f.cache, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	c = Open(ctx, f.cache, "k", f.srcs, now)
	if !c.Unchanged() {
		t.Fatal("Open missed after restoring the cache")
	}
	f.load(t, "k2") // another key: a new base
	if _, err := c.ReuseText(f.dir); err == nil {
		t.Error("ReuseText read a cache saved for another corpus after Open")
	}
}

// TestSmallChangeAppendsToLog: a save after one report was added leaves
// the base as it was and appends that report alone to the log, which the
// next command replays: it reads nothing.
func TestSmallChangeAppendsToLog(t *testing.T) {
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("r%02d.txt", i)] = article(fmt.Sprintf("topic %d", i))
	}
	f := newFixture(t, files)
	f.load(t, "k")
	base, err := os.Stat(f.cache)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(f.dir, "new.txt"), article("the added report"))
	if _, read, _ := f.load(t, "k"); read != 1 {
		t.Errorf("%d files read, want 1", read)
	}
	after, err := os.Stat(f.cache)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(base, after) || after.ModTime() != base.ModTime() {
		t.Error("the base was written again for one added report")
	}
	lg, err := os.Stat(f.cache + LogSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if lg.Size() > base.Size()/10 {
		t.Errorf("log of %d bytes for one report over a base of %d", lg.Size(), base.Size())
	}
	res, read, c := f.load(t, "k")
	if !c.Unchanged() || read != 0 || len(res.Docs) != 51 {
		t.Errorf("after the log: unchanged %v, %d read, %d documents; want unchanged, none read, 51", c.Unchanged(), read, len(res.Docs))
	}
}

// TestLogCompacts: a change that would take the log past its share of the
// base writes the base afresh and removes the log.
func TestLogCompacts(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": article("security")})
	f.load(t, "k")
	write(t, filepath.Join(f.dir, "b.txt"), article("trade"))
	f.load(t, "k")
	if _, err := os.Stat(f.cache + LogSuffix); err != nil {
		t.Fatalf("no log after a small change: %v", err)
	}
	big := ""
	for i := range 2000 {
		big += fmt.Sprintf("Paragraph %d of a long report on SCO trade.\n\n", i)
	}
	write(t, filepath.Join(f.dir, "c.txt"), article("energy")+"\n"+big)
	f.load(t, "k")
	if _, err := os.Stat(f.cache + LogSuffix); !os.IsNotExist(err) {
		t.Errorf("log still there after a change larger than its share: %v", err)
	}
	res, read, c := f.load(t, "k")
	if !c.Unchanged() || read != 0 || len(res.Docs) != 3 {
		t.Errorf("after compacting: unchanged %v, %d read, %d documents; want unchanged, none read, 3", c.Unchanged(), read, len(res.Docs))
	}
}

// TestDamagedLogEndsThere: a change cut short, or one whose checksum
// fails, is ignored with what follows; the files it held are read again,
// and the result is still a full load's.
func TestDamagedLogEndsThere(t *testing.T) {
	for _, damage := range []string{"cut short", "flipped byte"} {
		t.Run(damage, func(t *testing.T) {
			f := newFixture(t, map[string]string{"a.txt": article("security")})
			f.load(t, "k")
			write(t, filepath.Join(f.dir, "b.txt"), article("trade"))
			f.load(t, "k")
			raw, err := os.ReadFile(f.cache + LogSuffix)
			if err != nil {
				t.Fatal(err)
			}
			if damage == "cut short" {
				raw = raw[:len(raw)-3]
			} else {
				raw[len(raw)-3] ^= 0xff
			}
			if err := os.WriteFile(f.cache+LogSuffix, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			res, read, _ := f.load(t, "k")
			full, err := corpus.Load(context.Background(), f.srcs[0].FS, nil)
			if err != nil {
				t.Fatal(err)
			}
			if read != 1 || !reflect.DeepEqual(res, full) {
				t.Errorf("%d read, result %+v; want b.txt read again and %+v", read, res, full)
			}
			if _, read, c := f.load(t, "k"); !c.Unchanged() || read != 0 {
				t.Errorf("after saving over the damage: unchanged %v, %d read", c.Unchanged(), read)
			}
		})
	}
}

// TestIncrementalEqualsFullLoad: over random sequences of additions,
// edits, removals, renames, duplicate IDs, unusable files, touches and
// metadata file changes, loading through the cache gives exactly what a
// full load gives — the same documents, the same skipped files in the same
// order — while reading no more files than were written since the last
// command.
func TestIncrementalEqualsFullLoad(t *testing.T) {
	names := []string{"a.txt", "b.md", "c.html", "sub/a.txt", "sub/b.txt", "sub/deep/c.md", "d.TXT", "z/a.md", "notes.csv"}
	texts := []string{
		article("security"), article("SECURITY"), article("trade"), article("energy and transport"), "",
		"\x00\x01\x02binary\x00", "<html><body><nav>Home</nav></body></html>",
		"<html><head><title>SCO summit</title></head><body><article><p>" + article("the summit") + "</p></article></body></html>",
	}
	metas := []string{"{}", `{"a": {"title": "Curated title"}}`, `{"b": {"date": "2024-05-21"}, "c": {"source": "MFA"}}`, `{"zz": {"url": "https://x"}}`}
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 12))
			f := newFixture(t, nil)
			clock := time.Now().Add(-time.Hour)
			touch := func(p string) {
				clock = clock.Add(time.Second)
				if err := os.Chtimes(p, clock, clock); err != nil {
					t.Fatal(err)
				}
			}
			present := func() []string {
				var out []string
				for _, n := range names {
					if _, err := os.Stat(filepath.Join(f.dir, n)); err == nil {
						out = append(out, n)
					}
				}
				return out
			}
			for step := range 25 {
				written := 0
				for range 1 + rng.IntN(3) {
					have := present()
					switch op := rng.IntN(7); {
					case op <= 2 || len(have) == 0: // add or edit
						p := filepath.Join(f.dir, names[rng.IntN(len(names))])
						write(t, p, texts[rng.IntN(len(texts))])
						touch(p)
						written++
					case op == 3: // remove
						os.Remove(filepath.Join(f.dir, have[rng.IntN(len(have))]))
					case op == 4: // rename
						to := filepath.Join(f.dir, names[rng.IntN(len(names))])
						os.MkdirAll(filepath.Dir(to), 0o755)
						os.Rename(filepath.Join(f.dir, have[rng.IntN(len(have))]), to)
						written++
					case op == 5: // touch
						touch(filepath.Join(f.dir, have[rng.IntN(len(have))]))
					default: // the metadata file
						p := filepath.Join(f.dir, corpus.MetadataFile)
						if rng.IntN(4) == 0 {
							os.Remove(p)
						} else {
							write(t, p, metas[rng.IntN(len(metas))])
							touch(p)
						}
					}
				}
				got, read, _ := f.load(t, "k")
				full, err := corpus.Load(context.Background(), os.DirFS(f.dir), nil)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, full) {
					t.Fatalf("step %d: through the cache:\n%+v\nfull load:\n%+v", step, got, full)
				}
				if step > 0 && read > written {
					t.Fatalf("step %d: %d files read, %d written", step, read, written)
				}
				// The next start, nothing changed, takes the load's
				// decisions as they were kept.
				before, err := Fingerprint(context.Background(), f.srcs)
				if err != nil {
					t.Fatal(err)
				}
				kept, ok := Open(context.Background(), f.cache, "k", f.srcs, before).Result(f.dir)
				if !ok {
					t.Fatalf("step %d: the load's result was not kept", step)
				}
				if want := withoutText(full); !reflect.DeepEqual(kept, want) {
					t.Fatalf("step %d: kept result:\n%+v\nfull load, without the text:\n%+v", step, kept, want)
				}
			}
		})
	}
}

// withoutText returns res with its documents' text left out, as
// Cache.Result gives them.
func withoutText(res corpus.Result) corpus.Result {
	out := corpus.Result{Docs: slices.Clone(res.Docs), Skipped: res.Skipped}
	for i := range out.Docs {
		out.Docs[i].Parts = nil
	}
	return out
}
