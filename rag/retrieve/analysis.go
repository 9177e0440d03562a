package retrieve

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"unsafe"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
)

// An engine's analysis of its chunks — what index finds in their texts:
// each chunk's terms with their counts, the years it names and its
// name-like forms — is most of the cost of NewEngine on a large index.
// It is kept per document (docAnalysis), keyed by the document's ID and a
// checksum of its chunks, so that an analysis saved by an earlier engine
// (Config.Analysis, Engine.Analysis) serves every document whose chunks
// are unchanged, whatever else was added or removed: only the chunks of
// new or changed documents are tokenised again. The engine's structures —
// numbered terms, document term sets, BM25 postings, years, forms — are
// then built from the per-chunk analyses in the chunks' order (see
// index), the same way whether an analysis was made now or decoded, so
// they are exactly those of an engine that analysed every chunk.
//
// Encoding (unsigned and signed varints as encoding/binary writes them; a
// string is its length then its bytes; a list is its length then its
// items):
//
//	analysisVersion
//	strings (terms and forms), numbered in order
//	documents, sorted by ID: the ID, chunksSum of its chunks (in the
//	  order the engine was given them), and per chunk: its number of
//	  terms (its BM25 length), its distinct terms in order of first
//	  occurrence as (string number, count), the distinct years it
//	  names, its distinct forms in order of first occurrence
//	  as (string number, count)
//	a CRC-32 (IEEE) of all the above (4 bytes, little-endian)

// analysisVersion changes whenever the encoding or what index builds
// changes; an analysis of another version is not used.
const analysisVersion = 5

// strTable numbers strings (terms and forms), so that each is held once
// and a chunk's analysis is a list of numbers.
type strTable struct {
	num  map[string]uint32
	strs []string
}

// add returns the number of s, numbering it when it is new.
func (t *strTable) add(s string) uint32 {
	if n, ok := t.num[s]; ok {
		return n
	}
	n := uint32(len(t.strs))
	t.num[s] = n
	t.strs = append(t.strs, s)
	return n
}

// chunkAnalysis is what index needs of one chunk's text, with its strings
// numbered in a strTable. Counts of the same term or form are folded
// together: adding a term's count at its first occurrence builds what
// adding each occurrence in turn would.
type chunkAnalysis struct {
	length int32    // the number of terms, repeats counted (BM25 length)
	terms  []uint32 // distinct terms in order of first occurrence, each followed by its count
	years  []uint32 // the distinct years the text names (yearRE: four digits)
	forms  []uint32 // distinct forms in order of first occurrence, each followed by its count
}

// docAnalysis is the analysis of one document's chunks.
type docAnalysis struct {
	sum    uint32 // chunksSum of the chunks analysed, in order
	chunks []chunkAnalysis
}

// analysis is the analysis of a set of documents; its strTable numbers
// the strings of all of them.
type analysis struct {
	strs strTable
	docs map[string]*docAnalysis
	at   map[uint32]int // fold's scratch, cleared after each use
}

// newAnalysis returns an empty analysis.
func newAnalysis() *analysis {
	return &analysis{strs: strTable{num: map[string]uint32{}}, docs: map[string]*docAnalysis{}, at: map[uint32]int{}}
}

// fold returns the compact analysis of the facts of one chunk, numbering
// its strings in a.
func (a *analysis) fold(f chunkFacts) chunkAnalysis {
	ca := chunkAnalysis{length: int32(len(f.terms))}
	ca.terms = a.foldCounts(f.terms)
	ca.forms = a.foldCounts(f.forms)
	for _, y := range f.years {
		if !slices.Contains(ca.years, uint32(y)) {
			ca.years = append(ca.years, uint32(y))
		}
	}
	return ca
}

// foldCounts numbers ss in a and returns their distinct numbers in order of
// first occurrence, each followed by how often it occurs.
func (a *analysis) foldCounts(ss []string) []uint32 {
	var out []uint32
	at := a.at // string number → index of its count in out
	defer clear(at)
	for _, s := range ss {
		n := a.strs.add(s)
		if i, ok := at[n]; ok {
			out[i]++
			continue
		}
		at[n] = len(out) + 1
		out = append(out, n, 1)
	}
	return slices.Clip(out)
}

