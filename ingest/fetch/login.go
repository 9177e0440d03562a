package fetch

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// loginTextRunes is the most visible text a page may hold and still be a
// login wall: a sign-in form says little, an article says a lot.
const loginTextRunes = 400

// isLoginPage reports whether an HTML page is a login wall: it has a
// password field and little visible text besides.
func isLoginPage(src string) bool {
	if !strings.Contains(strings.ToLower(src), "password") {
		return false
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return false
	}
	password, runes := false, 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			runes += utf8.RuneCountInString(strings.Join(strings.Fields(n.Data), ""))
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Noscript, atom.Template:
				return
			case atom.Input:
				for _, a := range n.Attr {
					if a.Key == "type" && strings.EqualFold(strings.TrimSpace(a.Val), "password") {
						password = true
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return password && runes <= loginTextRunes
}
