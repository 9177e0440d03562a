package words

import (
	"strconv"
	"strings"

	"github.com/scobot/scobot/rag"
)

// SourceLine writes a source as every front shows it: "Title — Publisher,
// date", the publisher and date when known, the document ID when it has
// no title.
func SourceLine(c rag.Citation) string {
	if d := SourceDetail(c); d != "" {
		return c.Label() + " — " + d
	}
	return c.Label()
}

// SourceDetail is what follows a source's title: "Publisher, date", each
// when known.
func SourceDetail(c rag.Citation) string { return c.Detail() }

// Markers writes citation numbers as every answer, briefing and timeline
// shows them: "[1][2]".
func Markers(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString("[" + strconv.Itoa(n) + "]")
	}
	return b.String()
}

// JoinNonEmpty joins the parts that are not empty (after trimming) with
// sep.
func JoinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
