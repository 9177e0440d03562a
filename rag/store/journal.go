package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"unsafe"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/internal/framelog"
	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
)

// LogName is the file, in the index folder, that holds the changes made
// since the snapshot was last written: one record per Sync that changed
// the index, appended to the file and fsynced, so that an edit of one
// report writes that report's chunks and vectors rather than the whole
// snapshot and segment file again. The snapshot stays chromem-go's own
// export and the store of record; the log extends it and is replayed over
// it on Open (into the catalogue and the segment's rows) and when
// chromem-go is loaded (ensureDB). A Sync that would take the log past
// defaultLogShare of the snapshot writes the snapshot and segment afresh
// instead and removes the log (a compaction).
//
// Layout (integers little-endian):
//
//	header  magic "SCOBLOG\x00" (8 bytes), version uint32, then one frame
//	        whose payload is logHeader as JSON: the snapshot it extends
//	frames  payload length uint32, CRC-32C (Castagnoli) of the payload
//	        uint32, payload: one change (see encodeChange)
//
// Every state the folder can be left in opens to the index before a Sync
// or after it: a frame cut short by a crash, or one whose checksum fails,
// ends the log there (it and what follows are ignored, with a warning);
// a log made for another snapshot (one a compaction replaced before it
// could remove the log) is ignored; each change names the content
// signature of the index it gives, and replay stops at the first that
// gives another. Its name starts with the snapshot's so
// that Open's clean-up removes its stray temporary files too.
const LogName = SnapshotName + ".log"

// logVersion is the layout of the log's frames and changes.
const logVersion = 1

// defaultLogShare is the largest size of the log as a share of the
// snapshot's size before the next Sync compacts (writes the snapshot and
// segment afresh and removes the log). A change costs its own bytes in
// the log and, at the compaction, 1/share times them again; an Open reads
// at most share more bytes than the base. At a quarter, a 100k-chunk index
// (a 257 MB snapshot) takes about 64 MB of changes — thousands of edited
// reports — between two compactions, and a cold start decodes the segment
// file plus at most that.
const defaultLogShare = 0.25

// logMagic starts the log file.
var logMagic = [8]byte{'S', 'C', 'O', 'B', 'L', 'O', 'G', 0}

// logHeader ties a log to the snapshot it extends.
type logHeader struct {
	Format   int    `json:"format"` // formatVersion of the snapshot
	Embedder string `json:"embedder"`
	// Base is the content signature of the snapshot; the snapshot file as
	// it was when the log was started is described by its size and time,
	// as the segment file does (an atomic save replaces it).
	Base            string `json:"base"`
	SnapshotSize    int64  `json:"snapshot_size"`
	SnapshotModTime int64  `json:"snapshot_mod_time"` // Unix nanoseconds
	// SnapshotSum is the snapshot's checksum when known (snapsum.go),
	// which tells the snapshot when its time changed but not its bytes
	// (a copy); absent from logs started before it was recorded, or over
	// a snapshot whose checksum the store did not know.
	SnapshotSum string `json:"snapshot_sum,omitempty"`
}

// logState is what the store knows of its snapshot and log on disk.
// Changed under syncMu, loadMu and mu (ensureDB reads it under mu).
type logState struct {
	// base describes the snapshot as last read or written; base.Base is
	// "" when there is none this store may extend (no snapshot yet, or
	// memory does not come from it).
	base logHeader
	// valid is the length of the log's prefix that memory reflects: its
	// header and the changes replayed or appended; 0 when there is no log
	// to extend (the next append starts one). The next change is written
	// there, over whatever follows (a change cut short; or, with two
	// processes on one folder, another's change: the last writer wins, as
	// with whole snapshots).
	valid int64
}

// logPath is the log file's path.
func (s *Store) logPath() string { return s.path + LogName[len(SnapshotName):] }

// logFile is a log as read from disk: its header and its changes' payloads
// with the offset just past each.
type logFile struct {
	header  logHeader
	changes [][]byte
	ends    []int64
	// stop says why reading stopped before the end of the file; nil when
	// every byte was read.
	stop error
}

