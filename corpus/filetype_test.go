package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadDir loads a real folder through os.Root, as the command line does,
// failing the test (rather than hanging it) if Load blocks: the timeout is
// a hang guard only, far above any real run.
func loadDir(t *testing.T, dir string) Result {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return loadGuarded(t, func(ctx context.Context) (Result, error) { return Load(ctx, root.FS(), nil) })
}

// loadGuarded runs load and fails the test if it has not returned within a
// generous hang guard.
func loadGuarded(t *testing.T, load func(context.Context) (Result, error)) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		res Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := load(ctx)
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.res
	case <-ctx.Done():
		t.Fatal("Load did not return: it is blocked on a file it should not open")
		return Result{}
	}
}

// skippedReason returns the reason a file was skipped, or "".
func skippedReason(res Result, file string) string {
	for _, s := range res.Skipped {
		if s.File == file {
			return s.Reason
		}
	}
	return ""
}

func docIDs(res Result) []string {
	var ids []string
	for _, d := range res.Docs {
		ids = append(ids, d.ID)
	}
	return ids
}

// A named pipe called x.txt blocks whoever opens it for reading until a
// writer comes; Load must never open it.
func TestLoadSkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte(goodArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x.txt", "metadata.json"} {
		fifo := filepath.Join(dir, name)
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skipf("cannot make a FIFO here: %v", err)
		}
		// Should Load open the pipe after all, a writer lets the stuck
		// reader go when the test ends.
		t.Cleanup(func() {
			if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		})
	}
	res := loadDir(t, dir)
	if ids := docIDs(res); len(ids) != 1 || ids[0] != "a" {
		t.Errorf("Docs = %v, want [a]", ids)
	}
	for _, name := range []string{"x.txt", "metadata.json"} {
		if r := skippedReason(res, name); !strings.Contains(r, "named pipe") {
			t.Errorf("%s: skipped for %q, want a named pipe reason (Skipped = %+v)", name, r, res.Skipped)
		}
	}
}

// secretArticle stands for a file outside the corpus folder (a .env with a
// bot token) that a link must not bring in.
const secretArticle = goodArticle + "\n\nTELEGRAM_BOT_TOKEN=123456:SECRET-TOKEN"

// symlinkCorpus makes top/corpus with a document, links that stay inside it
// and links that leave it for top/secret.txt and top/outside/.
func symlinkCorpus(t *testing.T) (corpusDir string) {
	t.Helper()
	top := t.TempDir()
	dir := filepath.Join(top, "corpus")
	for _, d := range []string{dir, filepath.Join(dir, "sub"), filepath.Join(top, "outside")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range map[string]string{
		filepath.Join(dir, "a.txt"):                goodArticle,
		filepath.Join(top, "secret.txt"):           secretArticle,
		filepath.Join(top, "outside", "other.txt"): secretArticle,
	} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"in.txt":      "a.txt",                          // inside
		"sub/up.txt":  "../a.txt",                       // inside, through ..
		"out.txt":     "../secret.txt",                  // climbs out
		"abs.txt":     filepath.Join(top, "secret.txt"), // absolute, out
		"sub/hop":     "../../secret.txt",               // out (no document extension itself)
		"chain.txt":   "sub/hop",                        // inside, to a link out
		"outside.htm": "../outside",                     // a folder out
		"linkdir":     "../outside",                     // a folder out, walked into?
		"gone.txt":    "nowhere.txt",                    // broken
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	return dir
}

// A link is followed only while it stays inside the corpus folder: through
// os.Root (what the command line uses) every way out is refused, links to
// links included; with any file system the link's own text is checked.
func TestLoadSymlinks(t *testing.T) {
	dir := symlinkCorpus(t)
	check := func(t *testing.T, res Result, refused []string) {
		t.Helper()
		if got, want := strings.Join(docIDs(res), ","), "a,in,up"; got != want {
			t.Errorf("Docs = %s, want %s", got, want)
		}
		for _, d := range res.Docs {
			for _, part := range d.Parts {
				if strings.Contains(part.Text, "SECRET") {
					t.Errorf("%s holds text from outside the corpus folder: %q", d.File, part.Text)
				}
			}
		}
		for _, f := range refused {
			if skippedReason(res, f) == "" {
				t.Errorf("%s not listed as skipped (Skipped = %+v)", f, res.Skipped)
			}
		}
		if r := skippedReason(res, "out.txt"); !strings.Contains(r, "out of the corpus folder") {
			t.Errorf("out.txt skipped for %q, want a reason saying it leaves the folder", r)
		}
	}
	t.Run("os.Root", func(t *testing.T) {
		res := loadDir(t, dir)
		check(t, res, []string{"out.txt", "abs.txt", "chain.txt", "outside.htm", "gone.txt"})
	})
	t.Run("os.DirFS", func(t *testing.T) {
		res := loadGuarded(t, func(ctx context.Context) (Result, error) { return Load(ctx, os.DirFS(dir), nil) })
		// os.DirFS follows a link to a link out: only os.Root can refuse
		// chain.txt, so it is left out here.
		res.Docs = slicesDeleteID(res.Docs, "chain")
		check(t, res, []string{"out.txt", "abs.txt", "outside.htm", "gone.txt"})
	})
}

func slicesDeleteID(docs []Document, id string) []Document {
	var out []Document
	for _, d := range docs {
		if d.ID != id {
			out = append(out, d)
		}
	}
	return out
}
