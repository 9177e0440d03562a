package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/url"
	"path"
	"strings"
	"time"
)

// Page is a web page fetched for the corpus, as FromPage needs it (what
// ingest/fetch returns, without corpus depending on it).
type Page struct {
	// URL is the page's final URL, after redirects. It names the
	// document (PageID) and is its URL unless the page names a
	// canonical one.
	URL string
	// ContentType is "text/html", "application/xhtml+xml" or
	// "text/plain".
	ContentType string
	// Body is the page decoded to UTF-8.
	Body string
	// Fetched is when the page was fetched. It is written into the saved
	// page (PageFile) and never taken as the report's date, which comes
	// from the page alone.
	Fetched time.Time
}

// isText reports whether the page is plain text rather than HTML.
func (p Page) isText() bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(p.ContentType)), "text/plain")
}

// FromPage turns a fetched page into a Document, exactly as Load reads the
// file PageFile makes of it: the article found by DefaultExtractor (for
// HTML) or the cleaner (for plain text), the title, date, publisher and
// URL from the page's metadata (og: and article: <meta>, JSON-LD, <time>,
// canonical link) and the heuristics Load applies to every document, and
// the text split by language. The Document's ID is PageID(p.URL) and its
// File the name PageFile gives.
//
// A page with no article text (only menus, links and footers) gives an
// error that wraps ErrNoText; an invalid URL gives an error too.
func FromPage(p Page) (Document, error) {
	name, data, err := PageFile(p)
	if err != nil {
		return Document{}, err
	}
	doc, err := build(name, data)
	if errors.Is(err, ErrNoText) {
		return Document{}, fmt.Errorf("couldn't find an article at %s: the page holds no article text, only menus, links or footers: %w", p.URL, ErrNoText)
	}
	if err != nil {
		return Document{}, fmt.Errorf("couldn't read the page at %s: %w", p.URL, err)
	}
	return doc, nil
}

// PageFile returns the file name and content under which to save a
// fetched page in a corpus folder, so that Load reads it as FromPage does:
// "<PageID>.html" holding the page, with a <meta charset="utf-8"> put in
// front, a <base href> of p.URL when the page has none (so that a relative
// canonical link resolves to where the page was), and a canonical link to
// p.URL when the page names no canonical URL of its own; or, for plain text, "<PageID>.txt" holding the text
// and a last "Source: URL" line. It fails only for a URL that is not an
// absolute http(s) URL.
func PageFile(p Page) (name string, data []byte, err error) {
	id, err := pageID(p.URL)
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	if p.isText() {
		b.WriteString(strings.TrimRight(p.Body, "\r\n\t "))
		b.WriteString("\n\nSource: " + p.URL + "\n")
		return id + ".txt", []byte(b.String()), nil
	}
	fmt.Fprintf(&b, "<meta charset=\"utf-8\">\n")
	if !p.Fetched.IsZero() {
		fmt.Fprintf(&b, "<meta name=\"scobot:fetched\" content=\"%s\">\n", p.Fetched.UTC().Format(time.RFC3339))
	}
	_, hm := htmlToText(p.Body)
	if hm.base == "" {
		fmt.Fprintf(&b, "<base href=\"%s\">\n", html.EscapeString(p.URL))
	}
	if hm.canonical == "" && hm.ogURL == "" {
		fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">\n", html.EscapeString(p.URL))
	}
	b.WriteString(p.Body)
	return id + ".html", []byte(b.String()), nil
}

// PageID returns a stable document ID for a URL, safe as a file name on
// any system: the host without "www.", a slug of the path and query (ASCII
// letters and digits, lower case, others as "-", at most 60 characters,
// without a .html/.php-style extension), and 8 hex digits of a hash of the
// URL, which keeps apart URLs whose slugs agree:
//
//	https://www.steppeherald.example/world/2024/07/04/sco-astana-declaration
//	→ steppeherald.example_world-2024-07-04-sco-astana-declaration_1f0c9a2b
//
// The same URL always gives the same ID; so do URLs that differ only in
// their scheme, a "www.", a default port, a trailing slash, a #fragment or
// utm_ tracking parameters. A URL that does not parse, or has no host, gives "page_"
// and the hash.
func PageID(rawURL string) string {
	id, err := pageID(rawURL)
	if err != nil {
		return "page_" + urlHash(strings.TrimSpace(rawURL))
	}
	return id
}

// slugMax is the longest slug PageID writes.
const slugMax = 60

// pageExts are the extensions PageID leaves out of a slug.
var pageExts = map[string]bool{".html": true, ".htm": true, ".shtml": true, ".php": true, ".asp": true, ".aspx": true, ".jsp": true, ".cms": true, ".txt": true}

func pageID(rawURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "", fmt.Errorf("couldn't name the page: %q is not an http or https URL", rawURL)
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p := strings.TrimRight(u.Path, "/")
	if pageExts[strings.ToLower(path.Ext(p))] {
		p = strings.TrimSuffix(p, path.Ext(p))
	}
	query := canonicalQuery(u.Query())
	key := host
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		key += ":" + port
	}
	key += strings.TrimRight(u.EscapedPath(), "/")
	if query != "" {
		key += "?" + query
	}
	id := slug(host, 60, true) + "_"
	if s := slug(p+" "+query, slugMax, false); s != "" {
		id += s + "_"
	}
	return id + urlHash(key), nil
}

// canonicalQuery writes a query without its tracking parameters, sorted.
func canonicalQuery(q url.Values) string {
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") {
			q.Del(k)
		}
	}
	return q.Encode()
}

// urlHash is 8 hex digits of the SHA-256 of s.
func urlHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// slug keeps the ASCII letters and digits of s (and its dots, if
// keepDots) in lower case, any other run of characters becoming one "-",
// and cuts the result to at most max bytes at a "-" where it can.
func slug(s string, max int, keepDots bool) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', keepDots && r == '.' && b.Len() > 0:
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	out := strings.Trim(b.String(), ".-")
	if len(out) > max {
		out = out[:max]
		if i := strings.LastIndexByte(out, '-'); i > max/2 {
			out = out[:i]
		}
		out = strings.Trim(out, ".-")
	}
	return out
}
