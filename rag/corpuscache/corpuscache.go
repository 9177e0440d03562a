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
// The file (the base) holds two gob messages: the fingerprint with each
// file's result less its text, then the texts. Open reads the first alone,
// so a caller that needs no text (its index already holds the chunks) does
// not decode it; Cache.ReuseText reads the rest. A save after a few
// changes appends them to the base's log (LogSuffix) rather than writing
// the base again.
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
	"reflect"
	"slices"
	"strings"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/internal/atomicfile"
	"github.com/scobot/scobot/internal/framelog"
)

// formatVersion is the layout of the cache file; another version misses.
const formatVersion = 4

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
	Format  int
	Key     string
	Files   []File
	Built   []entry
	Decided []decided
}

// decided is what a load decided across the files of one source
// (corpus.LoadReusing: duplicate IDs, the metadata file, the files
// skipped, the order), kept so that a start over a corpus unchanged since
// takes it (Cache.Result) rather than walking the folder again. The
// documents are those the source's document files gave (entries with no
// Reason), less Losers (the files whose ID another file took), with
// Overrides (the documents the metadata file changed, without their text)
// in place of theirs, sorted by ID.
type decided struct {
	Source    string
	Losers    []string
	Overrides []corpus.Document
	Skipped   []corpus.Skipped
}

// result rebuilds the source's corpus.Result from d and docs, the
// documents its files gave by path (without their text).
func (d decided) result(docs map[string]corpus.Document) corpus.Result {
	losers := make(map[string]bool, len(d.Losers))
	for _, p := range d.Losers {
		losers[p] = true
	}
	over := make(map[string]corpus.Document, len(d.Overrides))
	for _, o := range d.Overrides {
		over[o.ID] = o
	}
	var out []corpus.Document
	for p, doc := range docs {
		if losers[p] {
			continue
		}
		if o, ok := over[doc.ID]; ok {
			doc = o
		}
		out = append(out, doc)
	}
	slices.SortFunc(out, func(a, b corpus.Document) int { return strings.Compare(a.ID, b.ID) })
	return corpus.Result{Docs: out, Skipped: slices.Clone(d.Skipped)}
}

