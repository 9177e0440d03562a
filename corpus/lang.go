package corpus

import "strings"

// minPartWeight is the size (see weight) below which a run of paragraphs in
// another language does not make a Part of its own: a quoted name or a short
// caption stays with the text around it.
const minPartWeight = 120

// SplitLanguages splits cleaned text (paragraphs separated by a blank line)
// into Parts by language: each paragraph is classified by its share of Han,
// Latin and Cyrillic letters ("zh", "en", "ru"), consecutive paragraphs of one
// language are merged, and short runs in another language are absorbed by
// the run before them (or after them, at the start). Text without letters
// yields one Part in language "und".
func SplitLanguages(text string) []Part {
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	type run struct {
		lang  string
		paras []string
		w     int
	}
	var runs []run
	for _, p := range paras {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		lang := paragraphLang(p)
		if n := len(runs); n > 0 && (lang == "" || runs[n-1].lang == lang) {
			runs[n-1].paras = append(runs[n-1].paras, p)
			runs[n-1].w += weight(p)
			continue
		}
		runs = append(runs, run{lang: lang, paras: []string{p}, w: weight(p)})
	}
	if len(runs) == 0 {
		return nil
	}
	// Absorb short runs into a neighbour, then merge neighbours that now
	// share a language.
	for changed := true; changed && len(runs) > 1; {
		changed = false
		for i := range runs {
			if runs[i].w >= minPartWeight && runs[i].lang != "" {
				continue
			}
			j := i - 1
			if j < 0 {
				j = 1
			}
			if runs[j].w < runs[i].w && runs[i].lang != "" {
				continue // the neighbour is smaller still; let it go first
			}
			if j < i {
				runs[j].paras = append(runs[j].paras, runs[i].paras...)
			} else {
				runs[j].paras = append(runs[i].paras, runs[j].paras...)
			}
			runs[j].w += runs[i].w
			runs = append(runs[:i], runs[i+1:]...)
			changed = true
			break
		}
		for i := 1; i < len(runs); i++ {
			if runs[i].lang == runs[i-1].lang {
				runs[i-1].paras = append(runs[i-1].paras, runs[i].paras...)
				runs[i-1].w += runs[i].w
				runs = append(runs[:i], runs[i+1:]...)
				i--
				changed = true
			}
		}
	}
	parts := make([]Part, 0, len(runs))
	for _, r := range runs {
		lang := r.lang
		if lang == "" {
			lang = "und"
		}
		parts = append(parts, Part{Lang: lang, Text: strings.Join(r.paras, "\n\n")})
	}
	return parts
}

// paragraphLang classifies a paragraph by script: "zh", "en", "ru", or ""
// when it has no letters to go by. A Han character counts as much as three
// Latin or Cyrillic letters (about one word).
func paragraphLang(p string) string {
	c := countScript(p)
	han, lat, cyr := c.han*3, c.latin, c.cyrillic
	switch {
	case han == 0 && lat == 0 && cyr == 0:
		return ""
	case han >= lat && han >= cyr:
		return "zh"
	case cyr > lat:
		return "ru"
	default:
		return "en"
	}
}

// langsOf lists the languages of parts in order of first appearance.
func langsOf(parts []Part) []string {
	var langs []string
	seen := map[string]bool{}
	for _, p := range parts {
		if !seen[p.Lang] {
			seen[p.Lang] = true
			langs = append(langs, p.Lang)
		}
	}
	return langs
}
