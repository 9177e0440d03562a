package store

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"

	"github.com/philippgille/chromem-go"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/vecscan"
)

// The snapshot is chromem-go's export: one gob value of the database,
// which chromem-go's ExportToWriter builds by encoding the whole database
// into one buffer before writing it (gob frames every value with its
// length), after the chunks and their dense vectors were added to
// chromem-go one document at a time. At a million chunks that is the
// dense vectors (4 GB at 1,024 dimensions), a metadata map per chunk and a
// 2.6 GB encoding buffer grown by doubling, at once. writeSnapshot writes
// the same gob stream from the catalogue and the compact rows instead, a
// document at a time: once to count the value's bytes (its length comes
// first), once to write them. chromem-go reads it back as its own export
// (TestSnapshotStreamIsChromemExport).

// gobDB, gobCollection and gobDocument mirror the types chromem-go's
// ExportToWriter encodes (and ImportFromFile decodes): gob matches a
// stream's types to the receiver's by their fields' names and types.
type gobDB struct {
	Collections map[string]*gobCollection
}

type gobCollection struct {
	Name      string
	Metadata  map[string]string
	Documents map[string]*chromem.Document
}

// gobTypes returns the type definitions of the snapshot's gob stream and
// the type ID its value is sent under, as gob's own encoder writes them.
func gobTypes() (defs, valueID []byte, err error) {
	sample := gobDB{Collections: map[string]*gobCollection{"c": {Name: "c", Metadata: map[string]string{"k": "v"},
		Documents: map[string]*chromem.Document{"d": {ID: "d", Metadata: map[string]string{"k": "v"}, Embedding: []float32{1}, Content: "x"}}}}}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(sample); err != nil {
		return nil, nil, fmt.Errorf("couldn't encode the snapshot's types: %w", err)
	}
	// Messages: a length, then a type ID (negative: a type definition)
	// and its payload. The last is the value.
	b := buf.Bytes()
	for off := 0; off < len(b); {
		n, w, ok := gobUint(b[off:])
		if !ok || off+w+int(n) > len(b) {
			return nil, nil, errors.New("couldn't split gob's encoding of the snapshot's types")
		}
		msg := b[off+w : off+w+int(n)]
		id, iw, ok := gobUint(msg)
		if !ok {
			return nil, nil, errors.New("couldn't read a type ID in gob's encoding")
		}
		if id&1 == 0 { // a non-negative type ID: the value
			return b[:off], msg[:iw], nil
		}
		off += w + int(n)
	}
	return nil, nil, errors.New("no value in gob's encoding of the snapshot's types")
}

// gobUint decodes a gob unsigned integer from the start of b: its value,
// its length in bytes, and whether b held one.
func gobUint(b []byte) (x uint64, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] < 0x80 {
		return uint64(b[0]), 1, true
	}
	k := int(-int8(b[0]))
	if k > 8 || len(b) < 1+k {
		return 0, 0, false
	}
	for _, c := range b[1 : 1+k] {
		x = x<<8 | uint64(c)
	}
	return x, 1 + k, true
}

// gobEnc appends gob's encodings of values to a buffer.
type gobEnc struct {
	b    []byte
	vals []string // scratch space for a document's metadata values
}

func (e *gobEnc) uint(x uint64) {
	if x < 0x80 {
		e.b = append(e.b, byte(x))
		return
	}
	k := 8 - bits.LeadingZeros64(x)/8
	e.b = append(e.b, byte(-int8(k)))
	var tmp [8]byte
	binary.BigEndian.PutUint64(tmp[:], x)
	e.b = append(e.b, tmp[8-k:]...)
}

func (e *gobEnc) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *gobEnc) float32(f float32) { e.uint(bits.ReverseBytes64(math.Float64bits(float64(f)))) }

// gobStruct writes a struct's fields as gob does: each present field
// preceded by the distance from the one before, zero values left out
// (a nil map too, but not an empty one), and a 0 at the end.
type gobStruct struct {
	e    *gobEnc
	last int
}

func newGobStruct(e *gobEnc) gobStruct { return gobStruct{e: e, last: -1} }

func (s *gobStruct) field(i int) {
	s.e.uint(uint64(i - s.last))
	s.last = i
}

func (s *gobStruct) str(i int, v string) {
	if v != "" {
		s.field(i)
		s.e.str(v)
	}
}

