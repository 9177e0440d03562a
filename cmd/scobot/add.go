package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/internal/atomicfile"
	"github.com/scobot/scobot/rag/chunk"
)

// pageFetcher fetches the report at a URL: the file name to keep it under
// (its extension says how it is read: .html, .txt) and its bytes.
type pageFetcher func(ctx context.Context, url string) (fileName string, body []byte, err error)

// builtinWhere is where a built-in report is, in messages.
const builtinWhere = "the built-in corpus"

// origin is where the document of an ID is read from.
type origin struct {
	where string // builtinWhere, a corpus folder, or the folder of added reports
	file  string // the file's path within it
	added bool   // it is in the folder of added reports
}

// corpusOrigins names, for every document ID of the corpus and of the
// folder of added reports, where its file is, the first folder winning as
// when the corpus is loaded. It lists file names only: nothing is read.
func corpusOrigins(cfg config) (map[string]origin, error) {
	out := map[string]origin{}
	list := func(fsys fs.FS, where string, added bool) error {
		return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == "." {
					return err
				}
				return nil
			}
			if d.IsDir() || !corpus.IsDocumentFile(p) {
				return nil
			}
			id := strings.TrimSuffix(path.Base(p), path.Ext(p))
			if _, dup := out[id]; !dup {
				out[id] = origin{where: where, file: p, added: added}
			}
			return nil
		})
	}
	for _, dir := range corpusDirs(cfg.Corpus) {
		if dir == builtinCorpus {
			if err := list(corpus.Embedded(), builtinWhere, false); err != nil {
				return nil, fmt.Errorf("couldn't list the built-in corpus: %w", err)
			}
			continue
		}
		if err := list(os.DirFS(dir), dir, dir == cfg.Added); err != nil {
			return nil, fmt.Errorf("couldn't list the corpus folder %s: %w", dir, err)
		}
	}
	if cfg.Added == "" {
		return out, nil
	}
	if err := list(os.DirFS(cfg.Added), cfg.Added, true); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("couldn't list the folder of added reports %s: %w", cfg.Added, err)
	}
	return out, nil
}

// addedFiles returns the files of the folder of added reports whose
// document ID is id.
func addedFiles(dir, id string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && corpus.IsDocumentFile(n) && strings.TrimSuffix(n, filepath.Ext(n)) == id {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}

func runAdd(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "add", "FILE|URL…")
	replace := fs.Bool("replace", false, "replace a report added before under the same ID")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	fetch := m.Fetch
	if fetch == nil {
		fetch = urlFetcher(c)
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give the report files to add, e.g. scobot add report.html", errUsage)
	}
	if c.cfg.Added == "" {
		return errors.New("no folder for added reports: set " + envAdded)
	}
	origins, err := corpusOrigins(c.cfg)
	if err != nil {
		return err
	}
	failed, added := 0, 0
	for _, arg := range pos {
		if err := addReport(ctx, m.Stdout, c.cfg.Added, arg, fetch, origins, *replace); err != nil {
			fmt.Fprintf(m.Stderr, "scobot add: %s: %v\n", arg, err)
			failed++
			continue
		}
		added++
	}
	if added > 0 {
		if err := updateIndex(ctx, m, c); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d reports not added", failed, len(pos))
	}
	return nil
}

// addReport reads one report (a file, or a URL through fetch), builds its
// document as the corpus loader would, copies it into the folder of added
// reports and prints what it understood. An ID already taken is refused,
// unless it was added before and replace is set.
func addReport(ctx context.Context, w io.Writer, dir, arg string, fetch pageFetcher, origins map[string]origin, replace bool) error {
	var name string
	var body []byte
	if isURL(arg) {
		n, b, err := fetch(ctx, arg)
		if err != nil {
			return err
		}
		name, body = n, b
	} else {
		b, err := readReport(arg)
		if err != nil {
			return err
		}
		name, body = filepath.Base(arg), b
	}
	doc, replaced, err := admitReport(ctx, dir, name, body, origins, replace)
	if err != nil {
		return err
	}
	how := "added"
	if replaced {
		how = "replaced"
	}
	fmt.Fprintf(w, "%s %s\n", how, doc.ID)
	fmt.Fprintf(w, "    title:     %s\n", cmp.Or(doc.Title, "(none found)"))
	fmt.Fprintf(w, "    date:      %s\n", cmp.Or(doc.Date, "(none found)"))
	fmt.Fprintf(w, "    publisher: %s\n", cmp.Or(doc.Source, "(none found)"))
	fmt.Fprintf(w, "    languages: %s\n", cmp.Or(strings.Join(doc.Langs, ", "), "(unknown)"))
	fmt.Fprintf(w, "    chunks:    %d\n", len(chunk.Document(doc, chunk.Options{})))
	return nil
}

