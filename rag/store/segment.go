package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"unsafe"

	"github.com/scobot/scobot/internal/parallel"
	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/vecscan"
)

// SegmentName is the file, in the index folder, that holds what retrieval
// needs at start — the chunks, the catalogue of documents and the vectors
// in vecscan's compact rows — as sections read straight from the file
// (internal/segfile), beside the snapshot it was made from. Open takes the
// index from it without decoding the snapshot; the snapshot, the store of
// record, is loaded only when something needs chromem-go (a Sync that
// changes the index, Search). A segment file that is missing, damaged, of
// another version or made from another snapshot is ignored (and written
// again). Its name starts with the snapshot's so that Open's clean-up
// removes its stray temporary files too.
const SegmentName = SnapshotName + ".seg"

// segmentVersion is the layout of the segment file's sections.
const segmentVersion = 1

// Sections of the segment file.
const (
	secMeta   = "meta"      // segMeta, JSON
	secDocs   = "docs"      // per document in ID order: ID, content hash, number of chunks
	secChunks = "chunks"    // per chunk in (Doc, Pos) order: ID, Pos, Lang, Title, Date, Source, URL, Text
	secStart  = "vec.start" // sparse rows: uint32 start of each row, and the end
	secIdx    = "vec.idx"   // sparse rows: uint16 dimension of each non-zero component
	secVals   = "vec.vals"  // sparse rows: float32 value of each non-zero component
	secDense  = "vec.dense" // dense rows: float32, row after row
	// The sparse rows inverted (vecscan.Inverted), so that the first search
	// scans them where they lie instead of inverting them; optional.
	secInvStart = "inv.start" // uint32: per block, each dimension's offset
	secInvOff   = "inv.off"   // uint32: per block, where its postings begin; the end
	secInvRows  = "inv.rows"  // uint16: a posting's row within its block
	secInvVals  = "inv.vals"  // float32: a posting's value
)

// segMeta ties a segment file to the snapshot it was made from.
type segMeta struct {
	Format   int    `json:"format"` // formatVersion of the snapshot
	Embedder string `json:"embedder"`
	Dim      int    `json:"dim"`
	Docs     int    `json:"docs"`
	Chunks   int    `json:"chunks"`
	Content  string `json:"content"` // contentSig of the index
	// The snapshot file as it was when the segment was written: an
	// atomic save replaces it, so another snapshot has another time.
	SnapshotSize    int64  `json:"snapshot_size"`
	SnapshotModTime int64  `json:"snapshot_mod_time"` // Unix nanoseconds
	Form            string `json:"form"`              // "sparse" or "dense"
	// SnapshotSum is the snapshot's checksum (snapsum.go), which tells
	// the snapshot when its time changed but not its bytes (a copy);
	// absent from segment files written before it was recorded.
	SnapshotSum string `json:"snapshot_sum,omitempty"`
}

// segment is what a segment file gives Open.
type segment struct {
	docs map[string]docEntry
	rows vecscan.Rows // Gen unset
	// sum is the snapshot's checksum the segment recorded ("" if none);
	// bySum says that it took the checksum to tell the snapshot (its
	// time had changed).
	sum   string
	bySum bool
}

