package corpus

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Errors returned by Decode. Their messages double as the human reason Load
// gives for skipping a file.
var (
	// ErrEmpty means the file holds nothing but whitespace.
	ErrEmpty = errors.New("empty file")
	// ErrBinary means the file is not text at all (NUL bytes, many control
	// characters).
	ErrBinary = errors.New("binary file")
	// ErrUndecodable means the bytes are neither (mostly) UTF-8, UTF-16 with a
	// byte order mark, nor plausible GB18030.
	ErrUndecodable = errors.New("undecodable text")
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Decode turns the bytes of a text file into a UTF-8 string.
//
// It understands UTF-8 (a byte order mark is dropped), UTF-16 LE/BE with a
// byte order mark, and GB18030/GBK when the bytes are not valid UTF-8 but
// read as plausible Chinese. UTF-8 with a few bad bytes is repaired: each bad
// byte becomes U+FFFD. It returns ErrEmpty, ErrBinary or ErrUndecodable when
// the bytes cannot be used.
func Decode(b []byte) (string, error) {
	return decode(b, nil)
}

// decodeHTML is Decode for an HTML page: when the bytes are not valid UTF-8
// and the page declares a charset in a <meta> element, that charset is tried
// first.
func decodeHTML(b []byte) (string, error) {
	var declared encoding.Encoding
	if label := metaCharset(b); label != "" {
		if e, err := htmlindex.Get(label); err == nil {
			declared = e
		}
	}
	return decode(b, declared)
}

func decode(b []byte, declared encoding.Encoding) (string, error) {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		s, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", ErrUndecodable
		}
		return checkText(string(s))
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrEmpty
	}
	if looksBinary(b) {
		return "", ErrBinary
	}
	if utf8.Valid(b) {
		return checkText(string(b))
	}
	if declared != nil {
		if s, err := declared.NewDecoder().Bytes(b); err == nil && utf8.Valid(s) && !bytes.ContainsRune(s, utf8.RuneError) {
			return checkText(string(s))
		}
	}
	bad, multi := utf8Damage(b)
	if bad*50 <= multi { // a few bad bytes among many valid UTF-8 sequences
		return checkText(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	if plausibleGB18030(b) {
		if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
			return checkText(string(s))
		}
	}
	if bad*100 <= len(b) || (bad <= 2 && bad*20 <= len(b)) { // mostly ASCII with a stray byte or two
		return checkText(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	return "", ErrUndecodable
}

// checkText rejects decoded text that is empty or made of control
// characters.
func checkText(s string) (string, error) {
	if strings.TrimSpace(strings.ReplaceAll(s, "\uFEFF", "")) == "" {
		return "", ErrEmpty
	}
	if looksBinary([]byte(s)) {
		return "", ErrBinary
	}
	return s, nil
}

// looksBinary reports whether b holds a NUL byte or more than a handful of
// control characters that never occur in text.
func looksBinary(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1B:
			ctl++
		}
	}
	return ctl > 8 && ctl*100 > len(b)
}

// utf8Damage counts the bytes of b that are not part of a valid UTF-8
// sequence, and the multi-byte sequences that are valid.
func utf8Damage(b []byte) (bad, multi int) {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			bad++
		case n > 1:
			multi++
		}
		b = b[n:]
	}
	return bad, multi
}

// plausibleGB18030 reports whether b reads as Chinese in GB18030/GBK: most
// double-byte pairs must fall in the GB2312 rows of punctuation (A1–A9) and
// common characters (B0–D7), which random or non-Chinese bytes rarely do.
func plausibleGB18030(b []byte) bool {
	pairs, common, broken := 0, 0, 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x80 {
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 >= len(b) {
			broken++
			continue
		}
		next := b[i+1]
		switch {
		case next >= 0x30 && next <= 0x39: // four-byte GB18030 sequence
			if i+3 >= len(b) {
				broken++
				continue
			}
			i += 3
			pairs++
			continue
		case next < 0x40 || next == 0x7F || next == 0xFF:
			broken++
			continue
		}
		pairs++
		if (c >= 0xA1 && c <= 0xA9) || (c >= 0xB0 && c <= 0xD7) {
			common++
		}
		i++
	}
	return pairs > 0 && broken*50 <= pairs && common*10 >= pairs*7
}

var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)`)

// metaCharset returns the charset an HTML page declares in its first 4 KiB,
// or "".
func metaCharset(b []byte) string {
	if len(b) > 4096 {
		b = b[:4096]
	}
	m := metaCharsetRE.FindSubmatch(b)
	if m == nil {
		return ""
	}
	return string(m[1])
}
