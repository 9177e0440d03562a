package corpus

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlMeta is what an HTML page says about itself.
type htmlMeta struct {
	title, ogTitle, h1 string
	date               string // published time from a <meta>, as written
	timeDate           string // the first <time datetime>
	ld                 ldArticle
	canonical, ogURL   string // absolute when the page has a <base> to resolve them by
	base               string // the first <base href>
	site               string // og:site_name or a publisher/source meta
	lang               string // <html lang>
}

// bestTitle returns og:title, else the first h1, else <title>, without a
// trailing site name.
func (m htmlMeta) bestTitle() string {
	for _, t := range []string{m.ogTitle, m.ld.headline, m.h1, m.title} {
		if t = tidyTitle(t); t != "" {
			return t
		}
	}
	return ""
}

// publishedDate returns the page's date of publication as written: a
// <meta> (article:published_time and friends), else the JSON-LD article's
// datePublished, else the first <time datetime>.
func (m htmlMeta) publishedDate() string {
	for _, d := range []string{m.date, m.ld.published, m.timeDate} {
		if d != "" {
			return d
		}
	}
	return ""
}

// siteName returns the publisher the page names: og:site_name or a
// publisher <meta>, else the JSON-LD article's publisher.
func (m htmlMeta) siteName() string {
	if m.site != "" {
		return m.site
	}
	return m.ld.publisher
}

// HTMLToText extracts the readable text of an HTML page: block elements
// become paragraphs separated by a blank line, <br> a line break. Scripts,
// styles, navigation, headers and footers (outside an <article>), asides,
// forms, frames, SVG, hidden elements, elements whose class or id names
// navigation, menus, footers, share bars, comments, related stories or ads,
// and paragraphs made mostly of links are left out. The result is meant to be
// passed to Clean.
func HTMLToText(src string) string {
	text, _ := htmlToText(src)
	return text
}

func htmlToText(src string) (string, htmlMeta) {
	doc, err := parseHTML(src)
	if err != nil {
		return "", htmlMeta{}
	}
	var m htmlMeta
	collectMeta(doc, &m)
	m.canonical, m.ogURL = resolveRef(m.base, m.canonical), resolveRef(m.base, m.ogURL)
	e := &extractor{}
	e.walk(doc, false, false)
	e.flush()
	return e.out.String(), m
}

// flatDepth is how deep flatten lets elements nest: well under the 512 at
// which x/net/html gives up, and deeper than any real page.
const flatDepth = 256

// parseHTML parses a page. x/net/html refuses one nested deeper than 512
// elements (whole pages of unclosed <div>s and <font>s exist); such a page
// is flattened, its deepest tags dropped, and parsed again, and if that is
// still refused, parsed with no tags but the ones holding raw text.
func parseHTML(src string) (*html.Node, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err == nil {
		return doc, nil
	}
	for _, depth := range []int{flatDepth, 0} {
		if doc, err = html.Parse(strings.NewReader(flatten(src, depth))); err == nil {
			return doc, nil
		}
	}
	return nil, fmt.Errorf("couldn't parse the HTML: %w", err)
}

// rawTextTags hold raw text, never elements: they are kept at any depth so
// that their text (scripts, styles) is not shown.
var rawTextTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Title: true, atom.Textarea: true, atom.Xmp: true,
	atom.Iframe: true, atom.Noembed: true, atom.Noframes: true, atom.Noscript: true, atom.Plaintext: true,
}

// voidTags have no end tag and hold nothing.
var voidTags = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true,
	atom.Track: true, atom.Wbr: true, atom.Param: true,
}

// flatten rewrites a page so that no more than maxDepth elements are open
// at once, by its tags as written: a start tag deeper than that is dropped
// with its end tag, a block element's (a paragraph's, a <div>'s) replaced by
// a paragraph break so the text keeps its paragraphs. Text, void elements
// and raw-text elements are always kept.
func flatten(src string, maxDepth int) string {
	type open struct {
		name string
		kept bool
	}
	var (
		b     strings.Builder
		stack []open
	)
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			// "<div/>" opens a <div> in HTML: only void elements and
			// foreign ones (SVG) close themselves.
			switch {
			case voidTags[tok.DataAtom]:
				b.WriteString(tok.String())
			case rawTextTags[tok.DataAtom] || len(stack) < maxDepth:
				b.WriteString(tok.String())
				stack = append(stack, open{tok.Data, true})
			default:
				if blockTags[tok.DataAtom] {
					b.WriteString("<br><br>")
				}
				stack = append(stack, open{tok.Data, false})
			}
		case html.EndTagToken:
			i := len(stack) - 1
			for i >= 0 && stack[i].name != tok.Data {
				i--
			}
			switch {
			case i < 0: // a stray end tag: the parser ignores it
				b.WriteString(tok.String())
			case stack[i].kept:
				b.WriteString(tok.String())
			case blockTags[tok.DataAtom]:
				b.WriteString("<br><br>")
			}
			if i >= 0 {
				stack = stack[:i]
			}
		default: // text, comments, doctype
			b.WriteString(tok.String())
		}
	}
}

// resolveRef resolves a relative URL reference (a canonical link written
// "/world/story.html") against an absolute http(s) base; anything else
// comes back as it was.
func resolveRef(base, ref string) string {
	if base == "" || ref == "" {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil || r.IsAbs() {
		return ref
	}
	return b.ResolveReference(r).String()
}

// collectMeta reads the page's own metadata from the whole tree.
func collectMeta(n *html.Node, m *htmlMeta) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Html:
			m.lang = attr(n, "lang")
		case atom.Title:
			if m.title == "" {
				m.title = strings.Join(strings.Fields(nodeText(n)), " ")
			}
		case atom.H1:
			if m.h1 == "" {
				m.h1 = strings.Join(strings.Fields(nodeText(n)), " ")
			}
		case atom.Time:
			if m.timeDate == "" {
				m.timeDate = strings.TrimSpace(attr(n, "datetime"))
			}
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && m.ld.published == "" && m.ld.headline == "" {
				m.ld = parseJSONLD(rawText(n))
			}
		case atom.Base:
			if m.base == "" {
				m.base = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
				m.canonical = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Meta:
			metaTag(n, m)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectMeta(c, m)
	}
}