// readSegment reads the segment file at path, made for the embedder embID
// from the snapshot on disk: same checks that the snapshot is the one of
// the size, time and checksum the segment recorded (Store.sameSnapshot).
// Any mismatch is an error.
func readSegment(path, embID string, same func(size, mtime int64, sum string) (bool, error)) (*segment, error) {
	f, err := segfile.Read(path, segmentVersion)
	if err != nil {
		return nil, err
	}
	section := func(name string) []byte {
		b, _ := f.Section(name)
		return b
	}
	var m segMeta
	if err := json.Unmarshal(section(secMeta), &m); err != nil {
		return nil, fmt.Errorf("couldn't decode the segment's meta section: %w", err)
	}
	switch {
	case m.Format != formatVersion:
		return nil, fmt.Errorf("segment of snapshot format %d, want %d", m.Format, formatVersion)
	case m.Embedder != embID:
		return nil, fmt.Errorf("segment of embedder %q, want %q", m.Embedder, embID)
	case m.Chunks < 0 || m.Docs < 0 || m.Dim < 0 || (m.Chunks > 0 && m.Dim == 0) ||
		m.Docs > len(section(secDocs)) || m.Chunks > len(section(secChunks)):
		// Every document and chunk takes bytes of its section.
		return nil, errors.New("segment meta out of range")
	}
	bySum, err := same(m.SnapshotSize, m.SnapshotModTime, m.SnapshotSum)
	if err != nil {
		return nil, fmt.Errorf("segment: %w", err)
	}
	sg := &segment{docs: make(map[string]docEntry, m.Docs), sum: m.SnapshotSum, bySum: bySum}
	type docCount struct {
		id, hash string
		n        int
	}
	var counts []docCount
	d := segfile.NewDecoder(section(secDocs))
	for !d.Done() && d.Err() == nil {
		id, hash, n := viewString(d), viewString(d), d.Uvarint()
		if n > uint64(m.Chunks) || (len(counts) > 0 && counts[len(counts)-1].id >= id) {
			return nil, errors.New("segment's docs section out of range or order")
		}
		counts = append(counts, docCount{id, hash, int(n)})
	}
	if d.Err() != nil || len(counts) != m.Docs {
		return nil, fmt.Errorf("couldn't decode the segment's docs section (%d of %d documents): %w", len(counts), m.Docs, cmpErr(d.Err()))
	}
	all := make([]rag.Chunk, 0, m.Chunks)
	d = segfile.NewDecoder(section(secChunks))
	for _, dc := range counts {
		lo := len(all)
		if lo+dc.n > m.Chunks {
			return nil, errors.New("segment's documents hold more chunks than it says")
		}
		for range dc.n {
			c := rag.Chunk{ID: viewString(d), Doc: dc.id, Pos: int(d.Varint()), Lang: viewString(d), Title: viewString(d),
				Date: viewString(d), Source: viewString(d), URL: viewString(d), Text: viewString(d)}
			all = append(all, c)
		}
		sg.docs[dc.id] = docEntry{hash: dc.hash, chunks: all[lo:len(all):len(all)]}
	}
	if d.Err() != nil || !d.Done() || len(all) != m.Chunks {
		return nil, fmt.Errorf("couldn't decode the segment's chunks section: %w", cmpErr(d.Err()))
	}
	if got := sigOf(embID, sg.docs); got != m.Content {
		return nil, fmt.Errorf("segment's documents have signature %s, its meta says %s", got, m.Content)
	}
	sg.rows = vecscan.Rows{Dim: m.Dim, Chunks: all}
	n := len(all)
	switch m.Form {
	case "dense":
		sg.rows.Dense = floats(section(secDense))
		if len(sg.rows.Dense) != n*m.Dim {
			return nil, fmt.Errorf("segment holds %d dense components for %d vectors of %d", len(sg.rows.Dense), n, m.Dim)
		}
	case "sparse":
		r := &sg.rows
		r.Start, r.Idx, r.Vals = uint32s(section(secStart)), uint16s(section(secIdx)), floats(section(secVals))
		if len(r.Start) != n+1 || r.Start[0] != 0 || int(r.Start[n]) != len(r.Idx) || len(r.Idx) != len(r.Vals) {
			return nil, errors.New("segment's sparse vectors do not match its chunks")
		}
		for i := range n {
			if r.Start[i+1] < r.Start[i] {
				return nil, errors.New("segment's sparse vectors out of order")
			}
		}
		for _, x := range r.Idx {
			if int(x) >= m.Dim {
				return nil, errors.New("segment's sparse vectors out of range")
			}
		}
		if start, ok := f.Section(secInvStart); ok {
			// vecscan checks that it fits the rows before it scans it.
			r.Inverted = &vecscan.Inverted{Start: uint32s(start), Off: uint32s(section(secInvOff)),
				Rows: uint16s(section(secInvRows)), Vals: floats(section(secInvVals))}
		}
	default:
		return nil, fmt.Errorf("segment's vectors of unknown form %q", m.Form)
	}
	// Decoding walked every chunk: their pages (and the vectors', which
	// the checks read) come back from the page cache as they are used.
	f.DropPages()
	return sg, nil
}

// cmpErr is err, or a generic one when there is none (a count that did not
// match).
func cmpErr(err error) error {
	if err == nil {
		return errors.New("counts do not match")
	}
	return err
}

