package brief

import (
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
)

func TestMarkdownEscapes(t *testing.T) {
	b := Briefing{
		Lang: "en", Headline: "A *bold* claim",
		Points:        []Point{{Text: "He said [sic] <b>x</b> _y_ #1 | z", Date: "2024-05-21", Citations: []int{1}}},
		Disagreements: []Disagreement{{Text: "[1] says *one*, while [2] gives two."}},
		Sources:       []rag.Citation{{N: 1, Title: "T [x]", URL: "https://e.org/a (b)", Source: "S", Date: "2024-05-21"}, {N: 2, Title: "U"}},
	}
	md := b.Markdown()
	for _, want := range []string{
		"## A \\*bold\\* claim\n",
		"- 2024-05-21: He said \\[sic\\] \\<b\\>x\\</b\\> \\_y\\_ \\#1 \\| z [1]\n",
		"- [1] says \\*one\\*, while [2] gives two.\n",
		"1. [T \\[x\\]](https://e.org/a%20%28b%29) — S, 2024-05-21\n",
		"2. U\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}
