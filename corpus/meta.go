package corpus

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// meta is what the heuristics found out about a document.
type meta struct {
	title, date, source, url string
}

// publishers maps the ways a publisher is named (in Chinese, English,
// Russian, or by web host) to one clean English name. Order matters: the
// first pattern that matches wins.
var publishers = []struct {
	re   *regexp.Regexp
	name string
}{
	{regexp.MustCompile(`(?i)中新社|中新网|中国新闻网|中国新闻社|china news service|chinanews|ecns\.cn`), "China News Service"},
	{regexp.MustCompile(`(?i)新华社|新华网|新华通讯社|xinhua|news\.cn|синьхуа`), "Xinhua"},
	{regexp.MustCompile(`(?i)外交部|fmprc\.gov\.cn|mfa\.gov\.cn|chinese foreign ministry|ministry of foreign affairs of (?:the )?(?:people's republic of china|prc)`), "Ministry of Foreign Affairs of the PRC"},
	{regexp.MustCompile(`(?i)人民网|people\.com\.cn|people's daily online`), "People's Daily Online"},
	{regexp.MustCompile(`(?i)人民日报|people's daily`), "People's Daily"},
	{regexp.MustCompile(`(?i)央视|中央电视台|cctv|cgtn`), "CCTV"},
	{regexp.MustCompile(`(?i)中国日报|chinadaily|china daily`), "China Daily"},
	{regexp.MustCompile(`(?i)环球时报|环球网|global ?times`), "Global Times"},
	{regexp.MustCompile(`(?i)光明日报|光明网|gmw\.cn`), "Guangming Daily"},
	{regexp.MustCompile(`(?i)国际在线|cri\.cn|china radio international`), "China Radio International"},
	{regexp.MustCompile(`(?i)上合组织秘书处|上海合作组织秘书处|sco secretariat|sectsco\.org`), "SCO Secretariat"},
	{regexp.MustCompile(`(?i)\bтасс\b|ТАСС|\btass\b|塔斯社`), "TASS"},
	{regexp.MustCompile(`(?i)риа новости|ria novosti|ria\.ru|俄新社`), "RIA Novosti"},
	{regexp.MustCompile(`(?i)интерфакс|interfax`), "Interfax"},
	{regexp.MustCompile(`(?i)казинформ|kazinform|inform\.kz|哈通社`), "Kazinform"},
	{regexp.MustCompile(`(?i)\breuters\b|路透社`), "Reuters"},
	{regexp.MustCompile(`(?i)\bafp\b|agence france-presse|法新社`), "AFP"},
	{regexp.MustCompile(`(?i)associated press|美联社|\bapnews\b`), "Associated Press"},
}

// publisherName maps a publisher's name as written to its clean English
// name; an unknown name is returned tidied.
func publisherName(s string) string {
	for _, p := range publishers {
		if p.re.MatchString(s) {
			return p.name
		}
	}
	s = strings.TrimFunc(s, isSpaceOrPunct)
	if utf8.RuneCountInString(s) > 60 || urlRE.MatchString(s) {
		return ""
	}
	return s
}

// knownPublisher returns the clean name of a publisher s mentions, or "".
func knownPublisher(s string) string {
	for _, p := range publishers {
		if p.re.MatchString(s) {
			return p.name
		}
	}
	return ""
}

var (
	sourceLabelRE = regexp.MustCompile(`(?i)(?:来源|稿源|出处|消息来源|文章来源|信息来源|本文来源|新闻来源|转自|转载自|source|sources|источник)\s*(?:】\s*[:：]?|[:：])\s*([^\s|｜,，;；()（）]+(?:\s[A-Z][^\s|｜,，;；()（）]*)*)`)
	agencyTagRE   = regexp.MustCompile(`\((Xinhua|Reuters|AFP|AP|TASS|Sputnik|Kazinform|Interfax)\)|\bXinhua News Agency\b|/\s*(ТАСС|РИА Новости|Интерфакс)\s*/`)
	// attributionRE finds the outlet credited at the end of a report: "…双边会谈。(外交部网站)".
	attributionRE = regexp.MustCompile(`[(（]([^()（）]{2,20})[)）]\s*$`)
)

// harvest gathers metadata from an analysed text and the HTML page it came
// from (hm may be zero).
func harvest(a *analysis, hm htmlMeta) meta {
	return meta{
		title:  harvestTitle(a, hm),
		date:   harvestDate(a, hm),
		source: harvestSource(a, hm),
		url:    harvestURL(a, hm),
	}
}

