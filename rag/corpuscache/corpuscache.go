// Package corpuscache keeps what building each document file of the corpus
// gave (its cleaned document, or why it cannot be used) in one file beside
// the index, with the fingerprint of the files it was built from, so that
// a command over a corpus that changed little reads, decodes and cleans
// only the files that changed.
//
// A file counts as unchanged when its size and modification time are those
// recorded; only when they differ is its content hashed, and the hash then
// decides. (An edit that keeps both the size and the modification time is
// not seen: that is the price of not reading unchanged files.) The cache
// holds each file's own result only, never a decision across files: the
// caller hands Cache.Reuse to corpus.LoadReusing, which decides duplicate
// IDs, applies the metadata file and orders the documents exactly as a full
// load would.
//
// The file holds two gob messages: the fingerprint with each file's result
// less its text, then the texts. Open reads the first alone, so a caller
// that needs no text (its index already holds the chunks) does not decode
// it; Cache.ReuseText reads the rest.
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
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/internal/atomicfile"
)

// formatVersion is the layout of the cache file; another version misses.
const formatVersion = 3

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

// fileKey names a file across sources.
type fileKey struct{ source, path string }

// entry is what building one document file gave, as cached.
type entry struct {
	Source string
	Path   string
	Doc    corpus.Document // Parts nil: they are in bodies
	Reason string
}

// header is the cache file's first message: the fingerprint, and each
// document file's result without its text.
type header struct {
	Format int
	Key    string
	Files  []File
	Built  []entry
}

// bodies is the cache file's second message: each document's Parts, in the
// order of header.Built (nil for a file that gave no document).
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

// Cache is a corpus cache file as Open found it against the corpus now:
// the results of the files that have not changed since it was saved. A
// Cache is not safe for concurrent use.
type Cache struct {
	path  string
	hdr   header
	files int // how many files the corpus has now
	// valid holds the index into hdr.Built of each unchanged document
	// file; hashes the content hash of each unchanged regular file.
	valid  map[fileKey]int
	hashes map[fileKey]string
	same   int // files unchanged
	stale  bool
	hashed int
	parts  [][]corpus.Part // read by ReuseText
}

// Open reads the cache at path, saved under key, and checks each file it
// records against now (from Fingerprint over srcs): a file with the same
// size and modification time or, where those differ, the same content is
// unchanged, and its result can be reused. It reads the fingerprint and the
// results, not their text. A missing, unreadable or foreign cache (another
// key or format) gives an empty Cache, which reuses nothing.
func Open(ctx context.Context, path, key string, srcs []Source, now []File) *Cache {
	c := &Cache{path: path, files: len(now), valid: map[fileKey]int{}, hashes: map[fileKey]string{}}
	f, err := os.Open(path)
	if err != nil {
		return c
	}
	defer f.Close()
	var h header
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&h); err != nil || h.Format != formatVersion || h.Key != key {
		return c
	}
	c.hdr = h
	always := map[string]bool{}
	fsys := map[string]fs.FS{}
	for _, s := range srcs {
		always[s.Name], fsys[s.Name] = s.AlwaysHash, s.FS
	}
	old := make(map[fileKey]File, len(h.Files))
	for _, f := range h.Files {
		old[fileKey{f.Source, f.Path}] = f
	}
	built := make(map[fileKey]int, len(h.Built))
	for i, e := range h.Built {
		built[fileKey{e.Source, e.Path}] = i
	}
	for _, f := range now {
		k := fileKey{f.Source, f.Path}
		was, ok := old[k]
		if !ok || was.Mode != f.Mode || ctx.Err() != nil {
			continue
		}
		if was.Size != f.Size || was.ModTime != f.ModTime || always[f.Source] {
			if was.Size != f.Size || !f.Mode.IsRegular() {
				continue
			}
			sum, err := hashFile(fsys[f.Source], f.Path)
			c.hashed++
			if err != nil || sum != was.Hash {
				continue
			}
			c.stale = c.stale || !always[f.Source]
		}
		c.same++
		if was.Hash != "" {
			c.hashes[k] = was.Hash
		}
		if i, ok := built[k]; ok {
			c.valid[k] = i
		}
	}
	return c
}

// Unchanged reports whether the corpus is exactly as the cache recorded it
// — the same files, none changed, none merely touched — so that it need not
// be saved again.
func (c *Cache) Unchanged() bool {
	return c.hdr.Format == formatVersion && !c.stale && c.same == c.files && len(c.hdr.Files) == c.files
}

