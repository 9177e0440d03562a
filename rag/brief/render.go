package brief

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
)

// labels are a briefing's own words in one language.
type labels struct {
	keyPoints, timeline, differ, sources, note, undated, noEvents, colon string
	// reported follows an event's date that is its report's date, the
	// text stating none.
	reported string
}

func labelsFor(lang string) labels {
	if lang == "zh" {
		return labels{"要点", "时间线", "说法不一", "来源", "注", "日期不详", "没有符合条件的事件。", "：", "（报道日期）"}
	}
	return labels{"Key points", "Timeline", "Sources differ", "Sources", "Note", "undated", "No events match.", ": ", " (reported)"}
}

// markers renders citation numbers as "[1][2]".
func markers(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString("[" + strconv.Itoa(n) + "]")
	}
	return b.String()
}

// mdEscaper escapes the characters Markdown would read as formatting.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `#`, `\#`, `|`, `\|`)

// mdEscape makes text safe to paste into Markdown, on one line.
func mdEscape(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}

// mdEscapeText is mdEscape for text holding [n] markers, which it keeps.
func mdEscapeText(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range answer.FindMarkers(s) {
		b.WriteString(mdEscaper.Replace(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(mdEscaper.Replace(s[last:]))
	return strings.Join(strings.Fields(b.String()), " ")
}

// mdURL makes a URL safe inside a Markdown link.
var mdURL = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

func writeMarkdownSources(b *strings.Builder, l labels, cites []rag.Citation) {
	if len(cites) == 0 {
		return
	}
	b.WriteString("**" + l.sources + "**\n\n")
	for _, c := range cites {
		title := mdEscape(c.Label())
		if c.URL != "" {
			title = "[" + title + "](" + mdURL.Replace(c.URL) + ")"
		}
		fmt.Fprintf(b, "%d. %s", c.N, title)
		if m := c.Detail(); m != "" {
			b.WriteString(" — " + mdEscape(m))
		}
		b.WriteString("\n")
	}
}

func writeTextSources(b *strings.Builder, l labels, cites []rag.Citation) {
	if len(cites) == 0 {
		return
	}
	b.WriteString(l.sources + "\n")
	for _, c := range cites {
		fmt.Fprintf(b, "[%d] %s", c.N, c.Label())
		if m := c.Detail(); m != "" {
			b.WriteString(" — " + m)
		}
		b.WriteString("\n")
		if c.URL != "" {
			b.WriteString("    " + c.URL + "\n")
		}
	}
}

// pointLine is a key point with its date, markers and glosses.
func pointLine(lang string, pt Point, esc func(string) string) string {
	if esc == nil {
		esc = func(s string) string { return s }
	}
	l := labelsFor(lang)
	s := ""
	if pt.Date != "" {
		s = esc(pt.Date) + l.colon
	}
	return s + esc(pt.Text) + " " + markers(pt.Citations) + answer.GlossText(lang, pt.Gloss, esc)
}

// Markdown renders the briefing for a newsroom CMS: the headline as a
// level-2 heading, bold section labels, bullet points with [n] markers and
// a numbered list of sources with links.
func (b Briefing) Markdown() string {
	l := labelsFor(b.Lang)
	var w strings.Builder
	w.WriteString("## " + mdEscape(b.Headline) + "\n")
	if len(b.Points) > 0 {
		w.WriteString("\n**" + l.keyPoints + "**\n\n")
		for _, pt := range b.Points {
			w.WriteString("- " + pointLine(b.Lang, pt, mdEscape) + "\n")
		}
	}
	if len(b.Timeline) > 0 {
		w.WriteString("\n**" + l.timeline + "**\n\n")
		writeMarkdownEvents(&w, b.Lang, b.Timeline)
	}
	if len(b.Disagreements) > 0 {
		w.WriteString("\n**" + l.differ + "**\n\n")
		for _, d := range b.Disagreements {
			w.WriteString("- " + mdEscapeText(d.Text) + "\n")
		}
	}
	if len(b.Sources) > 0 {
		w.WriteString("\n")
		writeMarkdownSources(&w, l, b.Sources)
	}
	if b.Note != "" {
		w.WriteString("\n_" + l.note + l.colon + mdEscape(b.Note) + "_\n")
	}
	return w.String()
}

// Text renders the briefing as plain text for a terminal.
func (b Briefing) Text() string {
	var w strings.Builder
	w.WriteString(b.body())
	if len(b.Sources) > 0 {
		w.WriteString("\n")
		writeTextSources(&w, labelsFor(b.Lang), b.Sources)
	}
	if b.Note != "" {
		w.WriteString("\n(" + b.Note + ")\n")
	}
	return w.String()
}

// body renders the briefing as plain text without its sources and note.
func (b Briefing) body() string {
	l := labelsFor(b.Lang)
	var w strings.Builder
	w.WriteString(b.Headline + "\n")
	if len(b.Points) > 0 {
		w.WriteString("\n" + l.keyPoints + "\n")
		for _, pt := range b.Points {
			w.WriteString("  • " + pointLine(b.Lang, pt, nil) + "\n")
		}
	}
	if len(b.Timeline) > 0 {
		w.WriteString("\n" + l.timeline + "\n")
		writeTextEvents(&w, b.Lang, b.Timeline)
	}
	if len(b.Disagreements) > 0 {
		w.WriteString("\n" + l.differ + "\n")
		for _, d := range b.Disagreements {
			w.WriteString("  • " + d.Text + "\n")
		}
	}
	return w.String()
}

// Answer returns the briefing in the shape of an answer, for fronts that
// render answers (the Telegram bot, the terminal chat): the plain text
// without the source list, which they render from Citations.
func (b Briefing) Answer() rag.Answer {
	return rag.Answer{
		Question:  b.Topic,
		Text:      strings.TrimRight(b.body(), "\n"),
		Abstained: b.Abstained,
		Mode:      b.Mode,
		Lang:      b.Lang,
		Citations: nonNilCitations(b.Sources),
		Passages:  []rag.Passage{},
		Note:      b.Note,
	}
}

// nonNilCitations keeps JSON from printing null for no citations.
func nonNilCitations(cs []rag.Citation) []rag.Citation {
	if cs == nil {
		return []rag.Citation{}
	}
	return cs
}

// Markdown renders the timeline for a newsroom CMS: a heading, one bullet
// per event, and the numbered sources with links.
func (t Timeline) Markdown() string {
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

// Text renders the timeline for a terminal.
func (t Timeline) Text() string {
	var b strings.Builder
	b.WriteString(t.body())
	if len(t.Events) > 0 {
		b.WriteString("\n")
		writeTextSources(&b, labelsFor(t.Lang), t.Sources)
	}
	return b.String()
}

// body renders the timeline as plain text without its sources.
func (t Timeline) body() string {
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

// Answer returns the timeline in the shape of an answer, for fronts that
// render answers: the events without the source list, which they render
// from Citations.
func (t Timeline) Answer() rag.Answer {
	return rag.Answer{
		Question:  t.Filter,
		Text:      strings.TrimRight(t.body(), "\n"),
		Mode:      rag.AnswerExtractive,
		Lang:      t.Lang,
		Citations: nonNilCitations(t.Sources),
		Passages:  []rag.Passage{},
	}
}

// eventHead is "date · place · meeting" for one event.
func eventHead(ev Event, l labels) []string {
	date := ev.Date
	switch {
	case date == "":
		date = l.undated
	case ev.DateFrom == DateFromReport:
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

func writeMarkdownEvents(b *strings.Builder, lang string, evs []Event) {
	l := labelsFor(lang)
	for _, ev := range evs {
		head := eventHead(ev, l)
		fmt.Fprintf(b, "- **%s**", mdEscape(head[0]))
		for _, p := range head[1:] {
			b.WriteString(" · " + mdEscape(p))
		}
		b.WriteString(l.colon + mdEscape(ev.Text) + " " + markers(ev.Citations) + answer.GlossText(lang, ev.Gloss, mdEscape) + "\n")
	}
}

func writeTextEvents(b *strings.Builder, lang string, evs []Event) {
	l := labelsFor(lang)
	for _, ev := range evs {
		fmt.Fprintf(b, "  %s\n      %s %s%s\n", strings.Join(eventHead(ev, l), " · "), ev.Text, markers(ev.Citations), answer.GlossText(lang, ev.Gloss, nil))
	}
}
