// Package store is scobot's persistent, incremental vector index: rag.Chunks
// and their embeddings held in an in-memory chromem-go database that is saved
// and loaded as one snapshot file (dir/index.chromem), extended by an
// append-only change log (dir/index.chromem.log, see LogName) so that a
// Sync that changes a few documents writes those documents, not the whole
// index.
//
// The snapshot is self-describing: besides the chunks it holds a manifest
// (format version, embedder ID, vector dimension, and per document a content
// hash and its chunk IDs), so Sync re-embeds only documents whose content
// changed and Open refuses to mix vectors of two embedders. Snapshots are
// written atomically (temporary file in the same directory, fsync, rename),
// and changes appended to the log are checksummed and fsynced, so a failed
// or interrupted Sync leaves the previous index intact.
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/internal/atomicfile"
	"github.com/scobot/scobot/internal/framelog"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/vecscan"
)

// SnapshotName is the file name of the snapshot inside the store's directory.
const SnapshotName = "index.chromem"

// Defaults for Store.BatchSize and Store.Concurrency.
const (
	DefaultBatchSize   = 64
	DefaultConcurrency = 4
)

// ErrNotSaved is wrapped by the error Sync returns when the index in memory
// is up to date but its snapshot could not be written (read-only folder,
// full disk). The index is usable; the next Sync tries to save again.
var ErrNotSaved = errors.New("index not saved")

// ErrUnreadable is wrapped by the error Open returns when a snapshot exists but
// cannot be read (corrupt, truncated, inconsistent or of an unknown format).
var ErrUnreadable = errors.New("index is unreadable")

