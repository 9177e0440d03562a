package retrieve

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/tokens"
)

//go:embed prompt.tmpl
var promptText string

// prompts holds the system, user and rewrite templates of prompt.tmpl.
var prompts = template.Must(template.New("prompt").Parse(promptText))

// notInSources is what the prompt tells the model to reply when the sources
// do not answer.
const notInSources = "NOT_IN_SOURCES"

// maxAnswerWords bounds a generated answer (the prompt asks for it).
const maxAnswerWords = 200

// rewriteTimeout bounds rewriting a follow-up; past it, the question's
// terms are combined with the previous question's instead.
const rewriteTimeout = 15 * time.Second

// promptSource is one numbered source in the prompt: a document and the
// passages of it that were retrieved, in document order.
type promptSource struct {
	N                   int
	Doc                 string
	Title, Source, Date string
	URL                 string
	Passages            []string
}

// buildSources groups passages by document, numbered by each document's
// best rank.
func buildSources(ps []rag.Passage) []promptSource {
	var out []promptSource
	idx := map[string]int{}
	byDoc := map[string][]rag.Passage{}
	for _, p := range ps {
		if _, ok := idx[p.Doc]; !ok {
			idx[p.Doc] = len(out)
			out = append(out, promptSource{N: len(out) + 1, Doc: p.Doc, Title: p.Title, Source: p.Source, Date: p.Date, URL: p.URL})
		}
		byDoc[p.Doc] = append(byDoc[p.Doc], p)
	}
	for i := range out {
		in := byDoc[out[i].Doc]
		sort.SliceStable(in, func(a, b int) bool { return in[a].Pos < in[b].Pos })
		for _, p := range in {
			out[i].Passages = append(out[i].Passages, neutralise(p.Text))
		}
	}
	return out
}

// neutralise keeps a source's text from closing the prompt's data sections.
func neutralise(s string) string {
	r := strings.NewReplacer("</sources>", "</ sources>", "<sources>", "< sources>", "</question>", "</ question>", "<question>", "< question>")
	return r.Replace(s)
}

// languageName names a language for the prompt.
func languageName(lang string) string {
	switch lang {
	case "zh":
		return "Chinese"
	case "ru":
		return "Russian"
	}
	return "English"
}

// renderPrompt executes the system and user templates.
func renderPrompt(question, lang string, sources []promptSource) (system, user string, err error) {
	data := struct {
		Language string
		MaxWords int
		Question string
		Sources  []promptSource
	}{languageName(lang), maxAnswerWords, neutralise(question), sources}
	var sb, ub bytes.Buffer
	if err := prompts.ExecuteTemplate(&sb, "system", data); err != nil {
		return "", "", fmt.Errorf("couldn't render the system prompt: %w", err)
	}
	if err := prompts.ExecuteTemplate(&ub, "user", data); err != nil {
		return "", "", fmt.Errorf("couldn't render the user prompt: %w", err)
	}
	return sb.String(), ub.String(), nil
}

// citationRE finds citation markers: [1], [1, 2], [1-3], 【1】.
var citationRE = regexp.MustCompile(`[\[【]\s*(\d+(?:\s*[,，、\-–]\s*\d+)*)\s*[\]】]`)

// verified is a generated answer after its citations were checked.
type verified struct {
	text      string
	citations []rag.Citation
	refusal   bool // the model said the sources do not answer
	grounded  bool // at least one statement carries a valid citation
	uncited   int  // statements with no valid citation
}

// verifyCitations checks every marker against the sources given: markers
// that point nowhere are removed, the rest renumbered 1..n in order of first
// use, and only the sources cited are listed.
func verifyCitations(text string, sources []promptSource) verified {
	text = strings.TrimSpace(text)
	if strings.Contains(text, notInSources) && utf8.RuneCountInString(strings.ReplaceAll(text, notInSources, "")) < 40 {
		return verified{refusal: true}
	}
	text = strings.ReplaceAll(text, notInSources, "")
	byN := map[int]promptSource{}
	for _, s := range sources {
		byN[s.N] = s
	}
	renum := map[int]int{}
	var cites []rag.Citation
	out := citationRE.ReplaceAllStringFunc(text, func(m string) string {
		var b strings.Builder
		for _, n := range markerNumbers(citationRE.FindStringSubmatch(m)[1]) {
			s, ok := byN[n]
			if !ok {
				continue // points nowhere: dropped
			}
			if _, ok := renum[n]; !ok {
				renum[n] = len(cites) + 1
				cites = append(cites, rag.Citation{N: len(cites) + 1, Doc: s.Doc, Title: s.Title, Date: s.Date, Source: s.Source, URL: s.URL})
			}
			fmt.Fprintf(&b, "[%d]", renum[n])
		}
		return b.String()
	})
	out = tidySpaces(out)
	v := verified{text: out, citations: cites}
	for _, s := range tokens.Sentences(out) {
		if utf8.RuneCountInString(s) < minSentenceRunes || isHeading(s, out) && !markerRE.MatchString(s) {
			continue
		}
		if markerRE.MatchString(s) {
			v.grounded = true
		} else {
			v.uncited++
		}
	}
	return v
}

// markerRE finds a verified marker.
var markerRE = regexp.MustCompile(`\[\d+\]`)

// markerNumbers expands "1, 2" and "1-3" into source numbers.
func markerNumbers(s string) []int {
	var out []int
	for _, part := range markerListRE.Split(s, -1) {
		lo, hi, isRange := strings.Cut(strings.NewReplacer("–", "-").Replace(part), "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil || b < a || b-a > 20 {
				b = a
			}
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	return out
}

// Patterns for markerNumbers and tidySpaces.
var (
	markerListRE    = regexp.MustCompile(`\s*[,，、]\s*`)
	spaceBeforePunc = regexp.MustCompile(` +([.,;:!?。，；：！？])`)
	spaceRuns       = regexp.MustCompile(`[ \t]{2,}`)
)

// tidySpaces removes the spaces a dropped marker leaves before punctuation.
func tidySpaces(s string) string {
	s = spaceBeforePunc.ReplaceAllString(s, "$1")
	return spaceRuns.ReplaceAllString(s, " ")
}