// writeSegment writes the segment file for the index as it is, after its
// snapshot was saved (or, read, when the segment file did not match it);
// the caller holds syncMu. The vectors are taken from
// s.rows, or gathered from chromem-go when there are none at hand (and kept
// in s.rows for the packed scan).
func (s *Store) writeSegment(ctx context.Context) error {
	fi, err := os.Stat(s.path)
	if err != nil {
		return fmt.Errorf("couldn't write the index's segment file: %w", err)
	}
	if err := s.ensureRows(ctx); err != nil {
		return fmt.Errorf("couldn't write the index's segment file: %w", err)
	}
	// Known after a save or an Open from the segment file; read from the
	// snapshot just loaded otherwise (the segment file was missing or
	// unusable, a path that decodes the whole snapshot anyway).
	sum, err := s.snapshotSum(fi)
	if err != nil {
		s.logger.Debug("writing the index's segment file without the snapshot's checksum", "err", err)
	}
	s.mu.RLock()
	rows := *s.rows
	ids := slices.Sorted(maps.Keys(s.docs))
	docs := make([]docEntry, len(ids))
	for i, id := range ids {
		docs[i] = s.docs[id]
	}
	m := segMeta{Format: formatVersion, Embedder: s.embID, Dim: rows.Dim, Docs: len(ids), Chunks: len(rows.Chunks),
		Content: s.contentSig(), SnapshotSize: fi.Size(), SnapshotModTime: fi.ModTime().UnixNano(), SnapshotSum: sum, Form: "sparse"}
	s.mu.RUnlock()
	if rows.Dense != nil {
		m.Form = "dense"
	}
	meta, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("couldn't encode the segment's meta: %w", err)
	}
	sections := []segfile.Section{
		{Name: secMeta, Write: func(w io.Writer) error { _, err := w.Write(meta); return err }},
		{Name: secDocs, Write: func(w io.Writer) error {
			var e encoder
			for i, id := range ids {
				e.str(id)
				e.str(docs[i].hash)
				e.uvarint(uint64(len(docs[i].chunks)))
				if err := e.flush(w, false); err != nil {
					return err
				}
			}
			return e.flush(w, true)
		}},
		{Name: secChunks, Write: func(w io.Writer) error {
			var e encoder
			for _, d := range docs {
				for _, c := range d.chunks {
					e.str(c.ID)
					e.varint(int64(c.Pos))
					e.str(c.Lang)
					e.str(c.Title)
					e.str(c.Date)
					e.str(c.Source)
					e.str(c.URL)
					e.str(c.Text)
					if err := e.flush(w, false); err != nil {
						return err
					}
				}
			}
			return e.flush(w, true)
		}},
	}
	if rows.Dense != nil {
		sections = append(sections, segfile.Section{Name: secDense, Write: func(w io.Writer) error { return writeNumbers(w, rows.Dense) }})
	} else {
		sections = append(sections,
			segfile.Section{Name: secStart, Write: func(w io.Writer) error { return writeNumbers(w, rows.Start) }},
			segfile.Section{Name: secIdx, Write: func(w io.Writer) error { return writeNumbers(w, rows.Idx) }},
			segfile.Section{Name: secVals, Write: func(w io.Writer) error { return writeNumbers(w, rows.Vals) }})
		inv := rows.Inverted
		if inv == nil {
			i, err := vecscan.Invert(rows)
			if err != nil {
				return fmt.Errorf("couldn't write the index's segment file: %w", err)
			}
			inv = &i
			// The packed scan takes the rows inverted as they are, rather
			// than inverting them a second time (0.8 GB at 1M chunks).
			s.mu.Lock()
			if s.rows != nil && s.rows.Gen == rows.Gen {
				withInv := *s.rows
				withInv.Inverted = inv
				s.rows = &withInv
			}
			s.mu.Unlock()
		}
		sections = append(sections,
			segfile.Section{Name: secInvStart, Write: func(w io.Writer) error { return writeNumbers(w, inv.Start) }},
			segfile.Section{Name: secInvOff, Write: func(w io.Writer) error { return writeNumbers(w, inv.Off) }},
			segfile.Section{Name: secInvRows, Write: func(w io.Writer) error { return writeNumbers(w, inv.Rows) }},
			segfile.Section{Name: secInvVals, Write: func(w io.Writer) error { return writeNumbers(w, inv.Vals) }})
	}
	path := s.segmentPath()
	if err := s.write(path, func(w io.Writer) error { return segfile.Encode(w, segmentVersion, sections) }); err != nil {
		return fmt.Errorf("couldn't write the index's segment file: %w", err)
	}
	return nil
}

