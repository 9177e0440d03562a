package render

import (
	"fmt"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/brief"
	"github.com/scobot/scobot/render/words"
)

// TimelineMarkdown renders a timeline for a newsroom CMS: a heading, one
// bullet per event, and the numbered sources with links.
func TimelineMarkdown(t brief.Timeline) string {
	l := labelsFor(t.Lang)
	var b strings.Builder
	b.WriteString("## " + mdEscape(l.timeline))
	if t.Filter != "" {
		b.WriteString(": " + mdEscape(t.Filter))
	}
	b.WriteString("\n\n")
	if len(t.Events) == 0 {
		b.WriteString(mdEscape(l.noEvents) + "\n")
		return b.String()
	}
	writeMarkdownEvents(&b, t.Lang, t.Events)
	b.WriteString("\n")
	writeMarkdownSources(&b, l, t.Sources)
	return b.String()
}

// TimelineText renders a timeline for a terminal.
func TimelineText(t brief.Timeline) string {
	var b strings.Builder
	b.WriteString(timelineBody(t))
	if len(t.Events) > 0 {
		b.WriteString("\n")
		writeTextSources(&b, labelsFor(t.Lang), t.Sources)
	}
	return b.String()
}

// timelineBody renders a timeline as plain text without its sources.
func timelineBody(t brief.Timeline) string {
	l := labelsFor(t.Lang)
	var b strings.Builder
	b.WriteString(l.timeline)
	if t.Filter != "" {
		b.WriteString(": " + t.Filter)
	}
	b.WriteString("\n")
	if len(t.Events) == 0 {
		b.WriteString(l.noEvents + "\n")
		return b.String()
	}
	writeTextEvents(&b, t.Lang, t.Events)
	return b.String()
}

// TimelineAnswer returns a timeline in the shape of an answer, for fronts
// that render answers: the events without the source list, which they
// render from Citations.
func TimelineAnswer(t brief.Timeline) rag.Answer {
	return rag.Answer{
		Question:  t.Filter,
		Text:      strings.TrimRight(timelineBody(t), "\n"),
		Mode:      rag.AnswerExtractive,
		Lang:      t.Lang,
		Citations: nonNilCitations(t.Sources),
		Passages:  []rag.Passage{},
	}
}

// eventHead is "date · place · meeting" for one event.
func eventHead(ev brief.Event, l labels) []string {
	date := ev.Date
	switch {
	case date == "":
		date = l.undated
	case ev.DateFrom == brief.DateFromReport:
		date += l.reported
	}
	parts := []string{date}
	if ev.Place != "" {
		parts = append(parts, ev.Place)
	}
	if ev.Meeting != "" {
		parts = append(parts, ev.Meeting)
	}
	return parts
}

func writeMarkdownEvents(b *strings.Builder, lang string, evs []brief.Event) {
	l := labelsFor(lang)
	for _, ev := range evs {
		head := eventHead(ev, l)
		fmt.Fprintf(b, "- **%s**", mdEscape(head[0]))
		for _, p := range head[1:] {
			b.WriteString(" · " + mdEscape(p))
		}
		b.WriteString(l.colon + mdEscape(ev.Text) + " " + words.Markers(ev.Citations) + answer.GlossText(lang, ev.Gloss, mdEscape) + "\n")
	}
}

func writeTextEvents(b *strings.Builder, lang string, evs []brief.Event) {
	l := labelsFor(lang)
	for _, ev := range evs {
		fmt.Fprintf(b, "  %s\n      %s %s%s\n", strings.Join(eventHead(ev, l), " · "), ev.Text, words.Markers(ev.Citations), answer.GlossText(lang, ev.Gloss, nil))
	}
}
