// Package framelog frames the records of an append-only, checksummed log
// file, as the index's change log (rag/store) and the corpus cache's log
// (rag/corpuscache) keep them:
//
//	head    magic (8 bytes), version uint32 (little-endian), then one
//	        frame whose payload is the log's header
//	frames  payload length uint32, CRC-32C (Castagnoli) of the payload
//	        uint32 (both little-endian), payload
//
// A frame cut short by a crash, or one whose checksum fails, ends the log
// there: Split returns the frames before it and says why it stopped.
package framelog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
)

// MaxFrame bounds a frame's payload: a length beyond it is damage, not a
// record.
const MaxFrame = 1 << 31

// castagnoli is the CRC-32C table; it is never written after it is made.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrTorn is the error for a frame cut short at the end of the file.
var ErrTorn = errors.New("a record cut short at the end (an interrupted save)")

// Frame returns payload as a frame: its length, its checksum and itself.
func Frame(payload []byte) []byte {
	b := make([]byte, 8, 8+len(payload))
	binary.LittleEndian.PutUint32(b, uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[4:], crc32.Checksum(payload, castagnoli))
	return append(b, payload...)
}

// Next returns the payload of the frame at the start of b and the bytes
// it takes; ErrTorn when b ends inside it.
func Next(b []byte) ([]byte, int, error) {
	if len(b) < 8 {
		return nil, 0, ErrTorn
	}
	n := uint64(binary.LittleEndian.Uint32(b))
	if n > MaxFrame {
		return nil, 0, fmt.Errorf("a record of %d bytes (damaged)", n)
	}
	if uint64(len(b)-8) < n {
		return nil, 0, ErrTorn
	}
	payload := b[8 : 8+n]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(b[4:]) {
		return nil, 0, errors.New("a record whose checksum does not match (damaged)")
	}
	return payload, 8 + int(n), nil
}

// Head returns the start of a log: magic, version and header as a frame.
func Head(magic [8]byte, version uint32, header []byte) []byte {
	head := binary.LittleEndian.AppendUint32(append([]byte(nil), magic[:]...), version)
	return append(head, Frame(header)...)
}

// Log is a log's bytes split into its header and records.
type Log struct {
	Header  []byte
	Records [][]byte
	// Ends holds the offset just past the header (Ends[0]) and past each
	// record.
	Ends []int64
	// Stop says why reading stopped before the end of the bytes; nil when
	// every byte was read.
	Stop error
}

// Split splits the bytes of a log of this magic and version. A wrong magic
// or version, or a header frame that cannot be read, is an error; a record
// that cannot be read ends the records (Log.Stop).
func Split(b []byte, magic [8]byte, version uint32) (Log, error) {
	if len(b) < 12 || !bytes.Equal(b[:8], magic[:]) {
		return Log{}, errors.New("bad magic")
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != version {
		return Log{}, fmt.Errorf("log of version %d, want %d", v, version)
	}
	header, n, err := Next(b[12:])
	if err != nil {
		return Log{}, fmt.Errorf("couldn't read the header: %w", err)
	}
	lg := Log{Header: header}
	off := 12 + n
	lg.Ends = []int64{int64(off)}
	for off < len(b) {
		payload, n, err := Next(b[off:])
		if err != nil {
			lg.Stop = err
			break
		}
		off += n
		lg.Records = append(lg.Records, payload)
		lg.Ends = append(lg.Ends, int64(off))
	}
	return lg, nil
}

// AppendAt writes rec at offset off of the file at path, dropping
// whatever lies past off first (so that a record cut short by a crash is
// never followed by older bytes), and fsyncs it. A write cut short leaves
// a frame that Split ignores.
func AppendAt(path string, off int64, rec []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("couldn't open the log: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("couldn't close the log: %w", cerr)
		}
	}()
	if err := f.Truncate(off); err != nil {
		return fmt.Errorf("couldn't drop the end of the log: %w", err)
	}
	if _, err := f.WriteAt(rec, off); err != nil {
		return fmt.Errorf("couldn't append to the log: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("couldn't sync the log: %w", err)
	}
	return nil
}