// segmentPath is the segment file's path.
func (s *Store) segmentPath() string { return s.path + SegmentName[len(SnapshotName):] }

// Rows hands the packed scan (rag/vecscan) the index's vectors as compact
// rows when it has them at hand: after an Open from the segment file or a
// save. It implements vecscan.RowSource; the slices are read-only.
func (s *Store) Rows(context.Context) (vecscan.Rows, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.rows == nil || s.rows.Gen != s.gen {
		return vecscan.Rows{}, false, nil
	}
	return *s.rows, true, nil
}

// ensureRows gathers the vectors from chromem-go into s.rows unless they
// are at hand already. The caller holds syncMu, so the index does not
// change underneath.
func (s *Store) ensureRows(ctx context.Context) error {
	s.mu.RLock()
	have := s.rows != nil && s.rows.Gen == s.gen
	s.mu.RUnlock()
	if have {
		return nil
	}
	if err := s.ensureDB(); err != nil {
		return err
	}
	s.logger.Debug("reading the vectors from chromem-go for the segment file", "chunks", s.Len())
	s.mu.RLock()
	rows, err := s.gatherRows(ctx)
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.rows = rows
	s.mu.Unlock()
	return nil
}

// gatherRows reads every vector from chromem-go, a batch at a time on
// every core, into rows (see rowsBuilder). The caller holds mu (read).
func (s *Store) gatherRows(ctx context.Context) (*vecscan.Rows, error) {
	chunks := s.chunksLocked()
	b := newRowsBuilder(s.gen, s.dim, chunks)
	vecs := make([][]float32, min(vectorBatch, len(chunks)))
	for start := 0; start < len(chunks); start += vectorBatch {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("couldn't read the index's vectors: %w", err)
		}
		batch := chunks[start:min(start+vectorBatch, len(chunks))]
		if err := parallel.For(len(batch), func(i int) error {
			d, err := s.chunks.GetByID(ctx, batch[i].ID)
			if err != nil {
				return fmt.Errorf("couldn't read the vector of chunk %q: %w", batch[i].ID, err)
			}
			if len(d.Embedding) != s.dim {
				return fmt.Errorf("chunk %q has a %d-dimensional vector, the index %d", batch[i].ID, len(d.Embedding), s.dim)
			}
			vecs[i] = d.Embedding
			return nil
		}); err != nil {
			return nil, err
		}
		for i := range batch {
			b.add(vecs[i])
		}
		clear(vecs)
	}
	return b.done(), nil
}

// nextRows returns the rows of the index after a commit, from the rows
// before it (old, of the same dimension) and the vectors of the chunks
// the commit added (vecs, by chunk ID): no vector is read from
// chromem-go. The caller holds mu.
func (s *Store) nextRows(old *vecscan.Rows, vecs map[string]vector) *vecscan.Rows {
	chunks := s.chunksLocked()
	oldRow := make(map[string]int, len(old.Chunks))
	for i, c := range old.Chunks {
		oldRow[c.ID] = i
	}
	b := newRowsBuilder(s.gen, s.dim, chunks)
	if old.Dense == nil {
		// Room for the sparse rows: the old rows' components and the new
		// vectors' (a bound: some old rows are dropped).
		nz := len(old.Idx)
		for _, v := range vecs {
			nz += v.nonZero()
		}
		b.r.Start = slices.Grow(b.r.Start, len(chunks))
		b.r.Idx, b.r.Vals = make([]uint16, 0, nz), make([]float32, 0, nz)
	}
	scratch := make([]float32, s.dim)
	for _, c := range chunks {
		if v, ok := vecs[c.ID]; ok {
			if v.sparse() && b.r.Dense == nil {
				b.addSparse(v.idx, v.vals)
			} else {
				b.add(v.expand(s.dim, scratch))
			}
			continue
		}
		r := oldRow[c.ID]
		if old.Dense != nil {
			b.add(old.Dense[r*s.dim : (r+1)*s.dim])
			continue
		}
		lo, hi := old.Start[r], old.Start[r+1]
		if b.r.Dense == nil {
			b.addSparse(old.Idx[lo:hi], old.Vals[lo:hi])
			continue
		}
		clear(scratch)
		for j := lo; j < hi; j++ {
			scratch[old.Idx[j]] = old.Vals[j]
		}
		b.add(scratch)
	}
	return b.done()
}