// decide returns what the load of source that gave res and built decided,
// and false when rebuilding res from it would not give res exactly.
func decide(source string, res corpus.Result, built map[string]corpus.Built) (decided, bool) {
	d := decided{Source: source, Skipped: res.Skipped}
	docs := make(map[string]corpus.Document, len(built))
	for p, b := range built {
		if b.Reason == "" {
			b.Doc.Parts = nil
			docs[p] = b.Doc
		}
	}
	want := corpus.Result{Docs: make([]corpus.Document, len(res.Docs)), Skipped: res.Skipped}
	chosen := make(map[string]bool, len(res.Docs))
	for i, doc := range res.Docs {
		doc.Parts = nil
		want.Docs[i] = doc
		chosen[doc.File] = true
		if b, ok := docs[doc.File]; !ok {
			return decided{}, false
		} else if !reflect.DeepEqual(b, doc) {
			d.Overrides = append(d.Overrides, doc)
		}
	}
	if len(want.Docs) == 0 {
		want.Docs = nil
	}
	for _, p := range slices.Sorted(maps.Keys(docs)) {
		if !chosen[p] {
			d.Losers = append(d.Losers, p)
		}
	}
	return d, reflect.DeepEqual(d.result(docs), want)
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

// Cache is a corpus cache as Open found it against the corpus now: the
// results of the files that have not changed since it was saved. A Cache
// is not safe for concurrent use.
type Cache struct {
	path string
	key  string
	// base is set when a base file under key was read; baseSize and
	// baseMod describe it as read. logEnd is the length of the log's
	// prefix replayed (0 when there is no log to extend: the next change
	// starts one), and frames hold its changes' payloads, for their text.
	base              bool
	baseSize, baseMod int64
	logEnd            int64
	frames            [][]byte
	// recorded holds the files and results as the base and log recorded
	// them, and decided what the last load decided, by source.
	recorded map[fileKey]File
	results  map[fileKey]result
	decided  map[string]decided
	files    int // how many files the corpus has now
	// valid holds the unchanged document files; hashes the content hash
	// of each unchanged regular file.
	valid  map[fileKey]bool
	hashes map[fileKey]string
	same   int // files unchanged
	stale  bool
	hashed int
	// baseParts and frameParts hold the text once ReuseText read it.
	baseParts  [][]corpus.Part
	frameParts [][][]corpus.Part
	textRead   bool
}

// result is one file's cached result and where its text is: the base's
// bodies (frame -1) or a log frame's text, at index idx.
type result struct {
	e     entry
	frame int
	idx   int
}

// Open reads the cache at path, saved under key, with its log, and checks
// each file it records against now (from Fingerprint over srcs): a file
// with the same size and modification time or, where those differ, the
// same content is unchanged, and its result can be reused. It reads the
// fingerprint and the results, not their text. A missing, unreadable or
// foreign cache (another key or format) gives an empty Cache, which reuses
// nothing; a log damaged or cut short counts up to the damage.
func Open(ctx context.Context, path, key string, srcs []Source, now []File) *Cache {
	c := &Cache{path: path, key: key, files: len(now), recorded: map[fileKey]File{}, results: map[fileKey]result{},
		decided: map[string]decided{}, valid: map[fileKey]bool{}, hashes: map[fileKey]string{}}
	if !c.readBase() {
		return c
	}
	c.replayLog()
	always := map[string]bool{}
	fsys := map[string]fs.FS{}
	for _, s := range srcs {
		always[s.Name], fsys[s.Name] = s.AlwaysHash, s.FS
	}
	for _, f := range now {
		k := fileKey{f.Source, f.Path}
		was, ok := c.recorded[k]
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
		if _, ok := c.results[k]; ok {
			c.valid[k] = true
		}
	}
	return c
}

// readBase reads the base file's first message into c; false when there
// is no base of c.key to read.
func (c *Cache) readBase() bool {
	f, err := os.Open(c.path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	var h header
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&h); err != nil || h.Format != formatVersion || h.Key != c.key {
		return false
	}
	c.base, c.baseSize, c.baseMod = true, fi.Size(), fi.ModTime().UnixNano()
	for _, f := range h.Files {
		c.recorded[fileKey{f.Source, f.Path}] = f
	}
	for i, e := range h.Built {
		c.results[fileKey{e.Source, e.Path}] = result{e: e, frame: -1, idx: i}
	}
	c.setDecided(h.Decided)
	return true
}

// replayLog applies the changes of the base's log to c, up to the first
// that cannot be read. A log of another base is ignored (and replaced by
// the next change).
func (c *Cache) replayLog() {
	lf, err := readLog(c.path + LogSuffix)
	if err != nil || lf == nil || lf.header != (logHeader{Key: c.key, BaseSize: c.baseSize, BaseModTime: c.baseMod}) {
		return
	}
	c.logEnd = lf.ends[0]
	for i, payload := range lf.changes {
		ch, _, err := decodeChange(payload, false)
		if err != nil {
			break
		}
		for _, r := range ch.GoneFiles {
			delete(c.recorded, fileKey{r.Source, r.Path})
		}
		for _, f := range ch.Files {
			c.recorded[fileKey{f.Source, f.Path}] = f
		}
		for _, r := range ch.GoneBuilt {
			delete(c.results, fileKey{r.Source, r.Path})
		}
		for j, e := range ch.Built {
			c.results[fileKey{e.Source, e.Path}] = result{e: e, frame: len(c.frames), idx: j}
		}
		c.setDecided(ch.Decided)
		c.frames = append(c.frames, payload)
		c.logEnd = lf.ends[i+1]
	}
}

// setDecided replaces what c holds of the last load's decisions.
func (c *Cache) setDecided(ds []decided) {
	clear(c.decided)
	for _, d := range ds {
		c.decided[d.Source] = d
	}
}

// Result returns what corpus.LoadReusing returned for source when the
// cache was saved, its documents without their text, when the corpus has
// not changed since (Unchanged, and not Stale) and the cache kept it: the
// same documents, skipped files and order, without walking the folder.
// (The metadata file's warnings about documents it names that are not
// there are not given again.)
func (c *Cache) Result(source string) (corpus.Result, bool) {
	d, ok := c.decided[source]
	if !ok || !c.Unchanged() || c.stale {
		return corpus.Result{}, false
	}
	docs := map[string]corpus.Document{}
	for k, r := range c.results {
		if k.source == source && r.e.Reason == "" {
			docs[k.path] = r.e.Doc
		}
	}
	return d.result(docs), true
}

// Unchanged reports whether the corpus holds what the cache recorded: the
// same files, none changed (some perhaps touched: see Stale).
func (c *Cache) Unchanged() bool {
	return c.base && c.same == c.files && len(c.recorded) == c.files
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
		k := fileKey{source, p}
		if !c.valid[k] {
			return corpus.Built{}, false
		}
		e := c.results[k].e
		return corpus.Built{Doc: e.Doc, Reason: e.Reason}, true
	}
}

