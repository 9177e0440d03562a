package tokens

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var sentenceTests = []struct {
	name string
	in   string
	want []string
}{
	{"empty", "", nil},
	{"space only", " \n\n\t ", nil},
	{"no ender", "Wang Yi attends", []string{"Wang Yi attends"}},
	{"english", "He left. She stayed! Why? Yes.", []string{"He left.", "She stayed!", "Why?", "Yes."}},
	{"decimal", "It grew 3.5 percent. Then fell.", []string{"It grew 3.5 percent.", "Then fell."}},
	{"abbreviations", "Mr. Smith met Dr. Jones in the U.S. on Nov. 5. They talked.",
		[]string{"Mr. Smith met Dr. Jones in the U.S. on Nov. 5.", "They talked."}},
	{"no before a number", "See No. 5 here. The answer is no. Next.", []string{"See No. 5 here.", "The answer is no.", "Next."}},
	{"initial", "J. Smith came. Then left.", []string{"J. Smith came.", "Then left."}},
	{"lower-case next word", "It costs approx. five dollars. Ok.", []string{"It costs approx. five dollars.", "Ok."}},
	{"closing quote", `He said "yes." Then left.`, []string{`He said "yes."`, "Then left."}},
	{"url question mark", "See http://x.cn/a?id=1 now. Done.", []string{"See http://x.cn/a?id=1 now.", "Done."}},
	{"chinese", "王毅出席会议。他表示,要加强合作!真的吗?是的;好的", []string{"王毅出席会议。", "他表示,要加强合作!", "真的吗?", "是的;好的"}},
	{"chinese full width", "会议开始。各方默哀！为什么？因为；所以", []string{"会议开始。", "各方默哀！", "为什么？", "因为；", "所以"}},
	{"chinese closing quotes", "他说:“好。”然后「走了。」（完）", []string{"他说:“好。”", "然后「走了。」", "（完）"}},
	{"chinese ellipsis", "然后……真的？！好", []string{"然后……", "真的？！", "好"}},
	{"ascii ender before han", "真的?是的!好", []string{"真的?", "是的!", "好"}},
	{"full stop before han", "It ended.王毅说", []string{"It ended.", "王毅说"}},
	{"paragraph break", "First para\n\nSecond para\n \nThird", []string{"First para", "Second para", "Third"}},
	{"single newline is not a break", "one line\nnext line.", []string{"one line\nnext line."}},
	{"crlf paragraph", "a b\r\n\r\nc d", []string{"a b", "c d"}},
}

func TestSentences(t *testing.T) {
	for _, tt := range sentenceTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			checkSentences(t, tt.in, got)
		})
	}
}

// checkSentences checks the invariants of Sentences: sentences are trimmed
// and non-empty, and together they hold exactly the non-space characters of
// the text, in order.
func checkSentences(t *testing.T, in string, got []string) {
	t.Helper()
	for _, s := range got {
		if s == "" || strings.TrimSpace(s) != s {
			t.Fatalf("Sentences(%q) has untrimmed or empty sentence %q", in, s)
		}
	}
	if a, b := nonSpace(strings.Join(got, "")), nonSpace(in); a != b {
		t.Fatalf("Sentences(%q) lost or changed text:\n got %q\nwant %q", in, a, b)
	}
}

func nonSpace(s string) string { return strings.Join(strings.Fields(s), "") }

func FuzzSentences(f *testing.F) {
	for _, tt := range sentenceTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("Sentences works on valid UTF-8")
		}
		checkSentences(t, s, Sentences(s))
	})
}

func BenchmarkSentences(b *testing.B) {
	text := strings.Repeat("Wang Yi proposed that member states should strengthen coordination. 王毅提出,成员国应加强沟通协调。\n\n", 20)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sentences(text)
	}
}
