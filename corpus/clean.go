package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// Clean removes from a scraped article everything that is not the article —
// navigation, breadcrumbs, ads and spam links, "related reading" teasers,
// comment forms, counters, share links, disclaimers and copyright footers,
// stray digit runs, bylines and the dateline/source lines that are metadata
// rather than text — and normalises what is left: markdown emphasis and
// editorial labels go, masked words (*治, 病*, 内*) are repaired, paragraphs
// are separated by exactly one blank line with single spaces inside and none
// between CJK characters. Punctuation is left as written.
//
// The rules work on the shape of a line and where it sits (short link- or
// menu-like lines before the article starts or after it ends, runs of teaser
// items, known footer phrases in Chinese, English and Russian, lines that are
// mostly digits) rather than on any one site's markup.
//
// Clean is idempotent: Clean(Clean(s)) == Clean(s).
func Clean(text string) string {
	return analyze(text).text()
}

// kind says what the cleaner decided a line is.
type kind uint8

const (
	kindBody       kind = iota // article text
	kindTitle                  // a headline above the article; kept
	kindDrop                   // boilerplate
	kindDate                   // a line that only gives a date/time (metadata)
	kindByline                 // "someone - date": a repost or spam byline
	kindSource                 // "来源:…", "Source: …", "【来源】http://…"
	kindBreadcrumb             // "首页 » 新闻 » …"
)

// line is one paragraph candidate and what the cleaner learned about it.
type line struct {
	orig    string // the line as written, trimmed, markup removed
	raw     string // orig with white space collapsed to single spaces
	kind    kind
	heading bool   // markdown heading, bold line or "Headline:" label
	bullet  bool   // started with a list bullet
	crumb   string // last item of a breadcrumb or "full version" line: a title of last resort
}

func (l *line) kept() bool { return l.kind == kindBody || l.kind == kindTitle }

// analysis is a text split into classified lines, with the article's first
// and last line.
type analysis struct {
	lines      []line
	start, end int // indexes of the first and last article line; -1 if none
}