// rowsBuilder lays vectors out as rows, one after another: sparse rows
// while they are sparse enough (as vecscan judges: every prefix at most a
// quarter non-zero), then dense rows.
type rowsBuilder struct {
	r     *vecscan.Rows
	dim   int
	total int // rows the builder will be given
	n     int // rows added so far
}

func newRowsBuilder(gen uint64, dim int, chunks []rag.Chunk) *rowsBuilder {
	return &rowsBuilder{r: &vecscan.Rows{Gen: gen, Dim: dim, Chunks: chunks, Start: []uint32{0}}, dim: dim, total: len(chunks)}
}

// add appends the row vec (of the builder's dimension), which it copies.
func (b *rowsBuilder) add(vec []float32) {
	r := b.r
	b.n++
	if r.Dense != nil {
		r.Dense = append(r.Dense, vec...)
		return
	}
	for j, x := range vec {
		if x != 0 {
			r.Idx = append(r.Idx, uint16(j))
			r.Vals = append(r.Vals, x)
		}
	}
	r.Start = append(r.Start, uint32(len(r.Idx)))
	b.densifyIfDue()
}

// addSparse appends the row whose non-zero components are vals at the
// dimensions idx (ascending), while the rows are sparse.
func (b *rowsBuilder) addSparse(idx []uint16, vals []float32) {
	r := b.r
	b.n++
	r.Idx = append(r.Idx, idx...)
	r.Vals = append(r.Vals, vals...)
	r.Start = append(r.Start, uint32(len(r.Idx)))
	b.densifyIfDue()
}

// densifyIfDue turns the sparse rows so far into dense ones once they are
// no longer sparse enough.
func (b *rowsBuilder) densifyIfDue() {
	r := b.r
	if b.dim <= 1<<16 && float64(len(r.Idx)) <= 0.25*float64(b.n*b.dim) {
		return
	}
	r.Dense = make([]float32, b.n*b.dim, b.total*b.dim)
	for k := range b.n {
		v := r.Dense[k*b.dim : (k+1)*b.dim]
		for j := r.Start[k]; j < r.Start[k+1]; j++ {
			v[r.Idx[j]] = r.Vals[j]
		}
	}
	r.Start, r.Idx, r.Vals = nil, nil, nil
}

// done returns the rows.
func (b *rowsBuilder) done() *vecscan.Rows { return b.r }

// ensureDB loads the snapshot into memory if the index was opened from its
// segment file and chromem-go has not been needed since, and replays over
// it the part of the change log that memory reflects. It is safe for
// concurrent use: one caller loads, the others wait for it (and so does a
// Sync's commit). The snapshot must hold what the segment file said, and
// the snapshot with the log what memory holds (the same content
// signatures).
func (s *Store) ensureDB() error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.RLock()
	loaded, sig, log := s.db != nil, s.contentSig(), s.log
	s.mu.RUnlock()
	if loaded {
		return nil
	}
	if log.base.Base == "" {
		return s.fillDB()
	}
	snap, err := loadSnapshot(s.path)
	switch {
	case err != nil:
		return fmt.Errorf("couldn't load the index's snapshot: %w", err)
	case snap == nil:
		// Removed under the store (its folder deleted): chromem-go is
		// given the index from the rows, which hold what memory does.
		if err := s.fillDB(); err != nil {
			return fmt.Errorf("couldn't load the index's snapshot: %w: %s is gone (%w)", ErrUnreadable, s.path, err)
		}
		s.logger.Debug("the index's snapshot is gone; chromem-go filled from the rows", "path", s.path)
		return nil
	case snap.manifest.Embedder != s.embID || sigOf(s.embID, snap.docs) != log.base.Base:
		return fmt.Errorf("couldn't load the index's snapshot: %w: %s changed since the index was opened", ErrUnreadable, s.path)
	}
	if err := s.replayIntoDB(snap, log); err != nil {
		return fmt.Errorf("couldn't load the index's snapshot: %w: %s: %w", ErrUnreadable, s.logPath(), err)
	}
	if sigOf(s.embID, snap.docs) != sig {
		return fmt.Errorf("couldn't load the index's snapshot: %w: %s with its change log does not hold the index", ErrUnreadable, s.path)
	}
	s.mu.Lock()
	s.db, s.chunks, s.manifest = snap.db, snap.chunks, snap.manifestColl
	s.mu.Unlock()
	s.logger.Debug("loaded the index snapshot on demand", "path", s.path, "chunks", s.n)
	return nil
}

