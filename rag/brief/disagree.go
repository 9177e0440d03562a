package brief

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/render/words"
)

// Disagreement detection: the dates the reports of one event give it, and
// the number of proposals they say were made.
var (
	enDateRE   = regexp.MustCompile(`\b(` + monthNames + `)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})\b`)
	zhDateRE   = regexp.MustCompile(`([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日`)
	enCountRE  = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+)[- ]point (?:proposal|plan|initiative)|\b(two|three|four|five|six|seven|eight|nine|ten|[0-9]+) (?:proposals|suggestions)\b`)
	zhCountRE  = regexp.MustCompile(`([一二两三四五六七八九十]|[0-9]+)\s*[点项](?:建议|主张|倡议)`)
	proposeRE  = regexp.MustCompile(`(?i)提出|建议|\bpropos|\bput forward\b`)
	zhOrdinal  = regexp.MustCompile(`([一二三四五六七八九十])是`)
	enOrdinal  = regexp.MustCompile(`(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?:ly)?,`)
	numberWord = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
		"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
	}
)

// parseNumber reads "four", "四" or "4".
func parseNumber(s string) int {
	if n, ok := numberWord[strings.ToLower(s)]; ok {
		return n
	}
	n, _ := strconv.Atoi(s)
	return n
}

// dateClaim is a date a report gives an event: its own date, or one its
// text states.
type dateClaim struct {
	iso   string
	quote string // as the text writes it; "" for the report's own date
	doc   string
}

// textDates returns the full dates (with a year) a sentence states.
func textDates(s string) []dateClaim {
	var out []dateClaim
	for _, m := range enDateRE.FindAllStringSubmatch(s, -1) {
		mo := retrieve.MonthNumber(m[1])
		d, _ := strconv.Atoi(m[2])
		out = append(out, dateClaim{iso: fmt.Sprintf("%s-%02d-%02d", m[3], mo, d), quote: m[0]})
	}
	for _, m := range zhDateRE.FindAllStringSubmatch(s, -1) {
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		out = append(out, dateClaim{iso: fmt.Sprintf("%s-%02d-%02d", m[1], mo, d), quote: m[0]})
	}
	return out
}

// sameEventDate reports whether a stated date is the event's date or a
// variant of it (one of year, month and day differs): "May 21, 2023" for a
// meeting dated 2024-05-21. Other dates are about other things.
func sameEventDate(a, b string) bool {
	pa, pb := strings.Split(a, "-"), strings.Split(b, "-")
	if len(pa) != 3 || len(pb) != 3 {
		return false
	}
	diff := 0
	for i := range pa {
		if pa[i] != pb[i] {
			diff++
		}
	}
	return diff <= 1
}

// proposalCount is how many proposals a document says were made: an
// announced count ("five-point proposal", "四点建议") or else the items
// listed after a proposal ("一是…二是…三是…"); 0 when it says neither.
func proposalCount(e *retrieve.Engine, doc string) int {
	text := docText(e, doc)
	for _, re := range []*regexp.Regexp{zhCountRE, enCountRE} {
		if m := re.FindStringSubmatch(text); m != nil {
			for _, g := range m[1:] {
				if n := parseNumber(g); n > 0 {
					return n
				}
			}
		}
	}
	for _, para := range strings.Split(text, "\n\n") {
		if !proposeRE.MatchString(para) {
			continue
		}
		for _, re := range []*regexp.Regexp{zhOrdinal, enOrdinal} {
			seen := map[int]bool{}
			for _, m := range re.FindAllStringSubmatch(para, -1) {
				seen[parseNumber(m[1])] = true
			}
			n := 0
			for seen[n+1] {
				n++
			}
			if n >= 2 {
				return n
			}
		}
	}
	return 0
}

// disagreements finds where the reports of one event differ: on its date,
// and on the number of proposals made.
func disagreements(e *retrieve.Engine, ev Event, des map[string]docEvent, num map[string]int, lang string) []Disagreement {
	var out []Disagreement
	if d, ok := dateDisagreement(e, ev, des, num, lang); ok {
		out = append(out, d)
	}
	if d, ok := countDisagreement(e, ev, num, lang); ok {
		out = append(out, d)
	}
	return out
}

// dateDisagreement compares the dates the event's reports state in their
// leads and in sentences naming the meeting (a report whose text states
// none counts with its own date): two texts giving the event different
// dates, or a text giving it another year than the event's.
//
// A source is never on both sides. Each source stands for the dates its
// text states, its report date only when its text states none; a source
// whose text states more than one of the dates is named apart ("[4]
// gives both …"), and the disagreement may be that source's alone.
func dateDisagreement(e *retrieve.Engine, ev Event, des map[string]docEvent, num map[string]int, lang string) (Disagreement, bool) {
	if len(ev.Date) != len("2006-01-02") {
		return Disagreement{}, false
	}
	var claims []dateClaim
	for _, doc := range ev.docs {
		d := des[doc]
		var ss []string
		for _, l := range d.langs {
			ss = append(ss, d.leads[l].full)
			if e.Glossary() == nil || d.meeting == "" {
				continue
			}
			for _, para := range answer.Paragraphs(e.DocChunks(doc), l) {
				for _, s := range tokens.Sentences(para) {
					if contains(e.Glossary().Concepts(s), d.meeting) {
						ss = append(ss, s)
					}
				}
			}
		}
		stated := false
		for _, s := range ss {
			for _, c := range textDates(s) {
				if sameEventDate(c.iso, ev.Date) {
					c.doc = doc
					claims = append(claims, c)
					stated = true
				}
			}
		}
		if !stated {
			claims = append(claims, dateClaim{iso: d.date, doc: doc})
		}
	}
	// The dates each source gives, and the first quote of each date.
	byDoc := map[string][]string{}
	quote := map[string]string{}
	var isos []string
	for _, c := range claims {
		if !contains(isos, c.iso) {
			isos = append(isos, c.iso)
		}
		if !contains(byDoc[c.doc], c.iso) {
			byDoc[c.doc] = append(byDoc[c.doc], c.iso)
		}
		if quote[c.iso] == "" {
			quote[c.iso] = c.quote
		}
	}
	// A report dated a day after (or before) the date its text gives is
	// not a disagreement: reports follow and announce events. Two texts
	// giving different dates are, and so is a text giving another year.
	texts := map[string]bool{}
	conflict := false
	for _, c := range claims {
		if c.quote != "" {
			texts[c.iso] = true
			conflict = conflict || c.iso[:4] != ev.Date[:4]
		}
	}
	if len(isos) < 2 || !conflict && len(texts) < 2 {
		return Disagreement{}, false
	}
	// Sides: the sources giving one date only; the others give several.
	side := map[string][]int{}
	var both []int
	var bothDocs []string
	for _, doc := range ev.docs {
		switch ds := byDoc[doc]; len(ds) {
		case 0:
		case 1:
			side[ds[0]] = appendUnique(side[ds[0]], num[doc])
		default:
			both = appendUnique(both, num[doc])
			bothDocs = append(bothDocs, doc)
		}
	}
	others := []string{}
	for _, iso := range isos {
		if iso != ev.Date && len(side[iso]) > 0 {
			others = append(others, iso)
		}
	}
	sort.Strings(others)
	base := side[ev.Date]
	if len(others) == 0 && len(both) == 0 {
		return Disagreement{}, false
	}
	say := func(iso string) string {
		if q := quote[iso]; q != "" {
			return words.Text(lang, words.DateQuoted, q)
		}
		return iso
	}
	var all []int
	var parts []string
	for _, iso := range others {
		says := words.DateSaysOne
		if len(side[iso]) > 1 {
			says = words.DateSaysMany
		}
		parts = append(parts, words.Text(lang, says, words.Markers(side[iso]), say(iso)))
		all = append(all, side[iso]...)
	}
	all = append(all, base...)
	for i, n := range both {
		var vals []string
		for _, iso := range isos {
			if contains(byDoc[bothDocs[i]], iso) {
				vals = append(vals, say(iso))
			}
		}
		parts = append(parts, words.Text(lang, words.DateGivesBoth, words.Markers([]int{n}), strings.Join(vals, words.Text(lang, words.DateBothAnd))))
		all = append(all, n)
	}
	while := ""
	if len(base) > 0 {
		gives := words.DateWhileMany
		if len(base) == 1 {
			gives = words.DateWhileOne
		}
		while = words.Text(lang, gives, words.Markers(base), ev.Date)
	}
	text := words.Text(lang, words.DifferDate, eventName(ev, lang), strings.Join(parts, words.Text(lang, words.DifferSep)), while)
	return Disagreement{Kind: "date", Text: text, Citations: uniqueInts(all)}, true
}

// countDisagreement compares the number of proposals the event's reports
// give.
func countDisagreement(e *retrieve.Engine, ev Event, num map[string]int, lang string) (Disagreement, bool) {
	if len(ev.docs) < 2 {
		return Disagreement{}, false
	}
	cites := map[int][]int{}
	var counts []int
	for _, doc := range ev.docs {
		n := proposalCount(e, doc)
		if n == 0 {
			continue
		}
		if _, ok := cites[n]; !ok {
			counts = append(counts, n)
		}
		cites[n] = appendUnique(cites[n], num[doc])
	}
	if len(counts) < 2 {
		return Disagreement{}, false
	}
	var parts []string
	var all []int
	for _, n := range counts {
		parts = append(parts, words.Text(lang, words.CountCited, countWord(n, lang), words.Markers(cites[n])))
		all = append(all, cites[n]...)
	}
	text := words.Text(lang, words.DifferCount, eventName(ev, lang), strings.Join(parts, words.Text(lang, words.DifferSep)))
	return Disagreement{Kind: "count", Text: text, Citations: uniqueInts(all)}, true
}

// eventName names an event in a sentence: "the SCO Council of Foreign
// Ministers meeting in Astana on 2024-05-21", "2024-05-21在阿斯塔纳举行的
// 上合组织外长理事会会议", "встречи (Совет министров иностранных дел ШОС;
// Астана, 2024-05-21)" (in the genitive the Russian sentences want).
func eventName(ev Event, lang string) string {
	switch {
	case ev.Meeting != "" && ev.Place != "":
		return words.Text(lang, words.EventMeetingPlace, ev.Meeting, ev.Place, ev.Date)
	case ev.Meeting != "":
		return words.Text(lang, words.EventMeeting, ev.Meeting, ev.Date)
	case ev.Place != "":
		return words.Text(lang, words.EventPlace, ev.Place, ev.Date)
	}
	return words.Text(lang, words.EventOn, ev.Date)
}

// countWord renders a number of proposals: "four", "四点", "четыре
// предложения".
func countWord(n int, lang string) string {
	return words.Count(lang, n, words.ProposalsOne, words.ProposalsFew, words.ProposalsMany)
}

// appendUnique appends x to xs unless xs holds it.
func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// uniqueInts returns the distinct numbers of xs, sorted.
func uniqueInts(xs []int) []int {
	out := []int{}
	for _, x := range xs {
		out = appendUnique(out, x)
	}
	sort.Ints(out)
	return out
}
