package brief

import (
	"regexp"

	"github.com/scobot/scobot/rag/glossary"
)

// The kinds of event a timeline tells apart.
const (
	// KindSummit is a meeting of the heads of state (the SCO Council of
	// Heads of State, 元首理事会, a summit, саммит).
	KindSummit = "summit"
	// KindForeignMinisters is a meeting of the foreign ministers (the
	// Council of Foreign Ministers, 外长理事会, СМИД).
	KindForeignMinisters = "foreign-ministers"
	// KindOther is any other event.
	KindOther = "other"
)

// kindConcepts are the glossary concepts that name each kind of meeting.
var kindConcepts = map[string][]string{
	KindSummit:           {"sco-chs", "summit", "video-summit"},
	KindForeignMinisters: {"sco-cfm"},
}

// kindWords name a kind of meeting in words the glossary does not hold as
// one term ("heads of state", "元首", "глав государств"), in zh, en and ru.
var kindWords = map[string]*regexp.Regexp{
	KindSummit:           regexp.MustCompile(`(?i)\bheads? of state\b|\bsummit|元首|峰会|高峰会|саммит|глав\S* государств`),
	KindForeignMinisters: regexp.MustCompile(`(?i)\bforeign ministers?\b|\bforeign ministers[’']|\bministers? of foreign affairs\b|外长|外交部长|министр\S* иностранных дел|СМИД|глав\S* МИД`),
}

// eventKind is the kind of a meeting concept.
func eventKind(concept string) string {
	for kind, cs := range kindConcepts {
		if contains(cs, concept) {
			return kind
		}
	}
	return KindOther
}

// askedKinds returns the kinds of meeting a topic asks about, through the
// glossary's concepts and the kind words; none when it names no kind.
func askedKinds(g *glossary.Glossary, topic string) map[string]bool {
	out := map[string]bool{}
	var found []string
	if g != nil {
		found = g.Concepts(topic)
	}
	for _, kind := range []string{KindSummit, KindForeignMinisters} {
		for _, c := range kindConcepts[kind] {
			if contains(found, c) {
				out[kind] = true
			}
		}
		if kindWords[kind].MatchString(topic) {
			out[kind] = true
		}
	}
	return out
}

// keepKinds returns the events of the asked kinds (all of them when none
// is asked).
func keepKinds(evs []Event, kinds map[string]bool) []Event {
	if len(kinds) == 0 {
		return evs
	}
	var out []Event
	for _, ev := range evs {
		if kinds[ev.Kind] {
			out = append(out, ev)
		}
	}
	return out
}
