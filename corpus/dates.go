package corpus

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scobot/scobot/textnorm"
)

// date is a calendar date found in text; year 0 means the text named only a
// month and a day.
type date struct {
	y, m, d int
}

// iso formats the date as YYYY-MM-DD ("" for a date without a year).
func (d date) iso() string {
	if d.y == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)
}

// valid reports whether the date exists (a missing year counts as a leap
// year, so 2月29日 is fine).
func (d date) valid() bool {
	y := d.y
	if y == 0 {
		y = 2000
	}
	if y < 1900 || y > 2100 || d.m < 1 || d.m > 12 || d.d < 1 {
		return false
	}
	t := time.Date(y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.d
}

const (
	enMonth = `(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`
	ruMonth = `(?i:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)`
	year    = `((?:19|20)\d{2})`
)

var ruMonths = []string{"январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"}

// monthNumber maps an English or Russian month name (any form this file's
// patterns accept) to 1–12, or 0.
func monthNumber(s string) int {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	en := []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	for i, p := range en {
		if strings.HasPrefix(s, p) {
			return i + 1
		}
	}
	// Russian genitive forms: check longer stems first so "мая" is not "март".
	for i := len(ruMonths) - 1; i >= 0; i-- {
		if strings.HasPrefix(s, ruMonths[i]) && (ruMonths[i] != "ма" || s == "мая") {
			return i + 1
		}
	}
	return 0
}

// datePattern is one way of writing a date; y, m and d are submatch indexes
// (m may be a month name), 0 when the form has no year. around is what
// must stand next to the year for the pattern to match (see yearsIn).
type datePattern struct {
	re      *regexp.Regexp
	y, m, d int
	around  yearSides
}

var fullDatePatterns = []datePattern{
	{regexp.MustCompile(year + `\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`), 1, 2, 3, nianAfter},
	{regexp.MustCompile(`(?:^|[^\d])` + year + `[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)`), 1, 2, 3, sepAfter},
	{regexp.MustCompile(`\b(` + enMonth + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+` + year + `\b`), 3, 1, 2, spaceBefore},
	{regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(` + enMonth + `)\.?,?\s+` + year + `\b`), 3, 2, 1, spaceBefore},
	{regexp.MustCompile(`(?:^|[^\d])(\d{1,2})\s+(` + ruMonth + `)\s+` + year + `(?:[^\d]|$)`), 3, 2, 1, spaceBefore},
	// 24.06.2016, the Russian and European order; only with a dot and a
	// four-digit year, so that 2.3.4 or a version number is no date.
	{regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.` + year + `(?:[^\d]|$)`), 3, 2, 1, dotBefore},
}

// yearSides says what stands next to the years of a text, as far as the
// date patterns care: each pattern needs one thing next to its year, and
// a text whose years have none of it cannot match the pattern.
type yearSides uint8

const (
	nianAfter   yearSides = 1 << iota // white space, then 年
	sepAfter                          // - / or .
	spaceBefore                       // white space (\s)
	dotBefore                         // .
)

// yearsIn returns what stands next to the years in s: the places where 19
// or 20 and two more ASCII digits stand, as the patterns' year matches.
// With no such place it returns 0 and no pattern can match.
func yearsIn(s string) yearSides {
	var sides yearSides
	for i := 0; i+3 < len(s); i++ {
		if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
			continue
		}
		if i > 0 && reSpace(s[i-1]) {
			sides |= spaceBefore
		}
		if i > 0 && s[i-1] == '.' {
			sides |= dotBefore
		}
		if strings.HasPrefix(strings.TrimLeft(s[i+4:], " \t\n\f\r"), "年") {
			sides |= nianAfter
		}
		if i+4 < len(s) && strings.IndexByte("-/.", s[i+4]) >= 0 {
			sides |= sepAfter
		}
	}
	return sides
}

// reSpace reports whether c is white space as \s means it in a regular
// expression.
func reSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// timestampRE finds a date followed by a time of day, "2006年06月13日20:49",
// "24.06.2016 08:39", "2024-05-21 18:02": a page's publication stamp
// wherever it sits.
var timestampRE = regexp.MustCompile(year + `\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,2}:\d{2}|\d{1,2}\.\d{1,2}\.` + year + `\s+\d{1,2}:\d{2}|` + year + `[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}`)

// findDates returns the complete dates (with a year) in s, in order of
// appearance; full-width digits count as digits.
func findDates(s string) []date {
	s = textnorm.Normalize(s)
	sides := yearsIn(s)
	type hit struct {
		at int
		d  date
	}
	var hits []hit
	for _, p := range fullDatePatterns {
		if sides&p.around == 0 {
			continue // nothing next to a year that this pattern needs
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			if d, ok := p.date(s, m); ok {
				hits = append(hits, hit{m[0], d})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]date, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.d)
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p datePattern) date(s string, m []int) (date, bool) {
	group := func(i int) string { return s[m[2*i]:m[2*i+1]] }
	var d date
	if p.y > 0 {
		d.y, _ = strconv.Atoi(group(p.y))
	}
	mon := group(p.m)
	if n, err := strconv.Atoi(mon); err == nil {
		d.m = n
	} else {
		d.m = monthNumber(mon)
	}
	d.d, _ = strconv.Atoi(group(p.d))
	return d, d.valid()
}

// dateTokensRE matches anything date- or time-like, to see what is left of a
// line once its dates are gone.
var dateTokensRE = regexp.MustCompile(`(?i)` + strings.Join([]string{
	year + `\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日`,
	`\d{1,2}\s*月\s*\d{1,2}\s*日`,
	year + `[-/.]\d{1,2}[-/.]\d{1,2}`,
	`\b\d{1,2}[-/]\d{1,2}\b`,
	`\b` + enMonth + `\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+` + year + `)?\b`,
	`\b\d{1,2}(?:st|nd|rd|th)?\s+` + enMonth + `\.?,?(?:\s+` + year + `)?\b`,
	`\d{1,2}\s+` + ruMonth + `(?:\s+` + year + `)?(?:\s*(?:года|г\.))?`,
	`\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\b`,
	`\b(?:utc|gmt|bjt|msk|cst)(?:\s*[+-]\s*\d{1,2})?\b`,
	`星期[一二三四五六日天]|周[一二三四五六日]`,
	`\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?`,
	`\b` + year + `\b`,
}, "|"))

// dateLabelRE matches the labels that introduce a publish date.
var dateLabelRE = regexp.MustCompile(`(?i)(发布|发表|发稿|更新|修改|编辑)?(时间|日期)|published(?:\s+on)?|updated(?:\s+on)?|posted(?:\s+on)?|last\s+modified|date|time|дата(?:\s+публикации)?|опубликовано|обновлено`)

// isDateLine reports whether s holds nothing but a date or time, perhaps with
// a label ("发布时间:2024-05-21 18:02", "Published: July 14, 2021",
// "时间:05-22").
func isDateLine(s string) bool {
	if len(s) > 160 || !strings.ContainsAny(s, "0123456789") || !dateTokensRE.MatchString(s) {
		return false
	}
	rest := dateTokensRE.ReplaceAllString(s, " ")
	rest = dateLabelRE.ReplaceAllString(rest, " ")
	return strings.TrimFunc(rest, isSpaceOrPunct) == ""
}

// isByline reports whether s is a short "who – when" line such as
// "TUhjnbcbe - 2023/5/30 21:45:00" or "By Li Ming | 2024-05-21": a full date
// and at most a few words with no sentence punctuation.
func isByline(s string) bool {
	if utf8.RuneCountInString(s) > 80 || len(findDates(s)) == 0 {
		return false
	}
	rest := dateTokensRE.ReplaceAllString(s, " ")
	rest = dateLabelRE.ReplaceAllString(rest, " ")
	if strings.ContainsAny(rest, "。，,!?！？;；") {
		return false
	}
	f := strings.FieldsFunc(rest, isSpaceOrPunct)
	return len(f) <= 4 && weight(strings.Join(f, "")) <= 30
}

// A dateline opens a news report: "中新社阿斯塔纳5月21日电", "BEIJING, May 21
// (Xinhua) --", "Xinhua News Agency, Beijing, November 5", "АСТАНА, 4 июля.
// /ТАСС/.".
type dateline struct {
	agency string
	d      date // y may be 0
}

var (
	zhDatelineRE = regexp.MustCompile(`^[(（【\[]?\s*(新华社|中新社|中新网|新华网|人民网|人民日报|央视网|央视新闻|中国日报网?|环球时报|环球网|光明网|国际在线|\p{Han}{1,8}?(?:社|网|台|报))\s*\p{Han}{0,12}?\s*(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:电|讯|消息|报道)`)
	enDatelineRE = regexp.MustCompile(`^([A-Z][A-Za-z.'’-]*(?:[ -][A-Z][A-Za-z.'’-]*){0,3}), (` + enMonth + `)\.? (\d{1,2})(?:, ` + year + `)?\s*(?:\(([A-Za-z][A-Za-z .&-]{1,40})\))`)
	enAgencyRE   = regexp.MustCompile(`^(Xinhua News Agency|Xinhua|China News Service|Chinanews|China Daily|TASS|Reuters|AFP|AP|Sputnik|RIA Novosti|Kazinform|Interfax|Trend|Anadolu|IRNA|PTI)\s*[,:]\s*([A-Z][A-Za-z .'-]{1,30}), (` + enMonth + `)\.? (\d{1,2})(?:, ` + year + `)?`)
	ruDatelineRE = regexp.MustCompile(`^([А-ЯЁ][А-ЯЁа-яё-]+(?:[ -][А-ЯЁ][А-ЯЁа-яё-]+)?),\s+(\d{1,2})\s+(` + ruMonth + `)(?:\s+` + year + `(?:\s*(?:года|г\.))?)?\s*[.,]?\s*[–—-]*\s*[/(]?\s*(ТАСС|РИА Новости|Интерфакс|Казинформ|Спутник|Sputnik|Синьхуа|TASS)?`)
)

// findDateline reports the dateline that opens s, if any. Traditional
// characters and full-width digits are read as simplified characters and
// ASCII digits ("新華社比什凱克６月14日電").
func findDateline(s string) (dateline, bool) {
	d, _, ok := matchDateline(textnorm.Normalize(s))
	return d, ok
}

// matchDateline matches the dateline that opens s, already normalised:
// the dateline, its length in runes (0 when there is none), and whether
// its date is a valid one.
func matchDateline(s string) (dateline, int, bool) {
	if m := zhDatelineRE.FindStringSubmatch(s); m != nil {
		d := date{m: atoi(m[3]), d: atoi(m[4])}
		if m[2] != "" {
			d.y = atoi(m[2])
		}
		return dateline{agency: m[1], d: d}, utf8.RuneCountInString(m[0]), d.valid()
	}
	if m := enDatelineRE.FindStringSubmatch(s); m != nil {
		d := date{y: atoi(m[4]), m: monthNumber(m[2]), d: atoi(m[3])}
		return dateline{agency: m[5], d: d}, utf8.RuneCountInString(m[0]), d.valid()
	}
	if m := enAgencyRE.FindStringSubmatch(s); m != nil {
		d := date{y: atoi(m[5]), m: monthNumber(m[3]), d: atoi(m[4])}
		return dateline{agency: m[1], d: d}, utf8.RuneCountInString(m[0]), d.valid()
	}
	if m := ruDatelineRE.FindStringSubmatch(s); m != nil {
		city := m[1]
		if m[5] == "" && city != strings.ToUpper(city) {
			return dateline{}, 0, false // "Москва, 4 июля" in running text is no dateline
		}
		d := date{y: atoi(m[4]), m: monthNumber(m[3]), d: atoi(m[2])}
		return dateline{agency: m[5], d: d}, utf8.RuneCountInString(m[0]), d.valid()
	}
	return dateline{}, 0, false
}

// urlDateRE finds a date in a URL path: /2024/05-21/, /2024-05-21/,
// /20240521/, /t20240521_123.html, /2024/05/21/.
var urlDateRE = regexp.MustCompile(`(?:/|_|\bt)((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)

// urlDate returns the date in a URL's path, if any.
func urlDate(u string) (date, bool) {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[i:]
	} else {
		return date{}, false
	}
	m := urlDateRE.FindStringSubmatch(u)
	if m == nil {
		return date{}, false
	}
	d := date{y: atoi(m[1]), m: atoi(m[2]), d: atoi(m[3])}
	return d, d.valid()
}

// parseISODate reads the date at the start of an ISO 8601 timestamp
// ("2024-05-21T18:02:47+08:00") or any form findDates knows.
func parseISODate(s string) (date, bool) {
	ds := findDates(s)
	if len(ds) == 0 {
		return date{}, false
	}
	return ds[0], true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
