package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/brief"
	"github.com/scobot/scobot/render"
	"github.com/scobot/scobot/render/words"
)

// runBrief prints a briefing on a topic: headline, dated key points,
// timeline, disagreements and sources, as text, Markdown or JSON; with
// --since, only what is new since a day ("Nothing new since …" when
// nothing is), as a scheduled digest would.
func runBrief(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "brief", `"topic"`)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	asMD := fs.Bool("md", false, "print Markdown that pastes into a newsroom CMS")
	k := fs.Int("k", 16, "passages to retrieve")
	sinceFlag := fs.String("since", "", "only what is new since this day (YYYY-MM-DD): reports and events dated then or later")
	lang := fs.String("lang", "", "language of the briefing: en, zh or ru (default: the topic's)")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	topic := strings.TrimSpace(strings.Join(pos, " "))
	if topic == "" {
		return fmt.Errorf("%w: give a topic, e.g. scobot brief \"SCO foreign ministers' meetings\"", errUsage)
	}
	if *asJSON && *asMD {
		return fmt.Errorf("%w: choose one of --json and --md", errUsage)
	}
	if *k <= 0 {
		return fmt.Errorf("%w: --k must be positive", errUsage)
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if _, err := rag.CheckQuestion(topic); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	var since time.Time
	if *sinceFlag != "" {
		if since, err = time.Parse(time.DateOnly, *sinceFlag); err != nil {
			return fmt.Errorf("%w: --since wants a day as YYYY-MM-DD, not %q", errUsage, *sinceFlag)
		}
	}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	b, err := a.briefs.Brief(ctx, brief.Request{Topic: topic, Lang: *lang, K: *k, Since: since})
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return writeJSON(m.Stdout, b)
	case *asMD:
		_, err = fmt.Fprint(m.Stdout, render.BriefMarkdown(b))
	default:
		_, err = fmt.Fprint(m.Stdout, render.BriefText(b))
	}
	if err != nil {
		return fmt.Errorf("couldn't write the briefing: %w", err)
	}
	return nil
}

// runTimeline prints the events of the corpus in date order, optionally
// filtered by a word (in any language) or a year.
func runTimeline(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "timeline", "[filter]")
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	asMD := fs.Bool("md", false, "print Markdown that pastes into a newsroom CMS")
	lang := fs.String("lang", "", "language of places and meetings: en, zh or ru (default: the filter's, else en)")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if *asJSON && *asMD {
		return fmt.Errorf("%w: choose one of --json and --md", errUsage)
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	filter := strings.TrimSpace(strings.Join(pos, " "))
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	tl := a.briefs.Timeline(filter, *lang)
	switch {
	case *asJSON:
		return writeJSON(m.Stdout, tl)
	case *asMD:
		_, err = fmt.Fprint(m.Stdout, render.TimelineMarkdown(tl))
	default:
		_, err = fmt.Fprint(m.Stdout, render.TimelineText(tl))
	}
	if err != nil {
		return fmt.Errorf("couldn't write the timeline: %w", err)
	}
	return nil
}

// checkLang accepts a --lang flag: "" (unset) or a language of the
// message table (en, zh, ru).
func checkLang(lang string) error {
	if lang == "" || slices.Contains(words.Languages, lang) {
		return nil
	}
	return fmt.Errorf("%w: unknown --lang %q (want %s)", errUsage, lang, strings.Join(words.Languages, ", "))
}