// harvestTitle prefers the page's own title, then a headline above the
// article, then a heading-like first line, then a breadcrumb's last item —
// each of the last three only if it shares a word with the article (a site's "Select font"
// widget or its journal number is no headline) — and at last the
// article's first sentence, shortened.
func harvestTitle(a *analysis, hm htmlMeta) string {
	if t := hm.bestTitle(); t != "" {
		return t
	}
	body := bodyWords(a)
	// title returns the candidate without a scraper's timestamp, or "" when
	// it is no headline of this article: a dateline alone, a journal's
	// number, a line sharing no word with the article. (A headline keeps
	// its "UFA SUMMIT —": only a lead sentence loses its dateline.)
	title := func(t string) string {
		t = cutPrefix(t, isoLeadRE)
		if rest := stripDateline(t); utf8.RuneCountInString(rest) < 4 || digitHeavy(t) || !sharesWord(rest, body) {
			return ""
		}
		return tidyTitle(t)
	}
	ls := a.lines
	for i := range ls {
		if ls[i].kind == kindTitle && ls[i].heading {
			if t := title(ls[i].raw); t != "" {
				return t
			}
		}
	}
	for i := range ls {
		if ls[i].kind == kindTitle {
			if t := title(ls[i].raw); t != "" {
				return t
			}
		}
	}
	if a.start >= 0 {
		if l := &ls[a.start]; l.heading || (!isProse(l.raw) && weight(l.raw) <= 120 && !endsSentence(l.raw)) {
			if t := title(l.raw); t != "" {
				return t
			}
		}
	}
	for i := range ls {
		if c := ls[i].crumb; c != "" && (countScript(c).han >= 6 || words(c) >= 4) {
			if t := title(c); t != "" {
				return t
			}
		}
	}
	return leadTitle(a)
}

// titleRunes is the length a title made of the article's first sentence is
// cut to.
const titleRunes = 60

// leadTitle is the first sentence of the article without its dateline, cut
// to titleRunes at a word boundary: better in a citation than a file name.
func leadTitle(a *analysis) string {
	for i := max(a.start, 0); i < len(a.lines); i++ {
		l := &a.lines[i]
		if l.kind != kindBody {
			continue
		}
		s := stripDateline(l.raw)
		if j := strings.IndexAny(s, "。！？!?"); j > 0 {
			s = s[:j]
		} else if j := strings.Index(s, ". "); j > 0 {
			s = s[:j]
		}
		s = tidyTitle(s)
		if utf8.RuneCountInString(s) < 8 {
			continue
		}
		r := []rune(s)
		if len(r) <= titleRunes {
			return s
		}
		cut := titleRunes
		for k := titleRunes; k > titleRunes/2; k-- {
			if r[k] == ' ' || r[k] == ',' || r[k] == '，' || r[k] == '、' {
				cut = k
				break
			}
		}
		return strings.TrimRight(string(r[:cut]), " ,，、") + "…"
	}
	return ""
}

// stripDateline removes a news dateline and its byline from the start of a
// sentence: the datelines findDateline reads, and the other forms of
// datelinePrefixRE, in traditional or full-width characters too.
func stripDateline(s string) string {
	s = cutPrefix(s, isoLeadRE)
	if _, n, _ := matchDateline(foldRunes(s)); n > 0 {
		s = string([]rune(s)[n:])
	} else {
		s = cutPrefix(s, datelinePrefixRE)
	}
	s = strings.TrimLeft(s, " ,:-—–")
	s = cutPrefix(s, bylineParenRE)
	return strings.TrimSpace(cutPrefix(s, localTimeRE))
}

// cutPrefix removes what re matches at the start of s, matched on
// foldRunes(s) so that traditional and full-width forms count.
func cutPrefix(s string, re *regexp.Regexp) string {
	f := foldRunes(s)
	if loc := re.FindStringIndex(f); loc != nil && loc[0] == 0 {
		return string([]rune(s)[utf8.RuneCountInString(f[:loc[1]]):])
	}
	return s
}

// foldRunes reads s rune for rune as the dateline patterns expect:
// traditional characters as simplified, full-width ASCII and the
// ideographic space as ASCII. It keeps the number of runes, so a match's
// length in runes is its length in s.
func foldRunes(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return textnorm.Simplify(r)
	}, s)
}