// ReuseText is Reuse with the documents' text, read from the cache once
// for all sources. A base file that has since been replaced by another
// (or cannot be read) is an error: the caller loads the corpus instead.
func (c *Cache) ReuseText(source string) (corpus.Reuse, error) {
	if err := c.readText(); err != nil {
		return nil, err
	}
	return func(p string) (corpus.Built, bool) {
		k := fileKey{source, p}
		if !c.valid[k] {
			return corpus.Built{}, false
		}
		b := corpus.Built{Doc: c.results[k].e.Doc, Reason: c.results[k].e.Reason}
		b.Doc.Parts = c.parts(c.results[k])
		return b, true
	}, nil
}

// parts returns a result's text, once readText has read it.
func (c *Cache) parts(r result) []corpus.Part {
	if r.frame < 0 {
		return c.baseParts[r.idx]
	}
	return c.frameParts[r.frame][r.idx]
}

// readText reads the texts of the base file, checking it is still the one
// Open read, and of the log's changes.
func (c *Cache) readText() error {
	if c.textRead || !c.base {
		return nil
	}
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("couldn't read the corpus cache: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != c.baseSize || fi.ModTime().UnixNano() != c.baseMod {
		return errors.New("couldn't read the corpus cache: it was replaced")
	}
	dec := gob.NewDecoder(bufio.NewReader(f))
	var h header
	if err := dec.Decode(&h); err != nil {
		return fmt.Errorf("couldn't decode the corpus cache: %w", err)
	}
	var b bodies
	if err := dec.Decode(&b); err != nil {
		return fmt.Errorf("couldn't decode the corpus cache's text: %w", err)
	}
	if len(b.Parts) != len(h.Built) {
		return fmt.Errorf("couldn't read the corpus cache: %d texts for %d files", len(b.Parts), len(h.Built))
	}
	frameParts := make([][][]corpus.Part, len(c.frames))
	for i, payload := range c.frames {
		_, t, err := decodeChange(payload, true)
		if err != nil {
			return err
		}
		frameParts[i] = t.Parts
	}
	c.baseParts, c.frameParts, c.textRead = b.Parts, frameParts, true
	return nil
}