// Embedder is what the store needs to embed chunk texts.
type Embedder interface {
	// ID identifies the model and its dimension; the store refuses to mix
	// vectors of two IDs.
	ID() string
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// dimensioner is implemented by embedders that know their vector dimension
// up front; the store then checks every vector against it, not only against
// the first one it sees.
type dimensioner interface{ Dim() int }

// Store is a vector index of rag.Chunks backed by chromem-go.
//
// Search, Chunks, Len, EmbedderID, Path and Rebuilt are safe for concurrent
// use, also while a Sync runs (they see the index either before or after the
// Sync's changes, never half of them). Sync calls are serialised: a second
// Sync waits for the first to finish.
type Store struct {
	// BatchSize is the number of chunk texts per Embed call; 0 means
	// DefaultBatchSize. Set it before the first Sync.
	BatchSize int
	// Concurrency is the number of Embed calls in flight at once; 0 means
	// DefaultConcurrency. Set it before the first Sync.
	Concurrency int

	path          string
	emb           Embedder
	embID         string
	logger        *slog.Logger
	oldEmbedderID string
	rebuilt       bool
	perDocMax     int     // see defaultPerDocMax
	logShare      float64 // see defaultLogShare
	embDim        int     // the embedder's declared dimension; 0 if it declares none
	// write writes a file atomically (atomicfile.WriteFunc; tests make it fail).
	write func(path string, write func(io.Writer) error) error
	// appendAt appends a record to the change log (framelog.AppendAt; tests make
	// it fail).
	appendAt func(path string, off int64, rec []byte) error

	syncMu sync.Mutex // serialises Sync
	dirty  bool       // memory holds changes the snapshot lacks; guarded by syncMu
	loadMu sync.Mutex // serialises ensureDB's load of the snapshot

	mu sync.RWMutex // guards the fields below
	// db, chunks and manifest are nil while nothing has needed chromem-go
	// since the index was opened from its segment file, started empty or
	// written afresh from its rows (ensureDB).
	db       *chromem.DB
	chunks   *chromem.Collection
	manifest *chromem.Collection
	dim      int                 // vector dimension; 0 until the first vector is known
	docs     map[string]docEntry // document ID → its indexed state
	n        int                 // number of indexed chunks
	notes    map[string]float64  // figures measured on the index as it is; see Note
	gen      uint64              // changes whenever the vectors change; see Generation
	// rows is the vectors as compact rows (vecscan.Rows) when they are at
	// hand: read from the segment file, or gathered for it at a save;
	// valid while rows.Gen == gen.
	rows *vecscan.Rows
	// log is the snapshot and change log on disk that memory reflects
	// (journal.go); changed by Sync under syncMu, loadMu and mu.
	log logState

	sumMu    sync.Mutex // guards the fields below
	sum      snapSum    // the snapshot file's checksum, when known (snapsum.go)
	copyTold bool       // tellCopied has logged
}

// docEntry is one indexed document: its content hash and its chunks ordered
// by Pos.
type docEntry struct {
	hash   string
	chunks []rag.Chunk
}

// Open loads the snapshot at dir/index.chromem, creating dir if needed, and
// replays over it the changes its change log (LogName) holds; a missing
// snapshot gives an empty index. Stray temporary files of an interrupted
// save (see removeStaleTemps) are removed first.
//
// If the snapshot was built by an embedder with a different ID, the index
// starts empty and Rebuilt reports the old ID; the next Sync re-embeds every
// document and overwrites the snapshot. A snapshot that exists but cannot be
// read gives an error that wraps ErrUnreadable and names the file (OpenEmpty
// then starts afresh in the same folder). A dir of "" gives an index held in
// memory only: Sync never saves it and Path returns "". A nil logger
// discards log records.
func Open(ctx context.Context, dir string, emb Embedder, logger *slog.Logger) (*Store, error) {
	s, err := newStore(ctx, dir, emb, logger)
	if err != nil || s.path == "" {
		return s, err
	}
	if s.openSegment() {
		return s, nil
	}
	snap, err := loadSnapshot(s.path)
	if err != nil {
		return nil, err
	}
	switch {
	case snap == nil:
		s.logger.Debug("no index snapshot yet", "path", s.path)
	case snap.manifest.Embedder != s.embID:
		s.rebuilt = true
		s.oldEmbedderID = snap.manifest.Embedder
		s.dirty = true
		s.logger.Debug("index snapshot was built with another embedder; starting empty",
			"path", s.path, "old", snap.manifest.Embedder, "new", s.embID)
	default:
		s.db, s.chunks, s.manifest = snap.db, snap.chunks, snap.manifestColl
		s.gen++
		s.dim = snap.manifest.Dim
		s.docs = snap.docs
		for _, d := range s.docs {
			s.n += len(d.chunks)
		}
		s.logger.Debug("loaded index snapshot", "path", s.path, "docs", len(s.docs), "chunks", s.n)
		s.syncMu.Lock()
		err := s.writeSegment(ctx) // of the snapshot, before the log is replayed over it
		s.syncMu.Unlock()
		if err != nil {
			s.logger.Debug("couldn't write the index's segment file", "err", err)
		}
		if fi, err := os.Stat(s.path); err == nil {
			s.log.base = s.baseHeader(fi)
		}
		s.replayLog()
		s.notes = loadNotes(s.path+notesSuffix, s.contentSig(), s.logger)
	}
	return s, nil
}

// baseHeader describes the snapshot file fi as the base of a change log,
// holding the index as it is in memory now, with the file's checksum when
// the store knows it (from the save, or the segment file accepted); it
// never reads the file.
func (s *Store) baseHeader(fi fs.FileInfo) logHeader {
	return logHeader{Format: formatVersion, Embedder: s.embID, Base: s.contentSig(),
		SnapshotSize: fi.Size(), SnapshotModTime: fi.ModTime().UnixNano(), SnapshotSum: s.knownSum(fi)}
}

// openSegment takes the index from its segment file (SegmentName) when
// that file was made from the snapshot as it is on disk (by its time, or
// by its checksum, see sameSnapshot), leaving the
// snapshot unread until ensureDB, and replays the change log over it. It
// reports whether it did; a segment file it cannot use is logged at Debug
// level and left for Open's fallback to write again.
func (s *Store) openSegment() bool {
	snap, err := os.Stat(s.path)
	if err != nil {
		return false // no snapshot (or none readable): Open's own path says which
	}
	sg, err := readSegment(s.segmentPath(), s.embID, func(size, mtime int64, sum string) (bool, error) {
		return s.sameSnapshot(snap, size, mtime, sum)
	})
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.logger.Debug("ignoring the index's segment file; loading the snapshot", "path", s.segmentPath(), "err", err)
		}
		return false
	}
	s.db, s.chunks, s.manifest = nil, nil, nil
	s.gen++
	s.docs = sg.docs
	s.n = len(sg.rows.Chunks)
	s.dim = sg.rows.Dim
	sg.rows.Gen = s.gen
	s.rows = &sg.rows
	s.noteSum(snap, sg.sum) // accepted: the sum it recorded is the file's
	s.log.base = s.baseHeader(snap)
	s.logger.Debug("opened the index from its segment file", "path", s.segmentPath(), "docs", len(s.docs), "chunks", s.n)
	if sg.bySum {
		// A copy that lost its times: the segment file is written again
		// with the snapshot's new time (from the rows at hand, before the
		// log is replayed over them), so that the next Open need not read
		// the snapshot to tell. If that fails, each Open tells by the
		// checksum.
		s.syncMu.Lock()
		err := s.writeSegment(context.Background())
		s.syncMu.Unlock()
		if err != nil {
			s.logger.Debug("couldn't write the index's segment file again", "err", err)
		}
	}
	s.replayLog()
	s.notes = loadNotes(s.path+notesSuffix, s.contentSig(), s.logger)
	return true
}

