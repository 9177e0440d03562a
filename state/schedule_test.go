package state

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNext(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	berlin := mustZone(t, "Europe/Berlin")
	shanghai := mustZone(t, "Asia/Shanghai")
	moscow := mustZone(t, "Europe/Moscow")
	tests := []struct {
		name  string
		s     Schedule
		after string
		want  string
	}{
		{"daily later today", Schedule{Every: Daily, Hour: 8}, "2026-03-01T07:00:00Z", "2026-03-01T08:00:00Z"},
		{"daily strictly after", Schedule{Every: Daily, Hour: 8}, "2026-03-01T08:00:00Z", "2026-03-02T08:00:00Z"},
		{"daily tomorrow", Schedule{Every: Daily, Hour: 8, Minute: 30}, "2026-03-01T09:00:00Z", "2026-03-02T08:30:00Z"},
		{"daily in Shanghai", Schedule{Every: Daily, Hour: 8, Location: shanghai}, "2026-03-01T01:00:00Z", "2026-03-02T00:00:00Z"},
		{"daily in Shanghai, UTC date behind", Schedule{Every: Daily, Hour: 8, Location: shanghai}, "2026-02-28T23:00:00Z", "2026-03-01T00:00:00Z"},
		{"daily over the year's end", Schedule{Every: Daily, Hour: 0, Minute: 5}, "2026-12-31T23:00:00Z", "2027-01-01T00:05:00Z"},
		{"New York, the day clocks go forward", Schedule{Every: Daily, Hour: 8, Location: ny}, "2026-03-07T14:00:00Z", "2026-03-08T12:00:00Z"},
		{"New York, before the change", Schedule{Every: Daily, Hour: 8, Location: ny}, "2026-03-06T14:00:00Z", "2026-03-07T13:00:00Z"},
		{"New York, the day clocks go back", Schedule{Every: Daily, Hour: 8, Location: ny}, "2026-10-31T13:00:00Z", "2026-11-01T13:00:00Z"},
		{"a skipped wall time fires after the jump", Schedule{Every: Daily, Hour: 2, Minute: 30, Location: ny}, "2026-03-08T05:00:00Z", "2026-03-08T07:30:00Z"},
		{"a doubled wall time fires at its first", Schedule{Every: Daily, Hour: 1, Minute: 30, Location: ny}, "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"},
		{"a doubled wall time fires once", Schedule{Every: Daily, Hour: 1, Minute: 30, Location: ny}, "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"},
		{"weekly later this week", Schedule{Every: Weekly, Day: time.Monday, Hour: 9, Location: moscow}, "2026-03-04T12:00:00Z", "2026-03-09T06:00:00Z"},
		{"weekly today, before the time", Schedule{Every: Weekly, Day: time.Wednesday, Hour: 18}, "2026-03-04T12:00:00Z", "2026-03-04T18:00:00Z"},
		{"weekly today, after the time", Schedule{Every: Weekly, Day: time.Wednesday, Hour: 9}, "2026-03-04T12:00:00Z", "2026-03-11T09:00:00Z"},
		{"weekly over a change in Berlin", Schedule{Every: Weekly, Day: time.Sunday, Hour: 8, Location: berlin}, "2026-03-28T12:00:00Z", "2026-03-29T06:00:00Z"},
		{"weekly a week after the change", Schedule{Every: Weekly, Day: time.Sunday, Hour: 8, Location: berlin}, "2026-03-22T08:00:00Z", "2026-03-29T06:00:00Z"},
		{"weekly, the local day is not the UTC day", Schedule{Every: Weekly, Day: time.Monday, Hour: 7, Location: shanghai}, "2026-03-08T22:00:00Z", "2026-03-08T23:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Next(tt.s, utc(tt.after))
			if want := utc(tt.want); !got.Equal(want) {
				t.Errorf("Next(%v, %s) = %s (%s), want %s", tt.s, tt.after, got.UTC().Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

// TestNextKeepsWallClock walks a year in New York and Berlin hour by hour:
// every firing is strictly later, within a day (a week), on the wall time
// asked for, and none is skipped or doubled.
func TestNextKeepsWallClock(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe"} {
		loc := mustZone(t, zone)
		for _, s := range []Schedule{
			{Every: Daily, Hour: 8, Location: loc},
			{Every: Weekly, Day: time.Sunday, Hour: 9, Minute: 15, Location: loc},
		} {
			fires := 0
			last := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
			for t0 := last; t0.Year() == 2026; {
				next := Next(s, t0)
				if !next.After(t0) {
					t.Fatalf("%s %v: Next(%v) = %v is not later", zone, s, t0, next)
				}
				local := next.In(loc)
				if local.Hour() != s.Hour || local.Minute() != s.Minute {
					t.Fatalf("%s %v: fires at %v local", zone, s, local)
				}
				if s.Every == Weekly && local.Weekday() != s.Day {
					t.Fatalf("%s %v: fires on a %v", zone, s, local.Weekday())
				}
				fires++
				t0 = next
			}
			want := 365
			if s.Every == Weekly {
				want = 52
			}
			if fires < want || fires > want+1 {
				t.Errorf("%s %v: %d firings in 2026, want about %d", zone, s, fires, want)
			}
		}
	}
}

func TestParseSubscribe(t *testing.T) {
	shanghai := mustZone(t, "Asia/Shanghai")
	tests := []struct {
		args      string
		def       *time.Location
		topic     string
		schedule  string // Schedule.String()
		errSubstr string // non-empty: an error is wanted, saying this
	}{
		{args: "SCO foreign ministers", topic: "SCO foreign ministers", schedule: "daily 08:00 UTC"},
		{args: "SCO summits", def: shanghai, topic: "SCO summits", schedule: "daily 08:00 Asia/Shanghai"},
		{args: "SCO daily 7:05", topic: "SCO", schedule: "daily 07:05 UTC"},
		{args: "SCO daily 07:05 Europe/Moscow", topic: "SCO", schedule: "daily 07:05 Europe/Moscow"},
		{args: "SCO Europe/Moscow", topic: "SCO", schedule: "daily 08:00 Europe/Moscow"},
		{args: "SCO summits weekly mon 09:30 Asia/Shanghai", topic: "SCO summits", schedule: "weekly mon 09:30 Asia/Shanghai"},
		{args: "SCO WEEKLY Friday 18:00 utc", topic: "SCO", schedule: "weekly fri 18:00 UTC"},
		{args: "上合组织外长会议 weekly 周一 08:00", topic: "上合组织外长会议", schedule: "weekly mon 08:00 UTC"},
		{args: "ШОС weekly пт 10:00 Europe/Moscow", topic: "ШОС", schedule: "weekly fri 10:00 Europe/Moscow"},
		{args: "daily news of the SCO", topic: "daily news of the SCO", schedule: "daily 08:00 UTC"},
		{args: "  spaced   out  topic  ", topic: "spaced out topic", schedule: "daily 08:00 UTC"},
		{args: "", errSubstr: "say what the digest is about"},
		{args: "daily 08:00", errSubstr: "say what the digest is about"},
		{args: "SCO daily 25:00", errSubstr: "hours go 00–23"},
		{args: "SCO daily 08:60", errSubstr: "minutes 00–59"},
		{args: "SCO daily eight", errSubstr: `"eight" is not a time`},
		{args: "SCO daily 8", errSubstr: `"8" is not a time`},
		{args: "SCO daily 08:0", errSubstr: `"08:0" is not a time`},
		{args: "SCO daily", errSubstr: "daily needs a time"},
		{args: "SCO weekly", errSubstr: "weekly needs a time"},
		{args: "SCO weekly mon", errSubstr: "weekly needs a day and a time"},
		{args: "SCO weekly 08:00", errSubstr: "weekly needs a day and a time"},
		{args: "SCO weekly someday 08:00", errSubstr: `"someday" is not a day of the week`},
		{args: "SCO daily 08:00 Mars/Olympus", errSubstr: `unknown time zone "Mars/Olympus"`},
		{args: "SCO daily 08:00 Etc/GMT-3", topic: "SCO", schedule: "daily 08:00 Etc/GMT-3"},
		{args: strings.Repeat("字", MaxTopicRunes+1), errSubstr: "longer than 200"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			topic, s, err := ParseSubscribe(tt.args, tt.def)
			if tt.errSubstr != "" {
				if err == nil {
					t.Fatalf("accepted as %q %v", topic, s)
				}
				if !errors.Is(err, ErrBadSubscribe) || !strings.Contains(err.Error(), tt.errSubstr) || !strings.Contains(err.Error(), Usage) {
					t.Errorf("error %q should match ErrBadSubscribe, say %q and give the usage", err, tt.errSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if topic != tt.topic || s.String() != tt.schedule {
				t.Errorf("got %q %q, want %q %q", topic, s, tt.topic, tt.schedule)
			}
		})
	}
}

func FuzzParseSubscribe(f *testing.F) {
	for _, seed := range []string{"SCO", "SCO daily 08:00", "SCO weekly mon 09:30 Asia/Shanghai", "x daily 99:99", "a/b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, args string) {
		topic, s, err := ParseSubscribe(args, nil)
		if err != nil {
			return
		}
		if topic == "" || validSchedule(s) != nil {
			t.Fatalf("accepted %q as %q %v", args, topic, s)
		}
		after := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
		if n := Next(s, after); !n.After(after) || n.Sub(after) > 8*24*time.Hour {
			t.Fatalf("Next(%v) = %v", s, n)
		}
	})
}
