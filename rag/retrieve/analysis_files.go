package retrieve

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"

	"github.com/scobot/scobot/internal/atomicfile"
	"github.com/scobot/scobot/internal/framelog"
	"github.com/scobot/scobot/internal/segfile"
)

// An engine's analysis is kept beside the index in three files, so that
// a change of a few documents writes their analysis, not everyone's:
//
//	path          the base: the per-document analysis (analysis.go) of
//	              every document as of the last compaction (segfile,
//	              section "analysis")
//	path.log      its change log (AnalysisLogSuffix; framed by
//	              internal/framelog): one record per save that changed the
//	              per-document analysis — the documents whose analysis is
//	              gone, then the analysis of those added or changed,
//	              encoded as the base is, with their own strings.
//	              ReadAnalysis replays it over the base; a record cut short
//	              or damaged ends it (the documents it held are analysed
//	              again, their checksums tell which)
//	path.built    the built structures (analysis_built.go) of the chunks
//	              of the last save that wrote them (AnalysisBuiltSuffix;
//	              segfile, section "built")
//
// A save that changed documents appends their record and leaves the base
// and the built structures alone: the next start over those chunks builds
// its structures from the per-document analysis (no chunk is analysed
// again) and, changing nothing, is the one that writes them, once. A
// record that would take the log past analysisLogShare of the base (or
// that cannot be appended) writes the base afresh instead, with the built
// structures, and removes the log. The log's header ties it to the base it
// extends, by the base's size and modification time; a log of another
// base (left by a crash during a compaction) is ignored. Whatever is lost
// (a record cut short, a log ignored, a record a second process wrote
// over) costs the analysis of its documents again at the next start,
// never a wrong one: each document's analysis is checked against its
// chunks.

// AnalysisLogSuffix follows the base's name in its change log's.
const AnalysisLogSuffix = ".log"

// AnalysisBuiltSuffix follows the base's name in the built structures'.
const AnalysisBuiltSuffix = ".built"

// analysisFileVersion is the segfile version of the base and of the built
// structures' file.
const analysisFileVersion = 3

// analysisLogVersion is the layout of the log's records.
const analysisLogVersion = 1

// analysisLogShare is the largest size of the log as a share of the
// base's before a save compacts, as the corpus cache's (rag/corpuscache):
// at a quarter of a 24 MB base (100k chunks), 6 MB of records — hundreds
// of reports — between two compactions.
const analysisLogShare = 0.25

// analysisMinLog is the size the log may always reach, whatever the
// base's.
const analysisMinLog = 64 << 10

// analysisLogMagic starts the log file.
var analysisLogMagic = [8]byte{'S', 'C', 'O', 'A', 'L', 'O', 'G', 0}

// Section names of the base and the built structures' files.
const (
	perDocSection = "analysis"
	builtSection  = "built"
)

// analysisLogHeader ties a log to the base it extends, as the base file
// was written (an atomic save replaces it).
type analysisLogHeader struct {
	BaseSize    int64 `json:"base_size"`
	BaseModTime int64 `json:"base_mod_time"` // Unix nanoseconds
}

// SavedAnalysis is the analysis an earlier engine kept beside the index
// (ReadAnalysis), for Config.Analysis: its built structures, mapped into
// memory until Close, and, read only when those do not fit the chunks,
// its per-document analysis. It is for one NewEngine, then SaveAnalysis.
type SavedAnalysis struct {
	path  string
	log   *slog.Logger
	built []byte // nil when there is none
	close func() error
	// Set by perDoc: whether a base was read, as it was on disk; the end
	// of the log's prefix replayed (0: no log extends the base) and how
	// many records it held.
	hasBase           bool
	baseSize, baseMod int64
	logEnd            int64
	records           int
}

// ReadAnalysis returns the analysis kept at path (see SaveAnalysis). A
// missing or damaged file is not an error: the engine then analyses what
// it does not find. Close the SavedAnalysis once the engine is built (it
// copies what it takes).
func ReadAnalysis(path string, logger *slog.Logger) *SavedAnalysis {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &SavedAnalysis{path: path, log: logger, close: func() error { return nil }}
	f, err := segfile.Read(path+AnalysisBuiltSuffix, analysisFileVersion)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			logger.Debug("ignoring the saved built structures of the analysis", "err", err)
		}
		return s
	}
	s.built, _ = f.Section(builtSection)
	s.close = f.Close
	return s
}

