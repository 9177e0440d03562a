// Package rag holds scobot's domain types: the chunks of the corpus, the
// passages retrieval returns, answers with their citations, questions and
// conversations, and the interfaces the pipeline's packages share. It
// imports none of scobot's other packages.
//
// Around it, one package per stage: rag/retrieve finds the passages that
// answer a question and decides when the corpus does not, rag/answer
// answers from them (extractively, or with a language model whose
// citations are checked), and rag/brief writes briefings and the timeline.
// Technology lives in its own packages: rag/chunk splits documents,
// rag/tokens tokenises text, rag/glossary bridges Chinese and English,
// rag/hashembed is the local embedder, rag/lexical the BM25 index,
// rag/store the chromem-go vector store and rag/llm the language model
// client. cmd/scobot wires them together.
package rag

import (
	"context"
	"errors"
)

// Chunk is a retrievable piece of one document in one language, with the
// document's metadata copied in so a chunk can be cited on its own.
type Chunk struct {
	ID     string `json:"id"`   // "<doc>#<pos>", stable across runs for the same document text
	Doc    string `json:"doc"`  // document ID (file name without extension)
	Pos    int    `json:"pos"`  // 0-based position of the chunk within its document
	Lang   string `json:"lang"` // language of Text: "zh", "en", …
	Title  string `json:"title"`
	Date   string `json:"date"` // ISO 8601 date of the document, "" if unknown
	Source string `json:"source"`
	URL    string `json:"url"`
	Text   string `json:"text"`
}

// Passage is a retrieved chunk with its retrieval score; higher is better.
type Passage struct {
	Chunk
	Score float64 `json:"score"`
}

// Citation is one entry of an answer's numbered source list. N is the number
// used by the [n] markers in the answer text.
type Citation struct {
	N      int    `json:"n"`
	Doc    string `json:"doc"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	Source string `json:"source"`
	URL    string `json:"url"`
}

// Label is the citation's title, or its document ID when it has none.
func (c Citation) Label() string {
	if c.Title != "" {
		return c.Title
	}
	return c.Doc
}

// Detail is "Publisher, date", leaving out what is not known; "" when
// neither is.
func (c Citation) Detail() string {
	switch {
	case c.Source != "" && c.Date != "":
		return c.Source + ", " + c.Date
	case c.Source != "":
		return c.Source
	}
	return c.Date
}

// DistinctDocs lists the documents of passages in rank order, each once.
func DistinctDocs(ps []Passage) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Doc] {
			seen[p.Doc] = true
			out = append(out, p.Doc)
		}
	}
	return out
}

// Generator writes text from a system and a user prompt, passing onText
// (which may be nil) the text so far each time it grows. The text so far may
// also start again, shorter (a broken stream asked for again): onText's
// latest call is the one to show. The text is returned only when it is
// complete, or with an error wrapping ErrTruncated when it was cut off. cmd
// adapts rag/llm's client to it; tests use fakes.
type Generator interface {
	Generate(ctx context.Context, system, user string, onText func(text string)) (string, error)
}

// ErrTruncated is wrapped by a Generator's error when the text it returns
// along with it was cut off at a length limit: usable, but incomplete, so
// an answer made from it says so.
var ErrTruncated = errors.New("the generated text was cut off")
