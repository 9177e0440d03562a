// Package eval holds scobot's evaluation question sets.
//
// The data lives in qa.jsonl next to this file (see README.md for the
// format); the package's tests check that every line is well formed, that
// its facts really occur in the documents it names and that the set covers
// every seed document, both languages, cross-lingual and dated questions and
// questions the corpus cannot answer.
package eval
