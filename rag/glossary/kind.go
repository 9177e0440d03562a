package glossary

import "strings"

// Kind says what sort of thing a concept is. A glossary file sets it with a
// line "[kind]" that applies to the rows below it; rows above any such line,
// as in a user file without them, have no kind ("").
type Kind string

// The kinds a glossary row may have.
const (
	KindState        Kind = "state"        // a country
	KindPlace        Kind = "place"        // a city or province
	KindRegion       Kind = "region"       // a region or group of countries
	KindPerson       Kind = "person"       // a person
	KindTitle        Kind = "title"        // a title or office
	KindOrganisation Kind = "organisation" // an organisation or one of its bodies
	KindInitiative   Kind = "initiative"   // a named initiative, programme or doctrine
	KindTopic        Kind = "topic"        // a principle, recurring phrase or subject
	KindEvent        Kind = "event"        // a kind of meeting, event or document
	KindMonth        Kind = "month"        // a month, in dates
	KindBlocker      Kind = "blocker"      // the blocker row
)

var kinds = []Kind{KindState, KindPlace, KindRegion, KindPerson, KindTitle, KindOrganisation,
	KindInitiative, KindTopic, KindEvent, KindMonth, KindBlocker}

// Entity reports whether concepts of kind k name one particular thing (a
// country, city, person, office, organisation or initiative), which a report
// either mentions or not, rather than a phrase with many wordings.
func (k Kind) Entity() bool {
	switch k {
	case KindState, KindPlace, KindRegion, KindPerson, KindTitle, KindOrganisation, KindInitiative:
		return true
	}
	return false
}

func (k Kind) valid() bool {
	for _, x := range kinds {
		if k == x {
			return true
		}
	}
	return false
}

func kindList() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// kindLine reads a "[kind]" line.
func kindLine(line string) (Kind, bool) {
	t := strings.TrimSpace(line)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return "", false
	}
	return Kind(strings.TrimSpace(t[1 : len(t)-1])), true
}

// Kind returns the kind of concept, or "" when it has none or is unknown.
func (g *Glossary) Kind(concept string) Kind {
	if i, ok := g.index[concept]; ok {
		return g.entries[i].kind
	}
	return ""
}