// readLog reads the log at path, up to limit bytes when limit > 0. A
// missing file gives nil, nil; one without a readable header, an error.
func readLog(path string, limit int64) (*logFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("couldn't read the index's change log: %w", err)
	}
	if limit > 0 && int64(len(b)) > limit {
		b = b[:limit]
	}
	lg, err := framelog.Split(b, logMagic, logVersion)
	if err != nil {
		return nil, fmt.Errorf("not a change log of the index: %w", err)
	}
	lf := &logFile{changes: lg.Records, ends: lg.Ends, stop: lg.Stop}
	if err := json.Unmarshal(lg.Header, &lf.header); err != nil {
		return nil, fmt.Errorf("couldn't decode the change log's header: %w", err)
	}
	return lf, nil
}

// loggedChange is one change as the log keeps it: the plan of a Sync whose
// vectors are ready, and the content signature of the index after it.
// Replay applies a change only when it gives that signature, so a change
// replayed over another index than its writer's (a log spliced, a frame
// lost) either gives the index its writer had or is refused.
type loggedChange struct {
	next string
	dim  int
	p    *plan // changed, removed and toEmbed (staleIDs unset)
	vecs []vector
}

// encodeChange encodes a change: the signature after it, the dimension, the IDs of the documents removed, and per added or updated
// document (in ID order) its ID, hash and chunks, each chunk's fields
// followed by its vector, sparse (uint16 dimensions and float32 values)
// when that is smaller, else dense.
func encodeChange(c loggedChange) []byte {
	vecOf := make(map[string]vector, len(c.vecs))
	for i, ch := range c.p.toEmbed {
		vecOf[ch.ID] = c.vecs[i]
	}
	var b []byte
	b = segfile.AppendString(b, c.next)
	b = binary.AppendUvarint(b, uint64(c.dim))
	removed := slices.Sorted(slices.Values(c.p.removed))
	b = binary.AppendUvarint(b, uint64(len(removed)))
	for _, id := range removed {
		b = segfile.AppendString(b, id)
	}
	ids := slices.Sorted(maps.Keys(c.p.changed))
	b = binary.AppendUvarint(b, uint64(len(ids)))
	var idx []uint16
	var vals []float32
	for _, id := range ids {
		e := c.p.changed[id]
		b = segfile.AppendString(b, id)
		b = segfile.AppendString(b, e.hash)
		b = binary.AppendUvarint(b, uint64(len(e.chunks)))
		for _, ch := range e.chunks {
			b = segfile.AppendString(b, ch.ID)
			b = binary.AppendVarint(b, int64(ch.Pos))
			for _, f := range []string{ch.Lang, ch.Title, ch.Date, ch.Source, ch.URL, ch.Text} {
				b = segfile.AppendString(b, f)
			}
			if v := vecOf[ch.ID]; v.sparse() { // sparse is smaller (at most a quarter non-zero)
				b = binary.AppendUvarint(b, 0)
				b = appendNumbers(b, v.idx)
				b = appendNumbers(b, v.vals)
				continue
			}
			v := vecOf[ch.ID].dense
			idx, vals = idx[:0], vals[:0]
			for j, x := range v {
				if x != 0 {
					idx = append(idx, uint16(j))
					vals = append(vals, x)
				}
			}
			if len(v) <= 1<<16 && 6*len(vals) < 4*len(v) {
				b = binary.AppendUvarint(b, 0)
				b = appendNumbers(b, idx)
				b = appendNumbers(b, vals)
			} else {
				b = binary.AppendUvarint(b, 1)
				b = appendNumbers(b, v)
			}
		}
	}
	return b
}

// appendNumbers appends xs as a length-prefixed byte string of their
// little-endian bytes.
func appendNumbers[T number](b []byte, xs []T) []byte {
	var buf bytes.Buffer
	writeNumbers(&buf, xs) // a bytes.Buffer does not fail
	return segfile.AppendString(b, unsafe.String(unsafe.SliceData(buf.Bytes()), buf.Len()))
}

