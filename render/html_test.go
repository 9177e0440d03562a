package render

import (
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render/rendertest"
)

func answerReply(text string, cites ...rag.Citation) Reply {
	return Reply{Answer: &rag.Answer{Text: text, Lang: "en", Citations: cites}}
}

func TestHTML(t *testing.T) {
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
			got := HTML(tt.reply, tt.limit)
			if strings.Join(got, "\n---\n") != strings.Join(tt.want, "\n---\n") {
				t.Errorf("HTML:\n got %q\nwant %q", got, tt.want)
			}
			for _, p := range got {
				if err := rendertest.CheckTelegramHTML(p); err != nil {
					t.Errorf("invalid HTML %q: %v", p, err)
				}
			}
		})
	}
}

func TestPlain(t *testing.T) {
	cite := rag.Citation{N: 1, Doc: "d", Title: "T & <Co>", Source: "Xinhua", Date: "2020-11-05", URL: "https://x.org/"}
	got := Plain(Reply{Blocks: []Block{{Title: "Docs", Items: []Item{{Label: "a", URL: "https://a.org", Detail: "2024"}}}}, Answer: &rag.Answer{Text: "A [1].", Note: "n", Citations: []rag.Citation{cite}}})
	want := "Docs:\n  • a — 2024\n    https://a.org\n\nA [1].\n\n(n)\n\nSources:\n[1] T & <Co> — Xinhua, 2020-11-05\n    https://x.org/\n"
	if got != want {
		t.Errorf("Plain:\n got %q\nwant %q", got, want)
	}
}

func TestHTMLToPlain(t *testing.T) {
	got := HTMLToPlain(`A &lt;b&gt; &amp; <b>B</b> <a href="https://x.org/?a=1&amp;b=2">T</a> — &quot;s&quot;`)
	if want := `A <b> & B T (https://x.org/?a=1&b=2) — "s"`; got != want {
		t.Errorf("HTMLToPlain = %q, want %q", got, want)
	}
}

// FuzzHTML: any answer text gives messages of valid Telegram HTML,
// each within the limit, together holding the whole text.
func FuzzHTML(f *testing.F) {
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
		parts := HTML(r, limit)
		max := MaxMessageUTF16
		if limit > 0 && limit < max {
			max = limit
		}
		max = maxInt(max, minLimit)
		var all strings.Builder
		for i, p := range parts {
			if n := UTF16Len(p); n > max || n == 0 {
				t.Fatalf("part %d has %d UTF-16 units (limit %d)", i, n, max)
			}
			if err := rendertest.CheckTelegramHTML(p); err != nil {
				t.Fatalf("part %d %q: %v", i, p, err)
			}
			if strings.TrimSpace(p) == "" {
				t.Fatalf("part %d is blank", i)
			}
			all.WriteString(HTMLToPlain(p))
		}
		if got, want := rendertest.Squash(all.String()), rendertest.Squash(cleanText(text)); !strings.HasPrefix(got, want) {
			t.Fatalf("the parts do not start with the whole text:\n got %q\nwant %q", got, want)
		}
	})
}

func maxInt(a, b int) int { return max(a, b) }

func BenchmarkHTML(b *testing.B) {
	r := answerReply(strings.Repeat("The ministers agreed to deepen cooperation & <trust> [1]. ", 100),
		rag.Citation{N: 1, Doc: "d", Title: "T", Source: "S", Date: "2024-05-21", URL: "https://x.org/"})
	for b.Loop() {
		HTML(r, 0)
	}
}

// TestPreview: a streamed answer's preview is its clean text with an
// ellipsis, cut to fit one message with room to spare.
func TestPreview(t *testing.T) {
	if got := Preview(" A [1]\x00 "); got != "A [1] …" {
		t.Errorf("Preview = %q", got)
	}
	long := Preview(strings.Repeat("😀", MaxMessageUTF16))
	if n := UTF16Len(long); n > MaxMessageUTF16 || !strings.HasSuffix(long, " …") {
		t.Errorf("a long preview has %d UTF-16 units and ends %q", n, long[len(long)-8:])
	}
}
