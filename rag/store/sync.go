package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/scobot/scobot/rag"
)

// Doc is one document's desired state in the index: its chunks. Every chunk's
// Doc must equal ID, and chunk IDs must be unique across all documents.
type Doc struct {
	ID     string
	Chunks []rag.Chunk
}

// Stats reports what a Sync did. Added, Updated, Removed and Unchanged count
// documents; Chunks is the number of chunks indexed afterwards and Embedded
// the number of chunk texts embedded.
type Stats struct {
	Added     int     `json:"added"`
	Updated   int     `json:"updated"`
	Removed   int     `json:"removed"`
	Unchanged int     `json:"unchanged"`
	Chunks    int     `json:"chunks"`
	Embedded  int     `json:"embedded"`
	Seconds   float64 `json:"seconds"`
}

// plan is the work a Sync has to do.
type plan struct {
	stats    Stats
	changed  map[string]docEntry // added and updated documents, new state
	removed  []string            // IDs of documents to drop
	staleIDs []string            // chunk IDs to delete (of updated and removed documents); see staleOf
	toEmbed  []rag.Chunk         // chunks of added and updated documents
}

// Sync makes the index mirror docs exactly. Documents whose content hash (over
// the embedder ID and every chunk's fields) is unchanged are left alone;
// changed ones have their old chunks deleted and their new chunks embedded;
// indexed documents missing from docs are removed.
//
// Chunk texts are embedded in batches of BatchSize with up to Concurrency
// batches in flight. progress, if not nil, is called after each batch with the
// number of chunks embedded so far and the number to embed; calls are
// serialised but come from worker goroutines.
//
// Nothing in memory or on disk changes until every embedding has succeeded, so
// an error or a cancelled ctx leaves the index as it was. If anything changed,
// the change is saved before Sync returns: appended to the change log
// (LogName) while that stays under defaultLogShare of the snapshot, else by
// writing the snapshot and segment file afresh, atomically, and removing
// the log (a compaction). If that save fails
// (read-only folder, full disk) the index in memory is up to date and usable:
// Sync returns its Stats with an error wrapping ErrNotSaved, the previous
// snapshot stays on disk, and the next Sync saves again. Syncs are
// serialised.
func (s *Store) Sync(ctx context.Context, docs []Doc, progress func(done, total int)) (Stats, error) {
	start := time.Now()
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	if err := ctx.Err(); err != nil {
		return Stats{}, fmt.Errorf("couldn't sync index: %w", err)
	}

	p, err := s.plan(docs)
	if err != nil {
		return Stats{}, fmt.Errorf("couldn't sync index: %w", err)
	}
	vecs, dim, err := s.embedAll(ctx, p.toEmbed, progress)
	if err != nil {
		return Stats{}, fmt.Errorf("couldn't sync index: %w", err)
	}
	p.stats.Embedded = len(vecs)

	changed := len(p.changed) > 0 || len(p.removed) > 0
	var logged *logState // the change log after this Sync's change, if appended
	if changed {
		if s.path != "" && !s.dirty {
			c := loggedChange{next: s.sigAfter(p), dim: dim, p: p, vecs: vecs}
			var why error
			if logged, why = s.appendChange(c); why != nil {
				s.logger.Debug("writing the index afresh rather than appending to its change log", "why", why)
			}
		}
		// A change that is not appended goes into a new snapshot, written
		// from the rows after it (save): the commit needs the rows before
		// it, not chromem-go.
		if logged == nil {
			if err := s.ensureRows(ctx); err != nil {
				return Stats{}, fmt.Errorf("couldn't sync index: %w", err)
			}
		}
		if err := s.commit(p, vecs, dim, logged); err != nil {
			s.dirty = true
			return Stats{}, fmt.Errorf("couldn't sync index: %w", err)
		}
	}
	p.stats.Chunks = s.Len()
	if (changed && logged == nil) || s.dirty {
		if err := s.save(); err != nil {
			s.dirty = true
			s.forgetBase()
			p.stats.Seconds = time.Since(start).Seconds()
			return p.stats, fmt.Errorf("couldn't save index: %w: %w", ErrNotSaved, err)
		}
		s.dirty = false
	}
	p.stats.Seconds = time.Since(start).Seconds()
	s.logger.Debug("synced index", "added", p.stats.Added, "updated", p.stats.Updated,
		"removed", p.stats.Removed, "unchanged", p.stats.Unchanged, "embedded", p.stats.Embedded)
	return p.stats, nil
}