// Stale reports whether a file's size or time no longer matches the cache
// though its content does (a touch, a copy, a checkout): the cache should
// be saved again, or that file is hashed on every start.
func (c *Cache) Stale() bool { return c.stale }

// Hashed counts the files whose content Open hashed to decide.
func (c *Cache) Hashed() int { return c.hashed }

// Reuse returns the results of source's unchanged document files without
// their text (Parts nil), for corpus.LoadReusing.
func (c *Cache) Reuse(source string) corpus.Reuse {
	return func(p string) (corpus.Built, bool) {
		i, ok := c.valid[fileKey{source, p}]
		if !ok {
			return corpus.Built{}, false
		}
		e := c.hdr.Built[i]
		return corpus.Built{Doc: e.Doc, Reason: e.Reason}, true
	}
}

// ReuseText is Reuse with the documents' text, read from the cache file
// once for all sources. A file that has since been replaced by another
// cache (or cannot be read) is an error: the caller loads the corpus
// instead.
func (c *Cache) ReuseText(source string) (corpus.Reuse, error) {
	if c.parts == nil && len(c.hdr.Built) > 0 {
		parts, err := c.readParts()
		if err != nil {
			return nil, err
		}
		c.parts = parts
	}
	return func(p string) (corpus.Built, bool) {
		i, ok := c.valid[fileKey{source, p}]
		if !ok {
			return corpus.Built{}, false
		}
		e := c.hdr.Built[i]
		b := corpus.Built{Doc: e.Doc, Reason: e.Reason}
		b.Doc.Parts = c.parts[i]
		return b, true
	}, nil
}

// readParts reads the texts of the cache file, checking it is still the
// one Open read.
func (c *Cache) readParts() ([][]corpus.Part, error) {
	f, err := os.Open(c.path)
	if err != nil {
		return nil, fmt.Errorf("couldn't read the corpus cache: %w", err)
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReader(f))
	var h header
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("couldn't decode the corpus cache: %w", err)
	}
	if h.Key != c.hdr.Key || !slices.Equal(h.Files, c.hdr.Files) || len(h.Built) != len(c.hdr.Built) {
		return nil, errors.New("couldn't read the corpus cache: it was replaced")
	}
	var b bodies
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("couldn't decode the corpus cache's text: %w", err)
	}
	if len(b.Parts) != len(h.Built) {
		return nil, fmt.Errorf("couldn't read the corpus cache: %d texts for %d files", len(b.Parts), len(h.Built))
	}
	return b.Parts, nil
}

// Save writes to path under key, atomically and creating the folder if
// needed, the fingerprint before (taken before the corpus was loaded) with
// the content hash of each regular file, and built: for each of srcs, in
// order, what corpus.LoadReusing returned for its document files, text
// included. prev, if not nil, is the Cache the corpus was loaded through:
// the hashes of the files it found unchanged are not computed again. If a
// file changed while the corpus was loaded, nothing is written: the cache
// could not say which version the documents hold.
func Save(ctx context.Context, path, key string, srcs []Source, before []File, built []map[string]corpus.Built, prev *Cache) error {
	if len(built) != len(srcs) {
		return fmt.Errorf("couldn't save the corpus cache: results for %d of %d folders", len(built), len(srcs))
	}
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
			h, ok := "", false
			if prev != nil {
				h, ok = prev.hashes[fileKey{f.Source, f.Path}]
			}
			if !ok {
				var err error
				if h, err = hashFile(fsys[f.Source], f.Path); err != nil {
					return fmt.Errorf("couldn't save the corpus cache: %w", err)
				}
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
	var entries []entry
	var parts [][]corpus.Part
	for i, src := range srcs {
		for _, p := range slices.Sorted(maps.Keys(built[i])) {
			b := built[i][p]
			if b.Reason == "" && len(b.Doc.Parts) == 0 {
				return fmt.Errorf("couldn't save the corpus cache: document %s has no text", p)
			}
			parts = append(parts, b.Doc.Parts)
			b.Doc.Parts = nil
			entries = append(entries, entry{Source: src.Name, Path: p, Doc: b.Doc, Reason: b.Reason})
		}
	}
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(header{Format: formatVersion, Key: key, Files: files, Built: entries}); err != nil {
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
