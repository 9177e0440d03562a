package render

import (
	"cmp"
	"strings"
)

// Plain renders a reply as plain text for a terminal: the blocks,
// then the answer, its note and its numbered sources with their URLs.
func Plain(r Reply) string {
	var b strings.Builder
	para := func() {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
	}
	for _, bl := range r.Blocks {
		para()
		if bl.Title != "" {
			b.WriteString(line(bl.Title) + ":\n")
		}
		if t := strings.TrimSpace(cleanText(bl.Text)); t != "" {
			b.WriteString(t + "\n")
		}
		for _, it := range bl.Items {
			b.WriteString("  • " + itemText(it) + "\n")
			if u, ok := linkURL(it.URL); ok {
				b.WriteString("    " + u + "\n")
			}
		}
	}
	if a := r.Answer; a != nil {
		para()
		b.WriteString(strings.TrimSpace(cleanText(a.Text)) + "\n")
		if a.Note != "" {
			b.WriteString("\n(" + line(a.Note) + ")\n")
		}
		if len(a.Citations) > 0 {
			b.WriteString("\n" + sourcesHeading(cmp.Or(r.Lang, a.Lang)) + ":\n")
			for _, c := range a.Citations {
				b.WriteString(citationText(c) + "\n")
				if u, ok := linkURL(c.URL); ok {
					b.WriteString("    " + u + "\n")
				}
			}
		}
	}
	return b.String()
}
