package lexical

import (
	"encoding/binary"
	"fmt"
	"sync/atomic"
)

// The postings of an index can be saved as bytes (AppendPostings) and an
// index made from them (FromPostings) that decodes a term's postings only
// when a search or Has first reads them: a start over a million chunks
// then spends nothing on the postings of terms no question asks for,
// where decoding them all took seconds.
//
// Encoding, all numbers unsigned varints:
//
//	per term, in the order given: its number of postings, then the
//	  length in bytes of their encoding
//	then per term, in that order: its postings, each as the document
//	  number less the previous posting's (the first less −1), then TF

// AppendPostings appends to b the postings of terms, in their order, in
// the encoding FromPostings reads; a term the index lacks has none. Like
// Search, it may run while other goroutines search.
func (ix *Index) AppendPostings(b []byte, terms []string) []byte {
	lists := make([][]Posting, len(terms))
	raw := make([][]byte, len(terms)) // the encoding of lists not yet decoded
	for i, t := range terms {
		if tn, ok := ix.terms[t]; ok {
			if ix.lazy != nil {
				raw[i] = ix.lazy.raw(tn)
			}
			if raw[i] != nil {
				b = binary.AppendUvarint(b, uint64(ix.lazy.df[tn]))
				b = binary.AppendUvarint(b, uint64(len(raw[i])))
				continue
			}
			lists[i] = ix.list(tn)
		}
		b = binary.AppendUvarint(b, uint64(len(lists[i])))
		b = binary.AppendUvarint(b, uint64(encodedLen(lists[i])))
	}
	for i := range terms {
		if raw[i] != nil {
			b = append(b, raw[i]...)
			continue
		}
		prev := int32(-1)
		for _, p := range lists[i] {
			b = binary.AppendUvarint(b, uint64(p.Doc-prev))
			b = binary.AppendUvarint(b, uint64(p.TF))
			prev = p.Doc
		}
	}
	return b
}

// encodedLen is the length of the encoding of ps.
func encodedLen(ps []Posting) int {
	n, prev := 0, int32(-1)
	for _, p := range ps {
		n += uvarintLen(uint64(p.Doc-prev)) + uvarintLen(uint64(p.TF))
		prev = p.Doc
	}
	return n
}

// uvarintLen is the length of v as an unsigned varint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// FromPostings returns the index of the documents ids (in document-number
// order) of lengths lens, whose terms, numbered in the order of terms,
// have the postings enc holds (as AppendPostings wrote them for terms). It
// keeps ids, lens and enc: the caller must not modify them. It checks the
// counts and lengths of every term's postings; each term's postings are
// checked when first decoded, and postings found out of order or range
// then are none (the bytes are checksummed where they are kept, so only a
// bug gets there).
func FromPostings(ids []string, lens []int32, terms []string, enc []byte) (*Index, error) {
	ix, err := newFrom(ids, lens, terms)
	if err != nil {
		return nil, err
	}
	ep := &encodedPostings{off: make([]int64, len(terms)+1), df: make([]int32, len(terms)), docs: len(ids), lists: make([]atomic.Pointer[[]Posting], len(terms))}
	total := int64(0)
	for i := range terms {
		df, n := binary.Uvarint(enc)
		if n <= 0 {
			return nil, fmt.Errorf("couldn't load a BM25 index: the postings' table is cut short at term %d of %d", i, len(terms))
		}
		enc = enc[n:]
		size, n := binary.Uvarint(enc)
		if n <= 0 {
			return nil, fmt.Errorf("couldn't load a BM25 index: the postings' table is cut short at term %d of %d", i, len(terms))
		}
		enc = enc[n:]
		if df > uint64(len(ids)) || size < 2*df || size > 2*binary.MaxVarintLen32*df {
			return nil, fmt.Errorf("couldn't load a BM25 index: term %q has %d postings in %d bytes, of %d documents", terms[i], df, size, len(ids))
		}
		ep.df[i] = int32(df)
		total += int64(size)
		ep.off[i+1] = total
	}
	if total != int64(len(enc)) {
		return nil, fmt.Errorf("couldn't load a BM25 index: the postings take %d bytes, their table says %d", len(enc), total)
	}
	ep.enc.Store(&enc)
	ix.lazy = ep
	return ix, nil
}

// DecodeAll does now what the first searches would otherwise do: it
// works out the documents' length norms and decodes the postings an index
// from FromPostings would decode when first read, then lets their
// encoding go. It may run while other goroutines search (the decoding of
// one term is then done at most twice).
func (ix *Index) DecodeAll() {
	if len(ix.ids) > 0 {
		ix.lengthNorms()
	}
	if ix.lazy == nil {
		return
	}
	for tn := range ix.lazy.lists {
		ix.lazy.list(int32(tn))
	}
	ix.lazy.enc.Store(nil)
}

// encodedPostings are the postings of FromPostings: each term's decoded
// when first read, and kept.
type encodedPostings struct {
	enc   atomic.Pointer[[]byte] // nil once every term's are decoded
	off   []int64                // term number → the offset of its postings in enc; then len(enc)
	df    []int32                // term number → number of postings
	docs  int                    // number of documents
	lists []atomic.Pointer[[]Posting]
}

// list returns the postings of term number tn, decoding them the first
// time. Goroutines that decode one term at once decode the same postings;
// the last one's are kept.
func (ep *encodedPostings) list(tn int32) []Posting {
	if p := ep.lists[tn].Load(); p != nil {
		return *p
	}
	enc := ep.enc.Load()
	if enc == nil { // let go once every term's were decoded
		return *ep.lists[tn].Load()
	}
	ps := decodeList((*enc)[ep.off[tn]:ep.off[tn+1]], ep.df[tn], ep.docs)
	ep.lists[tn].Store(&ps)
	return ps
}

// raw returns the encoding of term number tn's postings while they are
// not decoded; nil once they are.
func (ep *encodedPostings) raw(tn int32) []byte {
	enc := ep.enc.Load()
	if enc == nil || ep.lists[tn].Load() != nil {
		return nil
	}
	return (*enc)[ep.off[tn]:ep.off[tn+1]]
}

// decodeList decodes n postings of documents numbered below docs from b,
// which must hold exactly them; it returns none when b does not.
func decodeList(b []byte, n int32, docs int) []Posting {
	ps := make([]Posting, n)
	doc := int64(-1)
	for i := range ps {
		d, ok := nextUvarint(&b)
		tf, ok2 := nextUvarint(&b)
		doc += int64(d)
		if !ok || !ok2 || d == 0 || doc >= int64(docs) || tf == 0 || tf > 1<<31-1 {
			return nil
		}
		ps[i] = Posting{Doc: int32(doc), TF: int32(tf)}
	}
	if len(b) != 0 {
		return nil
	}
	return ps
}

// nextUvarint reads an unsigned varint from the front of *b and moves
// past it; a one-byte varint, the most common, without a call.
func nextUvarint(b *[]byte) (uint64, bool) {
	if len(*b) > 0 && (*b)[0] < 0x80 {
		v := uint64((*b)[0])
		*b = (*b)[1:]
		return v, true
	}
	v, n := binary.Uvarint(*b)
	if n <= 0 {
		return 0, false
	}
	*b = (*b)[n:]
	return v, true
}
