// Package corpuscache keeps the corpus as it was last loaded (its cleaned
// documents and skipped files) in one file beside the index, with the
// fingerprint of the files it was loaded from, so that a command over an
// unchanged corpus does not read, decode and clean every file again.
//
// A file counts as unchanged when its size and modification time are those
// recorded; only when they differ is its content hashed, and the hash then
// decides. Any file added, removed or changed makes the cache miss as a
// whole: the caller loads the corpus afresh and saves a new cache. (An edit
// that keeps both the size and the modification time is not seen: that is
// the price of not reading unchanged files.)
//
// The file holds two gob messages: the fingerprint with the documents'
// metadata, then the documents' text. Open reads the first alone, so a
// caller that needs no text (its index already holds the chunks) does not
// decode it; Hit.Documents reads the rest.
package corpuscache

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/internal/atomicfile"
)

// formatVersion is the layout of the cache file; another version misses.
const formatVersion = 2

// Source is one folder of the corpus.
type Source struct {
	// Name identifies the folder (its path, or "builtin"); a cache of other
	// names misses.
	Name string
	// FS holds the folder's files.
	FS fs.FS
	// AlwaysHash hashes every file whatever its size and time say: for file
	// systems without meaningful modification times (an embed.FS).
	AlwaysHash bool
}

// File is one file of a Source as fingerprinted.
type File struct {
	Source  string
	Path    string
	Size    int64
	ModTime int64 // Unix nanoseconds
	Mode    fs.FileMode
	Hash    string // hex SHA-256 of the content; "" until hashed, and for files that are not regular
}

// header is the cache file's first message: the fingerprint, and the
// documents without their Parts.
type header struct {
	Format  int
	Key     string
	Files   []File
	Docs    []corpus.Document // Parts nil: they are in bodies
	Skipped []corpus.Skipped
}

// bodies is the cache file's second message: each document's Parts, in the
// order of header.Docs.
type bodies struct {
	Parts [][]corpus.Part
}

// Fingerprint lists every file (not folder) of the sources with its size,
// modification time and mode, reading no content; a symbolic link is
// described by what it points to (by itself when it points nowhere). It
// stops when ctx ends.
func Fingerprint(ctx context.Context, srcs []Source) ([]File, error) {
	var out []File
	for _, src := range srcs {
		err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				// Stat never opens, so a FIFO cannot block; a dangling
				// link is described by the link itself.
				if target, err := fs.Stat(src.FS, p); err == nil {
					fi = target
				}
			}
			out = append(out, File{Source: src.Name, Path: p, Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Mode: fi.Mode().Type()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("couldn't fingerprint the corpus %s: %w", src.Name, err)
		}
	}
	return out, nil
}

// Lookup returns the documents and skipped files cached at path if they were
// loaded under key from the very files now lists (from Fingerprint over
// srcs): the same files, each with the same size and modification time or,
// where those differ, the same content. hashed counts the files whose content
// was hashed to decide. A missing, unreadable or stale cache gives ok false.
func Lookup(ctx context.Context, path, key string, srcs []Source, now []File) (docs []corpus.Document, skipped []corpus.Skipped, hashed int, ok bool) {
	h, hashed, ok := Open(ctx, path, key, srcs, now)
	if !ok {
		return nil, nil, hashed, false
	}
	docs, err := h.Documents()
	if err != nil {
		return nil, nil, hashed, false
	}
	return docs, h.Skipped, hashed, true
}

// Hit is a cache that matched the corpus (Open): its skipped files and its
// documents' metadata, read; their text, read on demand.
type Hit struct {
	// Meta holds the documents without their Parts.
	Meta []corpus.Document
	// Skipped holds the files the corpus loader skipped, with why.
	Skipped []corpus.Skipped
	// Stale is set when a file's size or time no longer matches the cache
	// though its content does (a touch, a copy, a checkout): the cache
	// should be saved again, or that file is hashed on every start.
	Stale bool
	path  string
	hdr   header
}

