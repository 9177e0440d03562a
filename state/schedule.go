package state

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Frequency is how often a digest is sent.
type Frequency string

// The two frequencies /subscribe accepts.
const (
	// Daily fires every day at the schedule's time.
	Daily Frequency = "daily"
	// Weekly fires on the schedule's day of the week at its time.
	Weekly Frequency = "weekly"
)

// Schedule is when a digest fires: every day, or every week on Day, at
// Hour:Minute wall-clock time in Location.
type Schedule struct {
	Every  Frequency
	Day    time.Weekday // Weekly only
	Hour   int
	Minute int
	// Location is the schedule's time zone (UTC when nil).
	Location *time.Location
}

// String is the schedule as /subscribe takes it: "daily 08:00 UTC",
// "weekly mon 09:30 Asia/Shanghai".
func (s Schedule) String() string {
	loc := s.loc()
	if s.Every == Weekly {
		return fmt.Sprintf("weekly %s %02d:%02d %s", strings.ToLower(s.Day.String()[:3]), s.Hour, s.Minute, loc)
	}
	return fmt.Sprintf("daily %02d:%02d %s", s.Hour, s.Minute, loc)
}

func (s Schedule) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// Next returns the first firing time of s strictly after after, computed in
// the schedule's time zone so that "08:00" stays 08:00 local across a
// daylight-saving change. A wall time that a change skips (02:30 on the
// night clocks go forward) fires at the same distance past the change
// (03:30 for a one-hour jump); one that occurs twice (when clocks go back)
// fires at its first occurrence.
func Next(s Schedule, after time.Time) time.Time {
	loc := s.loc()
	local := after.In(loc)
	y, m, d := local.Date()
	for i := 0; i <= 8; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC) // just the date
		if s.Every == Weekly && day.Weekday() != s.Day {
			continue
		}
		t := wallTime(day.Year(), day.Month(), day.Day(), s.Hour, s.Minute, loc)
		if t.After(after) {
			return t
		}
	}
	// Unreachable for a valid schedule: a week and a day always holds one.
	return after.Add(24 * time.Hour)
}

// wallTime is the instant the wall clock of loc shows y-m-d h:min: the
// earliest such instant when it shows it twice, and when it never does
// (skipped by a change) the instant it would be under the offset in force
// before the change.
func wallTime(y int, m time.Month, d, h, min int, loc *time.Location) time.Time {
	naive := time.Date(y, m, d, h, min, 0, 0, time.UTC)
	_, before := naive.Add(-36 * time.Hour).In(loc).Zone()
	_, after := naive.Add(36 * time.Hour).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		t := naive.Add(-time.Duration(off) * time.Second)
		ly, lm, ld := t.In(loc).Date()
		lh, lmin, _ := t.In(loc).Clock()
		if ly == y && lm == m && ld == d && lh == h && lmin == min && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if best.IsZero() {
		best = naive.Add(-time.Duration(before) * time.Second)
	}
	return best.In(loc)
}

// ErrBadSubscribe is what ParseSubscribe's errors match (errors.Is); their
// text says what was wrong and how to write it.
var ErrBadSubscribe = errors.New("bad /subscribe arguments")

// Usage is the /subscribe argument forms, for help and error messages.
const Usage = "/subscribe <topic> [daily HH:MM | weekly DAY HH:MM] [timezone]"

// MaxTopicRunes bounds a subscription's topic.
const MaxTopicRunes = 200

func badSubscribe(format string, args ...any) error {
	return fmt.Errorf("%w: %s (%s, e.g. /subscribe SCO foreign ministers weekly mon 08:00 Asia/Shanghai)",
		ErrBadSubscribe, fmt.Sprintf(format, args...), Usage)
}