// admitReport builds the document of a report file's bytes as the corpus
// loader would and copies the file into the folder of added reports dir.
// An ID already taken is refused, unless it was added before and replace
// is set (then it reports replaced). origins learns the new report.
func admitReport(ctx context.Context, dir, name string, body []byte, origins map[string]origin, replace bool) (doc corpus.Document, replaced bool, err error) {
	name = filepath.Base(name)
	if name == "." || name == ".." || name == string(filepath.Separator) || !corpus.IsDocumentFile(name) {
		return doc, false, fmt.Errorf("not a report file: want .txt, .md or .html")
	}
	res, err := corpus.Load(ctx, fstest.MapFS{name: &fstest.MapFile{Data: body, Mode: 0o644}}, nil)
	if err != nil {
		return doc, false, fmt.Errorf("couldn't read the report: %w", err)
	}
	if len(res.Skipped) > 0 {
		return doc, false, errors.New(res.Skipped[0].Reason)
	}
	if len(res.Docs) != 1 {
		return doc, false, errors.New("no article text")
	}
	doc = res.Docs[0]
	if o, taken := origins[doc.ID]; taken {
		switch {
		case !o.added:
			return doc, false, fmt.Errorf("the ID %s is taken by the report %s of %s; rename the file to add it beside that one", doc.ID, o.file, o.where)
		case !replace:
			return doc, false, &addedBeforeError{id: doc.ID, file: filepath.Join(o.where, o.file)}
		}
		for _, f := range addedFiles(dir, doc.ID) {
			if err := os.Remove(f); err != nil {
				return doc, false, fmt.Errorf("couldn't remove the report added before: %w", err)
			}
		}
		replaced = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return doc, false, fmt.Errorf("couldn't create the folder of added reports: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, name), body); err != nil {
		return doc, false, fmt.Errorf("couldn't copy the report into %s: %w", dir, err)
	}
	origins[doc.ID] = origin{where: dir, file: name, added: true}
	return doc, replaced, nil
}

// addedBeforeError refuses a report whose ID was added before.
type addedBeforeError struct{ id, file string }

func (e *addedBeforeError) Error() string {
	return fmt.Sprintf("a report with the ID %s was added before (%s); add it with --replace to replace it", e.id, e.file)
}

// isURL reports whether a scobot add argument is a URL rather than a file.
func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// readReport reads a report file: a regular file no larger than the
// corpus loader reads.
func readReport(p string) ([]byte, error) {
	f, err := openRegular(p)
	if err != nil {
		return nil, fmt.Errorf("couldn't open it: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, corpus.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("couldn't read it: %w", err)
	}
	if len(b) > corpus.MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB", corpus.MaxFileSize>>20)
	}
	return b, nil
}

func runRemove(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "remove", "ID…")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: give the IDs of added reports to remove (scobot docs marks them)", errUsage)
	}
	origins, err := corpusOrigins(c.cfg)
	if err != nil {
		return err
	}
	failed, removed := 0, 0
	for _, id := range pos {
		if err := removeReport(m.Stdout, c.cfg.Added, id, origins); err != nil {
			fmt.Fprintf(m.Stderr, "scobot remove: %s: %v\n", id, err)
			failed++
			continue
		}
		removed++
	}
	if removed > 0 {
		if err := updateIndex(ctx, m, c); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d reports not removed", failed, len(pos))
	}
	return nil
}

// removeReport removes the files of an added report. A report of the
// built-in corpus or of a corpus folder is refused, saying where it is.
func removeReport(w io.Writer, dir, id string, origins map[string]origin) error {
	files := addedFiles(dir, id)
	if len(files) == 0 {
		o, ok := origins[id]
		switch {
		case !ok:
			return errors.New("no report has this ID (scobot docs lists them)")
		case o.where == builtinWhere:
			return fmt.Errorf("a built-in report (corpus/docs/%s), not one added with scobot add: it cannot be removed", o.file)
		}
		return fmt.Errorf("not a report added with scobot add: it is the file %s of the corpus folder %s; delete or move it there", filepath.Join(o.where, o.file), o.where)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("couldn't remove %s: %w", f, err)
		}
	}
	fmt.Fprintf(w, "removed %s (%s)\n", id, strings.Join(files, ", "))
	return nil
}

// updateIndex brings the index up to date after add or remove, so the
// next command starts fast, and prints what changed.
func updateIndex(ctx context.Context, m *Main, c *cli) error {
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return fmt.Errorf("couldn't update the index: %w", err)
	}
	st := a.stats
	fmt.Fprintf(m.Stdout, "Index updated: %d documents; %d added, %d updated, %d removed; %d chunks, %d embedded.\n",
		len(a.docs), st.Added, st.Updated, st.Removed, st.Chunks, st.Embedded)
	return nil
}

// addedIDs returns the IDs of the corpus's documents read from the folder
// of added reports.
func addedIDs(cfg config) map[string]bool {
	origins, err := corpusOrigins(cfg)
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	for id, o := range origins {
		if o.added {
			out[id] = true
		}
	}
	return out
}
