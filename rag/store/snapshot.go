package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/internal/atomicfile"
	"github.com/scobot/scobot/internal/parallel"
	"github.com/scobot/scobot/rag"
)

// formatVersion is the snapshot layout written by this package. A snapshot of
// another version is unreadable.
const formatVersion = 1

// Names inside the chromem database. chromem-go v0.7.0 offers no way to read a
// collection's metadata back, so the manifest lives as JSON in the Content of
// the one document of its own collection; the chunk collection's metadata
// repeats format and embedder for anyone inspecting the file.
const (
	chunksCollection   = "chunks"
	manifestCollection = "manifest"
	manifestDocID      = "manifest"
)

// manifest describes a snapshot.
type manifest struct {
	Format   int                    `json:"format"`
	Embedder string                 `json:"embedder"`
	Dim      int                    `json:"dim"`
	Docs     map[string]manifestDoc `json:"docs"`
	// Saved is when the snapshot was written (Unix ns). It makes each
	// save's bytes its own, so that the change log or segment file of an
	// earlier save of the same content (a compaction that died before it
	// removed the log) is not taken, by the snapshot's checksum, for this
	// one's (snapsum.go).
	Saved int64 `json:"saved,omitempty"`
}

// manifestDoc is one indexed document in the manifest.
type manifestDoc struct {
	Hash   string   `json:"hash"`
	Chunks []string `json:"chunks"` // chunk IDs ordered by Pos
}

// snapshot is a loaded snapshot file.
type snapshot struct {
	manifest     manifest
	db           *chromem.DB
	chunks       *chromem.Collection
	manifestColl *chromem.Collection
	docs         map[string]docEntry
}

// noEmbedding is the collections' embedding function. The store always hands
// chromem precomputed vectors, so it is never meant to run; it fails rather
// than fall back to chromem's default (a network call to OpenAI).
func noEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("the index embeds nothing itself")
}

// newDB returns an empty database with the store's two collections.
func newDB(embedderID string) (*chromem.DB, *chromem.Collection, *chromem.Collection) {
	db := chromem.NewDB()
	meta := map[string]string{"format": fmt.Sprint(formatVersion), "embedder": embedderID}
	chunks, err := db.CreateCollection(chunksCollection, meta, noEmbedding)
	if err != nil {
		panic(err) // only fails for an empty name
	}
	man, err := db.CreateCollection(manifestCollection, nil, noEmbedding)
	if err != nil {
		panic(err)
	}
	return db, chunks, man
}

// loadSnapshot reads the snapshot at path; a missing file gives nil, nil.
func loadSnapshot(path string) (*snapshot, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("couldn't read index %s: %w", path, err)
	}
	unreadable := func(err error) error {
		return fmt.Errorf("%w: %s: %w", ErrUnreadable, path, err)
	}
	db := chromem.NewDB()
	if err := importFile(db, path); err != nil {
		return nil, unreadable(err)
	}
	chunks := db.GetCollection(chunksCollection, noEmbedding)
	manColl := db.GetCollection(manifestCollection, noEmbedding)
	if chunks == nil || manColl == nil {
		return nil, unreadable(errors.New("not a scobot index (collections missing)"))
	}
	mdoc, err := manColl.GetByID(context.Background(), manifestDocID)
	if err != nil {
		return nil, unreadable(fmt.Errorf("no manifest: %w", err))
	}
	var m manifest
	if err := json.Unmarshal([]byte(mdoc.Content), &m); err != nil {
		return nil, unreadable(fmt.Errorf("couldn't decode manifest: %w", err))
	}
	if m.Format != formatVersion {
		return nil, unreadable(fmt.Errorf("format version %d, want %d", m.Format, formatVersion))
	}
	docs, err := readDocs(chunks, m)
	if err != nil {
		return nil, unreadable(err)
	}
	return &snapshot{manifest: m, db: db, chunks: chunks, manifestColl: manColl, docs: docs}, nil
}

// importFile imports the file at path into db, turning a panic inside the
// decoder into an error.
func importFile(db *chromem.DB, path string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("couldn't decode snapshot: %v", r)
		}
	}()
	return db.ImportFromFile(path, "")
}

// readDocs rebuilds the per-document catalogue from the manifest and the
// chunk collection, checking that the two agree. The documents are read on
// every core (chromem-go's reads take a shared lock); which error is
// reported when several documents disagree is not defined.
func readDocs(chunks *chromem.Collection, m manifest) (map[string]docEntry, error) {
	ids := make([]string, 0, len(m.Docs))
	for id := range m.Docs {
		ids = append(ids, id)
	}
	entries := make([]docEntry, len(ids))
	if err := parallel.For(len(ids), func(i int) error {
		e, err := readDoc(chunks, m, ids[i])
		entries[i] = e
		return err
	}); err != nil {
		return nil, err
	}
	docs := make(map[string]docEntry, len(ids))
	total := 0
	for i, id := range ids {
		docs[id] = entries[i]
		total += len(entries[i].chunks)
	}
	if n := chunks.Count(); n != total {
		return nil, fmt.Errorf("index holds %d chunks, manifest lists %d", n, total)
	}
	return docs, nil
}

