package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"

	"github.com/scobot/scobot/internal/parallel"
)

// MaxFileSize is the largest document file Load reads (16 MiB); larger files
// are skipped.
const MaxFileSize = 16 << 20

// Result is what Load found.
type Result struct {
	Docs    []Document // sorted by ID
	Skipped []Skipped  // files that could not be used, in walk order
}

// Skipped is a document file Load could not use, and why.
type Skipped struct {
	File   string // path within the loaded file system
	Reason string // short and human: "empty file", "binary file", "undecodable text", …
}

// docExts are the extensions of document files (compared in lower case).
var docExts = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// IsDocumentFile reports whether Load reads a file of this name as a
// document (by its extension: .txt, .md, .markdown, .html, .htm in any
// letter case). MetadataFile is not a document file.
func IsDocumentFile(name string) bool { return docExts[strings.ToLower(path.Ext(name))] }

// Load reads every document file in fsys — recursively; .txt, .md,
// .markdown, .html and .htm in any letter case; anything else, including
// MetadataFile, is ignored — then decodes, cleans and splits each by
// language, applies heuristic metadata and finally the curated overrides of
// a MetadataFile at the root of fsys, if there is one. Documents come back
// sorted by ID (the file's base name without extension).
//
// Only regular files are opened: a named pipe, device or socket is skipped
// (opening a pipe would block until a writer comes). A symbolic link is
// read only when its target is a regular file inside fsys: one whose text
// points outside (an absolute target, or one climbing above the root) is
// skipped, and fsys must refuse the rest — pass an os.Root's FS, which
// confines every open to its folder, rather than os.DirFS, which follows
// links anywhere. Links to folders are not followed.
//
// A file that cannot be used is listed in Result.Skipped and logged once at
// Warn level (logger may be nil); it never stops the rest. Load returns an
// error only when fsys cannot be walked, the context ends, or the metadata
// file is present but invalid. It is safe to call concurrently.
func Load(ctx context.Context, fsys fs.FS, logger *slog.Logger) (Result, error) {
	res, _, _, err := loader{maxSize: MaxFileSize, logger: logger}.load(ctx, fsys, nil)
	return res, err
}

// Built is what reading and cleaning one document file gave, before
// anything decided across files (duplicate IDs, the metadata file): its
// document, or why the file cannot be used. It depends on nothing but the
// file's path and content.
type Built struct {
	Doc    Document // zero when Reason is set
	Reason string   // why the file cannot be used; "" when Doc holds its document
}

// Reuse returns what building the document file at path gave when it was
// last loaded, and true, if the file has not changed since; false has the
// file read again.
type Reuse func(path string) (Built, bool)

// LoadReusing is Load for a folder loaded before: a document file that
// reuse vouches for is not read, decoded or cleaned again, its Built is
// taken as it is (Parts included, or not). Everything decided across files
// — which file of a duplicate ID wins, the metadata file's overrides, the
// files skipped and why, the order of the documents — is decided exactly
// as Load decides it, over the reused and the read files alike. It also
// returns the Built of every document file, by path, for the next time,
// and how many files it read. reuse may be nil.
func LoadReusing(ctx context.Context, fsys fs.FS, logger *slog.Logger, reuse Reuse) (Result, map[string]Built, int, error) {
	return loader{maxSize: MaxFileSize, logger: logger}.load(ctx, fsys, reuse)
}

// WarnSkipped logs each of skipped at Warn level as Load logs the files
// it skips (logger may be nil): for a caller that takes a Result a load
// gave before rather than loading again.
func WarnSkipped(logger *slog.Logger, skipped []Skipped) {
	for _, s := range skipped {
		warnSkipped(logger, s.File, s.Reason)
	}
}

// warnSkipped logs one file skipped.
func warnSkipped(logger *slog.Logger, file, reason string) {
	if logger != nil {
		logger.Warn("skipped document file", "file", file, "reason", reason)
	}
}

type loader struct {
	maxSize int64
	logger  *slog.Logger
}

func (l loader) warn(msg string, args ...any) {
	if l.logger != nil {
		l.logger.Warn(msg, args...)
	}
}