// decodeChange is the inverse of encodeChange; it checks that what it
// reads is well-formed (each chunk of its document, each vector of the
// change's dimension). The strings and vectors are copies.
func decodeChange(b []byte) (loggedChange, error) {
	d := segfile.NewDecoder(b)
	str := func() string { return string(d.Bytes()) }
	c := loggedChange{next: str(), dim: int(d.Uvarint()), p: &plan{changed: map[string]docEntry{}}}
	if c.dim > 1<<20 {
		return loggedChange{}, fmt.Errorf("a change of dimension %d", c.dim)
	}
	for n := d.Uvarint(); n > 0 && d.Err() == nil; n-- {
		c.p.removed = append(c.p.removed, str())
	}
	for n := d.Uvarint(); n > 0 && d.Err() == nil; n-- {
		id, hash := str(), str()
		e := docEntry{hash: hash}
		for m := d.Uvarint(); m > 0 && d.Err() == nil; m-- {
			ch := rag.Chunk{ID: str(), Doc: id, Pos: int(d.Varint())}
			ch.Lang, ch.Title, ch.Date, ch.Source, ch.URL, ch.Text = str(), str(), str(), str(), str(), str()
			v := make([]float32, c.dim)
			switch form := d.Uvarint(); form {
			case 0:
				idx, vals := uint16s(d.Bytes()), floats(d.Bytes())
				if len(idx) != len(vals) {
					return loggedChange{}, fmt.Errorf("chunk %q's sparse vector does not match itself", ch.ID)
				}
				for j, x := range idx {
					if int(x) >= c.dim {
						return loggedChange{}, fmt.Errorf("chunk %q's sparse vector out of range", ch.ID)
					}
					v[x] = vals[j]
				}
			case 1:
				vals := floats(d.Bytes())
				if len(vals) != c.dim {
					return loggedChange{}, fmt.Errorf("chunk %q has a %d-dimensional vector, the change %d", ch.ID, len(vals), c.dim)
				}
				copy(v, vals)
			default:
				d.Fail(fmt.Errorf("chunk %q's vector of unknown form %d", ch.ID, form))
			}
			e.chunks = append(e.chunks, ch)
			c.p.toEmbed = append(c.p.toEmbed, ch)
			c.vecs = append(c.vecs, compactVectors([][]float32{v}, c.dim)...)
		}
		sortByPos(e.chunks)
		if _, dup := c.p.changed[id]; dup {
			d.Fail(fmt.Errorf("document %q twice in one change", id))
		}
		c.p.changed[id] = e
	}
	if d.Err() != nil || !d.Done() {
		return loggedChange{}, fmt.Errorf("couldn't decode a change: %w", cmpErr(d.Err()))
	}
	return c, nil
}

// staleOf fills in p.staleIDs: the chunks in docs of the documents p
// removes or replaces.
func (p *plan) staleOf(docs map[string]docEntry) {
	p.staleIDs = p.staleIDs[:0]
	for _, id := range slices.Concat(p.removed, slices.Collect(maps.Keys(p.changed))) {
		for _, c := range docs[id].chunks {
			p.staleIDs = append(p.staleIDs, c.ID)
		}
	}
}

// applyDocs applies p to the catalogue docs.
func applyDocs(docs map[string]docEntry, p *plan) {
	for _, id := range p.removed {
		delete(docs, id)
	}
	maps.Copy(docs, p.changed)
}

// applyChromem applies p (its staleIDs filled in) to the chunk collection.
func applyChromem(coll *chromem.Collection, p *plan, vecs []vector, dim int) error {
	if len(p.staleIDs) > 0 { // never call Delete without IDs: it would match everything
		if err := coll.Delete(context.Background(), nil, nil, p.staleIDs...); err != nil {
			return fmt.Errorf("couldn't delete stale chunks: %w", err)
		}
	}
	if len(p.toEmbed) == 0 {
		return nil
	}
	add := make([]chromem.Document, len(p.toEmbed))
	for i, c := range p.toEmbed {
		add[i] = toDocument(c, vecs[i].expand(dim, nil))
	}
	if err := coll.AddDocuments(context.Background(), add, runtime.NumCPU()); err != nil {
		// Undo the partial add so the collection holds none of the
		// changed documents' chunks.
		ids := make([]string, len(add))
		for i, d := range add {
			ids[i] = d.ID
		}
		coll.Delete(context.Background(), nil, nil, ids...)
		return fmt.Errorf("couldn't add chunks: %w", err)
	}
	return nil
}

// sigAfter is the content signature the index will have once p is
// applied. The caller holds syncMu.
func (s *Store) sigAfter(p *plan) string {
	docs := maps.Clone(s.docs)
	applyDocs(docs, p)
	return sigOf(s.embID, docs)
}

