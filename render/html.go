package render

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render/words"
)

// MaxMessageUTF16 is Telegram's limit on one message's text, in UTF-16
// code units.
const MaxMessageUTF16 = 4096

// Limits on single lines, so one long title or note can never make a
// message too long.
const (
	maxLineRunes = 256
	maxURLUnits  = 1024 // of a link's escaped URL
)

// unit is one piece of a rendered reply. A text unit holds plain text that
// may be split anywhere safe; any other unit is one line of balanced HTML
// that is never split (unless it is longer than a whole message: then its
// text is split without formatting). sep goes before the unit unless it
// starts a message.
type unit struct {
	html  string // balanced HTML (line units)
	text  string // plain text: all of a text unit, a line unit's visible text
	isTxt bool
	sep   string
}

// minLimit is the smallest message limit HTML accepts, so that any
// character, escaped, fits.
const minLimit = 64

// HTML renders a reply as Telegram messages in HTML parse mode: the
// blocks, then the answer and its numbered sources. Every dynamic string is
// escaped. Long replies are split at paragraph boundaries (or, for a longer
// paragraph, at a line, sentence or word end, never inside a tag, an entity
// or a citation marker) into messages of at most limit UTF-16 code units,
// each valid HTML on its own. limit ≤ 0 or over MaxMessageUTF16 means
// MaxMessageUTF16; limits under 64 count as 64. It returns at least one non-empty message.
func HTML(r Reply, limit int) []string {
	if limit <= 0 || limit > MaxMessageUTF16 {
		limit = MaxMessageUTF16
	}
	limit = max(limit, minLimit)
	return pack(units(r), limit)
}

// units lays a reply out as units.
func units(r Reply) []unit {
	var us []unit
	for _, b := range r.Blocks {
		if b.Title != "" {
			us = append(us, htmlUnit("<b>"+escapeText(line(b.Title))+"</b>", line(b.Title), "\n\n"))
		}
		if t := cleanText(b.Text); strings.TrimSpace(t) != "" {
			sep := "\n\n"
			if b.Title != "" {
				sep = "\n"
			}
			us = append(us, unit{text: t, isTxt: true, sep: sep})
		}
		for i, it := range b.Items {
			sep := "\n"
			if i == 0 && b.Title == "" && strings.TrimSpace(b.Text) == "" {
				sep = "\n\n"
			}
			us = append(us, htmlUnit("• "+itemHTML(it), "• "+itemText(it), sep))
		}
	}
	if a := r.Answer; a != nil {
		for _, p := range paragraphs(cleanText(a.Text)) {
			us = append(us, unit{text: p, isTxt: true, sep: "\n\n"})
		}
		if a.Note != "" {
			us = append(us, htmlUnit("<i>"+escapeText(line(a.Note))+"</i>", line(a.Note), "\n\n"))
		}
		if len(a.Citations) > 0 {
			h := sourcesHeading(cmp.Or(r.Lang, a.Lang))
			us = append(us, htmlUnit("<b>"+h+"</b>", h, "\n\n"))
			for _, c := range a.Citations {
				us = append(us, htmlUnit(citationHTML(c), citationText(c), "\n"))
			}
		}
	}
	return us
}

func htmlUnit(html, text, sep string) unit { return unit{html: html, text: text, sep: sep} }

// pack fills messages with units, splitting only text units too long for a
// message of their own.
func pack(us []unit, limit int) []string {
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if curLen > 0 {
			parts = append(parts, cur.String())
		}
		cur.Reset()
		curLen = 0
	}
	add := func(sep, html string) {
		if curLen > 0 {
			cur.WriteString(sep)
			curLen += UTF16Len(sep)
		}
		cur.WriteString(html)
		curLen += UTF16Len(html)
	}
	fits := func(sep, html string) bool {
		n := UTF16Len(html)
		if curLen > 0 {
			n += curLen + UTF16Len(sep)
		}
		return n <= limit
	}
	for _, u := range us {
		html := u.html
		if u.isTxt {
			html = escapeText(u.text)
		}
		if fits(u.sep, html) {
			add(u.sep, html)
			continue
		}
		flush()
		if UTF16Len(html) <= limit {
			add(u.sep, html)
			continue
		}
		// A paragraph (or, rarely, a line) longer than a whole message.
		rest := u.text
		for rest != "" {
			var chunk string
			chunk, rest = cutText(rest, limit)
			if chunk != "" {
				add("", escapeText(chunk))
			}
			if rest != "" {
				flush()
			}
		}
	}
	flush()
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	return parts
}

// cutText returns the longest head of text whose escaped form fits in room
// UTF-16 units, ending at a line end, else a sentence end, else a space,
// else anywhere but inside a citation marker "[12]"; and the rest. Spaces
// around the cut are dropped. The head is non-empty unless text is all
// spaces.
func cutText(text string, room int) (head, rest string) {
	n, end := 0, len(text)
	for i, r := range text {
		n += escapedLen(r)
		if n > room {
			end = i
			break
		}
	}
	if end == len(text) {
		return strings.TrimRightFunc(text, unicode.IsSpace), ""
	}
	p := text[:end]
	cut := -1
	for _, find := range []func(string) int{lastLineEnd, lastSentenceEnd, lastSpace} {
		if i := find(p); i >= len(p)/2 {
			cut = i
			break
		}
	}
	if cut < 0 {
		cut = outsideMarker(text, end)
		if cut == 0 {
			cut = end // a marker longer than a message: cut it after all
		}
	}
	head = strings.TrimRightFunc(text[:cut], unicode.IsSpace)
	rest = strings.TrimLeftFunc(text[cut:], unicode.IsSpace)
	return head, rest
}