// text returns the kept lines as clean paragraphs.
func (a *analysis) text() string {
	var b strings.Builder
	for i := range a.lines {
		l := &a.lines[i]
		if !l.kept() {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(tidySpaces(l.raw))
	}
	return b.String()
}

// analyze splits text into lines, classifies each and finds where the
// article starts and ends.
func analyze(text string) *analysis {
	a := &analysis{lines: splitLines(text), start: -1, end: -1}
	for i := range a.lines {
		classify(&a.lines[i])
	}
	dropRelated(a.lines)
	dropTeaserRuns(a.lines)
	dropComments(a.lines)
	a.zone()
	dropRepeats(a.lines)
	return a
}

// splitLines normalises white space and control characters, re-joins
// hard-wrapped lines and strips markup from each line.
func splitLines(text string) []line {
	text = normalizeChars(text)
	var out []line
	var blocks [][]string
	for _, block := range strings.Split(text, "\n\n") {
		var rows []string
		for _, r := range strings.Split(block, "\n") {
			if r = strings.TrimSpace(r); r != "" {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		if n := len(blocks); n > 0 && brokenOff(blocks[n-1][len(blocks[n-1])-1], rows[0]) {
			// "…印度政府代表、石油和" / "天然气部长穆利·德奥拉也将同日抵沪。"
			last := &blocks[n-1][len(blocks[n-1])-1]
			*last += rows[0]
			rows = rows[1:]
			if len(rows) == 0 {
				continue
			}
		}
		blocks = append(blocks, rows)
	}
	for _, rows := range blocks {
		rows = unwrap(rows)
		for _, r := range rows {
			l := stripMarkup(r)
			if l.raw != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// normalizeChars unifies line ends, maps exotic spaces to ' ', and removes
// control, zero-width and replacement characters, the pinyin a converter
// glued after characters, and the question marks an encoding loss left
// inside Chinese words.
func normalizeChars(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ToValidUTF8(s, "")
	if mayHavePinyinGloss(s) {
		s = pinyinGlossRE.ReplaceAllString(s, "$1")
	}
	s = dropLostChars(s)
	if !changesChars(s) {
		return s
	}
	return strings.Map(normalizeChar, s)
}

// normalizeChar is what normalizeChars does to one character: an exotic
// space becomes ' ', a control, zero-width or replacement character goes
// (-1), anything else stays.
func normalizeChar(r rune) rune {
	switch {
	case r == '\n':
		return r
	case r == '\t' || r == '\f' || r == '\v' || r == 0x85 || r == 0xA0 || r == 0x3000 ||
		(r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F:
		return ' '
	case r == utf8.RuneError || textnorm.Ignorable(r):
		return -1 // zero-width and bidi marks, soft hyphens, controls
	}
	return r
}

// changesChars reports whether normalizeChar changes a character of s,
// asking it only about the characters outside printable ASCII.
func changesChars(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7F || c == '\n' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if normalizeChar(r) != r {
			return true
		}
		i += size
	}
	return false
}

// pinyinGlossRE finds a toned pinyin syllable in brackets right after a Han
// character: the residue of a simplified/traditional converter that glosses
// the characters it is unsure of ("網(wǎng)", "機構(gòu)", "聯(lián)邦").
// A syllable must carry a tone mark, so "(WTO)" or "(2004)" never match.
var pinyinGlossRE = regexp.MustCompile(`(\p{Han})[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]`)

// mayHavePinyinGloss reports whether s has a place pinyinGlossRE could
// match: a bracket with a Han character before it and a letter a syllable
// starts with after it. It is false for nearly every text, which then
// never has to go through the regular expression (the costliest step of
// cleaning a long report); where it is true the expression decides.
func mayHavePinyinGloss(s string) bool {
	for _, bracket := range []string{"(", "（"} {
		for i := strings.Index(s, bracket); i >= 0; {
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+len(bracket):])
			if unicode.Is(unicode.Han, before) && (after >= 'a' && after <= 'z' || strings.ContainsRune(pinyinStartRunes, after)) {
				return true
			}
			j := strings.Index(s[i+len(bracket):], bracket)
			if j < 0 {
				break
			}
			i += len(bracket) + j
		}
	}
	return false
}

// pinyinStartRunes are the letters beyond a–z a syllable of pinyinGlossRE
// may start with.
const pinyinStartRunes = "üāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

// lostCharRE finds a run of ASCII question marks touching a Han character.
var lostCharRE = regexp.MustCompile(`\p{Han}\?+|\?+\p{Han}`)

// lostCharsMin is how many runs of question marks inside Chinese words a
// text must hold before they are taken for lost characters: a text using
// half-width punctuation has a few real question marks between sentences,
// while a page whose characters were lost in an encoding has them in most
// words ("上?海合作组??织??峰??会").
const lostCharsMin = 8

// dropLostChars removes the question marks that stand for characters an
// encoding lost, when a text has many of them between Han characters; a
// text with a few keeps them, since they may be real question marks.
func dropLostChars(s string) string {
	// Each match of lostQuestionRunRE holds a Han character followed by a
	// question mark, and no two matches the same one: with fewer such
	// pairs than lostCharsMin there are fewer matches, and the text need
	// not be searched.
	if hanQuestionPairs(s, lostCharsMin) < lostCharsMin {
		return s
	}
	if len(lostQuestionRunRE.FindAllStringIndex(s, lostCharsMin)) < lostCharsMin {
		return s
	}
	return lostCharRE.ReplaceAllStringFunc(s, func(m string) string { return strings.Trim(m, "?") })
}

// hanQuestionPairs counts the question marks of s right after a Han
// character, stopping at most.
func hanQuestionPairs(s string, most int) int {
	n := 0
	for i := 1; i < len(s) && n < most; i++ {
		j := strings.IndexByte(s[i:], '?')
		if j < 0 {
			break
		}
		i += j
		if r, _ := utf8.DecodeLastRuneInString(s[:i]); unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// lostQuestionRunRE finds question marks with Han characters on both sides.
var lostQuestionRunRE = regexp.MustCompile(`\p{Han}\?+\p{Han}`)

// brokenOff reports whether a paragraph ending in prev was broken off in
// the middle of a Chinese sentence and goes on in the paragraph starting
// with next: prev has ended sentences before but not its last, which
// stops on a Han character, and next starts with one. A heading or a
// caption holds no sentence end; a paragraph that is done ends with one.
func brokenOff(prev, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(next)
	return unicode.Is(unicode.Han, last) && unicode.Is(unicode.Han, first) &&
		strings.ContainsAny(prev, "。！？") && !endsSentence(prev)
}

// unwrap joins the lines of one block that were hard-wrapped: a long line
// that does not end a sentence followed by one that starts in lower case
// or, in a block wrapped at a fixed width (see wrappedWidth), by any line:
// there a capital ("… Chinese President Jiang / Zemin said …") is no sign
// of a new paragraph.
func unwrap(rows []string) []string {
	if len(rows) < 2 {
		return rows
	}
	width := wrappedWidth(rows)
	out := rows[:1:1]
	for i, r := range rows[1:] {
		prev := out[len(out)-1]
		first, _ := utf8.DecodeRuneInString(r)
		if utf8.RuneCountInString(prev) >= 40 && !endsSentence(prev) &&
			(unicode.IsLower(first) || width > 0 && float64(utf8.RuneCountInString(rows[i])) >= width*wrapShare) {
			out[len(out)-1] = prev + " " + r
			continue
		}
		out = append(out, r)
	}
	return out
}

// Hard wrapping: a block is wrapped at a width when it has at least
// wrapMinRows lines, the longest (the width) has between wrapMinWidth and
// wrapMaxWidth characters, and at least wrapLines of the lines before the
// last are at least wrapShare of it long. Text wrapped at 60–80 columns
// looks like that; paragraphs, menus and lists do not.
const (
	wrapMinRows  = 4
	wrapMinWidth = 50
	wrapMaxWidth = 100
	wrapShare    = 0.75
	wrapLines    = 0.7
)

// wrappedWidth returns the width a block's lines were hard-wrapped at, or
// 0 when they were not.
func wrappedWidth(rows []string) float64 {
	if len(rows) < wrapMinRows {
		return 0
	}
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r))
	}
	if width < wrapMinWidth || width > wrapMaxWidth {
		return 0
	}
	long := 0
	for _, r := range rows[:len(rows)-1] {
		if float64(utf8.RuneCountInString(r)) >= wrapShare*float64(width) {
			long++
		}
	}
	if float64(long) < wrapLines*float64(len(rows)-1) {
		return 0
	}
	return float64(width)
}

var (
	mdHeadingRE  = regexp.MustCompile(`^#{1,6}\s+(.*?)(?:\s+#+)?$`)
	mdImageRE    = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLinkRE     = regexp.MustCompile(`\[([^\]]+)\]\((?:[^()\s]+)(?:\s+"[^"]*")?\)`)
	mdBoldRE     = regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*|__(\S(?:.*?\S)?)__`)
	mdItalicRE   = regexp.MustCompile(`(^|[\s(])\*([A-Za-z0-9][^*]*?[A-Za-z0-9.!?])\*($|[\s).,;:!?])`)
	bulletRE     = regexp.MustCompile(`^(?:[` + bullets + `]|&bull;)\s*`)
	headlineRE   = regexp.MustCompile(`(?i)^(?:headline|title|标题|题目|заголовок)\s*[:：]\s*`)
	quoteMarkRE  = regexp.MustCompile(`^(?:>\s*)+`)
	bareStarsRE  = regexp.MustCompile(`^\*+|\*+$`)
	maskedWordRE = regexp.MustCompile(`\*(治|府|策)|(病|内)\*`)
)

// bullets are the list markers a line may start with.
const bullets = "-*+•·▪●■►◆◇○▶※"

// maskedWords maps the masked forms of words that spam-filtered reposts
// censor to the only word they can stand for.
var maskedWords = map[string]string{
	"*治": "政治", "*府": "政府", "*策": "政策",
	"病*": "病毒", "内*": "内政",
}

// stripMarkup removes markdown and editorial labels from one row and repairs
// masked words, until nothing more changes (so that cleaning is idempotent:
// "* • x" loses both bullets at once).
func stripMarkup(s string) line {
	l := stripMarkupOnce(s)
	for range 8 {
		next := stripMarkupOnce(l.orig)
		if next.orig == l.orig {
			break
		}
		next.heading = next.heading || l.heading
		next.bullet = next.bullet || l.bullet
		l = next
	}
	return l
}

func stripMarkupOnce(s string) line {
	var l line
	if strings.HasPrefix(s, ">") {
		s = quoteMarkRE.ReplaceAllString(s, "")
	}
	if strings.HasPrefix(s, "#") {
		if m := mdHeadingRE.FindStringSubmatch(s); m != nil {
			s, l.heading = m[1], true
		}
	}
	if r, _ := utf8.DecodeRuneInString(s); strings.ContainsRune(bullets, r) || r == '&' {
		if loc := bulletRE.FindStringIndex(s); loc != nil && (loc[1] > 1 || len(s) > 1 && s[1] == ' ') && !strings.HasPrefix(s, "**") {
			s, l.bullet = strings.TrimSpace(s[loc[1]:]), true
		}
	}
	if strings.Contains(s, "*") {
		s = maskedWordRE.ReplaceAllStringFunc(s, func(m string) string { return maskedWords[m] })
	}
	if strings.Contains(s, "](") {
		s = mdImageRE.ReplaceAllString(s, "")
		s = mdLinkRE.ReplaceAllString(s, "$1")
	}
	if strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") || strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") {
		l.heading = true
	}
	if strings.Contains(s, "**") || strings.Contains(s, "__") {
		s = mdBoldRE.ReplaceAllString(s, "$1$2")
	}
	if strings.Contains(s, "*") {
		s = mdItalicRE.ReplaceAllString(s, "$1$2$3")
		if strings.HasPrefix(s, "*") || strings.HasSuffix(s, "*") {
			if t := strings.TrimSpace(bareStarsRE.ReplaceAllString(s, "")); t != "" && !strings.HasPrefix(s, "* ") {
				s = t
			}
		}
	}
	if hasLabelColon(s) {
		if loc := headlineRE.FindStringIndex(s); loc != nil && loc[1] < len(s) {
			s, l.heading = s[loc[1]:], true
		}
	}
	l.orig = strings.TrimSpace(s)
	l.raw = collapseSpaces(l.orig)
	return l
}

// hasLabelColon reports whether s has a colon (":" or "：") starting within
// its first 24 bytes, where a label such as "标题:" ends. It looks no
// further than that: a "：" starting there ends by byte 27.
func hasLabelColon(s string) bool {
	i := strings.IndexAny(prefix(s, 27), ":：")
	return i >= 0 && i <= 24
}

// collapseSpaces returns strings.Join(strings.Fields(s), " "): s with its
// runs of white space made one space and none at either end. Most lines
// have none to collapse and come back as they are, without being split.
func collapseSpaces(s string) string {
	if collapsed(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// collapsed reports whether collapseSpaces would return s as it is: its
// white space is single ASCII spaces, none at either end.
func collapsed(s string) bool {
	prevSpace := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			space := c == ' '
			if space && prevSpace || c != ' ' && asciiSpace(c) {
				return false
			}
			prevSpace = space
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == "" // no trailing space
}

// asciiSpace reports whether c is ASCII white space, as unicode.IsSpace
// says for ASCII.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// classify decides what a line is from the line alone.
func classify(l *line) {
	s := l.raw
	switch {
	case !hasLetter(s):
		l.kind = kindDrop
		if isDateLine(s) {
			l.kind = kindDate
		}
	case isSourceLine(s):
		l.kind = kindSource
	case isDateLine(s):
		l.kind = kindDate
	case isByline(s):
		l.kind = kindByline
	default:
		if tail, ok := breadcrumb(l.orig); ok {
			l.kind, l.crumb = kindBreadcrumb, tail
			return
		}
		if m := fullVersionRE.FindStringSubmatch(s); m != nil {
			l.kind, l.crumb = kindDrop, strings.TrimSpace(m[1])
			return
		}
		if isJunk(s) || isLinkSpam(s) || isMenu(l.orig) {
			l.kind = kindDrop
		}
	}
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// sourceRE matches a source/origin label: "来源:外交部网站", "【来源】http://…",
// "Source: Xinhua", "原文链接:…".
var sourceRE = regexp.MustCompile(`(?i)(?:^|\s|[(（【\[])(?:【\s*)?(?:来源|稿源|出处|消息来源|文章来源|信息来源|本文来源|新闻来源|转自|转载自|原文链接|原文地址|原文网址|source|sources|original(?: link| article)?|источник)\s*(?:】\s*[:：]?|[:：])`)

// sourceEnds are the characters one of which ends every match of
// sourceRE: a line with none of them is no source line, found without
// searching it.
const sourceEnds = ":：】"

// isSourceLine reports whether s names where the article came from rather
// than being part of it.
func isSourceLine(s string) bool {
	if !strings.ContainsAny(s, sourceEnds) || utf8.RuneCountInString(s) > 150 {
		return false // sourceRE cannot match
	}
	loc := sourceRE.FindStringIndex(s)
	if loc == nil {
		return false
	}
	return loc[0] <= 1 || len(findDates(s)) > 0 || sentenceMarks(s) == 0
}

// fullVersionRE matches forum "view the full version" footers, whose tail is
// the page title.
var fullVersionRE = regexp.MustCompile(`(?i)^(?:查看完整版本|完整版本|view full version|full version)\s*[:：]?\s*(.*)$`)

var (
	homeRE       = regexp.MustCompile(`(?i)^(?:首页|主页|网站首页|home|homepage|main|главная)$`)
	positionRE   = regexp.MustCompile(`(?i)^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|you are here|current location|вы здесь)\s*[:：]\s*`)
	crumbSepRE   = regexp.MustCompile(`\s*(?:»|›|>>|>|＞|→|::)\s*`)
	crumbSlashRE = regexp.MustCompile(`\s*(?:/|\||｜|»|›|>|＞|→)\s*`)
)

// The characters every separator of crumbSepRE and crumbSlashRE holds one
// of.
const (
	crumbSeps    = "»›>＞→:"
	crumbSlashes = "/|｜»›>＞→"
)

// splitCrumbs splits s at the matches of sep, a separator that always holds
// one of the characters of chars: a line with none of them is one part,
// found without searching it for sep.
func splitCrumbs(sep *regexp.Regexp, chars, s string) []string {
	if !strings.ContainsAny(s, chars) {
		return []string{s}
	}
	return sep.Split(s, -1)
}

// breadcrumb reports whether s is a breadcrumb trail ("首页 » 新闻频道 » 国内新闻",
// "HOME > News", "当前位置:首页 > 国际") and returns its last item.
func breadcrumb(s string) (string, bool) {
	if len(s) > 300 {
		return "", false
	}
	if loc := positionRE.FindStringIndex(s); loc != nil {
		parts := splitCrumbs(crumbSlashRE, crumbSlashes, s[loc[1]:])
		return parts[len(parts)-1], true
	}
	parts := splitCrumbs(crumbSepRE, crumbSeps, s)
	if len(parts) < 2 {
		if slash := splitCrumbs(crumbSlashRE, crumbSlashes, s); len(slash) >= 2 && homeRE.MatchString(strings.TrimSpace(slash[0])) {
			parts = slash
		} else {
			return "", false
		}
	}
	for _, p := range parts[:len(parts)-1] {
		if p = strings.TrimSpace(p); p == "" || weight(p) > 24 || endsSentence(p) {
			return "", false
		}
	}
	tail := strings.TrimSpace(parts[len(parts)-1])
	if homeRE.MatchString(strings.TrimSpace(parts[0])) || len(parts) >= 3 {
		return tail, true
	}
	return "", false
}

// footerRE matches the start of a copyright or disclaimer footer, however
// long the footer is.
var footerRE = regexp.MustCompile(`(?i)^[(（【\[]?\s*(?:免责声明|版权声明|特别声明|郑重声明|声明\s*[:：]|版权所有|disclaimer|copyright|©|\(c\)\s*\d{4}|all rights reserved)`)

// prefix returns at most the first n bytes of s.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// junkREs match whole short lines of boilerplate.
var junkREs = []*regexp.Regexp{
	// ad slots and labels (each expression anchored once, at its start:
	// "^a$|^b$" would be tried at every position of a long line)
	regexp.MustCompile(`(?i)^(?:\[?\s*ad[_ -]?\d*\s*\]?|advertisement|advertising|sponsored(?: content)?|广告|推广|赞助内容|реклама)$`),
	// view counters
	regexp.MustCompile(`(?i)^(?:(?:views?|hits|reads|page ?views|阅读(?:量|数|次数)?|浏览(?:量|数|次数)?|点击(?:量|数|次数)?|人气|просмотр(?:ы|ов)?)\s*[:：]?\s*[(（]?\s*[\d,]+\s*[)）]?\s*(?:次|views)?|[\d,]+\s*(?:views|reads|次阅读|次浏览|阅读|浏览))$`),
	// editorial markers between an original and its translation
	regexp.MustCompile(`(?i)^(?:(?:以下为|下面是|附)?(?:英|中|俄)[文语](?:版|原文|译文|翻译|全文)?(?:如下|见下|附后)?|(?:english|chinese|russian) (?:version|translation|text)(?: below| follows| as follows)?|translation|перевод)\s*[:：]?$`),
	// keyword and tag lines
	regexp.MustCompile(`(?i)^(?:keywords?|key words|tags?|关键[词字]|标签|ключевые слова|теги)\s*[:：]`),
	// previous/next, back-to-top and similar page furniture
	regexp.MustCompile(`(?i)^(?:返回列表|返回首页|返回顶部|回到顶部|上一篇|下一篇|上一条|下一条|上一页|下一页|(?:previous|next) (?:article|post|story|page)|back to (?:top|list|home))(?:\s*[:：].*)?$`),
	// share bars
	regexp.MustCompile(`(?i)^(?:分享到|分享至|一键分享|share (?:this|on|via)(?: article| story| page)?|поделиться)\s*[:：]?`),
	// editor and reporter credits at the end
	regexp.MustCompile(`(?i)^[(（【\[]?\s*(?:责任编辑|责编|编辑|校对|审核|审校|监制|实习编辑|editor|edited by|editing by|reporting by|writing by|photo editor|редактор)\s*[:：]\s*[^,，。.]{0,30}[)）】\]]?$`),
	// comment forms
	regexp.MustCompile(`(?i)^(?:发表回复|发表评论|网友评论|我要评论|全部评论|最新评论|热门评论|评论区|leave a (?:reply|comment)|post (?:a )?comment|add a comment|comments?(?: \(\d+\))?|\d+ comments?|join the (?:conversation|discussion)|комментари[ий](?: \(\d+\))?)\s*[:：]?$`),
	// "read more" pointers to other stories
	regexp.MustCompile(`(?i)^(?:read more|read also|see also|also read|更多精彩|点击(?:查看|阅读)|阅读原文|читайте также)\b\s*[:：]?.{0,80}$`),
}

// junkPhrases mark a short line (see junkPhraseMax) as boilerplate wherever
// they appear in it.
var junkPhrases = []string{
	"您的邮箱地址不会被公开", "必填项已用", "your email address will not be published", "required fields are marked",
	"save my name, email", "comments are closed", "取消回复", "cancel reply", "文明上网", "理性发言", "登录后发表", "登录后评论",
	"all rights reserved", "版权所有", "转载请注明", "未经授权", "未经许可", "如有侵权", "本网站转载", "本网对文中", "不代表本网", "不代表本站",
	"subscribe to our", "sign up for our", "newsletter", "download our app", "download the app", "follow us on",
	"扫码关注", "扫描二维码", "下载客户端", "微信公众号", "关注我们", "编辑推荐", "点击排行",
	"all materials on this site", "все права защищены",
}

const junkPhraseMax = 240 // runes

// shareTokens are the words of share bars and page tools ("Suggest To A
// Friend", "Print", "【打印】【关闭】").
var shareTokens = map[string]bool{
	"print": true, "email": true, "e-mail": true, "share": true, "tweet": true, "facebook": true, "twitter": true,
	"x": true, "linkedin": true, "whatsapp": true, "telegram": true, "wechat": true, "weibo": true, "vk": true,
	"reddit": true, "copy link": true, "copy": true, "link": true, "like": true, "subscribe": true, "close": true,
	"top": true, "suggest to a friend": true, "send to a friend": true, "print this page": true, "font": true,
	"打印": true, "关闭": true, "关闭窗口": true, "收藏": true, "分享": true, "微信": true, "微博": true, "qq": true,
	"qq空间": true, "朋友圈": true, "推荐": true, "纠错": true, "字号": true, "大": true, "中": true, "小": true,
	"打印本页": true, "复制链接": true, "accept": true, "accept all": true, "decline": true, "reject all": true,
	"manage preferences": true, "cookie settings": true, "got it": true, "ok": true, "печать": true,
}

var shareSepRE = regexp.MustCompile(`\s*(?:[|｜/·•,，【】\[\]()（）]|\s{2,})\s*`)

// shareSeps are the characters one kind of shareSepRE's separators holds;
// the other kind is a run of white space (hasSpaceRun).
const shareSeps = "|｜/·•,，【】[]()（）"

// shareItems splits s at shareSepRE's separators; a line with none is one
// item, found without searching it.
func shareItems(s string) []string {
	if !strings.ContainsAny(s, shareSeps) && !hasSpaceRun(s) {
		return []string{s}
	}
	return shareSepRE.Split(s, -1)
}

var cookieRE = regexp.MustCompile(`(?i)cookie`)
var cookieContextRE = regexp.MustCompile(`(?i)\b(?:accept|consent|privacy|we use|this (?:site|website) uses|preferences)\b`)

// mayHaveCookie reports whether cookieRE may match the line whose
// strings.ToLower is low. Every rune that (?i) lets stand for a letter of
// "cookie" (C, O, K, the Kelvin sign, I, E) lower-cases to that letter, so
// a line cookieRE matches has "cookie" in its lower-case form.
func mayHaveCookie(low string) bool { return strings.Contains(low, "cookie") }

// isJunk reports whether s is a known kind of page boilerplate.
func isJunk(s string) bool {
	if footerRE.MatchString(prefix(s, 64)) {
		return true
	}
	if len(s) > 400 { // the rest only ever match short lines
		return false
	}
	for _, re := range junkREs {
		if re.MatchString(s) {
			return true
		}
	}
	n := utf8.RuneCountInString(s)
	low := strings.ToLower(s) // len(s) <= 400
	if n <= junkPhraseMax {
		for _, p := range junkPhrases {
			if strings.Contains(low, p) {
				return true
			}
		}
	}
	if n <= 400 && mayHaveCookie(low) && cookieRE.MatchString(s) && cookieContextRE.MatchString(s) {
		return true
	}
	return isShareBar(s)
}

// isShareBar reports whether every item of s is a share or page-tool word.
func isShareBar(s string) bool {
	if len(s) > 200 {
		return false
	}
	low := strings.ToLower(strings.Trim(s, " :："))
	if shareTokens[low] {
		return true
	}
	items := shareItems(low)
	n := 0
	for _, it := range items {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		if !shareTokens[it] {
			return false
		}
		n++
	}
	return n > 0
}

var urlRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'“”【】（）]+`)

// isLinkSpam reports whether s is little more than a link: a URL with a few
// words around it ("白癜风丸价格 https://…").
func isLinkSpam(s string) bool {
	if !strings.Contains(s, "://") && !strings.Contains(strings.ToLower(s), "www.") || !urlRE.MatchString(s) {
		return false
	}
	rest := urlRE.ReplaceAllString(s, " ")
	return weight(strings.TrimFunc(rest, isSpaceOrPunct)) <= 30 && sentenceMarks(rest) == 0
}

var menuSepRE = regexp.MustCompile(`\s*[|｜·•/]\s*|\s{2,}`)

// menuSeps are the characters one kind of menuSepRE's separators holds;
// the other kind is a run of white space (hasSpaceRun). A line with
// neither is one item, found without searching it.
const menuSeps = "|｜·•/"

// menuItems splits s at menuSepRE's separators.
func menuItems(s string) []string {
	if !strings.ContainsAny(s, menuSeps) && !hasSpaceRun(s) {
		return []string{s}
	}
	return menuSepRE.Split(s, -1)
}

// hasSpaceRun reports whether s holds two white-space characters in a row,
// as \s means white space in a regular expression.
func hasSpaceRun(s string) bool {
	for i := 1; i < len(s); i++ {
		if reSpace(s[i]) && reSpace(s[i-1]) {
			return true
		}
	}
	return false
}

// isMenu reports whether s is a row of navigation items: three or more short
// items separated by bars, dots, wide gaps or (between Chinese words) spaces.
func isMenu(s string) bool {
	if endsSentence(s) || strings.ContainsAny(s, ",，。、;；") {
		return false
	}
	items := menuItems(s)
	if len(items) < 3 {
		if c := countScript(s); c.han > 0 && c.han*2 >= c.letters() {
			items = strings.Fields(s)
		}
	}
	n := 0
	for _, it := range items {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		if weight(it) > 16 {
			return false
		}
		n++
	}
	return n >= 3
}

var relatedRE = regexp.MustCompile(`(?i)^(?:相关(?:阅读|新闻|报道|文章|链接|推荐|专题)|热门(?:推荐|文章|新闻|阅读|排行)|推荐阅读|延伸阅读|猜你喜欢|为你推荐|更多(?:新闻|阅读|精彩|报道)|精彩推荐|今日推荐|related(?: (?:stories|articles|news|reading|content|posts|coverage|links))?|more (?:stories|news|from \S.*)|you (?:may|might) (?:also )?like|recommended(?: for you| reading)?|trending(?: now)?|most (?:read|popular|viewed)|top stories|популярное|читайте также|смотрите также|новости по теме|по теме)\s*[:：]?$`)

// dropRelated removes a "related reading" block: its heading and the teaser
// items after it (bullets, short titles, truncated summaries, dates).
func dropRelated(ls []line) {
	for i := 0; i < len(ls); i++ {
		if !ls[i].kept() || !relatedRE.MatchString(ls[i].raw) {
			continue
		}
		ls[i].kind = kindDrop
		for j := i + 1; j < len(ls); j++ {
			l := &ls[j]
			if !l.kept() {
				continue
			}
			if !isTeaser(l) {
				break
			}
			l.kind = kindDrop
			i = j
		}
	}
}

// isTeaser reports whether l looks like an item of a list of other stories.
func isTeaser(l *line) bool {
	return l.bullet || endsEllipsis(l.raw) || (!isProse(l.raw) && weight(l.raw) <= 80)
}

// dropTeaserRuns removes runs of two or more truncated summaries ("…") and
// the short titles between them, a related-stories list without a heading.
func dropTeaserRuns(ls []line) {
	var run []int // kept lines of the current run
	teasers := 0
	flush := func() {
		if teasers >= 2 {
			for _, k := range run {
				ls[k].kind = kindDrop
			}
		}
		run, teasers = run[:0], 0
	}
	for i := range ls {
		l := &ls[i]
		if !l.kept() {
			continue
		}
		switch {
		case endsEllipsis(l.raw):
			run = append(run, i)
			teasers++
		case len(run) > 0 && !isProse(l.raw) && weight(l.raw) <= 80:
			run = append(run, i)
		default:
			// trailing short titles belong to no teaser
			for len(run) > 0 && !endsEllipsis(ls[run[len(run)-1]].raw) {
				run = run[:len(run)-1]
			}
			flush()
		}
	}
	for len(run) > 0 && !endsEllipsis(ls[run[len(run)-1]].raw) {
		run = run[:len(run)-1]
	}
	flush()
}

var commentHeadRE = regexp.MustCompile(`(?i)^(?:发表回复|发表评论|网友评论|我要评论|全部评论|最新评论|热门评论|评论区|leave a (?:reply|comment)|comments?(?: \(\d+\))?|\d+ comments?|join the (?:conversation|discussion)|комментари[ий](?: \(\d+\))?)\s*[:：]?$`)

// dropComments removes a comment section: once a comment heading follows the
// article, nothing after it is article text.
func dropComments(ls []line) {
	seenProse := false
	for i := range ls {
		if ls[i].kind == kindBody && isProse(ls[i].raw) {
			seenProse = true
		}
		if seenProse && commentHeadRE.MatchString(ls[i].raw) {
			for j := i; j < len(ls); j++ {
				if ls[j].kept() {
					ls[j].kind = kindDrop
				}
			}
			return
		}
	}
}

// isProse reports whether s reads as running text rather than a title, menu
// item or label.
func isProse(s string) bool {
	w := weight(s)
	return (w >= 60 && endsSentence(s) && !endsEllipsisOnly(s)) || (sentenceMarks(s) >= 2 && w >= 40)
}

// endsEllipsisOnly: a line ending in "..." counts as a sentence only when it
// also has sentence marks before the ellipsis.
func endsEllipsisOnly(s string) bool {
	return endsEllipsis(s) && sentenceMarks(strings.TrimRight(s, ".… "+closers)) == 0
}

// isTitleLike reports whether a line above the article can be its headline.
func isTitleLike(l *line) bool {
	if isMenu(l.orig) {
		return false
	}
	c := countScript(l.raw)
	return l.heading || c.han >= 8 || words(l.raw) >= 6
}

// zone finds the article's first line (a news dateline near the top, else the
// first line of running text) and last line (the last line of running text),
// keeps only headlines above it and only sentence fragments below it.
func (a *analysis) zone() {
	ls := a.lines
	a.start = -1
	for i, n := 0, 0; i < len(ls) && n < 15; i++ {
		if !ls[i].kept() {
			continue
		}
		n++
		if _, ok := findDateline(ls[i].raw); ok {
			a.start = i
			break
		}
	}
	if a.start < 0 {
		for i := range ls {
			if ls[i].kept() && isProse(ls[i].raw) {
				a.start = i
				break
			}
		}
	}
	if a.start < 0 {
		for i := range ls {
			if ls[i].kept() {
				a.start = i
				break
			}
		}
	}
	if a.start < 0 {
		return
	}
	prev := -1 // the last headline kept so far
	for i := 0; i < a.start; i++ {
		l := &ls[i]
		if !l.kept() {
			continue
		}
		if !isTitleLike(l) {
			l.kind = kindDrop
			continue
		}
		l.kind = kindTitle
		// a near-copy of the headline before (page title, then h1) replaces it
		if prev >= 0 && similar(ls[prev].raw, l.raw) {
			ls[prev].kind = kindDrop
		}
		prev = i
	}
	a.end = a.start
	for i := len(ls) - 1; i >= a.start; i-- {
		if ls[i].kept() && isProse(ls[i].raw) {
			a.end = i
			break
		}
	}
	// Walk the tail backwards so that a lead-in ("…四点建议:") is kept when
	// what it introduces is.
	nextKept := false
	for i := len(ls) - 1; i > a.end; i-- {
		l := &ls[i]
		if !l.kept() {
			continue
		}
		if !isFragment(l.raw) && !(nextKept && endsSentence(l.raw) && weight(l.raw) >= 8) {
			l.kind = kindDrop
		}
		nextKept = l.kept()
	}
}

// isFragment reports whether s, found after the last full paragraph, is still
// article text — typically a paragraph cut off by the scraper.
func isFragment(s string) bool {
	if isMenu(s) {
		return false
	}
	short := endsSentence(s) && !strings.HasSuffix(strings.TrimRight(s, closers), ":") &&
		!strings.HasSuffix(strings.TrimRight(s, closers), "：") && weight(s) >= 8
	return short || (weight(s) >= 30 && hasInnerPunct(s))
}

// dropRepeats removes a kept paragraph that repeats the one before it.
func dropRepeats(ls []line) {
	prev := -1
	for i := range ls {
		if !ls[i].kept() {
			continue
		}
		if prev >= 0 && ls[prev].raw == ls[i].raw {
			ls[i].kind = kindDrop
			continue
		}
		prev = i
	}
}
