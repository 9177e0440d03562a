package corpus

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
)

// Extractor names a way of finding an HTML page's article text. Load and
// FromPage use DefaultExtractor; the others exist to be compared with it
// (go run ./tools/extractcmp).
type Extractor int

const (
	// ExtractCombined lets the readability library (go-readability, a
	// port of Firefox's Reader View) choose the page's main content and
	// then runs the cleaner on that content alone; metadata comes from
	// the whole page. When readability keeps less than
	// readabilityMinShare of what the cleaner keeps from the whole page,
	// keeps text that shares no word with the page's headline (it chose
	// a box of other stories), or fails, the cleaner's text of the whole
	// page is used instead.
	ExtractCombined Extractor = iota
	// ExtractCleaner is HTMLToText and Clean on the whole page: the
	// cleaner alone.
	ExtractCleaner
	// ExtractReadability is readability's title and text, as it renders
	// them, with no cleaning.
	ExtractReadability
)

// DefaultExtractor is the extractor Load and FromPage use for HTML.
const DefaultExtractor = ExtractCombined

// String names the extractor: "combined", "cleaner", "readability".
func (x Extractor) String() string {
	switch x {
	case ExtractCombined:
		return "combined"
	case ExtractCleaner:
		return "cleaner"
	case ExtractReadability:
		return "readability"
	}
	return "unknown"
}

// readabilityMinShare is the least share of the cleaner's text (by
// weight) readability's must keep for ExtractCombined to use it: below it,
// readability has picked one block of a page whose article is spread over
// several (or a teaser box), and the cleaner's whole-page text is safer.
// Measured with tools/extractcmp (see the commit that set it).
const readabilityMinShare = 0.4

// ExtractText returns the article text of a decoded HTML page as x finds
// it: paragraphs separated by a blank line, the headline first. It is what
// a Document's Text would hold, before the language split, and "" when the
// page holds no article text. pageURL may be "".
func ExtractText(src, pageURL string, x Extractor) string {
	if x == ExtractReadability {
		art, ok := readable(src, pageURL)
		if !ok {
			return ""
		}
		body := strings.TrimSpace(render.InnerText(art.Node))
		if body == "" {
			return ""
		}
		if t := strings.TrimSpace(art.Title()); t != "" {
			body = t + "\n\n" + body
		}
		return body
	}
	e := extractHTML(src, pageURL, x)
	return e.text()
}

// extracted is an HTML page split into what its metadata is read from (the
// whole page) and its article text.
type extracted struct {
	whole *analysis // the cleaner's view of the whole page
	body  *analysis // the article text's lines (== whole for the cleaner)
	hm    htmlMeta
	m     meta
}

// text returns the article text, the headline first: when readability
// chose the text and left out the page's own headline (its <h1>, og:title
// or JSON-LD headline), the headline is put back in front, unless one of
// the first paragraphs already says it (one at most a quarter longer,
// sharing most of its words: a lead sentence that restates the headline
// is longer).
func (e extracted) text() string {
	body := e.body.text()
	if body == "" || e.body == e.whole {
		return body
	}
	title := e.hm.bestTitle()
	if title == "" || title != e.m.title {
		return body
	}
	for i, p := range strings.SplitN(body, "\n\n", titleSearch+1) {
		if i < titleSearch && (p == title || 4*weight(p) <= 5*weight(title) && similar(p, title)) {
			return body
		}
	}
	return title + "\n\n" + body
}

// titleSearch is how many of the first paragraphs are searched for the
// headline before it is put in front of readability's text.
const titleSearch = 3

// extractHTML finds a page's article text with x (ExtractCombined or
// ExtractCleaner) and its metadata.
func extractHTML(src, pageURL string, x Extractor) extracted {
	wholeText, hm := htmlToText(src)
	e := extracted{whole: analyze(wholeText), hm: hm}
	e.body = e.whole
	e.m = harvest(e.whole, hm)
	if x != ExtractCombined {
		return e
	}
	art, ok := readable(src, pageURL)
	if !ok {
		return e
	}
	var b bytes.Buffer
	if err := html.Render(&b, art.Node); err != nil {
		return e
	}
	text, _ := htmlToText(b.String())
	body := analyze(text)
	if w := float64(weight(body.text())); w == 0 || w < readabilityMinShare*float64(weight(e.whole.text())) {
		return e
	}
	if title := hm.bestTitle(); title != "" && !sharesWord(title, bodyWords(body)) {
		// Readability chose a box of other stories: the text it kept
		// is not about the page's headline.
		return e
	}
	e.body = body
	return e
}

// readable runs readability on a page. It reports false when readability
// fails, finds nothing, or panics (a library's bug must not take a page's
// fetch down with it: the cleaner is used instead).
func readable(src, pageURL string) (art readability.Article, ok bool) {
	defer func() {
		if recover() != nil {
			art, ok = readability.Article{}, false
		}
	}()
	doc, err := parseHTML(src)
	if err != nil {
		return readability.Article{}, false
	}
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: "page.invalid", Path: "/"}
	}
	p := readability.NewParser()
	art, err = p.ParseAndMutate(doc, u)
	if err != nil || art.Node == nil {
		return readability.Article{}, false
	}
	return art, true
}