// Save saves the corpus as loaded, under key, to the cache at path: the
// fingerprint before (taken before the corpus was loaded) with the content
// hash of each regular file, and built and results: for each of srcs, in
// order, what corpus.LoadReusing returned for its document files, text
// included, and its Result (for Cache.Result; nil: not kept). prev,
// if not nil, is the Cache the corpus was loaded through: the hashes of
// the files it found unchanged are not computed again, and what changed
// since it is appended to its log, unless the log would outgrow logShare
// of the base (and minLog); otherwise the base is written afresh (atomically, creating
// the folder if needed) and the log removed. If a file changed while the
// corpus was loaded, nothing is written: the cache could not say which
// version the documents hold.
func Save(ctx context.Context, path, key string, srcs []Source, before []File, built []map[string]corpus.Built, results []corpus.Result, prev *Cache) error {
	if len(built) != len(srcs) || (results != nil && len(results) != len(srcs)) {
		return fmt.Errorf("couldn't save the corpus cache: results for %d (%d) of %d folders", len(built), len(results), len(srcs))
	}
	var decisions []decided
	for i := range results {
		d, ok := decide(srcs[i].Name, results[i], built[i])
		if !ok {
			decisions = nil
			break
		}
		decisions = append(decisions, d)
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
	if prev != nil && prev.key == key && prev.appendChange(files, entries, parts, decisions) == nil {
		return nil
	}
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(header{Format: formatVersion, Key: key, Files: files, Built: entries, Decided: decisions}); err != nil {
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
	// The log extends the base it names only: one left by a crash here
	// is ignored.
	if err := atomicfile.Remove(path + LogSuffix); err != nil {
		return fmt.Errorf("couldn't remove the corpus cache's old log: %w", err)
	}
	return nil
}

// appendChange appends to c's log what differs between c's state and
// files and entries (whose texts are parts), with the load's decisions
// (whole: they are small), starting a log when there is
// none to extend. It returns an error, with the reason, when the change
// should go into a new base instead: no base to extend, the base changed
// on disk (another process saved), the text of a result it would compare
// was not read, the log would outgrow logShare of the base, or the write
// failed.
func (c *Cache) appendChange(files []File, entries []entry, parts [][]corpus.Part, decisions []decided) error {
	if !c.base {
		return errors.New("no base to extend")
	}
	if !c.textRead {
		return errors.New("the cached text was not read")
	}
	fi, err := os.Stat(c.path)
	if err != nil || fi.Size() != c.baseSize || fi.ModTime().UnixNano() != c.baseMod {
		return errors.New("the base changed on disk")
	}
	ch := change{Decided: decisions}
	var text changeText
	seen := make(map[fileKey]bool, len(files))
	for _, f := range files {
		k := fileKey{f.Source, f.Path}
		seen[k] = true
		if old, ok := c.recorded[k]; !ok || old != f {
			ch.Files = append(ch.Files, f)
		}
	}
	for k := range c.recorded {
		if !seen[k] {
			ch.GoneFiles = append(ch.GoneFiles, fileRef{k.source, k.path})
		}
	}
	clear(seen)
	for i, e := range entries {
		k := fileKey{e.Source, e.Path}
		seen[k] = true
		if old, ok := c.results[k]; !ok || !reflect.DeepEqual(old.e, e) || !slices.Equal(c.parts(old), parts[i]) {
			ch.Built = append(ch.Built, e)
			text.Parts = append(text.Parts, parts[i])
		}
	}
	for k := range c.results {
		if !seen[k] {
			ch.GoneBuilt = append(ch.GoneBuilt, fileRef{k.source, k.path})
		}
	}
	payload, err := encodeChange(ch, text)
	if err != nil {
		return err
	}
	rec := framelog.Frame(payload)
	head, err := logHead(logHeader{Key: c.key, BaseSize: c.baseSize, BaseModTime: c.baseMod})
	if err != nil {
		return err
	}
	start := c.logEnd
	if start == 0 {
		start = int64(len(head))
	}
	if end := start + int64(len(rec)); end > minLog && float64(end) > logShare*float64(c.baseSize) {
		return fmt.Errorf("the log would hold %d bytes, over %.2f of the base's %d", end, logShare, c.baseSize)
	}
	if c.logEnd == 0 {
		return atomicfile.Write(c.path+LogSuffix, append(head, rec...))
	}
	if err := framelog.AppendAt(c.path+LogSuffix, c.logEnd, rec); err != nil {
		return fmt.Errorf("couldn't append to the corpus cache's log: %w", err)
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