// bylineParenRE finds a reporters' byline in brackets at the start of a
// sentence: "(Reporters Zheng Mingda, Dong Xue)", "（记者 单璐 张硕）",
// "【环球时报驻俄罗斯特派记者 隋鑫】".
var bylineParenRE = regexp.MustCompile(`(?i)^\s*[(（【\[][^)）】\]]{0,20}?(?:记者|通讯员|reporters?|correspondents?|by)[^)）】\]]{0,80}[)）】\]]\s*`)

// localTimeRE finds a Chinese report's opening "当地时间5月21日," that
// dates the event rather than names it.
var localTimeRE = regexp.MustCompile(`^(?:当地时间|北京时间)?\d{1,2}月\d{1,2}日(?:[上下]午|晚)?[,，、]\s*`)

// isoLeadRE finds a scraper's leading timestamp: "date 2017-06-09",
// "2024-05-21 18:02:47".
var isoLeadRE = regexp.MustCompile(`(?i)^\s*(?:date|дата|日期)?\s*[:：]?\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*`)

// datelinePrefixRE finds a news dateline at the start of a sentence:
// "中新网6月17日电", "新华社北京7月5日电（记者 …）", "BEIJING, Jan 25 (APP) --",
// "TIANJIN, China, Sept. 1, 2025 (AP) —", "Dushanbe [Tajikistan], September
// 17 (ANI):", "АСТАНА, 9 июн — Sputnik.", "MOSCOW (Sputnik - 10th November,
// 2020)", "Ташкент, Узбекистан (UzDaily.uz) --", "ASTANA —".
var datelinePrefixRE = regexp.MustCompile(`^(?:` +
	// a Chinese agency's dateline
	`\p{Han}{2,12}?\d{1,2}月\d{1,2}日[电電](?:\s*[(（][^)）]{0,30}[)）])?` +
	// place [region] [, country], date [, year] [(agency)] [—] [Agency.]
	`|[A-ZА-ЯЁ][\p{L}.'’-]*(?:[ -][\p{L}.'’-]+){0,3}(?:\s*\[[^\]]{1,30}\])?(?:,\s*\p{L}[\p{L} .'’-]{1,30}?)?,\s*(?:\p{L}{3,9}\.?\s*\d{1,2}|\d{1,2}\s+\p{L}{3,9}\.?)(?:,?\s*\d{4}(?:\s*(?:года|г\.))?)?\s*(?:\([^)]{1,60}\))?\s*(?:--|—|–|-|::|:)?\s*(?:\p{L}{2,20}\.(?:\s|$))?` +
	// PLACE [, country] (agency) [—]
	`|[A-ZА-ЯЁ]{3,}[A-ZА-ЯЁ .'-]*(?:,\s*\p{L}[\p{L} .'-]{1,30})?\s*\([^)]{1,60}\)\s*(?:--|—|–|::|:)?` +
	// Place [, country] (agency) —
	`|[A-ZА-ЯЁ][\p{L} .'’-]{1,30}(?:,\s*\p{L}[\p{L} .'’-]{1,30})?\s*\([^)]{1,60}\)\s*(?:--|—|–|::|:)` +
	// PLACE —
	`|[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{2,30}\s*(?:—|–|--)` +
	`)\s*`)

// digitHeavy reports whether digits make up more than a third of the
// letters and digits of s: a journal number or a timestamp, no headline.
func digitHeavy(s string) bool {
	var d, n int
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			d++
			n++
		case unicode.IsLetter(r):
			n++
		}
	}
	return n > 0 && 3*d > n
}

// bodyWords are the title words (titleWords) of the article's first
// paragraphs.
func bodyWords(a *analysis) map[string]bool {
	set := map[string]bool{}
	n := 0
	for i := max(a.start, 0); i < len(a.lines) && n < 6; i++ {
		if a.lines[i].kind != kindBody {
			continue
		}
		n++
		for w := range titleWords(a.lines[i].raw) {
			set[w] = true
		}
	}
	return set
}

// sharesWord reports whether s holds a title word of set; an empty set (no
// body to compare with) accepts anything.
func sharesWord(s string, set map[string]bool) bool {
	if len(set) == 0 {
		return true
	}
	for w := range titleWords(s) {
		if set[w] {
			return true
		}
	}
	return false
}

