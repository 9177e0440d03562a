package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

// runCmd runs one subcommand function directly, as Main.Run would, and
// returns its error and output.
func runCmd(t *testing.T, fn func(context.Context, *Main, *cli, []string) error, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	c := &cli{env: env{getenv: m.Getenv, dotenv: map[string]string{}}}
	c.log = slog.New(slog.NewTextHandler(&errOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	err := fn(context.Background(), m, c, args)
	return out.String(), err
}

func TestBriefJSONShape(t *testing.T) {
	out, err := runCmd(t, runBrief, "--db", t.TempDir(), "--json", "SCO foreign ministers' meetings")
	if err != nil {
		t.Fatal(err)
	}
	var raw json.RawMessage = []byte(out)
	for _, k := range []string{"headline", "points", "timeline", "sources"} {
		if !slices.Contains(keys(t, raw), k) {
			t.Errorf("no %q in %v", k, keys(t, raw))
		}
	}
	var b struct {
		Headline string
		Points   []json.RawMessage
		Timeline []json.RawMessage
		Sources  []json.RawMessage
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	if b.Headline == "" || len(b.Points) == 0 || len(b.Timeline) != 3 || len(b.Sources) != 4 {
		t.Fatalf("briefing = %s", out)
	}
	for _, tt := range []struct {
		name string
		item json.RawMessage
		want []string
	}{
		{"point", b.Points[0], []string{"citations", "date", "text"}},
		{"timeline", b.Timeline[0], []string{"citations", "date", "place", "text"}},
		{"source", b.Sources[0], []string{"date", "doc", "n", "source", "title", "url"}},
	} {
		for _, k := range tt.want {
			if !slices.Contains(keys(t, tt.item), k) {
				t.Errorf("%s has no %q: %s", tt.name, k, tt.item)
			}
		}
	}
	var ev struct {
		Date, Place string
		Citations   []int
	}
	if err := json.Unmarshal(b.Timeline[0], &ev); err != nil || ev.Date != "2020-09-16" || ev.Place != "Russia" || len(ev.Citations) != 1 {
		t.Errorf("first event = %s", b.Timeline[0])
	}
}

func TestBriefOutputs(t *testing.T) {
	db := t.TempDir()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"text", []string{"SCO foreign ministers' meetings"}, []string{"Key points\n", "Timeline\n", "2021-07-14 · Dushanbe", "Sources\n[1] "}},
		{"markdown", []string{"--md", "SCO foreign ministers' meetings"}, []string{"## ", "**Key points**", "- **2024-05-21** · Astana", "1. "}},
		{"chinese", []string{"上合组织外长会议"}, []string{"要点\n", "时间线\n", "阿斯塔纳", "来源\n"}},
		{"russian reader", []string{"--lang", "ru", "SCO foreign ministers' meetings"}, []string{
			"3 встречи (Совет министров иностранных дел ШОС), 2020–2024 гг.; последняя — 2024-05-21, Астана\n",
			"Главное\n", "Хронология\n", "Источники расходятся\n",
			"Источники расходятся в дате встречи (Совет министров иностранных дел ШОС; Астана, 2024-05-21): [3] указывает «May 21, 2023», а [4] — 2024-05-21.",
			"три предложения [3]; четыре предложения [4].",
		}},
		{"uncovered", []string{"2022 FIFA World Cup"}, []string{"does not cover"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCmd(t, runBrief, append([]string{"--db", db}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestBriefAndTimelineUsageErrors(t *testing.T) {
	db := t.TempDir()
	tests := []struct {
		name string
		fn   func(context.Context, *Main, *cli, []string) error
		args []string
	}{
		{"no topic", runBrief, nil},
		{"json and md", runBrief, []string{"--json", "--md", "SCO"}},
		{"too long", runBrief, []string{strings.Repeat("x", 1001)}},
		{"bad flag", runBrief, []string{"--nope", "SCO"}},
		{"bad since", runBrief, []string{"--since", "11/11/2020", "SCO"}},
		{"timeline json and md", runTimeline, []string{"--json", "--md"}},
		{"timeline bad lang", runTimeline, []string{"--lang", "fr"}},
		{"bad lang", runBrief, []string{"--lang", "fr", "SCO"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runCmd(t, tt.fn, append([]string{"--db", db}, tt.args...)...)
			if !errors.Is(err, errUsage) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}

func TestTimelineCommand(t *testing.T) {
	db := t.TempDir()
	out, err := runCmd(t, runTimeline, "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var tl struct {
		Events []struct {
			Date, Place, Meeting, Text string
			Citations                  []int
		}
		Sources []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, ev := range tl.Events {
		dates = append(dates, ev.Date)
	}
	if want := []string{"2020-09-16", "2020-11-10", "2021-07-14", "2024-05-21"}; !slices.Equal(dates, want) || len(tl.Sources) != 5 {
		t.Errorf("dates %v (want %v), %d sources", dates, want, len(tl.Sources))
	}
	for _, tt := range []struct {
		args []string
		want []string
		not  string
	}{
		{[]string{"Dushanbe"}, []string{"2021-07-14 · Dushanbe · SCO Council of Foreign Ministers", "[1]"}, "2024-05-21"},
		{[]string{"阿斯塔纳"}, []string{"时间线: 阿斯塔纳", "2024-05-21 · 阿斯塔纳", "[1][2]"}, "2021"},
		{[]string{"--lang", "ru", "Dushanbe"}, []string{"Хронология: Dushanbe", "2021-07-14 · Душанбе · Совет министров иностранных дел ШОС", "[1]"}, "2024-05-21"},
		{[]string{"--md", "2020"}, []string{"## Timeline: 2020", "- **2020-09-16** · Russia", "- **2020-11-10** · Beijing · SCO Council of Heads of State"}, "2021"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, err := runCmd(t, runTimeline, append([]string{"--db", db}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, tt.not) {
				t.Errorf("output holds %q:\n%s", tt.not, out)
			}
		})
	}
}

// scobot brief --since: only what is new since a day, as a scheduled
// digest asks for it.
func TestBriefSince(t *testing.T) {
	db := t.TempDir()
	tests := []struct {
		since string
		want  []string
		not   []string
	}{
		// The summit's report is of 2020-11-05, the summit of 2020-11-10.
		{"2020-11-06", []string{"2020-11-10 · Beijing · SCO Council of Heads of State"}, []string{"Nothing new"}},
		{"2020-11-11", []string{"Nothing new since 2020-11-11 on “heads of state”."}, []string{"Sources\n", "2020-11-10"}},
	}
	for _, tt := range tests {
		t.Run(tt.since, func(t *testing.T) {
			out, err := runCmd(t, runBrief, "--db", db, "--since", tt.since, "heads of state")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(out, w) {
					t.Errorf("output holds %q:\n%s", w, out)
				}
			}
		})
	}
	out, err := runCmd(t, runBrief, "--db", db, "--json", "--since", "2021-01-01", "SCO foreign ministers' meetings")
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Since    string
		Timeline []struct{ Date, Reported string }
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if b.Since != "2021-01-01" || len(b.Timeline) != 2 {
		t.Errorf("since %q, timeline %+v: want the 2021 and 2024 meetings", b.Since, b.Timeline)
	}
	for _, ev := range b.Timeline {
		if ev.Date < "2021-01-01" && ev.Reported < "2021-01-01" {
			t.Errorf("event of %s reported %s is not new since 2021-01-01", ev.Date, ev.Reported)
		}
	}
}