// fillDB gives chromem-go the index from its rows, for a store whose
// index no snapshot holds (none saved yet, the last save failed, or the
// snapshot was removed). The caller holds loadMu.
func (s *Store) fillDB() error {
	s.mu.RLock()
	rows := s.rows
	if rows == nil || rows.Gen != s.gen {
		s.mu.RUnlock()
		return errors.New("couldn't build chromem-go's index: no vectors at hand")
	}
	db, coll, man := newDB(s.embID)
	_, _, err := s.eachRow(context.Background(), rows, func(c rag.Chunk, vec []float32) error {
		return coll.AddDocument(context.Background(), toDocument(c, vec))
	})
	s.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("couldn't build chromem-go's index: %w", err)
	}
	s.mu.Lock()
	s.db, s.chunks, s.manifest = db, coll, man
	s.mu.Unlock()
	return nil
}

// forgetBase records, after a save that failed, that the snapshot on disk
// no longer holds what memory does, so that chromem-go, when it is needed
// and not loaded, is filled from the rows (ensureDB) rather than from
// that snapshot. The caller holds syncMu.
func (s *Store) forgetBase() {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		s.log = logState{}
	}
}

// encoder appends length-prefixed fields to a buffer it flushes in pieces.
type encoder struct{ buf []byte }

func (e *encoder) str(v string)     { e.buf = segfile.AppendString(e.buf, v) }
func (e *encoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }

// flush writes the buffer to w once it is large (or always, with all).
func (e *encoder) flush(w io.Writer, all bool) error {
	if !all && len(e.buf) < 1<<16 {
		return nil
	}
	_, err := w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

// viewString reads a string as a view of the decoder's buffer (segfile's,
// never modified, kept alive by the strings that point into it).
func viewString(d *segfile.Decoder) string {
	b := d.Bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// number is a fixed-size number kept in the segment file.
type number interface{ ~uint16 | ~uint32 | ~float32 }

// littleEndian reports whether the machine stores numbers as the segment
// file does, so that its sections can be used in place.
func littleEndian() bool { return binary.NativeEndian.Uint16([]byte{1, 0}) == 1 }

// writeNumbers writes xs little-endian.
func writeNumbers[T number](w io.Writer, xs []T) error {
	if len(xs) == 0 {
		return nil
	}
	size := int(unsafe.Sizeof(xs[0]))
	if littleEndian() {
		_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), len(xs)*size))
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for i, x := range xs {
		switch v := any(x).(type) {
		case uint16:
			buf = binary.LittleEndian.AppendUint16(buf, v)
		case uint32:
			buf = binary.LittleEndian.AppendUint32(buf, v)
		case float32:
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		if len(buf) >= 1<<16-8 || i == len(xs)-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// view returns the numbers in b: b itself seen as []T when the machine is
// little-endian and b is aligned (segfile aligns every section), else a
// decoded copy. Trailing bytes that make no whole number are dropped, and
// so a section of the wrong length fails the caller's length check.
func view[T number](b []byte, decode func([]byte) T) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	n := len(b) / size
	if n == 0 {
		return []T{}
	}
	if littleEndian() && uintptr(unsafe.Pointer(&b[0]))%uintptr(size) == 0 {
		return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n)
	}
	out := make([]T, n)
	for i := range out {
		out[i] = decode(b[i*size:])
	}
	return out
}

func uint16s(b []byte) []uint16 { return view(b, binary.LittleEndian.Uint16) }
func uint32s(b []byte) []uint32 { return view(b, binary.LittleEndian.Uint32) }
func floats(b []byte) []float32 {
	return view(b, func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) })
}