// Open is Lookup without the documents' text: it reads and checks the
// fingerprint and the metadata only. Hit.Documents reads the text.
func Open(ctx context.Context, path, key string, srcs []Source, now []File) (hit *Hit, hashed int, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, false
	}
	defer f.Close()
	var c header
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&c); err != nil || c.Format != formatVersion || c.Key != key || len(c.Files) != len(now) {
		return nil, 0, false
	}
	stale := false
	always := map[string]bool{}
	fsys := map[string]fs.FS{}
	for _, s := range srcs {
		always[s.Name], fsys[s.Name] = s.AlwaysHash, s.FS
	}
	for i, f := range now {
		old := c.Files[i]
		if old.Source != f.Source || old.Path != f.Path || old.Mode != f.Mode {
			return nil, hashed, false
		}
		if old.Size == f.Size && old.ModTime == f.ModTime && !always[f.Source] {
			continue
		}
		if old.Size != f.Size || !f.Mode.IsRegular() || ctx.Err() != nil {
			return nil, hashed, false
		}
		h, err := hashFile(fsys[f.Source], f.Path)
		hashed++
		if err != nil || h != old.Hash {
			return nil, hashed, false
		}
		stale = stale || !always[f.Source]
	}
	return &Hit{Meta: c.Docs, Skipped: c.Skipped, Stale: stale, path: path, hdr: c}, hashed, true
}

// Documents returns the cached documents whole, reading their text from
// the cache file. A file that has since been replaced by another cache (or
// cannot be read) is an error: the caller loads the corpus instead.
func (h *Hit) Documents() ([]corpus.Document, error) {
	f, err := os.Open(h.path)
	if err != nil {
		return nil, fmt.Errorf("couldn't read the corpus cache: %w", err)
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReader(f))
	var c header
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("couldn't decode the corpus cache: %w", err)
	}
	if c.Key != h.hdr.Key || !slices.Equal(c.Files, h.hdr.Files) || len(c.Docs) != len(h.hdr.Docs) {
		return nil, errors.New("couldn't read the corpus cache: it was replaced")
	}
	var b bodies
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("couldn't decode the corpus cache's text: %w", err)
	}
	if len(b.Parts) != len(c.Docs) {
		return nil, fmt.Errorf("couldn't read the corpus cache: %d texts for %d documents", len(b.Parts), len(c.Docs))
	}
	docs := slices.Clone(h.Meta)
	for i := range docs {
		docs[i].Parts = b.Parts[i]
	}
	return docs, nil
}

// Save hashes the regular files of before (a Fingerprint taken before the
// corpus was loaded) and writes docs and skipped with them to path under key,
// atomically, creating the folder if needed. If a file changed while the
// corpus was loaded, nothing is written: the cache could not say which
// version the documents hold.
func Save(ctx context.Context, path, key string, srcs []Source, before []File, docs []corpus.Document, skipped []corpus.Skipped) error {
	fsys := map[string]fs.FS{}
	for _, s := range srcs {
		fsys[s.Name] = s.FS
	}
	files := make([]File, len(before))
	for i, f := range before {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("couldn't save the corpus cache: %w", err)
		}
		if f.Mode.IsRegular() {
			h, err := hashFile(fsys[f.Source], f.Path)
			if err != nil {
				return fmt.Errorf("couldn't save the corpus cache: %w", err)
			}
			f.Hash = h
		}
		files[i] = f
	}
	after, err := Fingerprint(ctx, srcs)
	if err != nil {
		return fmt.Errorf("couldn't save the corpus cache: %w", err)
	}
	if !sameStat(before, after) {
		return errors.New("couldn't save the corpus cache: the corpus changed while it was loaded")
	}
	meta := make([]corpus.Document, len(docs))
	parts := make([][]corpus.Part, len(docs))
	for i, d := range docs {
		parts[i] = d.Parts
		d.Parts = nil
		meta[i] = d
	}
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(header{Format: formatVersion, Key: key, Files: files, Docs: meta, Skipped: skipped}); err != nil {
		return fmt.Errorf("couldn't encode the corpus cache: %w", err)
	}
	if err := enc.Encode(bodies{Parts: parts}); err != nil {
		return fmt.Errorf("couldn't encode the corpus cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("couldn't create %s: %w", filepath.Dir(path), err)
	}
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		return fmt.Errorf("couldn't save the corpus cache: %w", err)
	}
	return nil
}

// sameStat reports whether two fingerprints list the same files with the
// same sizes, times and modes.
func sameStat(a, b []File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Source != y.Source || x.Path != y.Path || x.Size != y.Size || x.ModTime != y.ModTime || x.Mode != y.Mode {
			return false
		}
	}
	return true
}

// hashFile returns the hex SHA-256 of a file's content.
func hashFile(fsys fs.FS, p string) (string, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return "", fmt.Errorf("couldn't hash %s: %w", p, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("couldn't hash %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