// encode encodes the analyses of the documents of a that docs names,
// renumbering the strings they use in order of first use (others are
// dropped).
func (a *analysis) encode(docs []string) []byte {
	docs = slices.Sorted(slices.Values(docs))
	// First the numbering, and a bound on the size, so that the encoding
	// is written once into storage of the right size.
	renum := make([]uint32, len(a.strs.strs)) // new number + 1, by old; 0: not used
	var used []string
	size := binary.MaxVarintLen64 * 3
	renumber := func(ps []uint32) {
		for i := 0; i < len(ps); i += 2 {
			if renum[ps[i]] == 0 {
				used = append(used, a.strs.strs[ps[i]])
				renum[ps[i]] = uint32(len(used))
				size += binary.MaxVarintLen32 + len(a.strs.strs[ps[i]])
			}
		}
		size += len(ps) * binary.MaxVarintLen32
	}
	for _, doc := range docs {
		d := a.docs[doc]
		size += len(doc) + 3*binary.MaxVarintLen32
		for _, c := range d.chunks {
			renumber(c.terms)
			renumber(c.forms)
			size += (4 + len(c.years)) * binary.MaxVarintLen32
		}
	}
	b := make([]byte, 0, size)
	uv := func(v uint64) { b = binary.AppendUvarint(b, v) }
	pairs := func(ps []uint32) {
		uv(uint64(len(ps) / 2))
		for i := 0; i < len(ps); i += 2 {
			uv(uint64(renum[ps[i]] - 1))
			uv(uint64(ps[i+1]))
		}
	}
	uv(analysisVersion)
	uv(uint64(len(used)))
	for _, s := range used {
		b = segfile.AppendString(b, s)
	}
	uv(uint64(len(docs)))
	for _, doc := range docs {
		d := a.docs[doc]
		b = segfile.AppendString(b, doc)
		uv(uint64(d.sum))
		uv(uint64(len(d.chunks)))
		for _, c := range d.chunks {
			uv(uint64(c.length))
			pairs(c.terms)
			uv(uint64(len(c.years)))
			for _, y := range c.years {
				uv(uint64(y))
			}
			pairs(c.forms)
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decodeAnalysis decodes an encoded analysis; an error when data is of
// another version or damaged.
func decodeAnalysis(data []byte) (*analysis, error) {
	// The version first: an analysis an older scobot wrote is of another
	// version, not damaged.
	if v, n := binary.Uvarint(data); n > 0 && v != analysisVersion {
		return nil, fmt.Errorf("analysis of version %d, want %d", v, analysisVersion)
	}
	if len(data) < 4 || crc32.ChecksumIEEE(data[:len(data)-4]) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, errors.New("analysis damaged (checksum mismatch)")
	}
	r := analysisReader{segfile.NewDecoder(data[:len(data)-4])}
	if v := r.Uvarint(); r.Err() == nil && v != analysisVersion {
		return nil, fmt.Errorf("analysis of version %d, want %d", v, analysisVersion)
	}
	a := newAnalysis()
	nstrs := r.count()
	a.strs.strs = make([]string, 0, nstrs)
	for range nstrs {
		a.strs.add(r.str())
	}
	if r.Err() == nil && len(a.strs.strs) != int(nstrs) {
		return nil, errors.New("analysis names a string twice")
	}
	// The chunks' numbers are cut from shared blocks rather than
	// allocated one list at a time: a 100k-chunk analysis holds 300k lists.
	var block []uint32
	take := func(n int) []uint32 {
		if n > cap(block)-len(block) {
			block = make([]uint32, 0, max(n, 1<<16))
		}
		out := block[len(block) : len(block)+n : len(block)+n]
		block = block[:len(block)+n]
		return out
	}
	pairs := func() []uint32 {
		n := r.count()
		ps := take(int(2 * n))
		for i := range ps {
			ps[i] = uint32(r.Uvarint())
			if i%2 == 0 && uint64(ps[i]) >= nstrs && r.Err() == nil {
				r.Fail(errors.New("analysis has a string number out of range"))
			}
		}
		return ps
	}
	ndocs := r.count()
	for range ndocs {
		doc := r.str()
		d := &docAnalysis{sum: uint32(r.Uvarint())}
		d.chunks = make([]chunkAnalysis, r.count())
		for i := range d.chunks {
			c := &d.chunks[i]
			c.length = int32(r.Uvarint())
			c.terms = pairs()
			c.years = take(int(r.count()))
			for j := range c.years {
				c.years[j] = uint32(r.Uvarint())
			}
			c.forms = pairs()
		}
		if r.Err() != nil {
			return nil, r.fail()
		}
		if _, dup := a.docs[doc]; dup {
			return nil, fmt.Errorf("analysis has document %q twice", doc)
		}
		a.docs[doc] = d
	}
	if r.Err() != nil || !r.Done() {
		return nil, r.fail()
	}
	return a, nil
}

// chunksSum is a CRC-32 (IEEE, about twice CRC-32C's speed here: see
// internal/segfile) of what index reads of chunks (their IDs, documents,
// dates and texts, in order): cheap enough to check at every start, so an
// analysis of chunks with the same IDs but other texts is not taken for
// theirs.
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

// docsOf returns chunks grouped by document, each group in the chunks'
// order, and the documents in order of first appearance.
func docsOf(chunks []rag.Chunk) (map[string][]rag.Chunk, []string) {
	byDoc := make(map[string][]rag.Chunk, len(chunks)/4)
	var order []string
	for _, c := range chunks {
		if _, ok := byDoc[c.Doc]; !ok {
			order = append(order, c.Doc)
		}
		byDoc[c.Doc] = append(byDoc[c.Doc], c)
	}
	return byDoc, order
}

// dropStale drops the analyses of the documents byDoc lacks or whose
// chunks are not those analysed (another checksum or number of chunks),
// and returns those it dropped that byDoc lacks, and how many it dropped.
// Their strings stay numbered (encode leaves out those no document uses).
func (a *analysis) dropStale(byDoc map[string][]rag.Chunk) (gone []string, dropped int) {
	for doc, d := range a.docs {
		cs, ok := byDoc[doc]
		if !ok || len(cs) != len(d.chunks) || chunksSum(cs) != d.sum {
			delete(a.docs, doc)
			dropped++
			if !ok {
				gone = append(gone, doc)
			}
		}
	}
	return gone, dropped
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

func (r analysisReader) str() string { return string(r.Bytes()) }
