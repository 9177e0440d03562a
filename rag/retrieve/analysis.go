package retrieve

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"strconv"
	"unsafe"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/lexical"
	"github.com/scobot/scobot/rag/translit"
)

// An engine's analysis of its chunks — what index builds from their texts:
// the numbered terms, each document's term set, the BM25 postings, the
// years named and the name-like forms — is most of the cost of NewEngine
// on a large index. Config.RecordAnalysis keeps it, encoded, so that the
// caller can save it beside the index (Engine.Analysis) and hand it back
// with Config.Analysis at the next start over the same chunks: the engine
// then decodes those structures instead of building them, and they are the
// structures index would build.
//
// Encoding (unsigned and signed varints as encoding/binary writes them; a
// string is its length then its bytes; a list is its length then its
// items):
//
//	analysisVersion
//	chunksSum of the chunks
//	chunk IDs, in the order NewEngine was given the chunks
//	each chunk's number of terms (its BM25 length)
//	terms, in the vocabulary's numbering
//	per term: its postings, as (chunk number − previous chunk number, tf)
//	document term sets, by document ID: the ID and its term numbers, as
//	  differences from the previous
//	years named (sorted), then the newest document date's year
//	forms, as EachForm gives them: text and count
//	a CRC-32 (IEEE) of all the above (4 bytes, little-endian)

// analysisVersion changes whenever the encoding or what index builds
// changes; an analysis of another version is not used.
const analysisVersion = 3

