// Package corpus owns the documents scobot answers from: the built-in news
// reports embedded in the binary, the curated metadata that overrides what
// heuristics find, and the code that turns raw files (.txt, .md, .html) in any
// common encoding into clean, dated, language-split Documents.
//
// corpus knows nothing of retrieval: it hands plain Documents to whoever
// indexes them.
package corpus

// Document is one cleaned source document.
//
// ID is the file name without its extension; it is the document's identity
// everywhere (citations, JSON output, evaluation files).
type Document struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Date   string   `json:"date"`   // date of the report, ISO 8601 (YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is known); "" if unknown
	Source string   `json:"source"` // publisher, e.g. "Xinhua", "Ministry of Foreign Affairs of the PRC"
	URL    string   `json:"url"`    // "" when the document names none
	Langs  []string `json:"langs"`  // languages of Parts in order of first appearance, e.g. ["zh", "en"]
	Parts  []Part   `json:"parts"`  // the article text, split by language, in document order
	File   string   `json:"file"`   // the file name the document was read from, e.g. "001_14086ad8159a262e.txt"
}

// Part is a run of a document's article text in one language. A report that
// carries a Chinese original and its English translation has two Parts.
type Part struct {
	Lang string `json:"lang"` // BCP 47 primary language: "zh", "en", "ru", …
	// Text holds cleaned paragraphs separated by one blank line ("\n\n").
	// Inside a paragraph, whitespace is normalised to single spaces (none
	// between CJK characters).
	Text string `json:"text"`
}

// Text returns the whole cleaned article: every Part's text, joined by a
// blank line.
func (d Document) Text() string {
	var s string
	for i, p := range d.Parts {
		if i > 0 {
			s += "\n\n"
		}
		s += p.Text
	}
	return s
}
