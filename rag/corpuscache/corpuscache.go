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
package corpuscache

import (
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

	"github.com/scobot/scobot/corpus"
)

// formatVersion is the layout of the cache file; another version misses.
const formatVersion = 1

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

// cacheFile is what the cache file holds.
type cacheFile struct {
	Format  int
	Key     string
	Files   []File
	Docs    []corpus.Document
	Skipped []corpus.Skipped
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
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, 0, false
	}
	var c cacheFile
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&c); err != nil || c.Format != formatVersion || c.Key != key || len(c.Files) != len(now) {
		return nil, nil, 0, false
	}
	always := map[string]bool{}
	fsys := map[string]fs.FS{}
	for _, s := range srcs {
		always[s.Name], fsys[s.Name] = s.AlwaysHash, s.FS
	}
	for i, f := range now {
		old := c.Files[i]
		if old.Source != f.Source || old.Path != f.Path || old.Mode != f.Mode {
			return nil, nil, hashed, false
		}
		if old.Size == f.Size && old.ModTime == f.ModTime && !always[f.Source] {
			continue
		}
		if old.Size != f.Size || !f.Mode.IsRegular() || ctx.Err() != nil {
			return nil, nil, hashed, false
		}
		h, err := hashFile(fsys[f.Source], f.Path)
		hashed++
		if err != nil || h != old.Hash {
			return nil, nil, hashed, false
		}
	}
	return c.Docs, c.Skipped, hashed, true
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
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cacheFile{Format: formatVersion, Key: key, Files: files, Docs: docs, Skipped: skipped}); err != nil {
		return fmt.Errorf("couldn't encode the corpus cache: %w", err)
	}
	if err := writeAtomic(path, buf.Bytes()); err != nil {
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

// writeAtomic writes b to a temporary file beside path and renames it over
// path, so path holds the old or the new cache in full.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("couldn't create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("couldn't create a temporary file: %w", err)
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("couldn't write %s: %w", f.Name(), err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("couldn't replace %s: %w", path, err)
	}
	return nil
}