// plan validates docs and works out what Sync must change. The caller holds
// syncMu, so s.docs cannot change underneath.
func (s *Store) plan(docs []Doc) (*plan, error) {
	p := &plan{changed: map[string]docEntry{}}
	seenDocs := make(map[string]bool, len(docs))
	seenChunks := map[string]string{}
	for _, d := range docs {
		if d.ID == "" {
			return nil, errors.New("document with an empty ID")
		}
		if seenDocs[d.ID] {
			return nil, fmt.Errorf("document %q given twice", d.ID)
		}
		seenDocs[d.ID] = true
		for _, c := range d.Chunks {
			if c.ID == "" {
				return nil, fmt.Errorf("chunk %d of document %q has an empty ID", c.Pos, d.ID)
			}
			if c.Doc != d.ID {
				return nil, fmt.Errorf("chunk %q belongs to document %q, given under %q", c.ID, c.Doc, d.ID)
			}
			if other, ok := seenChunks[c.ID]; ok {
				return nil, fmt.Errorf("chunk ID %q used twice (documents %q and %q)", c.ID, other, d.ID)
			}
			seenChunks[c.ID] = d.ID
		}

		hash := contentHash(s.embID, d.Chunks)
		old, indexed := s.docs[d.ID]
		switch {
		case indexed && old.hash == hash:
			p.stats.Unchanged++
			continue
		case indexed:
			p.stats.Updated++
		default:
			p.stats.Added++
		}
		chunks := append([]rag.Chunk(nil), d.Chunks...)
		sortByPos(chunks)
		p.changed[d.ID] = docEntry{hash: hash, chunks: chunks}
		p.toEmbed = append(p.toEmbed, chunks...)
	}
	for id := range s.docs {
		if seenDocs[id] {
			continue
		}
		p.stats.Removed++
		p.removed = append(p.removed, id)
	}
	return p, nil
}