// lastLineEnd returns the index just after the last newline, or -1.
func lastLineEnd(s string) int {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return i + 1
	}
	return -1
}

// lastSentenceEnd returns the index just after the last sentence end (".",
// "!", "?" followed by a space; "。", "！", "？" anywhere), counting a
// citation marker right after it as part of the sentence, or -1.
func lastSentenceEnd(s string) int {
	best := -1
	for i, r := range s {
		j := i + utf8.RuneLen(r)
		switch r {
		case '。', '！', '？', '；':
		case '.', '!', '?':
			if j < len(s) && s[j] != ' ' && s[j] != '[' {
				continue
			}
		default:
			continue
		}
		j = skipMarkers(s, j)
		best = j
	}
	return best
}

// skipMarkers returns the index after the citation markers ("[1]", "[2][3]")
// starting at i, or i.
func skipMarkers(s string, i int) int {
	for {
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j >= len(s) || s[j] != '[' {
			return i
		}
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j+1 || k >= len(s) || s[k] != ']' {
			return i
		}
		i = k + 1
	}
}

// lastSpace returns the index just after the last space, or -1.
func lastSpace(s string) int {
	i := strings.LastIndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return -1
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// outsideMarker moves a cut at i back to before a citation marker that i
// falls inside ("[1|2]" → "|[12]").
func outsideMarker(s string, i int) int {
	j := i
	for j > 0 && isDigit(s[j-1]) {
		j--
	}
	if j == 0 || s[j-1] != '[' {
		return i
	}
	k := i
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k < len(s) && s[k] == ']' {
		return j - 1
	}
	return i
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// paragraphs splits text at blank lines, dropping empty paragraphs.
func paragraphs(text string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

func sourcesHeading(lang string) string { return words.Text(lang, words.SourcesHeading) }

// citationHTML renders "[n] <a href="url">Title</a> — Publisher, date".
func citationHTML(c rag.Citation) string {
	return fmt.Sprintf("[%d] %s", c.N, itemHTML(citationItem(c)))
}

// citationText renders "[n] Title — Publisher, date" without markup.
func citationText(c rag.Citation) string {
	return fmt.Sprintf("[%d] %s", c.N, itemText(citationItem(c)))
}

func citationItem(c rag.Citation) Item {
	return Item{Label: c.Label(), URL: c.URL, Detail: c.Detail()}
}

// itemHTML renders a list item's label (linked when its URL is a usable
// http(s) URL) and detail.
func itemHTML(it Item) string {
	s := escapeText(line(it.Label))
	if u, ok := linkURL(it.URL); ok {
		s = `<a href="` + escapeAttr(u) + `">` + s + "</a>"
	}
	if d := line(it.Detail); d != "" {
		s += " — " + escapeText(d)
	}
	return s
}

// itemText renders a list item's label and detail without markup.
func itemText(it Item) string {
	s := line(it.Label)
	if d := line(it.Detail); d != "" {
		s += " — " + d
	}
	return s
}

// linkURL returns u if it is an absolute http(s) URL fit for a link.
func linkURL(u string) (string, bool) {
	u = strings.TrimSpace(u)
	if u == "" || UTF16Len(escapeAttr(u)) > maxURLUnits || strings.ContainsFunc(u, unicode.IsSpace) {
		return "", false
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", false
	}
	return u, true
}

// line makes s one clean line of at most maxLineRunes runes.
func line(s string) string {
	s = strings.Join(strings.Fields(cleanText(s)), " ")
	if utf8.RuneCountInString(s) <= maxLineRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxLineRunes-1]) + "…"
}

// cleanText makes s valid UTF-8 without control characters other than
// newline and tab, which Telegram would reject or show oddly.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return -1
		}
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\uFEFF') {
			return -1
		}
		return r
	}, s)
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// escapeText escapes text for Telegram HTML.
func escapeText(s string) string { return textEscaper.Replace(s) }

// escapeAttr escapes a double-quoted attribute value for Telegram HTML.
func escapeAttr(s string) string { return attrEscaper.Replace(s) }

// escapedLen returns the UTF-16 length of r once escaped.
func escapedLen(r rune) int {
	switch r {
	case '&':
		return len("&amp;")
	case '<', '>':
		return len("&lt;")
	}
	return utf16.RuneLen(r)
}

// UTF16Len returns the length of s in UTF-16 code units, as Telegram
// counts it (message lengths, entity offsets).
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// previewUnits bounds the text shown while an answer is generated.
const previewUnits = MaxMessageUTF16 - 96

// Preview returns the answer so far as plain text that fits one message.
func Preview(text string) string {
	text = strings.TrimSpace(cleanText(text))
	if UTF16Len(text) <= previewUnits {
		return text + " …"
	}
	n := 0
	for i, r := range text {
		if n += utf16.RuneLen(r); n > previewUnits {
			return text[:i] + " …"
		}
	}
	return text
}

// HTMLToPlain turns the HTML that HTML writes back into plain text: tags
// dropped (a link's URL shown after its text), entities decoded.
func HTMLToPlain(s string) string {
	var b strings.Builder
	var href string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			tag := s[i+1 : i+end]
			if h, ok := strings.CutPrefix(tag, `a href="`); ok {
				href = unescape(strings.TrimSuffix(h, `"`))
			} else if tag == "/a" && href != "" {
				b.WriteString(" (" + href + ")")
				href = ""
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 6 {
				b.WriteByte('&')
				i++
				continue
			}
			b.WriteString(unescape(s[i : i+end+1]))
			i += end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&")

func unescape(s string) string { return unescaper.Replace(s) }