// Close releases the built structures' mapping. The SavedAnalysis still
// serves SaveAnalysis.
func (s *SavedAnalysis) Close() error {
	s.built = nil
	if err := s.close(); err != nil {
		return fmt.Errorf("couldn't release the saved analysis: %w", err)
	}
	return nil
}

// perDoc reads the base and replays its log over it.
func (s *SavedAnalysis) perDoc() (*analysis, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return nil, fmt.Errorf("couldn't read the saved analysis: %w", err)
	}
	f, err := segfile.Read(s.path, analysisFileVersion)
	if err != nil {
		return nil, fmt.Errorf("couldn't read the saved analysis: %w", err)
	}
	defer f.Close()
	data, ok := f.Section(perDocSection)
	if !ok {
		return nil, errors.New("couldn't read the saved analysis: no per-document section")
	}
	a, err := decodeAnalysis(data)
	if err != nil {
		return nil, err
	}
	s.hasBase, s.baseSize, s.baseMod = true, fi.Size(), fi.ModTime().UnixNano()
	s.replay(a)
	return a, nil
}

// replay applies the records of the base's log to a, up to the first that
// cannot be read. A log of another base is ignored (the next record
// replaces it).
func (s *SavedAnalysis) replay(a *analysis) {
	b, err := os.ReadFile(s.path + AnalysisLogSuffix)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Debug("ignoring the analysis's change log", "err", err)
		}
		return
	}
	lg, err := framelog.Split(b, analysisLogMagic, analysisLogVersion)
	var h analysisLogHeader
	if err == nil {
		err = json.Unmarshal(lg.Header, &h)
	}
	if err == nil && h != (analysisLogHeader{BaseSize: s.baseSize, BaseModTime: s.baseMod}) {
		err = errors.New("a log of another base")
	}
	if err != nil {
		s.log.Debug("ignoring the analysis's change log", "err", err)
		return
	}
	s.logEnd = lg.Ends[0]
	for i, rec := range lg.Records {
		if err := a.apply(rec); err != nil {
			lg.Stop = err
			break
		}
		s.logEnd, s.records = lg.Ends[i+1], i+1
	}
	if lg.Stop != nil {
		s.log.Debug("the analysis's change log ends early; analysing what it held after", "records", s.records, "err", lg.Stop)
	}
}

// encodeRecord encodes a log record: the documents gone, then the analysis
// of docs.
func (a *analysis) encodeRecord(gone, docs []string) []byte {
	b := binary.AppendUvarint(nil, uint64(len(gone)))
	for _, doc := range slices.Sorted(slices.Values(gone)) {
		b = segfile.AppendString(b, doc)
	}
	return append(b, a.encode(docs)...)
}

// apply applies a log record to a: whole, or not at all when it cannot be
// decoded.
func (a *analysis) apply(rec []byte) error {
	r := analysisReader{segfile.NewDecoder(rec)}
	gone := make([]string, r.count())
	for i := range gone {
		gone[i] = r.str()
	}
	if r.Err() != nil {
		return r.fail()
	}
	sub, err := decodeAnalysis(rec[len(rec)-r.Left():])
	if err != nil {
		return err
	}
	for _, doc := range gone {
		delete(a.docs, doc)
	}
	// The record numbers its strings itself: number them in a.
	num := make([]uint32, len(sub.strs.strs))
	for i, s := range sub.strs.strs {
		num[i] = a.strs.add(s)
	}
	for doc, d := range sub.docs {
		for _, c := range d.chunks {
			for _, ps := range [][]uint32{c.terms, c.forms} {
				for k := 0; k < len(ps); k += 2 {
					ps[k] = num[ps[k]]
				}
			}
		}
		a.docs[doc] = d
	}
	return nil
}

// analysisRecord is what an engine keeps of its analysis for
// SaveAnalysis.
type analysisRecord struct {
	a    *analysis
	docs []string // every document, in the chunks' order
	// gone holds the documents of the saved analysis the chunks no longer
	// have; fresh those analysed now (added or changed). extends tells
	// whether a saved per-document analysis served, so that gone and
	// fresh are the change from it.
	gone, fresh []string
	extends     bool
	sum         uint32 // chunksSum of the chunks
}

