// Package rendertest checks what package render writes, for the tests of
// render and of the fronts that send its output (bot's Telegram tests).
package rendertest

import (
	"fmt"
	"strings"
	"unicode"
)

// CheckTelegramHTML reports whether s is valid Telegram HTML as render.HTML
// may write it: only the tags b, i and a (with one double-quoted href),
// properly nested; "&" only in &lt; &gt; &amp; &quot;; no bare "<" or ">".
func CheckTelegramHTML(s string) error {
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return fmt.Errorf("unclosed tag at %d", i)
			}
			tag := s[i+1 : i+end]
			switch {
			case tag == "b" || tag == "i":
				open = append(open, tag)
			case strings.HasPrefix(tag, `a href="`) && strings.HasSuffix(tag, `"`) && len(tag) > len(`a href=""`):
				href := tag[len(`a href="`) : len(tag)-1]
				if strings.ContainsAny(href, `"<>`) {
					return fmt.Errorf("bad href %q", href)
				}
				if err := CheckTelegramHTML(href); err != nil {
					return fmt.Errorf("href %q: %v", href, err)
				}
				open = append(open, "a")
			case strings.HasPrefix(tag, "/"):
				if len(open) == 0 || open[len(open)-1] != tag[1:] {
					return fmt.Errorf("</%s> closes nothing open (open: %v)", tag[1:], open)
				}
				open = open[:len(open)-1]
			default:
				return fmt.Errorf("unsupported tag <%s>", tag)
			}
			i += end + 1
		case '&':
			ok := false
			for _, e := range []string{"&lt;", "&gt;", "&amp;", "&quot;"} {
				if strings.HasPrefix(s[i:], e) {
					i += len(e)
					ok = true
					break
				}
			}
			if !ok {
				return fmt.Errorf("bare & at %d: %q", i, s[i:min(len(s), i+10)])
			}
		case '>':
			return fmt.Errorf("bare > at %d", i)
		default:
			i++
		}
	}
	if len(open) > 0 {
		return fmt.Errorf("unclosed tags %v", open)
	}
	return nil
}

// Squash drops all white space, to compare texts split at spaces.
func Squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