// replayLog applies the changes of the log over the index just taken from
// the snapshot (or its segment file), whose signature is s.log.base.Base;
// the caller has not shared the store yet. It stops at the first change
// that is damaged or does not give the index its writer had, with a
// warning: the index is then the one before that change, as its Sync left
// it if it was interrupted. A log of another snapshot is ignored (and
// replaced by the next append). The changes are checked one by one
// against the catalogue and committed at once, as one plan from the base
// to the last of them, so that the rows and chromem-go are rebuilt once
// however many changes the log holds.
func (s *Store) replayLog() {
	lf, err := readLog(s.logPath(), 0)
	switch {
	case err != nil:
		s.logger.Warn("ignoring the index's change log; the index is the snapshot as it was last compacted", "path", s.logPath(), "err", err)
		return
	case lf == nil:
		return
	case !sameBase(lf.header, s.log.base):
		s.logger.Debug("ignoring a change log made for another snapshot", "path", s.logPath())
		return
	case lf.header.SnapshotModTime != s.log.base.SnapshotModTime:
		// The snapshot of a copy that lost its times, told by its
		// checksum: the log's header is written again with the new time
		// (the rest of the log as it is), so that the next Open need not
		// read the snapshot to tell. If that fails the log is replayed as
		// it is, and extended where it is.
		s.tellCopied()
		if err := s.rewriteLogHeader(s.log.base, lf.ends[0]); err != nil {
			s.logger.Debug("couldn't write the change log's header again", "path", s.logPath(), "err", err)
		} else if again, err := readLog(s.logPath(), 0); err != nil || again == nil || again.header != s.log.base {
			s.logger.Warn("ignoring the index's change log, written again unreadable; the index is the snapshot as it was last compacted",
				"path", s.logPath(), "err", err)
			return
		} else {
			lf = again
		}
	}
	s.log.valid = lf.ends[0]
	docs, dim := s.docs, s.dim
	touched := map[string]bool{}  // documents some change removed or replaced
	latest := map[string]vector{} // chunk ID → its vector as the last change to add it gave it
	applied := 0
	for i, payload := range lf.changes {
		c, err := decodeChange(payload)
		if err == nil && c.dim != dim && len(c.p.toEmbed) > 0 && len(docs) > 0 && dim > 0 {
			err = fmt.Errorf("a change of dimension %d to an index of %d", c.dim, dim)
		}
		var after map[string]docEntry
		if err == nil {
			after = maps.Clone(docs)
			applyDocs(after, c.p)
			if got := sigOf(s.embID, after); got != c.next {
				err = fmt.Errorf("the change gives index %s, it says %s", got, c.next)
			}
		}
		if err != nil {
			s.logger.Warn("ignoring the rest of the index's change log; the index is as it was before the change that does not apply",
				"path", s.logPath(), "change", i+1, "of", len(lf.changes), "err", err)
			lf.stop = nil
			break
		}
		docs = after
		for _, id := range slices.Concat(c.p.removed, slices.Collect(maps.Keys(c.p.changed))) {
			touched[id] = true
		}
		for j, ch := range c.p.toEmbed {
			latest[ch.ID] = c.vecs[j]
			dim = c.dim
		}
		applied++
		s.log.valid = lf.ends[i+1]
	}
	if lf.stop != nil {
		s.logger.Warn("ignoring the end of the index's change log; the index is as it was before the change it held",
			"path", s.logPath(), "offset", s.log.valid, "err", lf.stop)
	}
	if applied == 0 {
		return
	}
	// One plan from the base to the index after the last change applied.
	p := &plan{changed: map[string]docEntry{}}
	var vecs []vector
	for id := range touched {
		e, ok := docs[id]
		if !ok {
			if _, inBase := s.docs[id]; inBase {
				p.removed = append(p.removed, id)
			}
			continue
		}
		p.changed[id] = e
		for _, ch := range e.chunks {
			p.toEmbed = append(p.toEmbed, ch)
			vecs = append(vecs, latest[ch.ID])
		}
	}
	if err := s.commit(p, vecs, dim, nil); err != nil {
		// Only chromem-go's AddDocuments fails, on input the checks above
		// let through; what the commit left is the base less the changed
		// documents, which the next Sync adds again.
		s.logger.Warn("couldn't apply the index's change log", "path", s.logPath(), "err", err)
		s.log.valid = 0
		s.dirty = true
		return
	}
	s.logger.Debug("replayed the index's change log", "path", s.logPath(), "changes", applied, "chunks", s.n)
}

