package render

import (
	"fmt"
	"strings"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/brief"
	"github.com/scobot/scobot/render/words"
)

// labels are a briefing's and a timeline's own words in one language,
// from the message table.
type labels struct {
	keyPoints, timeline, differ, sources, note, undated, noEvents, colon string
	// reported follows an event's date that is its report's date, the
	// text stating none.
	reported string
}

func labelsFor(lang string) labels {
	t := func(k words.Key) string { return words.Text(lang, k) }
	return labels{
		keyPoints: t(words.BriefKeyPoints),
		timeline:  t(words.TimelineTitle),
		differ:    t(words.SourcesDiffer),
		sources:   t(words.SourcesHeading),
		note:      t(words.NoteLabel),
		undated:   t(words.Undated),
		noEvents:  t(words.NoEvents),
		colon:     t(words.LabelColon),
		reported:  t(words.DateReported),
	}
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
func pointLine(lang string, pt brief.Point, esc func(string) string) string {
	if esc == nil {
		esc = func(s string) string { return s }
	}
	l := labelsFor(lang)
	s := ""
	if pt.Date != "" {
		s = esc(pt.Date) + l.colon
	}
	return s + esc(pt.Text) + " " + words.Markers(pt.Citations) + answer.GlossText(lang, pt.Gloss, esc)
}

// BriefMarkdown renders a briefing for a newsroom CMS: the headline as a
// level-2 heading, bold section labels, bullet points with [n] markers and
// a numbered list of sources with links.
func BriefMarkdown(b brief.Briefing) string {
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

// BriefText renders a briefing as plain text for a terminal.
func BriefText(b brief.Briefing) string {
	var w strings.Builder
	w.WriteString(briefBody(b))
	if len(b.Sources) > 0 {
		w.WriteString("\n")
		writeTextSources(&w, labelsFor(b.Lang), b.Sources)
	}
	if b.Note != "" {
		w.WriteString("\n(" + b.Note + ")\n")
	}
	return w.String()
}

// briefBody renders a briefing as plain text without its sources and note.
func briefBody(b brief.Briefing) string {
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

// BriefAnswer returns a briefing in the shape of an answer, for fronts
// that render answers (the Telegram bot, the terminal chat): the plain
// text without the source list, which they render from Citations.
func BriefAnswer(b brief.Briefing) rag.Answer {
	return rag.Answer{
		Question:  b.Topic,
		Text:      strings.TrimRight(briefBody(b), "\n"),
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
