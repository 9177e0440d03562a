package brief

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scobot/scobot/rag/retrieve"
)

// How far from its report's date an event's stated date may be. A report
// announces an event up to a year ahead ("will attend the summit on
// November 10") and describes one of the days before it; a date outside
// that window is about something else (an anniversary, a past meeting
// recalled, a wrong year) and does not date the event.
const (
	maxEventAfterReport  = 366 * 24 * time.Hour
	maxEventBeforeReport = 90 * 24 * time.Hour
)

// Where an event's date comes from.
const (
	// DateFromText: the report's text states the event's date.
	DateFromText = "text"
	// DateFromReport: the text states none; the event carries the date
	// of its report, and renderers say so.
	DateFromReport = "report"
)

// Dates as texts state them, with or without a year: "November 10",
// "July 14, 2021", "10 November 2020", "11月10日", "2024年5月21日",
// "10 ноября", "10 ноября 2020 года".
var (
	enMonthDayRE = regexp.MustCompile(`\b(` + monthNames + `)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?\b(?:,?\s+([0-9]{4})\b)?`)
	enDayMonthRE = regexp.MustCompile(`\b([0-9]{1,2})(?:st|nd|rd|th)?\s+(` + monthNames + `)\b\.?(?:,?\s+([0-9]{4})\b)?`)
	zhMonthDayRE = regexp.MustCompile(`(?:([0-9]{4})\s*年\s*)?([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]`)
	ruDayMonthRE = regexp.MustCompile(`(?i)\b([0-9]{1,2})\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)(?:\s+([0-9]{4}))?`)
)

// ruMonths numbers the Russian month names in the genitive.
var ruMonths = map[string]int{
	"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
	"июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}

// statedDate is a date a sentence states; year is 0 when it gives none.
type statedDate struct {
	year, month, day int
	pos              int // byte offset in the sentence
}

// statedDates returns the dates a sentence states, in the order written.
func statedDates(s string) []statedDate {
	var out []statedDate
	add := func(pos int, y, m, d string, month int) {
		if month == 0 {
			month, _ = strconv.Atoi(m)
		}
		day, _ := strconv.Atoi(d)
		year, _ := strconv.Atoi(y)
		if month < 1 || month > 12 || day < 1 || day > 31 {
			return
		}
		out = append(out, statedDate{year: year, month: month, day: day, pos: pos})
	}
	sub := func(s string, loc []int, i int) string {
		if loc[2*i] < 0 {
			return ""
		}
		return s[loc[2*i]:loc[2*i+1]]
	}
	for _, loc := range enMonthDayRE.FindAllStringSubmatchIndex(s, -1) {
		add(loc[0], sub(s, loc, 3), "", sub(s, loc, 2), retrieve.MonthNumber(sub(s, loc, 1)))
	}
	for _, loc := range enDayMonthRE.FindAllStringSubmatchIndex(s, -1) {
		add(loc[0], sub(s, loc, 3), "", sub(s, loc, 1), retrieve.MonthNumber(sub(s, loc, 2)))
	}
	for _, loc := range zhMonthDayRE.FindAllStringSubmatchIndex(s, -1) {
		add(loc[0], sub(s, loc, 1), sub(s, loc, 2), sub(s, loc, 3), 0)
	}
	for _, loc := range ruDayMonthRE.FindAllStringSubmatchIndex(s, -1) {
		add(loc[0], sub(s, loc, 3), "", sub(s, loc, 1), ruMonths[strings.ToLower(sub(s, loc, 2))])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// resolveDate places a stated date relative to its report's date: a
// month and day without a year take the year (the report's, the one
// before or the one after) that puts them nearest the report; a date
// outside the plausible window (see maxEventAfterReport) or that is no
// calendar day is refused.
func resolveDate(d statedDate, report time.Time) (time.Time, bool) {
	years := []int{d.year}
	if d.year == 0 {
		years = []int{report.Year(), report.Year() - 1, report.Year() + 1}
	}
	var best time.Time
	found := false
	for _, y := range years {
		t := time.Date(y, time.Month(d.month), d.day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.day {
			continue // 31 June and the like
		}
		if !found || absDuration(t.Sub(report)) < absDuration(best.Sub(report)) {
			best, found = t, true
		}
	}
	if !found || best.Sub(report) > maxEventAfterReport || report.Sub(best) > maxEventBeforeReport {
		return time.Time{}, false
	}
	return best, true
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// eventDateIn returns the first plausible date of the event the sentences
// state (datelines left out: they date the report), as ISO 8601, and the
// index of the sentence stating it; "" and -1 when they state none.
func eventDateIn(sentences []string, reportDate string) (string, int) {
	report, err := time.Parse(time.DateOnly, reportDate)
	if err != nil {
		return "", -1
	}
	for i, s := range sentences {
		for _, d := range statedDates(stripDateline(s)) {
			if t, ok := resolveDate(d, report); ok {
				return t.Format(time.DateOnly), i
			}
		}
	}
	return "", -1
}

// parseDay reads an ISO 8601 date; ok is false for anything else.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