// strMap writes a map[string]string field: the map of keys[i] to vals[i].
func (s *gobStruct) strMap(i int, keys, vals []string) {
	s.field(i)
	s.e.uint(uint64(len(keys)))
	for j, k := range keys {
		s.e.str(k)
		s.e.str(vals[j])
	}
}

func (s *gobStruct) end() { s.e.uint(0) }

// chunkMetaKeys are the keys of a chunk's metadata (toDocument).
var chunkMetaKeys = []string{metaDoc, metaPos, metaLang, metaTitle, metaDate, metaSource, metaURL}

// document appends the gob encoding of the chromem document of chunk c
// with the vector vec: what toDocument gives, as chromem-go keeps it.
func (e *gobEnc) document(c rag.Chunk, vec []float32) {
	s := newGobStruct(e)
	s.str(0, c.ID)
	e.vals = append(e.vals[:0], c.Doc, strconv.Itoa(c.Pos), c.Lang, c.Title, c.Date, c.Source, c.URL)
	s.strMap(1, chunkMetaKeys, e.vals)
	if len(vec) > 0 {
		s.field(2)
		e.uint(uint64(len(vec)))
		for _, x := range vec {
			e.float32(x)
		}
	}
	s.str(3, c.Text)
	s.end()
}

// writeSnapshot writes the snapshot of the index whose chunks and vectors
// are rows, with the manifest (JSON) m, to w: the stream chromem-go's
// ExportToWriter (uncompressed, unencrypted) writes for the database the
// store keeps — the chunk collection, a document per chunk as toDocument
// makes it, and the manifest collection with its one document — without
// holding that database or its encoding in memory.
func writeSnapshot(w io.Writer, embID string, m []byte, rows *vecscan.Rows) error {
	defs, valueID, err := gobTypes()
	if err != nil {
		return err
	}
	if _, err := w.Write(defs); err != nil {
		return fmt.Errorf("couldn't write the snapshot: %w", err)
	}
	// The value is written in pieces: a head, each chunk's document, and
	// a tail. pieces calls emit with each, encoded.
	scratch := make([]float32, rows.Dim)
	vector := func(r int) []float32 {
		if rows.Dense != nil {
			return rows.Dense[r*rows.Dim : (r+1)*rows.Dim]
		}
		clear(scratch)
		for j := rows.Start[r]; j < rows.Start[r+1]; j++ {
			scratch[rows.Idx[j]] = rows.Vals[j]
		}
		return scratch
	}
	pieces := func(emit func([]byte) error) error {
		var e gobEnc
		e.b = append(e.b, valueID...)
		db := newGobStruct(&e)
		db.field(0) // Collections
		e.uint(2)
		// The manifest collection: no metadata (chromem-go keeps an
		// empty map), one document without (a nil map).
		e.str(manifestCollection)
		mc := newGobStruct(&e)
		mc.str(0, manifestCollection)
		mc.strMap(1, nil, nil)
		mc.field(2) // Documents
		e.uint(1)
		e.str(manifestDocID)
		md := newGobStruct(&e)
		md.str(0, manifestDocID)
		md.field(2)
		e.uint(1)
		e.float32(1)
		md.str(3, string(m))
		md.end()
		mc.end()
		// The chunk collection.
		e.str(chunksCollection)
		cc := newGobStruct(&e)
		cc.str(0, chunksCollection)
		cc.strMap(1, []string{"embedder", "format"}, []string{embID, strconv.Itoa(formatVersion)})
		cc.field(2) // Documents, sent even when empty (chromem-go's map is never nil)
		e.uint(uint64(len(rows.Chunks)))
		for r, c := range rows.Chunks {
			if len(e.b) >= 1<<16 {
				if err := emit(e.b); err != nil {
					return err
				}
				e.b = e.b[:0]
			}
			e.str(c.ID)
			e.document(c, vector(r))
		}
		cc.end()
		db.end()
		return emit(e.b)
	}
	var size uint64
	if err := pieces(func(b []byte) error { size += uint64(len(b)); return nil }); err != nil {
		return err
	}
	var head gobEnc
	head.uint(size)
	if _, err := w.Write(head.b); err != nil {
		return fmt.Errorf("couldn't write the snapshot: %w", err)
	}
	var written uint64
	if err := pieces(func(b []byte) error {
		written += uint64(len(b))
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("couldn't write the snapshot: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	if written != size {
		return fmt.Errorf("couldn't write the snapshot: %d bytes of a value of %d", written, size)
	}
	return nil
}