// titleWords are the words of s (tokens, after textnorm) that tell what a
// text is about: Han bigrams, words of five letters or more (short ones
// are mostly "the", "with", "для"), and short ones written in capitals
// ("SCO", "ШОС").
func titleWords(s string) map[string]bool {
	s = textnorm.Normalize(s)
	ws := tokens(s)
	for w := range ws {
		if rs := []rune(w); !isCJK(rs[0]) && len(rs) < 5 && (len(rs) < 2 || !strings.Contains(s, strings.ToUpper(w))) {
			delete(ws, w)
		}
	}
	return ws
}

var siteSuffixRE = regexp.MustCompile(`\s*(?:[-–—|｜_]|::)\s*[^-–—|｜_]{1,24}$`)

// tidyTitle drops a trailing " - Site name" and spaces between CJK
// characters.
func tidyTitle(s string) string {
	s = tidySpaces(s)
	for {
		loc := siteSuffixRE.FindStringIndex(s)
		if loc == nil || loc[0] == 0 {
			break
		}
		tail := s[loc[0]:]
		if knownPublisher(tail) == "" && !strings.ContainsAny(tail, "网站频道") && !strings.Contains(strings.ToLower(tail), ".com") &&
			!strings.Contains(tail, "新闻") {
			break
		}
		s = s[:loc[0]]
	}
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") || strings.HasSuffix(s, "。") {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

// Date evidence, strongest first.
const (
	scorePageMeta   = 100 // article:published_time and friends
	scoreURL        = 90  // a date in the article's own URL
	scoreDateLine   = 80  // a publish-date line above the article
	scoreDateline   = 70  // a news dateline with a year
	scoreLead       = 60  // a date in the first paragraphs
	scoreStamp      = 50  // a timestamp (date and time) in any line above the article
	scoreLateLine   = 40  // a date line below the article
	scoreByline     = 10  // a repost/spam byline
	leadParagraphs  = 2
	datelineHorizon = 15
)

// harvestDate picks the best-supported date. A dateline that gives only a
// month and day ("9月16日电") lends its year-less date support from any full
// date that agrees with it.
func harvestDate(a *analysis, hm htmlMeta) string {
	best, bestScore := date{}, 0
	consider := func(d date, score int) {
		if d.y != 0 && d.valid() && score > bestScore {
			best, bestScore = d, score
		}
	}
	if d, ok := parseISODate(hm.publishedDate()); ok {
		consider(d, scorePageMeta)
	}
	for _, u := range []string{hm.canonical, hm.ogURL, sourceURL(a)} {
		if d, ok := urlDate(u); ok {
			consider(d, scoreURL)
		}
	}
	ls := a.lines
	for i := range ls {
		// A date with a time of day above the article is the page's
		// stamp, even on a line the cleaner drops (a URL and a stamp);
		// not a repost's byline ("abc123 - 2024/7/6 09:12"), which may be
		// days later.
		if ls[i].kind != kindByline && (a.start >= 0 && i < a.start || a.start < 0 && i < datelineHorizon) {
			for _, m := range timestampRE.FindAllString(ls[i].raw, -1) {
				for _, d := range findDates(m) {
					consider(d, scoreStamp)
				}
			}
		}
	}
	for i := range ls {
		l := &ls[i]
		var score int
		switch {
		case l.kind == kindDate || l.kind == kindSource:
			score = scoreDateLine
			if a.start >= 0 && i > a.end {
				score = scoreLateLine
			}
		case l.kind == kindByline:
			score = scoreByline
		default:
			continue
		}
		for _, d := range findDates(l.raw) {
			consider(d, score)
		}
	}
	var monthDay *date
	lead := 0
	for i := max(a.start, 0); i < len(ls) && lead < leadParagraphs; i++ {
		if ls[i].kind != kindBody {
			continue
		}
		lead++
		if dl, ok := findDateline(ls[i].raw); ok {
			if dl.d.y != 0 {
				consider(dl.d, scoreDateline)
			} else {
				monthDay = &dl.d
			}
		}
		if ds := findDates(ls[i].raw); len(ds) > 0 {
			consider(ds[0], scoreLead)
		}
	}
	if monthDay != nil && bestScore <= scoreByline {
		if d, ok := datelineYear(a, *monthDay); ok {
			return d.iso()
		}
		return repostDate(best, *monthDay)
	}
	return best.iso()
}

// datelineYear dates a dateline that names only a month and a day by a
// full date of the text's first paragraphs within a month of it: a
// communiqué "新华社比什凯克6月14日电" whose text opens "(2019年6月13日至
// 14日,比什凯克)" is of 14 June 2019.
func datelineYear(a *analysis, md date) (date, bool) {
	seen := 0
	for i := max(a.start, 0); i < len(a.lines) && seen < datelineHorizon; i++ {
		if !a.lines[i].kept() {
			continue
		}
		seen++
		for _, d := range findDates(a.lines[i].raw) {
			for _, y := range []int{d.y, d.y + 1, d.y - 1} {
				c := date{y: y, m: md.m, d: md.d}
				if !c.valid() {
					continue
				}
				gap := time.Date(c.y, time.Month(c.m), c.d, 0, 0, 0, 0, time.UTC).Sub(time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC))
				if gap < 0 {
					gap = -gap
				}
				if gap <= 31*24*time.Hour {
					return c, true
				}
			}
		}
	}
	return date{}, false
}