// contentHash identifies a document's indexed content: the embedder ID and
// every field of every chunk, each length-prefixed so that no two different
// inputs hash alike.
func contentHash(embedderID string, chunks []rag.Chunk) string {
	h := sha256.New()
	var buf []byte
	put := func(s string) {
		buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
		buf = append(buf, s...)
		h.Write(buf)
	}
	put(embedderID)
	buf = binary.AppendUvarint(buf[:0], uint64(len(chunks)))
	h.Write(buf)
	for _, c := range chunks {
		put(c.ID)
		put(c.Doc)
		buf = binary.AppendVarint(buf[:0], int64(c.Pos))
		h.Write(buf)
		put(c.Lang)
		put(c.Title)
		put(c.Date)
		put(c.Source)
		put(c.URL)
		put(c.Text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// embedAll embeds the chunks' texts in concurrent batches and returns one
// unit vector per chunk, compacted (vector), and their dimension. It stops
// at the first error or when ctx is cancelled.
func (s *Store) embedAll(ctx context.Context, chunks []rag.Chunk, progress func(done, total int)) ([]vector, int, error) {
	if len(chunks) == 0 {
		return nil, s.dim, nil
	}
	batch := s.BatchSize
	if batch <= 0 {
		batch = DefaultBatchSize
	}
	conc := s.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	vecs := make([]vector, len(chunks))
	var (
		mu   sync.Mutex // guards dim, done, firstErr and progress calls
		dim  = cmp.Or(s.dim, s.embDim)
		done int
	)
	fail := func(err error) { cancel(err) }
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for lo := 0; lo < len(chunks); lo += batch {
		hi := min(lo+batch, len(chunks))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			part := chunks[lo:hi]
			texts := make([]string, len(part))
			for i, c := range part {
				texts[i] = c.Text
			}
			out, err := s.emb.Embed(ctx, texts)
			if err != nil {
				fail(fmt.Errorf("couldn't embed chunks %s…%s with %q: %w", part[0].ID, part[len(part)-1].ID, s.embID, err))
				return
			}
			if len(out) != len(texts) {
				fail(fmt.Errorf("embedder %q returned %d vectors for %d texts", s.embID, len(out), len(texts)))
				return
			}
			for i, v := range out {
				u, err := unit(v)
				if err != nil {
					fail(fmt.Errorf("embedder %q returned a bad vector for chunk %s: %w", s.embID, part[i].ID, err))
					return
				}
				out[i] = u
			}
			compact := compactVectors(out, len(out[0]))
			mu.Lock()
			defer mu.Unlock()
			if dim == 0 {
				dim = len(out[0])
			}
			for i, v := range out {
				if len(v) != dim {
					fail(fmt.Errorf("embedder %q returned a %d-dimensional vector for chunk %s, want %d", s.embID, len(v), part[i].ID, dim))
					return
				}
			}
			copy(vecs[lo:hi], compact)
			done += len(out)
			if progress != nil && ctx.Err() == nil {
				progress(done, len(chunks))
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, 0, err
	}
	return vecs, dim, nil
}

// unit returns v scaled to length 1 (v itself if it already is). It rejects
// empty and zero vectors and non-finite values, which have no direction.
func unit(v []float32) ([]float32, error) {
	if len(v) == 0 {
		return nil, errors.New("empty vector")
	}
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	norm := math.Sqrt(sq)
	switch {
	case math.IsNaN(norm) || math.IsInf(norm, 0):
		return nil, errors.New("vector with a non-finite value")
	case norm == 0:
		return nil, errors.New("zero vector")
	case math.Abs(norm-1) < 1e-6:
		return v, nil
	}
	u := make([]float32, len(v))
	for i, x := range v {
		u[i] = float32(float64(x) / norm)
	}
	return u, nil
}

// commit applies a plan whose vectors are ready: to the catalogue, to
// chromem-go when it is loaded (ensureDB replays the change log into it
// when it is loaded later), and to the rows at hand. When the change was
// appended to the change log, log is the log's state after it. Readers
// wait while it runs, so they never see half of it; so does a load of
// chromem-go under way, which commit then applies the change to.
func (s *Store) commit(p *plan, vecs []vector, dim int, log *logState) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if log != nil {
		s.log = *log
	}
	// The rows of the vectors before the commit, if at hand, become those
	// after it once it succeeds.
	oldRows := s.rows
	if oldRows != nil && (oldRows.Gen != s.gen || (len(oldRows.Chunks) > 0 && oldRows.Dim != dim && len(p.toEmbed) > 0)) {
		oldRows = nil
	}
	// Even a commit that fails half-way has changed the vectors.
	s.gen++
	s.rows = nil
	p.staleOf(s.docs)
	var err error
	if s.chunks != nil {
		err = applyChromem(s.chunks, p, vecs, dim)
	}
	if err != nil {
		// The changed documents count as absent and the next Sync adds them.
		for _, id := range slices.Concat(p.removed, slices.Collect(maps.Keys(p.changed))) {
			delete(s.docs, id)
		}
		s.n = s.chunks.Count()
		return err
	}
	applyDocs(s.docs, p)
	if len(p.toEmbed) > 0 {
		s.dim = dim
	}
	s.n = 0
	for _, d := range s.docs {
		s.n += len(d.chunks)
	}
	s.notes = nil // measured on the index as it was
	if oldRows != nil {
		added := make(map[string]vector, len(p.toEmbed))
		for i, c := range p.toEmbed {
			added[c.ID] = vecs[i]
		}
		s.rows = s.nextRows(oldRows, added)
	}
	return nil
}
