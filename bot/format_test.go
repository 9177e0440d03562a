package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/scobot/scobot/rag"
)

// checkTelegramHTML reports whether s is valid Telegram HTML as FormatHTML
// may write it: only the tags b, i and a (with one double-quoted href),
// properly nested; "&" only in &lt; &gt; &amp; &quot;; no bare "<" or ">".
func checkTelegramHTML(s string) error {
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
				if err := checkTelegramHTML(href); err != nil {
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

// squash drops all white space, to compare texts split at spaces.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func answerReply(text string, cites ...rag.Citation) Reply {
	return Reply{Kind: KindAnswer, Answer: &rag.Answer{Text: text, Lang: "en", Citations: cites}}
}

func TestFormatHTML(t *testing.T) {
	cite := rag.Citation{N: 1, Doc: "d", Title: "T & <Co>", Source: "Xinhua", Date: "2020-11-05", URL: "https://x.org/?a=1&b=2"}
	tests := []struct {
		name  string
		reply Reply
		limit int
		want  []string
	}{
		{
			name:  "answer with sources",
			reply: answerReply("A < B [1].", cite),
			want:  []string{"A &lt; B [1].\n\n<b>Sources</b>\n[1] <a href=\"https://x.org/?a=1&amp;b=2\">T &amp; &lt;Co&gt;</a> — Xinhua, 2020-11-05"},
		},
		{
			name:  "chinese heading, no URL, note",
			reply: Reply{Answer: &rag.Answer{Text: "答案[1]。", Lang: "zh", Note: "LLM <off>", Citations: []rag.Citation{{N: 1, Doc: "d2", Source: "新华社"}}}},
			want:  []string{"答案[1]。\n\n<i>LLM &lt;off&gt;</i>\n\n<b>来源</b>\n[1] d2 — 新华社"},
		},
		{
			name:  "blocks",
			reply: Reply{Blocks: []Block{{Text: "Hi"}, {Title: "Docs", Items: []Item{{Label: "a", URL: "javascript:alert(1)", Detail: "2024"}, {Label: "b", URL: "https://b.org"}}}}},
			want:  []string{"Hi\n\n<b>Docs</b>\n• a — 2024\n• <a href=\"https://b.org\">b</a>"},
		},
		{
			name:  "paragraphs split at their boundary",
			reply: answerReply(strings.Repeat("a", 50) + "\n\n" + strings.Repeat("b", 50)),
			limit: 64,
			want:  []string{strings.Repeat("a", 50), strings.Repeat("b", 50)},
		},
		{
			name:  "sentence end preferred, marker kept whole",
			reply: answerReply("The first sentence is right here [12]. Second sentence is longer than the rest [3]."),
			limit: 64,
			want:  []string{"The first sentence is right here [12].", "Second sentence is longer than the rest [3]."},
		},
		{
			name:  "hard cut moves before a marker",
			reply: answerReply(strings.Repeat("字", 60) + "[123]" + strings.Repeat("字", 10)),
			limit: 64,
			want:  []string{strings.Repeat("字", 60), "[123]" + strings.Repeat("字", 10)},
		},
		{
			name:  "entities never split",
			reply: answerReply(strings.Repeat("&", 20)),
			limit: 64,
			want:  []string{strings.Repeat("&amp;", 12), strings.Repeat("&amp;", 8)},
		},
		{
			name:  "UTF-16: an emoji counts two",
			reply: answerReply(strings.Repeat("😀", 40)),
			limit: 64,
			want:  []string{strings.Repeat("😀", 32), strings.Repeat("😀", 8)},
		},
		{
			name:  "empty",
			reply: Reply{},
			want:  []string{"…"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FormatHTML(tt.reply, tt.limit)
			if strings.Join(got, "\n---\n") != strings.Join(tt.want, "\n---\n") {
				t.Errorf("FormatHTML:\n got %q\nwant %q", got, tt.want)
			}
			for _, p := range got {
				if err := checkTelegramHTML(p); err != nil {
					t.Errorf("invalid HTML %q: %v", p, err)
				}
			}
		})
	}
}

func TestFormatPlain(t *testing.T) {
	cite := rag.Citation{N: 1, Doc: "d", Title: "T & <Co>", Source: "Xinhua", Date: "2020-11-05", URL: "https://x.org/"}
	got := FormatPlain(Reply{Blocks: []Block{{Title: "Docs", Items: []Item{{Label: "a", URL: "https://a.org", Detail: "2024"}}}}, Answer: &rag.Answer{Text: "A [1].", Note: "n", Citations: []rag.Citation{cite}}})
	want := "Docs:\n  • a — 2024\n    https://a.org\n\nA [1].\n\n(n)\n\nSources:\n[1] T & <Co> — Xinhua, 2020-11-05\n    https://x.org/\n"
	if got != want {
		t.Errorf("FormatPlain:\n got %q\nwant %q", got, want)
	}
}

func TestHTMLToPlain(t *testing.T) {
	got := htmlToPlain(`A &lt;b&gt; &amp; <b>B</b> <a href="https://x.org/?a=1&amp;b=2">T</a> — &quot;s&quot;`)
	if want := `A <b> & B T (https://x.org/?a=1&b=2) — "s"`; got != want {
		t.Errorf("htmlToPlain = %q, want %q", got, want)
	}
}

// FuzzFormatHTML: any answer text gives messages of valid Telegram HTML,
// each within the limit, together holding the whole text.
func FuzzFormatHTML(f *testing.F) {
	seeds := []string{
		"A < B [1].",
		strings.Repeat("The ministers agreed & <trust> [1]. ", 200),
		strings.Repeat("字", 5000) + "[12]",
		strings.Repeat("😀", 3000),
		"[1][2][3]\n\n\n\n&amp;&lt;",
		strings.Repeat("a\n", 3000),
		"\x00\xff\xfe<b>broken",
	}
	for _, s := range seeds {
		f.Add(s, "T <&> \"q\"", 0)
		f.Add(s, "", 64)
	}
	f.Fuzz(func(t *testing.T, text, title string, limit int) {
		r := answerReply(text, rag.Citation{N: 1, Doc: "d", Title: title, Source: "S", URL: "https://x.org/?q=" + title})
		parts := FormatHTML(r, limit)
		max := MaxMessageUTF16
		if limit > 0 && limit < max {
			max = limit
		}
		max = maxInt(max, minLimit)
		var all strings.Builder
		for i, p := range parts {
			if n := utf16Len(p); n > max || n == 0 {
				t.Fatalf("part %d has %d UTF-16 units (limit %d)", i, n, max)
			}
			if err := checkTelegramHTML(p); err != nil {
				t.Fatalf("part %d %q: %v", i, p, err)
			}
			if strings.TrimSpace(p) == "" {
				t.Fatalf("part %d is blank", i)
			}
			all.WriteString(htmlToPlain(p))
		}
		if got, want := squash(all.String()), squash(cleanText(text)); !strings.HasPrefix(got, want) {
			t.Fatalf("the parts do not start with the whole text:\n got %q\nwant %q", got, want)
		}
	})
}

func maxInt(a, b int) int { return max(a, b) }

func BenchmarkFormatHTML(b *testing.B) {
	r := answerReply(strings.Repeat("The ministers agreed to deepen cooperation & <trust> [1]. ", 100),
		rag.Citation{N: 1, Doc: "d", Title: "T", Source: "S", Date: "2024-05-21", URL: "https://x.org/"})
	for b.Loop() {
		FormatHTML(r, 0)
	}
}