// encodeAnalysis encodes what index built from chunks.
func (e *Engine) encodeAnalysis(chunks []rag.Chunk) []byte {
	d := e.lex.Dump()
	lexNum := make(map[string]int, len(d.Terms))
	for i, t := range d.Terms {
		lexNum[t] = i
	}
	terms := make([]string, len(e.terms.df))
	for t, id := range e.terms.ids {
		terms[id] = t
	}
	var b []byte
	uv := func(v uint64) { b = binary.AppendUvarint(b, v) }
	str := func(s string) { b = segfile.AppendString(b, s) }
	uv(analysisVersion)
	uv(uint64(chunksSum(chunks)))
	uv(uint64(len(chunks)))
	for _, c := range chunks {
		str(c.ID)
	}
	for _, n := range d.Lens {
		uv(uint64(n))
	}
	uv(uint64(len(terms)))
	for _, t := range terms {
		str(t)
	}
	for _, t := range terms {
		ps := d.Postings[lexNum[t]]
		uv(uint64(len(ps)))
		prev := int32(-1)
		for _, p := range ps {
			uv(uint64(p.Doc - prev))
			uv(uint64(p.TF))
			prev = p.Doc
		}
	}
	docs := slices.Sorted(maps.Keys(e.docTerms))
	uv(uint64(len(docs)))
	for _, doc := range docs {
		str(doc)
		set := e.docTerms[doc]
		uv(uint64(len(set)))
		prev := uint32(0)
		for _, id := range set {
			uv(uint64(id - prev))
			prev = id
		}
	}
	years := slices.Sorted(maps.Keys(e.docYears))
	uv(uint64(len(years)))
	for _, y := range years {
		b = binary.AppendVarint(b, int64(y))
	}
	b = binary.AppendVarint(b, int64(e.newest))
	var forms []byte
	nforms := 0
	e.forms.EachForm(func(f string, n int) {
		forms = binary.AppendUvarint(forms, uint64(len(f)))
		forms = append(forms, f...)
		forms = binary.AppendUvarint(forms, uint64(n))
		nforms++
	})
	uv(uint64(nforms))
	b = append(b, forms...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// load sets up what index would build from chunks from data, an encoded
// analysis of the same chunks. It changes nothing when data does not
// describe chunks (other chunk IDs, damage, another version).
func (e *Engine) load(chunks []rag.Chunk, data []byte) error {
	// The version first: an analysis an older scobot wrote is of another
	// version, not damaged.
	if v, n := binary.Uvarint(data); n > 0 && v != analysisVersion {
		return fmt.Errorf("analysis of version %d, want %d", v, analysisVersion)
	}
	if len(data) < 4 || crc32.ChecksumIEEE(data[:len(data)-4]) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return errors.New("analysis damaged (checksum mismatch)")
	}
	r := analysisReader{segfile.NewDecoder(data[:len(data)-4])}
	if v := r.Uvarint(); r.Err() == nil && v != analysisVersion {
		return fmt.Errorf("analysis of version %d, want %d", v, analysisVersion)
	}
	if sum := r.Uvarint(); r.Err() == nil && sum != uint64(chunksSum(chunks)) {
		return errors.New("analysis of chunks with other content")
	}
	if n := r.count(); r.Err() == nil && n != uint64(len(chunks)) {
		return fmt.Errorf("analysis of %d chunks, the index has %d", n, len(chunks))
	}
	ids := make([]string, len(chunks))
	for i, c := range chunks {
		if !r.match(c.ID) {
			return r.fail()
		}
		ids[i] = c.ID
	}
	lens := make([]int32, len(chunks))
	for i := range lens {
		lens[i] = int32(r.Uvarint())
	}
	nterms := r.count()
	terms := make([]string, 0, nterms)
	v := &vocab{ids: make(map[string]uint32, nterms), df: make([]int32, nterms)}
	for range nterms {
		t := r.str()
		if _, dup := v.ids[t]; dup && r.Err() == nil {
			return errors.New("analysis names a term twice")
		}
		v.ids[t] = uint32(len(terms))
		terms = append(terms, t)
	}
	if r.Err() != nil {
		return r.fail()
	}
	postings := make([][]lexical.Posting, nterms)
	for i := range postings {
		n := r.count()
		ps := make([]lexical.Posting, n)
		doc := int64(-1)
		for j := range ps {
			doc += int64(r.Uvarint())
			ps[j] = lexical.Posting{Doc: int32(doc), TF: int32(r.Uvarint())}
		}
		postings[i] = ps
		if r.Err() != nil {
			return r.fail()
		}
	}
	lex, err := lexical.FromDump(lexical.Dump{IDs: ids, Lens: lens, Terms: terms, Postings: postings})
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range chunks {
		known[c.Doc] = true
	}
	ndocs := r.count()
	docTerms := make(map[string]idSet, ndocs)
	for range ndocs {
		doc := r.str()
		n := r.count()
		if r.Err() == nil && !known[doc] {
			return fmt.Errorf("analysis has terms of document %q, which the index lacks", doc)
		}
		set := make(idSet, n)
		id := uint64(0)
		for j := range set {
			d := r.Uvarint()
			id += d
			if (j > 0 && d == 0) || id >= nterms {
				return errors.New("analysis has a term set out of order or range")
			}
			set[j] = uint32(id)
		}
		if r.Err() != nil {
			return r.fail()
		}
		docTerms[doc] = set
	}
	years := map[int]bool{}
	for range r.count() {
		years[int(r.Varint())] = true
	}
	newest := int(r.Varint())
	forms := translit.NewInventory()
	for range r.count() {
		f, n := r.str(), r.Uvarint()
		if r.Err() != nil {
			return r.fail()
		}
		forms.AddFormCount(f, int(n))
	}
	if r.Err() != nil || !r.Done() {
		return r.fail()
	}
	for _, c := range chunks {
		e.chunks[c.ID] = c
		e.byDoc[c.Doc] = append(e.byDoc[c.Doc], c)
	}
	e.lex, e.terms, e.docTerms, e.docYears, e.newest, e.forms = lex, v, docTerms, years, newest, forms
	return nil
}

// chunksSum is a CRC-32 (IEEE, about twice CRC-32C's speed here: see
// internal/segfile) of
// what index reads of chunks (their IDs,
// documents, dates and texts, in order): cheap enough to check at every
// start, so an analysis of chunks with the same IDs but other texts is not
// taken for theirs.
func chunksSum(chunks []rag.Chunk) uint32 {
	h := crc32.NewIEEE()
	var buf []byte
	for _, c := range chunks {
		for _, f := range [...]string{c.ID, c.Doc, c.Date, c.Text} {
			buf = binary.AppendUvarint(buf[:0], uint64(len(f)))
			h.Write(buf)
			// The bytes of f as they are, not a copy: 50 MB of text at 100k
			// chunks. crc32 only reads them.
			h.Write(unsafe.Slice(unsafe.StringData(f), len(f)))
		}
	}
	return h.Sum32()
}

// analysisReader decodes an encoded analysis (segfile's Decoder, with
// the analysis's own checks). Its first error sticks: later reads give
// zero values.
type analysisReader struct{ *segfile.Decoder }

// fail returns the reader's error, or one saying the analysis has more
// than it should.
func (r analysisReader) fail() error {
	if err := r.Err(); err != nil {
		return fmt.Errorf("couldn't decode the analysis: %w", err)
	}
	return errors.New("couldn't decode the analysis: " + strconv.Itoa(r.Left()) + " bytes left over")
}

// count reads a count, which cannot exceed the bytes left (every item
// takes at least one).
func (r analysisReader) count() uint64 {
	n := r.Uvarint()
	if r.Err() == nil && n > uint64(r.Left()) {
		r.Fail(errors.New("count longer than the analysis"))
		return 0
	}
	return n
}

func (r analysisReader) uvarint() uint64 { return r.Uvarint() }
func (r analysisReader) varint() int64   { return r.Varint() }

// match reads a string and checks that it is want, without copying it.
func (r analysisReader) match(want string) bool {
	b := r.Bytes()
	if r.Err() != nil {
		return false
	}
	if string(b) != want {
		r.Fail(fmt.Errorf("analysis has chunk %q where the index has %q", b, want))
		return false
	}
	return true
}

func (r analysisReader) str() string { return string(r.Bytes()) }
