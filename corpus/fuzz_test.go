package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are table inputs shared by the fuzz targets.
func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		"", "1", "**", "* ", "*治", "病*", "# ", "[]()", "![x](y)", "首页 » 新闻 » ", "HOME > News",
		zhLead + "\n\n" + zhBody, enLead + "\n\n" + enBody,
		"• 相关阅读\n• 宏观政策\n\n央视网消息:...\n\n时间:05-22",
		"TUhjnbcbe - 2023/5/30 21:45:00\n白癜风丸价格 https://m-mip.39.net/news/mipso_4342726.html",
		"Leave a Reply\n\nGreat.", "<p>a</p><script>b</script>", "<div class=\"nav\"><a>x</a></div>",
		"a\u00a0b\u3000c\r\nd\x00e\xff", "**Headline: x**", "王毅:中方高度", "Views: 1\n\n发表回复",
	} {
		f.Add(s)
	}
}

func FuzzClean(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range readSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		if strings.Contains(out, "\n\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") {
			t.Fatalf("paragraphs not separated by exactly one blank line: %q", out)
		}
		for _, p := range strings.Split(out, "\n\n") {
			if out == "" {
				break
			}
			if p == "" || strings.Contains(p, "\n") || strings.Contains(p, "  ") || strings.TrimSpace(p) != p {
				t.Fatalf("paragraph not normalised: %q", p)
			}
		}
		if again := Clean(out); again != out {
			t.Fatalf("not idempotent:\nonce  %q\ntwice %q", out, again)
		}
	})
}

func FuzzHTMLToText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		text, _ := htmlToText(in)
		if !utf8.ValidString(text) && utf8.ValidString(in) {
			t.Fatalf("invalid UTF-8 out of valid input %q", in)
		}
		if out := Clean(text); !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 after cleaning %q", in)
		}
	})
}

func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Add("\xFF\xFEa\x00")
	f.Add("\xFE\xFF\x00a")
	f.Add("\xEF\xBB\xBF")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Decode([]byte(in))
		if err != nil {
			if s != "" {
				t.Fatalf("text %q returned with error %v", s, err)
			}
			return
		}
		if !utf8.ValidString(s) || strings.TrimSpace(s) == "" {
			t.Fatalf("Decode(%q) = %q", in, s)
		}
		if utf8.ValidString(in) && !strings.HasPrefix(in, "\xEF\xBB\xBF") && s != in {
			t.Fatalf("valid UTF-8 changed: %q → %q", in, s)
		}
	})
}