// repostDate dates a report whose dateline names only a month and day when
// the only full date is a repost's byline: a repost within a month of the
// dateline fixes the year; an older one leaves the date unknown.
func repostDate(byline, md date) string {
	if byline.y == 0 {
		return ""
	}
	repost := time.Date(byline.y, time.Month(byline.m), byline.d, 0, 0, 0, 0, time.UTC)
	for _, y := range []int{byline.y, byline.y - 1} {
		d := date{y: y, m: md.m, d: md.d}
		if !d.valid() {
			continue
		}
		lag := repost.Sub(time.Date(y, time.Month(md.m), md.d, 0, 0, 0, 0, time.UTC))
		if lag >= 0 && lag <= 31*24*time.Hour {
			return d.iso()
		}
	}
	return ""
}

// harvestSource names the publisher: a source line, a news dateline's agency,
// the page's site name, an agency tag, the outlet credited at the end of the
// report, or the host of the article's URL.
func harvestSource(a *analysis, hm htmlMeta) string {
	ls := a.lines
	for i := range ls {
		if ls[i].kind != kindSource {
			continue
		}
		if m := sourceLabelRE.FindStringSubmatch(ls[i].raw); m != nil {
			if urlRE.MatchString(m[1]) {
				if name := hostPublisher(m[1]); name != "" {
					return name
				}
				continue
			}
			if name := publisherName(m[1]); name != "" {
				return name
			}
		}
	}
	for i, n := max(a.start, 0), 0; i < len(ls) && n < datelineHorizon; i++ {
		if !ls[i].kept() {
			continue
		}
		n++
		if dl, ok := findDateline(ls[i].raw); ok && dl.agency != "" {
			if name := publisherName(dl.agency); name != "" {
				return name
			}
		}
	}
	if site := hm.siteName(); site != "" {
		if name := publisherName(site); name != "" {
			return name
		}
	}
	for i, n := max(a.start, 0), 0; i < len(ls) && n < leadParagraphs; i++ {
		if ls[i].kind != kindBody {
			continue
		}
		n++
		if m := agencyTagRE.FindString(ls[i].raw); m != "" {
			if name := knownPublisher(m); name != "" {
				return name
			}
		}
	}
	for i := len(ls) - 1; i >= 0; i-- {
		if !ls[i].kept() {
			continue
		}
		if m := attributionRE.FindStringSubmatch(ls[i].raw); m != nil {
			if name := knownPublisher(m[1]); name != "" {
				return name
			}
		}
		break
	}
	for _, u := range []string{hm.canonical, hm.ogURL, sourceURL(a)} {
		if name := hostPublisher(u); name != "" {
			return name
		}
	}
	return ""
}

// hostPublisher names the publisher of a known web host.
func hostPublisher(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return ""
	}
	return knownPublisher(p.Host)
}

// harvestURL returns the page's canonical URL, else the first URL in a
// source line.
func harvestURL(a *analysis, hm htmlMeta) string {
	for _, u := range []string{hm.canonical, hm.ogURL, sourceURL(a)} {
		if u != "" {
			return u
		}
	}
	return ""
}

// sourceURL returns the first http(s) URL of a source line, or "".
func sourceURL(a *analysis) string {
	for i := range a.lines {
		if a.lines[i].kind != kindSource {
			continue
		}
		if u := firstURL(a.lines[i].raw); u != "" {
			return u
		}
	}
	return ""
}

var httpURLRE = regexp.MustCompile(`(?i)https?://[^\s<>"'“”【】（）()]+`)

// firstURL returns the first http(s) URL in s without trailing punctuation.
func firstURL(s string) string {
	u := httpURLRE.FindString(s)
	return strings.TrimRight(u, ".,;:!?。，；：")
}