// replayIntoDB applies the part of the change log that memory reflects
// (log.valid bytes) to snap, the snapshot ensureDB loaded; ensureDB then
// checks that the result is what memory holds. The caller holds loadMu.
func (s *Store) replayIntoDB(snap *snapshot, log logState) error {
	if log.valid == 0 {
		return nil
	}
	lf, err := readLog(s.logPath(), log.valid)
	switch {
	case err != nil:
		return err
	case lf == nil || !sameBase(lf.header, log.base) || lf.ends[len(lf.ends)-1] != log.valid:
		return errors.New("the change log changed since the index was opened")
	}
	for _, payload := range lf.changes {
		c, err := decodeChange(payload)
		if err != nil {
			return err
		}
		c.p.staleOf(snap.docs)
		if err := applyChromem(snap.chunks, c.p, c.vecs, c.dim); err != nil {
			return err
		}
		applyDocs(snap.docs, c.p)
	}
	return nil
}

// rewriteLogHeader writes the change log again, atomically, with the
// header h in place of the one that ends at headEnd, and the rest as it
// is.
func (s *Store) rewriteLogHeader(h logHeader, headEnd int64) error {
	b, err := os.ReadFile(s.logPath())
	if err != nil {
		return fmt.Errorf("couldn't read the index's change log: %w", err)
	}
	if int64(len(b)) < headEnd {
		return errors.New("the change log is shorter than its header")
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("couldn't encode the change log's header: %w", err)
	}
	head := framelog.Head(logMagic, logVersion, hdr)
	if err := s.write(s.logPath(), func(w io.Writer) error {
		if _, err := w.Write(head); err != nil {
			return err
		}
		_, err := w.Write(b[headEnd:])
		return err
	}); err != nil {
		return fmt.Errorf("couldn't write the change log's header: %w", err)
	}
	return nil
}

// appendChange appends c to the log and fsyncs it, starting a log (written
// atomically) when there is none to extend, and returns the log's state
// after it. It returns nil, with the reason, when the change should go
// into a compaction instead: no snapshot to extend, the snapshot changed
// on disk (another process compacted), the log would outgrow
// Store.logShare of the snapshot, or the write failed. A snapshot whose
// time changed but not its size or checksum (sameSnapshot) is the same.
// The caller holds syncMu.
func (s *Store) appendChange(c loggedChange) (*logState, error) {
	next := s.log
	if next.base.Base == "" {
		return nil, errors.New("no snapshot to extend")
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return nil, fmt.Errorf("the snapshot changed on disk: %w", err)
	}
	bySum, err := s.sameSnapshot(fi, next.base.SnapshotSize, next.base.SnapshotModTime, next.base.SnapshotSum)
	if err != nil {
		return nil, fmt.Errorf("the snapshot changed on disk: %w", err)
	}
	if bySum {
		// The same snapshot with a new time (copied back over itself):
		// the log goes on over it, and a log started now says so.
		next.base.SnapshotModTime = fi.ModTime().UnixNano()
	}
	rec := framelog.Frame(encodeChange(c))
	if end := next.valid + int64(len(rec)); float64(end) > s.logShare*float64(next.base.SnapshotSize) {
		return nil, fmt.Errorf("the log would hold %d bytes, over %.2f of the snapshot's %d", end, s.logShare, next.base.SnapshotSize)
	}
	if next.valid == 0 {
		hdr, err := json.Marshal(next.base)
		if err != nil {
			return nil, fmt.Errorf("couldn't encode the change log's header: %w", err)
		}
		head := framelog.Head(logMagic, logVersion, hdr)
		if err := s.write(s.logPath(), func(w io.Writer) error {
			if _, err := w.Write(head); err != nil {
				return err
			}
			_, err := w.Write(rec)
			return err
		}); err != nil {
			return nil, fmt.Errorf("couldn't start the index's change log: %w", err)
		}
		next.valid = int64(len(head) + len(rec))
	} else {
		if err := s.appendAt(s.logPath(), next.valid, rec); err != nil {
			return nil, err
		}
		next.valid += int64(len(rec))
	}
	return &next, nil
}