func (l loader) load(ctx context.Context, fsys fs.FS, reuse Reuse) (Result, map[string]Built, int, error) {
	var res Result
	skip := func(file, reason string) {
		res.Skipped = append(res.Skipped, Skipped{File: file, Reason: reason})
		warnSkipped(l.logger, file, reason)
	}
	seen := map[string]string{} // ID → file
	var files []string          // to load, in walk order
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			skip(p, "unreadable: "+errReason(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if d.IsDir() || !docExts[strings.ToLower(path.Ext(p))] {
			return nil
		}
		if reason := regularFile(fsys, p, d.Type()); reason != "" {
			skip(p, reason)
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return Result{}, nil, 0, fmt.Errorf("couldn't walk the document folder: %w", err)
	}
	built := make([]Built, len(files))
	var read []int // indexes into files of those to read
	for i, p := range files {
		var ok bool
		if reuse != nil {
			built[i], ok = reuse(p)
		}
		if !ok {
			read = append(read, i)
		}
	}
	// Reading and cleaning a file is independent of every other: on every
	// core (cleaning is most of building an index from nothing).
	err = parallel.For(len(read), func(j int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		i := read[j]
		built[i].Doc, built[i].Reason = l.loadFile(fsys, files[i])
		return nil
	})
	if err != nil {
		return Result{}, nil, 0, fmt.Errorf("couldn't load the documents: %w", err)
	}
	byPath := make(map[string]Built, len(files))
	for i, p := range files {
		byPath[p] = built[i]
		if built[i].Reason != "" {
			skip(p, built[i].Reason)
			continue
		}
		id := docID(p)
		if prev, dup := seen[id]; dup {
			skip(p, fmt.Sprintf("duplicate document ID %s (also in %s)", id, prev))
			continue
		}
		seen[id] = p
		res.Docs = append(res.Docs, built[i].Doc)
	}
	if err := l.applyOverrides(fsys, res.Docs, skip); err != nil {
		return Result{}, nil, 0, err
	}
	sort.Slice(res.Docs, func(i, j int) bool { return res.Docs[i].ID < res.Docs[j].ID })
	return res, byPath, len(read), nil
}

// docID is a file's base name without its extension.
func docID(p string) string {
	base := path.Base(p)
	return strings.TrimSuffix(base, path.Ext(base))
}

// loadFile reads and builds one document; a non-empty reason says why the
// file cannot be used.
func (l loader) loadFile(fsys fs.FS, p string) (Document, string) {
	raw, reason := l.read(fsys, p)
	if reason != "" {
		return Document{}, reason
	}
	doc, err := build(p, raw)
	if err != nil {
		return Document{}, err.Error()
	}
	return doc, ""
}

// read returns a file's bytes, refusing one larger than the limit before
// reading it all.
func (l loader) read(fsys fs.FS, p string) ([]byte, string) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, "unreadable: " + errReason(err)
	}
	defer f.Close()
	tooBig := fmt.Sprintf("larger than %s", sizeString(l.maxSize))
	var size int64 // as the file says; the read takes what there is
	if st, err := f.Stat(); err == nil {
		if !st.Mode().IsRegular() {
			// Replaced since it was looked at (and the open did not block).
			return nil, typeReason(st.Mode())
		}
		if st.Size() > l.maxSize {
			return nil, tooBig
		}
		size = st.Size()
	}
	// A buffer of the file's size, read into once rather than grown.
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, l.maxSize+1)); err != nil {
		return nil, "unreadable: " + errReason(err)
	}
	b := buf.Bytes()
	if int64(len(b)) > l.maxSize {
		return nil, tooBig
	}
	return b, ""
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func errReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ErrNoText means a page or file holds no article text: everything in it
// is navigation, footers and other page furniture, or nothing at all.
var ErrNoText = errors.New("no article text")

// build turns one file's bytes into a Document. An HTML file's article is
// found by DefaultExtractor; its metadata comes from the whole page.
func build(file string, raw []byte) (Document, error) {
	if strings.HasPrefix(strings.ToLower(path.Ext(file)), ".htm") {
		text, err := decodeHTML(raw)
		if err != nil {
			return Document{}, err
		}
		return assemble(file, extractHTML(text, "", DefaultExtractor))
	}
	text, err := Decode(raw)
	if err != nil {
		return Document{}, err
	}
	a := analyze(text)
	return assemble(file, extracted{whole: a, body: a, m: harvest(a, htmlMeta{})})
}

// assemble makes the Document of an extracted file.
func assemble(file string, e extracted) (Document, error) {
	body := e.text()
	if body == "" {
		return Document{}, ErrNoText
	}
	parts := SplitLanguages(body)
	if len(parts) == 1 && parts[0].Lang == "und" && e.hm.lang != "" {
		parts[0].Lang = strings.ToLower(strings.SplitN(e.hm.lang, "-", 2)[0])
	}
	return Document{
		ID:     docID(file),
		Title:  e.m.title,
		Date:   e.m.date,
		Source: e.m.source,
		URL:    e.m.url,
		Langs:  langsOf(parts),
		Parts:  parts,
		File:   file,
	}, nil
}

// applyOverrides applies the metadata file at the root of fsys, if any. One
// that is not a regular file (a named pipe, a link out of the folder) is
// skipped with a warning, never opened.
func (l loader) applyOverrides(fsys fs.FS, docs []Document, skip func(file, reason string)) error {
	fi, err := fs.Lstat(fsys, MetadataFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("couldn't read %s: %w", MetadataFile, err)
	}
	if reason := regularFile(fsys, MetadataFile, fi.Mode()); reason != "" {
		skip(MetadataFile, reason)
		return nil
	}
	data, err := fs.ReadFile(fsys, MetadataFile)
	if err != nil {
		return fmt.Errorf("couldn't read %s: %w", MetadataFile, err)
	}
	overrides, err := parseOverrides(data)
	if err != nil {
		return err
	}
	byID := make(map[string]*Document, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	ids := make([]string, 0, len(overrides))
	for id := range overrides {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		o := overrides[id]
		d, ok := byID[id]
		if !ok {
			l.warn("metadata names an unknown document", "file", MetadataFile, "line", o.line, "id", id)
			continue
		}
		o.apply(d)
	}
	return nil
}
