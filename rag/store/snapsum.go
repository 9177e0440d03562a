package store

import (
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
)

// The snapshot's checksum ties the segment file and the change log to the
// snapshot they were made from when its modification time no longer does:
// a folder copied without its files' times (cp -r) holds the same
// snapshot with a new time. It is CRC-32C (Castagnoli; the instruction
// set computes it on amd64 and arm64, as it does the log's frames),
// written as "crc32c:" and eight hex digits, of the snapshot's bytes as
// the save streamed them (no extra read). It is read again, the whole
// snapshot streamed once per Open, only when a size matches and a time
// does not.

// sumPrefix names the checksum's algorithm in the recorded sum.
const sumPrefix = "crc32c:"

// crc32c is the Castagnoli table.
var crc32c = crc32.MakeTable(crc32.Castagnoli)

// newSnapshotHash returns the hash the snapshot's checksum is computed with.
func newSnapshotHash() hash.Hash32 { return crc32.New(crc32c) }

// formatSum writes the checksum h has computed as it is recorded.
func formatSum(h hash.Hash32) string { return fmt.Sprintf("%s%08x", sumPrefix, h.Sum32()) }

// fileSum streams the file at path through the snapshot's hash.
func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("couldn't checksum the index's snapshot: %w", err)
	}
	defer f.Close()
	h := newSnapshotHash()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("couldn't checksum the index's snapshot %s: %w", path, err)
	}
	return formatSum(h), nil
}

// snapSum is the checksum of the snapshot file of a size and modification
// time (Unix ns), as the store last wrote, recorded or read it.
type snapSum struct {
	size, mtime int64
	sum         string
}

// noteSum records sum as the checksum of the snapshot file fi; "" records
// nothing.
func (s *Store) noteSum(fi fs.FileInfo, sum string) {
	if sum == "" {
		return
	}
	s.sumMu.Lock()
	defer s.sumMu.Unlock()
	s.sum = snapSum{size: fi.Size(), mtime: fi.ModTime().UnixNano(), sum: sum}
}

// knownSum returns the checksum of the snapshot file fi if the store
// knows it without reading the file, else "".
func (s *Store) knownSum(fi fs.FileInfo) string {
	s.sumMu.Lock()
	defer s.sumMu.Unlock()
	if s.sum.size == fi.Size() && s.sum.mtime == fi.ModTime().UnixNano() {
		return s.sum.sum
	}
	return ""
}

// snapshotSum returns the checksum of the snapshot file fi: the one known,
// else computed by reading the file (and then known).
func (s *Store) snapshotSum(fi fs.FileInfo) (string, error) {
	if sum := s.knownSum(fi); sum != "" {
		return sum, nil
	}
	sum, err := fileSum(s.path)
	if err != nil {
		return "", err
	}
	s.noteSum(fi, sum)
	return sum, nil
}

// errOtherSnapshot is returned by sameSnapshot for a file that is not
// the snapshot described.
var errOtherSnapshot = errors.New("made from another snapshot")

// sameSnapshot checks that the snapshot file fi is the one a segment file
// or change log describes by its size, modification time (Unix ns) and
// checksum (sum; "" for files written before it was recorded). The size
// must match; then the time (nothing is read), or, the time differing,
// the file's checksum must equal sum. It reports whether it took the
// checksum to tell, having logged so at Info level (once per Store); an
// error wraps errOtherSnapshot when the file is another.
func (s *Store) sameSnapshot(fi fs.FileInfo, size, mtime int64, sum string) (bool, error) {
	switch {
	case fi.Size() != size:
		return false, fmt.Errorf("%w (the snapshot holds %d bytes, not %d)", errOtherSnapshot, fi.Size(), size)
	case fi.ModTime().UnixNano() == mtime:
		return false, nil
	case sum == "":
		return false, fmt.Errorf("%w (or a copy of it that lost its time; no checksum to tell)", errOtherSnapshot)
	}
	got, err := s.snapshotSum(fi)
	if err != nil {
		return false, err
	}
	if got != sum {
		return false, fmt.Errorf("%w (the snapshot's checksum is %s, not %s)", errOtherSnapshot, got, sum)
	}
	s.tellCopied()
	return true, nil
}

// tellCopied logs, once per Store, that the snapshot was recognised by its
// checksum.
func (s *Store) tellCopied() {
	s.sumMu.Lock()
	told := s.copyTold
	s.copyTold = true
	s.sumMu.Unlock()
	if !told {
		s.logger.Info("the index's snapshot has a new modification time (copied?); its content is unchanged", "path", s.path)
	}
}

// sameBase reports whether the change log whose header is h extends the
// snapshot base describes (base, as Open or a save made it, has the
// snapshot file's size and time now, and its checksum when known): the
// same index, and the same file by its time or, the time differing, by
// their checksums.
func sameBase(h, base logHeader) bool {
	if h.Format != base.Format || h.Embedder != base.Embedder || h.Base != base.Base || h.SnapshotSize != base.SnapshotSize {
		return false
	}
	if h.SnapshotSum != "" && base.SnapshotSum != "" && h.SnapshotSum != base.SnapshotSum {
		return false
	}
	return h.SnapshotModTime == base.SnapshotModTime || (h.SnapshotSum != "" && h.SnapshotSum == base.SnapshotSum)
}
