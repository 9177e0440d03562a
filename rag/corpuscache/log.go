package corpuscache

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/internal/framelog"
)

// LogSuffix follows the cache file's name in the name of its change log:
// one record per save that changed the cache, appended to the file and
// fsynced, so that an edit of one report writes that report's result
// rather than the whole cache again. The cache file stays the base; the
// log extends it and Open replays it over it. A save that would take the
// log past logShare of the base (or minLog, if larger) writes the base
// afresh instead and removes the log (a compaction). The framing is the
// index's change log's (rag/store's LogName), through internal/framelog:
//
//	head    magic "SCOCLOG\x00", version, then one frame whose payload
//	        is logHeader as JSON: the base it extends
//	frames  one per change: two gob messages (change, then changeText)
//
// A frame cut short by a crash, or one whose checksum fails, ends the log
// there (the changes before it stand); a log made for another base (one a
// compaction replaced before it could remove the log) is ignored.
const LogSuffix = ".log"

// logVersion is the layout of the log's frames and changes.
const logVersion = 2

// logShare is the largest size of the log as a share of the base's size
// before the next save compacts. A change costs its own bytes in the log
// and, at the compaction, 1/logShare times them again; Open reads at most
// logShare more than the base. At a quarter, the 85 MB cache of a
// 5,000-report corpus takes about 21 MB of changes — well over a thousand
// edited reports — between two compactions.
const logShare = 0.25

// minLog is the size the log may always reach, whatever the base's: below
// it, writing a small base again saves nothing worth having.
const minLog = 64 << 10

// logMagic starts the log file.
var logMagic = [8]byte{'S', 'C', 'O', 'C', 'L', 'O', 'G', 0}

// logHeader ties a log to the base it extends: the base's key, and the
// base file as it was written, by its size and modification time (an
// atomic save replaces it).
type logHeader struct {
	Key         string `json:"key"`
	BaseSize    int64  `json:"base_size"`
	BaseModTime int64  `json:"base_mod_time"` // Unix nanoseconds
}

// change is one save's difference from the cache before it: the files
// added or changed (hash included) and those gone; the results added or
// changed (Parts nil: they are in changeText) and those gone; and what the
// load decided across files, whole (nil: nothing kept).
type change struct {
	Files     []File
	GoneFiles []fileRef
	Built     []entry
	GoneBuilt []fileRef
	Decided   []decided
}

// changeText holds the Parts of change.Built, in its order.
type changeText struct {
	Parts [][]corpus.Part
}

// fileRef names a file of a source, as the log keeps it.
type fileRef struct{ Source, Path string }

// logHead returns the log's magic, version and header frame for hdr.
func logHead(hdr logHeader) ([]byte, error) {
	j, err := json.Marshal(hdr)
	if err != nil {
		return nil, fmt.Errorf("couldn't encode the corpus cache's log header: %w", err)
	}
	return framelog.Head(logMagic, logVersion, j), nil
}

// logFile is a log as read from disk: its header, and its changes'
// payloads with the offset just past each (ends[0]: past the header).
type logFile struct {
	header  logHeader
	changes [][]byte
	ends    []int64
}

// readLog reads the log at path. A missing file gives nil, nil; one
// without a readable header, an error. Reading stops at the first frame
// cut short or damaged.
func readLog(path string) (*logFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("couldn't read the corpus cache's log: %w", err)
	}
	lg, err := framelog.Split(b, logMagic, logVersion)
	if err != nil {
		return nil, fmt.Errorf("not a log of the corpus cache: %w", err)
	}
	lf := &logFile{changes: lg.Records, ends: lg.Ends}
	if err := json.Unmarshal(lg.Header, &lf.header); err != nil {
		return nil, fmt.Errorf("couldn't decode the corpus cache log's header: %w", err)
	}
	return lf, nil
}

// encodeChange encodes c and its text as one frame's payload.
func encodeChange(c change, text changeText) ([]byte, error) {
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("couldn't encode a corpus cache change: %w", err)
	}
	if err := enc.Encode(text); err != nil {
		return nil, fmt.Errorf("couldn't encode a corpus cache change: %w", err)
	}
	return buf.Bytes(), nil
}

// decodeChange decodes a payload's change; with text, its text too.
func decodeChange(payload []byte, text bool) (change, changeText, error) {
	dec := gob.NewDecoder(bytes.NewReader(payload))
	var c change
	var t changeText
	if err := dec.Decode(&c); err != nil {
		return c, t, fmt.Errorf("couldn't decode a corpus cache change: %w", err)
	}
	if text {
		if err := dec.Decode(&t); err != nil {
			return c, t, fmt.Errorf("couldn't decode a corpus cache change's text: %w", err)
		}
		if len(t.Parts) != len(c.Built) {
			return c, t, fmt.Errorf("couldn't read a corpus cache change: %d texts for %d files", len(t.Parts), len(c.Built))
		}
	}
	return c, t, nil
}
