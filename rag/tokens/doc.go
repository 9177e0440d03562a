// Package tokens turns text into the index terms, sentences and language
// guesses that every scobot retrieval engine shares: the BM25 index
// (rag/lexical), the local embedder (rag/hashembed) and the chunker
// (rag/chunk).
//
// Everything here is a pure function of its input: no state, no
// configuration, safe for concurrent use. Changing what Terms returns changes
// every index built from it, so embedders that depend on it carry a version in
// their ID.
package tokens
