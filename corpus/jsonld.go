package corpus

import (
	"encoding/json"
	"strings"
)

// ldArticle is what a page's JSON-LD says about its article.
type ldArticle struct {
	headline, published, publisher, lang string
}

// articleTypes are the schema.org types of a news article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenews": true, "analysisnewsarticle": true,
	"backgroundnewsarticle": true, "opinionnewsarticle": true, "blogposting": true, "webpage": false,
}

// parseJSONLD reads one <script type="application/ld+json"> block and
// returns the first article it describes (at the top, in an array or in an
// @graph). A block that is not JSON, or describes no article, gives the
// zero value.
func parseJSONLD(src string) ldArticle {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return ldArticle{}
	}
	var found ldArticle
	var walk func(v any, depth int) bool
	walk = func(v any, depth int) bool {
		if depth > 8 {
			return false
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				if walk(e, depth+1) {
					return true
				}
			}
		case map[string]any:
			if isArticleType(t["@type"]) {
				found = ldArticle{
					headline:  ldString(t["headline"]),
					published: ldString(t["datePublished"]),
					publisher: ldName(t["publisher"]),
					lang:      ldString(t["inLanguage"]),
				}
				if found.headline == "" {
					found.headline = ldString(t["name"])
				}
				return true
			}
			if g, ok := t["@graph"]; ok {
				return walk(g, depth+1)
			}
		}
		return false
	}
	walk(v, 0)
	return found
}

// isArticleType reports whether a JSON-LD @type (a string or a list of
// them) names a kind of article.
func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return articleTypes[strings.ToLower(strings.TrimPrefix(t, "schema:"))]
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// ldString returns a JSON-LD value that is a string, or the first string
// of a list, trimmed; anything else gives "".
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.Join(strings.Fields(t), " ")
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	}
	return ""
}

// ldName returns an organisation's name: a string, or the "name" of an
// object (or of the first of a list).
func ldName(v any) string {
	switch t := v.(type) {
	case string:
		return ldString(t)
	case map[string]any:
		return ldString(t["name"])
	case []any:
		if len(t) > 0 {
			return ldName(t[0])
		}
	}
	return ""
}
