package retrieve

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/lexical"
	"github.com/scobot/scobot/rag/translit"
)

// The built structures of an engine — what index made of the per-chunk
// analyses: the numbered terms, each document's term set, the BM25
// postings, years, forms — are saved too, beside the per-document
// analysis, for a start over exactly the same chunks in the same order
// (the common one: nothing changed), which decodes them in place of
// building them (laying out the postings term by term from the chunks
// costs a second at 100k chunks where decoding them costs a fraction).
// After any change the per-document analysis serves instead, and the
// built structures are written again by the first start over the new
// chunks that changes nothing else (analysis_files.go).
//
// Encoding (as the per-document analysis's):
//
//	builtVersion
//	chunksSum of the chunks
//	chunk IDs, in the order NewEngine was given the chunks
//	each chunk's number of terms (its BM25 length)
//	terms, in the vocabulary's numbering
//	the length in bytes of what follows up to the document term sets,
//	  then the BM25 postings of the terms, in their order, as
//	  lexical.AppendPostings writes them: the index they make decodes a
//	  term's postings when a question first reads them
//	document term sets, by document ID: the ID and its term numbers, as
//	  differences from the previous
//	years named (sorted), then the newest document date's year
//	forms, as EachForm gives them: text and count
//	a CRC-32 (IEEE) of all the above (4 bytes, little-endian)

// builtVersion is the layout of the built structures. It counts on from
// analysisVersion's value at the time (5), so that an encoding an older
// scobot wrote reads as another version; a change of analysisVersion
// (what index builds) must change it too.
const builtVersion = 7

// encodeBuilt encodes what index built from the chunks, whose chunksSum
// is sum (see the layout above).
func (e *Engine) encodeBuilt(sum uint32) []byte {
	ids, lens := e.lex.Documents()
	terms := make([]string, len(e.terms.df))
	for t, id := range e.terms.ids {
		terms[id] = t
	}
	// An estimate of the size first (a posting takes 2–4 bytes), so that
	// the encoding (24 MB at 100k chunks) is seldom grown and copied.
	const v = binary.MaxVarintLen32
	size := 8 * v
	for _, id := range ids {
		size += 2*v + len(id)
	}
	for _, t := range terms {
		size += 2*v + len(t) + 4*e.lex.DocFreq(t)
	}
	for doc, set := range e.docTerms {
		size += 2*v + len(doc) + 2*len(set)
	}
	size += v * (len(e.docYears) + 2)
	b := make([]byte, 0, size)
	uv := func(v uint64) { b = binary.AppendUvarint(b, v) }
	str := func(s string) { b = segfile.AppendString(b, s) }
	uv(builtVersion)
	uv(uint64(sum))
	uv(uint64(len(ids)))
	for _, id := range ids {
		str(id)
	}
	for _, n := range lens {
		uv(uint64(n))
	}
	uv(uint64(len(terms)))
	for _, t := range terms {
		str(t)
	}
	pb := e.lex.AppendPostings(nil, terms)
	uv(uint64(len(pb)))
	b = append(b, pb...)
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

// loadBuilt sets up what index would build from chunks, whose chunksSum
// is sum, from data, what encodeBuilt gave for the same chunks. It changes
// nothing when data does not describe chunks (none, other chunk IDs,
// damage, another version). It is called on a new engine, whose maps are
// empty. The chunks are laid out, the BM25 index made and the rest
// decoded side by side: at a million chunks each takes a second or more.
func (e *Engine) loadBuilt(chunks []rag.Chunk, sum uint32, data []byte) error {
	if data == nil {
		return errors.New("no built structures saved")
	}
	// The version first: an analysis an older scobot wrote is of another
	// version, not damaged.
	if v, n := binary.Uvarint(data); n > 0 && v != builtVersion {
		return fmt.Errorf("built structures of version %d, want %d", v, builtVersion)
	}
	if len(data) < 4 || crc32.ChecksumIEEE(data[:len(data)-4]) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return errors.New("analysis damaged (checksum mismatch)")
	}
	r := analysisReader{segfile.NewDecoder(data[:len(data)-4])}
	if v := r.Uvarint(); r.Err() == nil && v != builtVersion {
		return fmt.Errorf("built structures of version %d, want %d", v, builtVersion)
	}
	if got := r.Uvarint(); r.Err() == nil && got != uint64(sum) {
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
	pb := r.Bytes()
	if r.Err() != nil {
		return r.fail()
	}
	// The BM25 index, beside the rest: its postings are kept encoded (a
	// copy: data is unmapped once the engine is built) and decoded term by
	// term when first read.
	type lexResult struct {
		lex *lexical.Index
		err error
	}
	lexDone := make(chan lexResult, 1)
	go func() {
		lex, err := lexical.FromPostings(ids, lens, terms, bytes.Clone(pb))
		lexDone <- lexResult{lex, err}
	}()
	// The chunks laid out by ID and by document, beside the rest; undone
	// if the rest fails. A document's chunks are given together, in
	// order: each run is kept as a part of chunks (capped, so an append
	// copies), one map entry a document, not a growing copy of every
	// chunk.
	laidOut := make(chan struct{})
	go func() {
		defer close(laidOut)
		for _, c := range chunks {
			e.chunks[c.ID] = c
		}
		for i := 0; i < len(chunks); {
			j := i + 1
			for j < len(chunks) && chunks[j].Doc == chunks[i].Doc {
				j++
			}
			doc := chunks[i].Doc
			if prev, ok := e.byDoc[doc]; ok {
				e.byDoc[doc] = append(prev, chunks[i:j]...)
			} else {
				e.byDoc[doc] = chunks[i:j:j]
			}
			i = j
		}
	}()
	docTerms, years, newest, forms, err := decodeRest(r, nterms)
	<-laidOut
	if err == nil {
		for doc := range docTerms {
			if _, ok := e.byDoc[doc]; !ok {
				err = fmt.Errorf("analysis has terms of document %q, which the index lacks", doc)
				break
			}
		}
	}
	lr := <-lexDone
	if err == nil {
		err = lr.err
	}
	if err != nil {
		clear(e.chunks)
		clear(e.byDoc)
		return err
	}
	e.lex, e.terms, e.docTerms, e.docYears, e.newest, e.forms = lr.lex, v, docTerms, years, newest, forms
	return nil
}

// decodeRest decodes what follows the postings: the document term sets
// (of nterms terms), the years, the newest year and the forms.
func decodeRest(r analysisReader, nterms uint64) (docTerms map[string]idSet, years map[int]bool, newest int, forms *translit.Inventory, err error) {
	ndocs := r.count()
	docTerms = make(map[string]idSet, ndocs)
	for range ndocs {
		doc := r.str()
		n := r.count()
		set := make(idSet, n)
		id := uint64(0)
		for j := range set {
			d := r.Uvarint()
			id += d
			if (j > 0 && d == 0) || id >= nterms {
				return nil, nil, 0, nil, errors.New("analysis has a term set out of order or range")
			}
			set[j] = uint32(id)
		}
		if r.Err() != nil {
			return nil, nil, 0, nil, r.fail()
		}
		docTerms[doc] = set
	}
	years = map[int]bool{}
	for range r.count() {
		years[int(r.Varint())] = true
	}
	newest = int(r.Varint())
	forms = translit.NewInventory()
	for range r.count() {
		f, n := r.str(), r.Uvarint()
		if r.Err() != nil {
			return nil, nil, 0, nil, r.fail()
		}
		forms.AddFormCount(f, int(n))
	}
	if r.Err() != nil || !r.Done() {
		return nil, nil, 0, nil, r.fail()
	}
	return docTerms, years, newest, forms, nil
}

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