// readDoc reads the chunks of the document id of the manifest m from the
// chunk collection, checking that the two agree.
func readDoc(chunks *chromem.Collection, m manifest, id string) (docEntry, error) {
	md := m.Docs[id]
	entry := docEntry{hash: md.Hash, chunks: make([]rag.Chunk, 0, len(md.Chunks))}
	for _, cid := range md.Chunks {
		d, err := chunks.GetByID(context.Background(), cid)
		if err != nil {
			return docEntry{}, fmt.Errorf("manifest names chunk %q of %q that is missing: %w", cid, id, err)
		}
		if len(d.Embedding) != m.Dim {
			return docEntry{}, fmt.Errorf("chunk %q has a %d-dimensional vector, manifest says %d", cid, len(d.Embedding), m.Dim)
		}
		c, err := fromDocument(d.ID, d.Metadata, d.Content)
		if err != nil {
			return docEntry{}, err
		}
		if c.Doc != id {
			return docEntry{}, fmt.Errorf("chunk %q belongs to %q, manifest lists it under %q", cid, c.Doc, id)
		}
		entry.chunks = append(entry.chunks, c)
	}
	sortByPos(entry.chunks)
	return entry, nil
}

// sortByPos orders one document's chunks by position.
func sortByPos(cs []rag.Chunk) {
	slices.SortFunc(cs, func(a, b rag.Chunk) int { return a.Pos - b.Pos })
}

// save writes the snapshot of the index as it is, atomically, to s.path
// (nothing for an index in memory only), from its rows and catalogue
// (writeSnapshot: chromem-go's export, streamed), and removes the change
// log it takes in. chromem-go, when loaded, is given the manifest too, as
// its export would hold it. The caller holds syncMu; concurrent Searches
// are fine.
func (s *Store) save() error {
	if s.path == "" {
		return nil
	}
	if err := s.ensureRows(context.Background()); err != nil {
		return err
	}
	s.mu.RLock()
	rows := s.rows
	m := manifest{Format: formatVersion, Embedder: s.embID, Dim: s.dim, Docs: make(map[string]manifestDoc, len(s.docs)),
		Saved: time.Now().UnixNano()}
	for id, d := range s.docs {
		ids := make([]string, len(d.chunks))
		for i, c := range d.chunks {
			ids[i] = c.ID
		}
		m.Docs[id] = manifestDoc{Hash: d.hash, Chunks: ids}
	}
	man := s.manifest
	s.mu.RUnlock()
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("couldn't encode manifest: %w", err)
	}
	m.Docs = nil // the encoding is what is written: let the map go first
	if man != nil {
		doc := chromem.Document{ID: manifestDocID, Embedding: []float32{1}, Content: string(b)}
		if err := man.AddDocument(context.Background(), doc); err != nil {
			return fmt.Errorf("couldn't store manifest: %w", err)
		}
	}
	// The checksum of the bytes as they stream to the file (snapsum.go).
	var sum string
	if err := s.write(s.path, func(w io.Writer) error {
		h := newSnapshotHash()
		if err := writeSnapshot(io.MultiWriter(w, h), s.embID, b, rows); err != nil {
			return err
		}
		sum = formatSum(h)
		return nil
	}); err != nil {
		return err
	}
	// The snapshot is saved, and holds every change of the log: a log
	// left behind (its removal failed) names the previous snapshot as its
	// base (another time and, by the manifest's Saved, another checksum)
	// and is ignored.
	fi, err := os.Stat(s.path)
	if err != nil {
		return fmt.Errorf("couldn't read the saved index: %w", err)
	}
	s.noteSum(fi, sum)
	s.loadMu.Lock()
	s.mu.Lock()
	s.log = logState{base: s.baseHeader(fi)}
	s.mu.Unlock()
	s.loadMu.Unlock()
	if err := atomicfile.Remove(s.logPath()); err != nil {
		s.logger.Debug("couldn't remove the index's change log", "err", err)
	}
	// The segment file only saves the next start time, and one left from
	// the previous snapshot no longer matches it.
	if err := s.writeSegment(context.Background()); err != nil {
		s.logger.Debug("couldn't write the index's segment file", "err", err)
	}
	return nil
}
