package corpus

import (
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/internal/realdocs"
	"github.com/scobot/scobot/textnorm"
)

// The cleaner's fast paths must decide exactly as the code they stand in
// front of. These tests compare each with that code: on every rune where
// the domain is small, else on the lines of every text the tests hold (and
// what the fuzzer makes of them).

// TestRuneShortcutsEveryRune: the shortcuts of isCJK and countScript
// agree with the Unicode tables on every code point.
func TestRuneShortcutsEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		cjk := unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) ||
			(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
		var counted script
		counted.add(r)
		if isCJK(r) != cjk || countScript(string(r)) != counted && utf8.ValidRune(r) {
			t.Fatalf("%U: isCJK %v, want %v; countScript %+v, want %+v", r, isCJK(r), cjk, countScript(string(r)), counted)
		}
	}
}

// TestSeparatorShortcutsEveryRune: the character sets that stand in front
// of sourceRE and shareSepRE hold every character the expressions need, and
// every rune (?i) lets stand for a letter of "cookie" lower-cases to it.
func TestSeparatorShortcutsEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		c := string(r)
		if s := "来源" + c; !strings.ContainsAny(s, sourceEnds) && sourceRE.MatchString(s) {
			t.Errorf("%U ends a source label but is not in sourceEnds", r)
		}
		for _, s := range []string{"a" + c + "b", "a " + c + "b", c} {
			if got, want := shareItems(s), shareSepRE.Split(s, -1); !slices.Equal(got, want) {
				t.Errorf("shareItems(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, letter := range "cookie" {
		for r := unicode.SimpleFold(letter); r != letter; r = unicode.SimpleFold(r) {
			if unicode.ToLower(r) != letter {
				t.Errorf("(?i) lets %U stand for %q, but it lower-cases to %U", r, letter, unicode.ToLower(r))
			}
		}
	}
}

// Before the fast paths, two junk expressions were alternations anchored
// in each branch; they are kept here to show the rewritten ones match the
// same lines.
var (
	oldAdSlotRE  = regexp.MustCompile(`(?i)^\[?\s*ad[_ -]?\d*\s*\]?$|^(?:advertisement|advertising|sponsored(?: content)?|广告|推广|赞助内容|реклама)$`)
	oldCounterRE = regexp.MustCompile(`(?i)^(?:views?|hits|reads|page ?views|阅读(?:量|数|次数)?|浏览(?:量|数|次数)?|点击(?:量|数|次数)?|人气|просмотр(?:ы|ов)?)\s*[:：]?\s*[(（]?\s*[\d,]+\s*[)）]?\s*(?:次|views)?$|^[\d,]+\s*(?:views|reads|次阅读|次浏览|阅读|浏览)$`)
)

// fastPathSamples are hard cases for the fast paths, on top of the lines
// of the test texts: pinyin glosses, lost characters, dates in every form
// and width, breadcrumbs, counters, spaces of every kind.
var fastPathSamples = []string{
	"網(wǎng)絡(luò)", "中(WTO)網(wǎng)", "a (b) 網（wǎng）", "愛(ài)", "中(ān)", "中(aō)", "機構(gòu)", "聯(lián)邦", "上合（shàng）", "中(WTO)", "年(2004)", "电（记者 王）", "中(ü)", "中(ǘ)", "(ā)", "中(",
	"上?海合作组??织??峰??会??议??在??阿??斯??塔??纳", "上?海", "?上", "中?", "What? 中", "上合??", "??", "中?文?中?文?中?文?中?文?中?文?中?文?中?文?中?文",
	"2024年5月21日", "２０２４年５月２１日", "2024-05-21", "2024/5/21 18:02", "May 21, 2024", "21 May 2024", "21 мая 2024",
	"24.06.2016", "2024 年 5 月 21 日", "2024\t年5月21日", "2024\v年5月21日", "May 21,\t2024", "21 мая\n2024", "1.2.2024", "2024.5.21", "2024/5/21", "x2024-5-21", "24.06.2016 08:39", "1999", "2100", "199", "19 9", "①⑨⑨⑨", "⒛⒛", "２０１９", "20\u200b19年1月1日", "19\x0099-1-1",
	"首页 » 新闻 » 国内", "HOME > News", "当前位置:首页 > 国际", "a :: b :: c", "a / b / c", "首页 | 新闻", "a ＞ b → c", "a›b", "首页 | 新闻 | 国际", "a  b  c", "a\t b", "a\n\nb", "a·b·c", "a•b", "a/b/c", "x ｜ y ｜ z",
	"Views: 1", "Sponsored Content", "[AD]", "Page views: 12", "12次阅读", "点击数：（3,000）次", "views 1,000", "1,000 views", "阅读量:100次", "ad", "[ad_1]", "Advertisement", "реклама", "ad 3", "ADVERTISING", "x views",
	"a  b", "上 合", "上 a", "a 上", "上  合", "上\u3000合", "a\u200bb", "a\u00adb", "a\x7fb", "a\x01b", "a\rb", "\ufffd", "上合 组织 SCO 峰会", "上", "上合", "a上合b", " a", "a ", "a\tb", "a\u00a0b", "a\u3000b", "a\u2028b", "a\u0085b", "a\u1680b", "\xffa b", "a \xff", "", " ", "a b c",
	"We use cookies", "COOKIE settings", "coo\u212aie policy", "COO\u212aIE", "cookİe", "ccookie", "cookie", "Cookies: accept", "cook ie", "c o o k i e",
	"来源:外交部网站", "【来源】http://x", "【 来源 】：新华社", "Source: Xinhua", "SOURCE：x", "(source: x)", "原文链接:http", "источник: ТАСС", "Источник】", "来源", "source", "来源 ：", "x来源:y",
	"Print | Email | Share", "打印  关闭", "【打印】【关闭】", "share", "Share on: Facebook, Twitter", "print\t\temail", "a/b", "(x)", "（x）", "cookie\tpolicy", "\tcookie", "打印 关闭", "  ",
	"标题：上合", "一二三四五六七八：x", "12345678901234567890123：x", "Headline: x", "1234567890123456789012345：x", "12345678901234567890123:x", "123456789012345678901234567890:x",
}

// fastPathLines returns the samples and every line of the test texts.
func fastPathLines(t testing.TB) []string {
	t.Helper()
	lines := slices.Clone(fastPathSamples)
	var texts []string
	for _, s := range readSeeds(t) {
		texts = append(texts, s)
	}
	testdata := os.DirFS("testdata")
	err := fs.WalkDir(testdata, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(testdata, p)
		texts = append(texts, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, zhLead+"\n\n"+zhBody, enLead+"\n\n"+enBody)
	// The real development documents, read where they lie (never copied
	// here).
	texts = append(texts, realdocs.Real(t, "..")...)
	for _, text := range texts {
		lines = append(lines, text)
		for _, l := range strings.Split(text, "\n") {
			lines = append(lines, l, strings.TrimSpace(l))
		}
		for _, l := range splitLines(text) {
			lines = append(lines, l.orig, l.raw)
		}
	}
	return lines
}

// checkFastPaths fails t where a fast path decides s otherwise than the
// code it stands in front of.
func checkFastPaths(t *testing.T, s string) {
	t.Helper()
	if !mayHavePinyinGloss(s) && pinyinGlossRE.MatchString(s) {
		t.Errorf("mayHavePinyinGloss(%q) = false, but pinyinGlossRE matches", s)
	}
	if n := len(lostQuestionRunRE.FindAllStringIndex(s, lostCharsMin)); hanQuestionPairs(s, lostCharsMin) < n {
		t.Errorf("hanQuestionPairs(%q) = %d, fewer than the %d matches", s, hanQuestionPairs(s, lostCharsMin), n)
	}
	norm := textnorm.Normalize(s)
	for _, p := range fullDatePatterns {
		if yearsIn(norm)&p.around == 0 && p.re.MatchString(norm) {
			t.Errorf("yearsIn(%q) = %b, without %b, but %s matches", norm, yearsIn(norm), p.around, p.re)
		}
	}
	for _, c := range []struct {
		re    *regexp.Regexp
		chars string
	}{{crumbSepRE, crumbSeps}, {crumbSlashRE, crumbSlashes}} {
		if got, want := splitCrumbs(c.re, c.chars, s), c.re.Split(s, -1); !slices.Equal(got, want) {
			t.Errorf("splitCrumbs(%s, %q) = %q, want %q", c.re, s, got, want)
		}
	}
	if !strings.ContainsAny(s, sourceEnds) && sourceRE.MatchString(s) {
		t.Errorf("%q has none of %q, but sourceRE matches", s, sourceEnds)
	}
	if !mayHaveCookie(strings.ToLower(s)) && cookieRE.MatchString(s) {
		t.Errorf("mayHaveCookie(%q) = false, but cookieRE matches", strings.ToLower(s))
	}
	for _, v := range []string{s, strings.ToLower(s)} {
		if got, want := shareItems(v), shareSepRE.Split(v, -1); !slices.Equal(got, want) {
			t.Errorf("shareItems(%q) = %q, want %q", v, got, want)
		}
	}
	if got, want := menuItems(s), menuSepRE.Split(s, -1); !slices.Equal(got, want) {
		t.Errorf("menuItems(%q) = %q, want %q", s, got, want)
	}
	if got, want := oldAdSlotRE.MatchString(s), junkREs[0].MatchString(s); got != want {
		t.Errorf("ad slot %q: %v before, %v now", s, got, want)
	}
	if got, want := oldCounterRE.MatchString(s), junkREs[1].MatchString(s); got != want {
		t.Errorf("counter %q: %v before, %v now", s, got, want)
	}
	if got, want := collapseSpaces(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Errorf("collapseSpaces(%q) = %q, want %q", s, got, want)
	}
	if i := strings.IndexAny(s, ":："); hasLabelColon(s) != (i >= 0 && i <= 24) {
		t.Errorf("hasLabelColon(%q) = %v, but the first colon is at %d", s, hasLabelColon(s), i)
	}
}

// tokensBefore is tokens as it was before its pairs became views of the
// text: the reference it is compared with.
func tokensBefore(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(f)
		if !isCJK(rs[0]) || len(rs) == 1 {
			out[f] = true
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			out[string(rs[i:i+2])] = true
		}
	}
	return out
}

// checkTextFastPaths is checkFastPaths for the measures of text.go.
func checkTextFastPaths(t *testing.T, s string) {
	t.Helper()
	if tidy(s) && tidyFields(s) != s {
		t.Errorf("tidy(%q), but tidySpaces makes it %q", s, tidyFields(s))
	}
	if !changesChars(s) && strings.Map(normalizeChar, s) != s {
		t.Errorf("changesChars(%q) = false, but normalizeChar makes it %q", s, strings.Map(normalizeChar, s))
	}
	if got, want := tokens(s), tokensBefore(s); !maps.Equal(got, want) {
		t.Errorf("tokens(%q) = %v, want %v", s, got, want)
	}
}

// TestFastPaths runs checkFastPaths over the samples and the lines of the
// test texts.
func TestFastPaths(t *testing.T) {
	lines := fastPathLines(t)
	for _, s := range lines {
		checkFastPaths(t, s)
		checkTextFastPaths(t, s)
	}
	// The samples must exercise both sides of each fast path.
	var gloss, lost, year, source, cookie bool
	for _, s := range lines {
		source = source || sourceRE.MatchString(s)
		cookie = cookie || cookieRE.MatchString(s)
		gloss = gloss || pinyinGlossRE.MatchString(s)
		lost = lost || len(lostQuestionRunRE.FindAllStringIndex(s, -1)) >= lostCharsMin
		year = year || yearsIn(textnorm.Normalize(s)) != 0
	}
	if !gloss || !lost || !year || !source || !cookie {
		t.Errorf("the samples miss a case: gloss %v, lost characters %v, year %v, source %v, cookie %v", gloss, lost, year, source, cookie)
	}
}

// FuzzFastPaths checks the fast paths on what the fuzzer makes of the
// samples and the test texts' lines.
func FuzzFastPaths(f *testing.F) {
	for _, s := range fastPathLines(f) {
		if len(s) < 2000 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFastPaths(t, s)
		checkTextFastPaths(t, s)
	})
}