// OpenEmpty is Open without reading the snapshot: the index starts empty,
// whatever dir/index.chromem holds. The snapshot on disk is left as it is
// until the first Sync that succeeds replaces it (atomically, by rename), so
// a rebuild that fails or is interrupted keeps the previous snapshot. It is
// how an index is rebuilt, and how an unreadable one is replaced.
func OpenEmpty(ctx context.Context, dir string, emb Embedder, logger *slog.Logger) (*Store, error) {
	s, err := newStore(ctx, dir, emb, logger)
	if err != nil {
		return nil, err
	}
	s.dirty = s.path != "" // save even if the corpus turns out empty
	return s, nil
}

// newStore returns an empty store for dir, creating dir and removing its
// stale temporary files; dir "" gives a store in memory only.
func newStore(ctx context.Context, dir string, emb Embedder, logger *slog.Logger) (*Store, error) {
	if emb == nil {
		return nil, errors.New("couldn't open index: no embedder")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("couldn't open index in %s: %w", dir, err)
	}
	s := &Store{
		emb:       emb,
		embID:     emb.ID(),
		logger:    logger,
		perDocMax: defaultPerDocMax,
		logShare:  defaultLogShare,
		write:     atomicfile.WriteFunc,
		appendAt:  framelog.AppendAt,
	}
	if d, ok := emb.(dimensioner); ok {
		s.embDim = max(d.Dim(), 0)
	}
	s.reset()
	if dir == "" {
		return s, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("couldn't create index directory: %w", err)
	}
	s.path = filepath.Join(dir, SnapshotName)
	removeStaleTemps(dir, time.Now(), logger)
	return s, nil
}

// staleTempAge is how old a temporary file of a save must be before Open
// removes it. A save in progress (by another scobot on the same folder)
// keeps writing its file, so its modification time stays recent; one left
// behind by a killed process only ages.
const staleTempAge = 10 * time.Minute

// removeStaleTemps removes the temporary files that atomicfile leaves
// behind when the process dies mid-save (index.chromem.tmp-*, and those of
// the notes file), once they are older than staleTempAge. Failures are
// logged at Debug level: a folder we cannot clean is still usable.
func removeStaleTemps(dir string, now time.Time, log *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Debug("couldn't list the index folder for stray temporary files", "dir", dir, "err", err)
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, SnapshotName) || !strings.Contains(name, atomicfile.TempInfix) {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < staleTempAge {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.Remove(p); err != nil {
			log.Debug("couldn't remove a stray temporary index file", "path", p, "err", err)
			continue
		}
		log.Info("removed a stray temporary index file", "path", p)
	}
}

// Note returns a figure recorded with SetNotes for the index as it is now,
// such as how well its embedder retrieves (retrieval calibrates fusion with
// it). A Sync that changes the index forgets every note.
func (s *Store) Note(key string) (float64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.notes[key]
	return v, ok
}

// SetNotes records figures measured on the index as it is. They are kept in
// a small file beside the snapshot (the snapshot is not written again),
// with the signature of the content they were measured on. While the
// snapshot lacks what memory holds (its save failed; or the index is in
// memory only) they are kept in memory only and SetNotes returns nil: the
// failed save has been reported already.
func (s *Store) SetNotes(notes map[string]float64) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	s.mu.Lock()
	if s.notes == nil {
		s.notes = map[string]float64{}
	}
	for k, v := range notes {
		s.notes[k] = v
	}
	nf := notesFile{Content: s.contentSig(), Notes: maps.Clone(s.notes)}
	s.mu.Unlock()
	if s.path == "" || s.dirty {
		return nil
	}
	b, err := json.Marshal(nf)
	if err != nil {
		return fmt.Errorf("couldn't encode index notes: %w", err)
	}
	if err := s.write(s.path+notesSuffix, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return fmt.Errorf("couldn't save index notes: %w", err)
	}
	return nil
}

// notesSuffix names the notes file: the snapshot's name with it appended.
const notesSuffix = ".notes.json"