// ParseSubscribe reads the arguments of /subscribe: a topic, then
// optionally "daily HH:MM" or "weekly DAY HH:MM", then optionally an IANA
// time zone ("Asia/Shanghai", "UTC"). Without a schedule it is daily 08:00;
// without a zone, defaultZone (UTC when nil). DAY is an English name or its
// first three letters (mon … sun), or 周一…周日 / 星期一…星期日, or пн…вс.
// Its errors match ErrBadSubscribe.
func ParseSubscribe(args string, defaultZone *time.Location) (topic string, s Schedule, err error) {
	if defaultZone == nil {
		defaultZone = time.UTC
	}
	s = Schedule{Every: Daily, Hour: 8, Minute: 0, Location: defaultZone}
	words := strings.Fields(args)
	if n := len(words); n > 0 && looksLikeZone(words[n-1]) {
		loc, err := loadZone(words[n-1])
		if err != nil {
			return "", Schedule{}, err
		}
		s.Location = loc
		words = words[:n-1]
	}
	// A schedule is the last two (daily HH:MM) or three (weekly DAY HH:MM)
	// words; "daily" or "weekly" there that does not parse is an error, one
	// further back is part of the topic.
	n := len(words)
	switch {
	case n >= 3 && strings.EqualFold(words[n-3], string(Weekly)):
		day, ok := parseDay(words[n-2])
		if !ok {
			return "", Schedule{}, badSubscribe("%q is not a day of the week (mon, tue, wed, thu, fri, sat, sun)", words[n-2])
		}
		h, m, err := parseClock(words[n-1])
		if err != nil {
			return "", Schedule{}, err
		}
		s.Every, s.Day, s.Hour, s.Minute = Weekly, day, h, m
		words = words[:n-3]
	case n >= 2 && strings.EqualFold(words[n-2], string(Weekly)):
		if _, ok := parseDay(words[n-1]); ok {
			return "", Schedule{}, badSubscribe("weekly needs a day and a time")
		}
		return "", Schedule{}, badSubscribe("weekly needs a day and a time, not %q", words[n-1])
	case n >= 2 && strings.EqualFold(words[n-2], string(Daily)):
		h, m, err := parseClock(words[n-1])
		if err != nil {
			return "", Schedule{}, err
		}
		s.Hour, s.Minute = h, m
		words = words[:n-2]
	case n >= 1 && (strings.EqualFold(words[n-1], string(Daily)) || strings.EqualFold(words[n-1], string(Weekly))):
		return "", Schedule{}, badSubscribe("%s needs a time (HH:MM)", strings.ToLower(words[n-1]))
	}
	topic = strings.Join(words, " ")
	if topic == "" {
		return "", Schedule{}, badSubscribe("say what the digest is about")
	}
	if utf8.RuneCountInString(topic) > MaxTopicRunes {
		return "", Schedule{}, badSubscribe("the topic is longer than %d characters", MaxTopicRunes)
	}
	return topic, s, nil
}

// looksLikeZone reports whether a word is meant as a time zone: an IANA
// name has a slash ("Europe/Moscow"); "UTC" and "GMT" have none.
func looksLikeZone(w string) bool {
	return strings.Contains(w, "/") || strings.EqualFold(w, "UTC") || strings.EqualFold(w, "GMT")
}

// loadZone loads an IANA zone, refusing "Local" (the server's zone means
// nothing to the reader).
func loadZone(name string) (*time.Location, error) {
	if strings.EqualFold(name, "UTC") || strings.EqualFold(name, "GMT") {
		return time.UTC, nil
	}
	if strings.EqualFold(name, "Local") {
		return nil, badSubscribe("unknown time zone %q: use an IANA name such as Asia/Shanghai or Europe/Moscow", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, badSubscribe("unknown time zone %q: use an IANA name such as Asia/Shanghai or Europe/Moscow", name)
	}
	return loc, nil
}

// parseClock reads H:MM or HH:MM (00:00–23:59).
func parseClock(w string) (hour, minute int, err error) {
	hs, ms, ok := strings.Cut(w, ":")
	if !ok {
		return 0, 0, badSubscribe("%q is not a time: write HH:MM, e.g. 08:00", w)
	}
	h, herr := strconv.Atoi(hs)
	m, merr := strconv.Atoi(ms)
	if herr != nil || merr != nil || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, badSubscribe("%q is not a time: write HH:MM, e.g. 08:00", w)
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, badSubscribe("%q is not a time of day: hours go 00–23, minutes 00–59", w)
	}
	return h, m, nil
}

// parseDay reads a day of the week in English, Chinese or Russian.
func parseDay(w string) (time.Weekday, bool) {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	names := [7][]string{
		{"sunday", "sun", "周日", "周天", "星期日", "星期天", "воскресенье", "вс"},
		{"monday", "mon", "周一", "星期一", "понедельник", "пн"},
		{"tuesday", "tue", "tues", "周二", "星期二", "вторник", "вт"},
		{"wednesday", "wed", "周三", "星期三", "среда", "ср"},
		{"thursday", "thu", "thur", "thurs", "周四", "星期四", "четверг", "чт"},
		{"friday", "fri", "周五", "星期五", "пятница", "пт"},
		{"saturday", "sat", "周六", "星期六", "суббота", "сб"},
	}
	for d, list := range names {
		for _, n := range list {
			if w == n {
				return time.Weekday(d), true
			}
		}
	}
	return 0, false
}