// BenchmarkBuild measures cleaning one report file into a Document (the
// corpus stage of an index build): each built-in report, and long
// generated reports like those of tools/gencorpus in English, Chinese and
// traditional Chinese.
func BenchmarkBuild(b *testing.B) {
	en := strings.Fields("Wang Yi foreign minister SCO summit Astana Dushanbe cooperation security development vaccine proposal member states council meeting Lavrov talks regional stability")
	zh := strings.Fields("王毅 外长 上合组织 峰会 阿斯塔纳 杜尚别 合作 安全 发展 疫苗 建议 成员国 理事会 会议 拉夫罗夫 会谈 地区 稳定")
	long := func(lead string, words []string, sep, end string) string {
		var sb strings.Builder
		sb.WriteString(lead)
		for i := 0; sb.Len() < 16800; i++ {
			if i%40 == 0 {
				sb.WriteString("\n\n")
			}
			sb.WriteString(words[(i*7+i/3)%len(words)])
			if i%12 == 11 {
				sb.WriteString(end)
			} else {
				sb.WriteString(sep)
			}
		}
		return sb.String()
	}
	zhText := long("上合组织报道第1号\n\n新华社北京4月24日电 2021年4月24日,", zh, "", "。")
	files := map[string]string{
		"long-en.txt":   long("SCO report number 0\n\nBEIJING, August 22 (Xinhua) -- On August 22, 2020, ", en, " ", ". "),
		"long-zh.txt":   zhText,
		"long-zhTW.txt": strings.NewReplacer("组织", "組織", "会议", "會議", "发展", "發展", "疫苗", "疫苗", "长", "長").Replace(zhText),
	}
	for id, text := range readSeeds(b) {
		files["seed-"+id+".txt"] = text
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		raw := []byte(files[name])
		b.Run(strings.TrimSuffix(name, ".txt"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := build(name, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
