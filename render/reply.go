// Package render is scobot's presentation home: every renderer of what
// the bot and the command line show — answers and other replies as
// Telegram HTML (html.go) and terminal text (plain.go), briefings and
// timelines as Markdown and text (brief.go, timeline.go) — over the
// message table of render/words, in Chinese, English and Russian.
package render

import "github.com/scobot/scobot/rag"

// Reply is what a front says back: front-neutral blocks of text, then an
// answer with its citations.
type Reply struct {
	// Kind is what sort of reply it is, for the front (package bot's Kind
	// constants: an answer, a command's reply, a refusal); the renderers
	// do not read it.
	Kind   string
	Blocks []Block
	Answer *rag.Answer
	// Lang, when set, is the language of the front's own words around an
	// answer (its "Sources" heading): the one the reader chose (/lang,
	// --lang). Unset, they follow the answer's language.
	Lang string
}

// Block is one part of a reply: an optional heading, a paragraph and a
// list, each optional.
type Block struct {
	Title string
	Text  string
	Items []Item
}

// Item is one line of a list: a label (a link when URL is set) and detail
// shown after it.
type Item struct {
	Label  string
	URL    string
	Detail string
}