// metaTag reads one <meta> element.
func metaTag(n *html.Node, m *htmlMeta) {
	key := strings.ToLower(attr(n, "property"))
	if key == "" {
		key = strings.ToLower(attr(n, "name"))
	}
	if key == "" {
		key = strings.ToLower(attr(n, "itemprop"))
	}
	val := strings.TrimSpace(attr(n, "content"))
	if val == "" {
		return
	}
	set := func(p *string) {
		if *p == "" {
			*p = val
		}
	}
	switch key {
	case "og:title", "twitter:title":
		set(&m.ogTitle)
	case "og:url":
		set(&m.ogURL)
	case "og:site_name", "publisher", "article:publisher", "source", "application-name", "dc.publisher":
		if !strings.Contains(val, "://") {
			set(&m.site)
		}
	case "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish_date",
		"publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date":
		set(&m.date)
	}
}

// extractor collects paragraphs of visible text.
type extractor struct {
	out        strings.Builder
	para       strings.Builder
	runes      int // runes in the current paragraph
	linkRunes  int // of which inside <a>
	lastWasGap bool
}

// skipTags never hold article text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Aside: true,
	atom.Form: true, atom.Iframe: true, atom.Svg: true, atom.Template: true, atom.Button: true,
	atom.Select: true, atom.Input: true, atom.Textarea: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Map: true, atom.Dialog: true,
	atom.Menu: true, atom.Head: true, atom.Math: true,
}

// blockTags start and end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Dd: true, atom.Details: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Header: true, atom.Footer: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Ul: true, atom.Summary: true, atom.Caption: true, atom.Center: true,
	atom.Body: true,
}

// boilerWords are class/id words of page furniture.
var boilerWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "menubar": true, "footer": true,
	"share": true, "sharing": true, "social": true, "sns": true, "comment": true, "comments": true,
	"related": true, "recommend": true, "recommended": true, "ad": true, "ads": true, "advert": true,
	"advertisement": true, "banner": true, "cookie": true, "cookies": true, "consent": true,
	"breadcrumb": true, "breadcrumbs": true, "crumbs": true, "sidebar": true, "subscribe": true,
	"newsletter": true, "popup": true, "modal": true, "promo": true, "sponsored": true, "toolbar": true,
	"pagination": true, "pager": true, "copyright": true, "disclaimer": true, "hot": true, "rank": true,
	"tags": true, "print": true,
}

// isBoilerplate reports whether an element's class, id or role marks it as
// page furniture, or it is hidden.
func isBoilerplate(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	if _, hidden := attrOK(n, "hidden"); hidden || attr(n, "aria-hidden") == "true" {
		return true
	}
	style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	if strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden") {
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog", "alert":
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(attr(n, "class")+" "+attr(n, "id")), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	}) {
		if boilerWords[w] {
			return true
		}
	}
	return false
}

func (e *extractor) walk(n *html.Node, inLink, inArticle bool) {
	switch n.Type {
	case html.TextNode:
		e.text(n.Data, inLink)
		return
	case html.ElementNode:
		if skipTags[n.DataAtom] || isBoilerplate(n) {
			return
		}
		if (n.DataAtom == atom.Header || n.DataAtom == atom.Footer) && !inArticle {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			e.lineBreak()
			return
		case atom.A:
			inLink = true
		case atom.Article, atom.Main:
			inArticle = true
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		e.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		e.walk(c, inLink, inArticle)
	}
	if block {
		e.flush()
	}
}

// text adds visible text to the current paragraph.
func (e *extractor) text(s string, inLink bool) {
	if strings.TrimSpace(s) == "" {
		if s != "" && e.para.Len() > 0 {
			e.lastWasGap = true
		}
		return
	}
	if e.para.Len() > 0 && (e.lastWasGap || startsWithSpace(s)) {
		e.para.WriteByte(' ')
	}
	f := strings.Join(strings.Fields(s), " ")
	e.para.WriteString(f)
	n := utf8.RuneCountInString(f)
	e.runes += n
	if inLink {
		e.linkRunes += n
	}
	e.lastWasGap = endsWithSpace(s)
}

func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == ' ' || r == '\n' || r == '\t' || r == '\r'
}

func endsWithSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == ' ' || r == '\n' || r == '\t' || r == '\r'
}

func (e *extractor) lineBreak() {
	if e.para.Len() > 0 {
		e.para.WriteByte('\n')
		e.lastWasGap = false
	}
}

// flush ends the current paragraph, dropping it when it is mostly links (a
// menu, a list of other stories) unless it names the article's source.
func (e *extractor) flush() {
	p := strings.TrimSpace(e.para.String())
	links, runes := e.linkRunes, e.runes
	e.para.Reset()
	e.runes, e.linkRunes, e.lastWasGap = 0, 0, false
	if p == "" {
		return
	}
	if links*10 >= runes*7 && !sourceRE.MatchString(p) {
		return
	}
	if e.out.Len() > 0 {
		e.out.WriteString("\n\n")
	}
	e.out.WriteString(p)
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// rawText returns the text of a raw-text element (a <script>'s source).
func rawText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// nodeText returns all text below n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
