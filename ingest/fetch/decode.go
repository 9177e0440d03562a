package fetch

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// errNoCharset means no charset turned the bytes into clean text.
var errNoCharset = errors.New("no charset fits the bytes")

// metaCharsetRE finds <meta charset="…"> or the charset of <meta
// http-equiv="Content-Type" content="text/html; charset=…">.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)`)

// xmlEncodingRE finds the encoding of an XML declaration, <?xml
// version="1.0" encoding="…"?>, at the start of a document.
var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]+encoding\s*=\s*["']\s*([A-Za-z0-9_:.-]+)`)

// metaCharset returns the charset an HTML or XML document declares in its
// first 4 KiB (its XML declaration, else a <meta charset>), or "".
func metaCharset(b []byte) string {
	if len(b) > 4096 {
		b = b[:4096]
	}
	if m := xmlEncodingRE.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	if m := metaCharsetRE.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// decodeBody turns a page's bytes into UTF-8 text and names the charset it
// used. In order: a byte order mark; the charset of the Content-Type
// header; for HTML and XML, the document's own declaration (<?xml
// encoding>, <meta charset>); valid UTF-8; and last the
// charset detected from the bytes (GB18030, Big5, windows-1251, …). A
// declared charset that leaves replacement characters in text that is valid
// UTF-8 is taken to be wrong, and UTF-8 is used.
func decodeBody(b []byte, headerCharset string, isMarkup bool) (string, string, error) {
	for _, bom := range []struct {
		mark []byte
		name string
	}{{[]byte{0xEF, 0xBB, 0xBF}, "utf-8"}, {[]byte{0xFF, 0xFE}, "utf-16le"}, {[]byte{0xFE, 0xFF}, "utf-16be"}} {
		if bytes.HasPrefix(b, bom.mark) {
			e, name := charset.Lookup(bom.name)
			s, err := decodeWith(e, b)
			if err != nil {
				return "", "", err
			}
			return strings.TrimPrefix(s, "\uFEFF"), name, nil
		}
	}
	declared := headerCharset
	if declared == "" && isMarkup {
		declared = metaCharset(b)
	}
	if declared != "" {
		if e, name := charset.Lookup(declared); e != nil {
			if s, err := decodeWith(e, b); err == nil && (!strings.ContainsRune(s, utf8.RuneError) || !utf8.Valid(b)) {
				return s, name, nil
			}
		}
	}
	if utf8.Valid(b) {
		return string(b), "utf-8", nil
	}
	res, err := chardet.NewTextDetector().DetectBest(b)
	if err == nil {
		if e, name := lookupDetected(res.Charset); e != nil {
			if s, err := decodeWith(e, b); err == nil {
				return s, name, nil
			}
		}
	}
	return "", "", errNoCharset
}

// lookupDetected finds the encoding of a charset name as chardet writes it
// ("GB-18030", "ISO-8859-1", "windows-1251").
func lookupDetected(name string) (encoding.Encoding, string) {
	if e, n := charset.Lookup(name); e != nil {
		return e, n
	}
	return charset.Lookup(strings.ReplaceAll(name, "-", ""))
}

// decodeWith decodes b with e, failing when the result is not valid UTF-8
// or is mostly replacement characters.
func decodeWith(e encoding.Encoding, b []byte) (string, error) {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(out) {
		return "", errNoCharset
	}
	s := string(out)
	if bad := strings.Count(s, "\uFFFD"); bad > 0 && bad*20 > utf8.RuneCountInString(s) {
		return "", errNoCharset
	}
	return s, nil
}