// SaveAnalysis keeps e's analysis of its chunks at path for the next
// start, writing as little as it can (see the files above): nothing when e
// took its structures from prev's; a record appended to the log when
// documents changed since prev; the built structures when only they were
// missing; and otherwise the base and the built structures whole. prev is
// what e was built from (nil: nothing). It does nothing unless
// Config.RecordAnalysis asked the engine to keep its analysis, which it
// then lets go: call it once, before the engine is shared.
func SaveAnalysis(path string, prev *SavedAnalysis, e *Engine) error {
	return newAnalysisWriter().save(path, prev, e)
}

// analysisWriter writes the analysis's files (tests make the writes fail,
// and compact sooner).
type analysisWriter struct {
	write    func(path string, version uint32, sections []segfile.Section) error
	writeLog func(path string, b []byte) error
	appendAt func(path string, off int64, rec []byte) error
	minLog   int64 // the size the log may always reach: analysisMinLog
}

// newAnalysisWriter returns the writer SaveAnalysis uses.
func newAnalysisWriter() analysisWriter {
	return analysisWriter{write: segfile.WriteFile, writeLog: atomicfile.Write, appendAt: framelog.AppendAt, minLog: analysisMinLog}
}

func (w analysisWriter) save(path string, prev *SavedAnalysis, e *Engine) error {
	rec := e.record
	if rec == nil {
		return nil
	}
	e.record = nil
	if changed := len(rec.gone)+len(rec.fresh) > 0; changed || !rec.extends {
		if rec.extends && prev != nil {
			err := w.appendRecord(path, prev, rec)
			if err == nil {
				return nil
			}
			e.log.Debug("writing the analysis afresh rather than appending", "reason", err)
		}
		perDoc := rec.a.encode(rec.docs)
		if err := w.write(path, analysisFileVersion, []segfile.Section{{Name: perDocSection, Write: writeBytes(perDoc)}}); err != nil {
			return fmt.Errorf("couldn't save the analysis: %w", err)
		}
		// The log extends the base it names only: one left by a crash
		// here is ignored.
		if err := atomicfile.Remove(path + AnalysisLogSuffix); err != nil {
			return fmt.Errorf("couldn't remove the analysis's old log: %w", err)
		}
	}
	built := e.encodeBuilt(rec.sum)
	if err := w.write(path+AnalysisBuiltSuffix, analysisFileVersion, []segfile.Section{{Name: builtSection, Write: writeBytes(built)}}); err != nil {
		return fmt.Errorf("couldn't save the built structures of the analysis: %w", err)
	}
	return nil
}

// appendRecord appends the change rec holds to prev's log, starting a log
// when there is none to extend. It returns an error, with the reason, when
// the change should go into a new base instead: the base changed on disk
// since prev read it, the log would outgrow analysisLogShare of it, or the
// write failed.
func (w analysisWriter) appendRecord(path string, prev *SavedAnalysis, rec *analysisRecord) error {
	if !prev.hasBase || prev.path != path {
		return errors.New("no base to extend")
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != prev.baseSize || fi.ModTime().UnixNano() != prev.baseMod {
		return errors.New("the base changed on disk")
	}
	frame := framelog.Frame(rec.a.encodeRecord(rec.gone, rec.fresh))
	j, err := json.Marshal(analysisLogHeader{BaseSize: prev.baseSize, BaseModTime: prev.baseMod})
	if err != nil {
		return fmt.Errorf("couldn't encode the analysis log's header: %w", err)
	}
	head := framelog.Head(analysisLogMagic, analysisLogVersion, j)
	start := prev.logEnd
	if start == 0 {
		start = int64(len(head))
	}
	if end := start + int64(len(frame)); end > w.minLog && float64(end) > analysisLogShare*float64(prev.baseSize) {
		return fmt.Errorf("the log would hold %d bytes, over %.2f of the base's %d", end, analysisLogShare, prev.baseSize)
	}
	if prev.logEnd == 0 {
		return w.writeLog(path+AnalysisLogSuffix, append(head, frame...))
	}
	if err := w.appendAt(path+AnalysisLogSuffix, prev.logEnd, frame); err != nil {
		return fmt.Errorf("couldn't append to the analysis's log: %w", err)
	}
	return nil
}

// writeBytes returns a section writer of b.
func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}