// notesFile is the notes file's content.
type notesFile struct {
	Content string             `json:"content"` // contentSig of the index they were measured on
	Notes   map[string]float64 `json:"notes"`
}

// loadNotes reads the notes file at path; notes measured on other content
// than sig, or an unreadable file, give none (they are measured again).
func loadNotes(path, sig string, log *slog.Logger) map[string]float64 {
	b, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Debug("couldn't read the index notes; measuring again", "path", path, "err", err)
		}
		return nil
	}
	var nf notesFile
	if err := json.Unmarshal(b, &nf); err != nil || nf.Content != sig {
		return nil
	}
	return nf.Notes
}

// ContentSig identifies what the index holds: its embedder and the content
// of every document, as Sync hashed it. Two indexes with the same signature
// hold the same chunks; any Sync that changes the index changes it.
func (s *Store) ContentSig() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.contentSig()
}

// contentSig identifies what the index holds: its embedder and each
// document's content hash. The caller holds mu.
func (s *Store) contentSig() string { return sigOf(s.embID, s.docs) }

// sigOf is the content signature of docs indexed by the embedder embID.
func sigOf(embID string, docs map[string]docEntry) string {
	h := sha256.New()
	h.Write([]byte(embID))
	for _, id := range slices.Sorted(maps.Keys(docs)) {
		h.Write([]byte{0})
		h.Write([]byte(id))
		h.Write([]byte{0})
		h.Write([]byte(docs[id].hash))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// reset makes the store an empty index for its embedder: no rows, and no
// chromem-go database until something needs one (ensureDB fills it from
// the rows while no snapshot holds the index).
func (s *Store) reset() {
	s.db, s.chunks, s.manifest = nil, nil, nil
	s.gen++
	s.rows = &vecscan.Rows{Gen: s.gen, Start: []uint32{0}}
	s.dim = 0
	s.docs = map[string]docEntry{}
	s.notes = nil
	s.n = 0
}

// Rebuilt reports whether Open discarded a snapshot built by another embedder,
// and that embedder's ID.
func (s *Store) Rebuilt() (oldEmbedderID string, rebuilt bool) {
	return s.oldEmbedderID, s.rebuilt
}

// Chunks returns every indexed chunk ordered by (Doc, Pos). The slice is the
// caller's to keep.
func (s *Store) Chunks() []rag.Chunk {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.chunksLocked()
}

// chunksLocked is Chunks for a caller that holds mu.
func (s *Store) chunksLocked() []rag.Chunk {
	ids := make([]string, 0, len(s.docs))
	for id := range s.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]rag.Chunk, 0, s.n)
	for _, id := range ids {
		out = append(out, s.docs[id].chunks...)
	}
	return out
}

// Len returns the number of indexed chunks.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// EmbedderID returns the ID of the embedder whose vectors the index holds.
func (s *Store) EmbedderID() string { return s.embID }

// Path returns the snapshot file's path; "" for an index in memory only.
func (s *Store) Path() string { return s.path }

// Metadata keys of a chunk's chromem document. The chunk ID is the chromem
// document ID and the chunk text its Content.
const (
	metaDoc    = "doc"
	metaPos    = "pos"
	metaLang   = "lang"
	metaTitle  = "title"
	metaDate   = "date"
	metaSource = "source"
	metaURL    = "url"
)

// toDocument turns a chunk and its (normalised) vector into a chromem document.
func toDocument(c rag.Chunk, vec []float32) chromem.Document {
	return chromem.Document{
		ID: c.ID,
		Metadata: map[string]string{
			metaDoc:    c.Doc,
			metaPos:    strconv.Itoa(c.Pos),
			metaLang:   c.Lang,
			metaTitle:  c.Title,
			metaDate:   c.Date,
			metaSource: c.Source,
			metaURL:    c.URL,
		},
		Embedding: vec,
		Content:   c.Text,
	}
}

// fromDocument is the inverse of toDocument.
func fromDocument(id string, meta map[string]string, content string) (rag.Chunk, error) {
	pos, err := strconv.Atoi(meta[metaPos])
	if err != nil {
		return rag.Chunk{}, fmt.Errorf("couldn't read position of chunk %q: %w", id, err)
	}
	return rag.Chunk{
		ID:     id,
		Doc:    meta[metaDoc],
		Pos:    pos,
		Lang:   meta[metaLang],
		Title:  meta[metaTitle],
		Date:   meta[metaDate],
		Source: meta[metaSource],
		URL:    meta[metaURL],
		Text:   content,
	}, nil
}
