package answer

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
var prompts = template.Must(template.New("prompt").Funcs(PromptFuncs()).Parse(promptText))

// NotInSources is what the prompts tell the model to reply when the sources
// do not answer.
const NotInSources = "NOT_IN_SOURCES"

// maxAnswerWords bounds a generated answer (the prompt asks for it).
const maxAnswerWords = 200

// rewriteTimeout bounds rewriting a follow-up; past it, the question's
// terms are combined with the previous question's instead.
const rewriteTimeout = 15 * time.Second

// PromptSource is one numbered source in a prompt: a document, cited as
// the model cites it ([N]), and the passages of it the model is shown, in
// document order. Its fields are data: the prompt templates neutralise them
// as they render them (PromptFuncs).
type PromptSource struct {
	rag.Citation
	Passages []string
}

// buildSources groups passages by document, numbered by each document's
// best rank.
func buildSources(ps []rag.Passage) []PromptSource {
	var out []PromptSource
	idx := map[string]int{}
	byDoc := map[string][]rag.Passage{}
	for _, p := range ps {
		if _, ok := idx[p.Doc]; !ok {
			idx[p.Doc] = len(out)
			out = append(out, PromptSource{Citation: rag.Citation{N: len(out) + 1, Doc: p.Doc, Title: p.Title, Source: p.Source, Date: p.Date, URL: p.URL}})
		}
		byDoc[p.Doc] = append(byDoc[p.Doc], p)
	}
	for i := range out {
		in := byDoc[out[i].Doc]
		sort.SliceStable(in, func(a, b int) bool { return in[a].Pos < in[b].Pos })
		for _, p := range in {
			out[i].Passages = append(out[i].Passages, p.Text)
		}
	}
	return out
}

// PromptFuncs are the functions of the prompt templates: "data" neutralises
// a piece of data (a title, a passage, the question) as it is written into
// its section.
func PromptFuncs() template.FuncMap { return template.FuncMap{"data": neutralise} }

// neutralise keeps a piece of data from closing or opening a prompt's data
// sections.
func neutralise(s string) string { return sectionTags.Replace(s) }

// sectionTags are the prompts' section tags, broken apart.
var sectionTags = strings.NewReplacer(
	"</sources>", "</ sources>", "<sources>", "< sources>",
	"</question>", "</ question>", "<question>", "< question>",
	"</topic>", "</ topic>", "<topic>", "< topic>",
)

// LanguageName names a language for a prompt: "Chinese", "Russian",
// "English" (the default).
func LanguageName(lang string) string {
	switch lang {
	case "zh":
		return "Chinese"
	case "ru":
		return "Russian"
	}
	return "English"
}

// renderPrompt executes the system and user templates.
func renderPrompt(question, lang string, sources []PromptSource) (system, user string, err error) {
	data := struct {
		Language string
		MaxWords int
		Question string
		Sources  []PromptSource
	}{LanguageName(lang), maxAnswerWords, question, sources}
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

// Verified is a generated text after its citations were checked.
type Verified struct {
	Text      string         // the text, its markers renumbered [1]..[n]
	Citations []rag.Citation // the sources cited, numbered as in Text
	Refusal   bool           // the model said the sources do not answer
	Grounded  bool           // at least one statement carries a valid citation
	Uncited   int            // statements with no valid citation
	Markers   int            // citation markers (source numbers) the text gave
	Valid     int            // of them, those pointing at a source given
}

// VerifyCitations checks every marker against the sources given: markers
// that point nowhere are removed, the rest renumbered 1..n in order of first
// use, and only the sources cited are listed.
func VerifyCitations(text string, sources []PromptSource) Verified {
	text = strings.TrimSpace(text)
	if strings.Contains(text, NotInSources) && utf8.RuneCountInString(strings.ReplaceAll(text, NotInSources, "")) < 40 {
		return Verified{Refusal: true}
	}
	text = strings.ReplaceAll(text, NotInSources, "")
	byN := map[int]PromptSource{}
	for _, s := range sources {
		byN[s.N] = s
	}
	renum := map[int]int{}
	var cites []rag.Citation
	markers, valid := 0, 0
	out := citationRE.ReplaceAllStringFunc(text, func(m string) string {
		var b strings.Builder
		for _, n := range markerNumbers(citationRE.FindStringSubmatch(m)[1]) {
			markers++
			s, ok := byN[n]
			if !ok {
				continue // points nowhere: dropped
			}
			valid++
			if _, ok := renum[n]; !ok {
				renum[n] = len(cites) + 1
				c := s.Citation
				c.N = len(cites) + 1
				cites = append(cites, c)
			}
			fmt.Fprintf(&b, "[%d]", renum[n])
		}
		return b.String()
	})
	out = TidySpaces(out)
	v := Verified{Text: out, Citations: cites, Markers: markers, Valid: valid}
	for _, s := range tokens.Sentences(out) {
		if utf8.RuneCountInString(s) < MinSentenceRunes || IsHeading(s, out) && !markerRE.MatchString(s) {
			continue
		}
		if markerRE.MatchString(s) {
			v.Grounded = true
		} else {
			v.Uncited++
		}
	}
	return v
}

// markerRE finds a verified marker.
var markerRE = regexp.MustCompile(`\[\d+\]`)

// RemoveMarkers removes the verified markers ([1]) from a text.
func RemoveMarkers(s string) string { return markerRE.ReplaceAllString(s, "") }

// FindMarkers returns the start and end of each verified marker ([1]) in a
// text.
func FindMarkers(s string) [][]int { return markerRE.FindAllStringIndex(s, -1) }

// RemoveCitations removes the citation markers a model writes ([1], [1, 2],
// [1-3], 【1】) from a text, valid or not.
func RemoveCitations(s string) string { return citationRE.ReplaceAllString(s, "") }

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

// Patterns for markerNumbers and TidySpaces.
var (
	markerListRE    = regexp.MustCompile(`\s*[,，、]\s*`)
	spaceBeforePunc = regexp.MustCompile(` +([.,;:!?。，；：！？])`)
	spaceRuns       = regexp.MustCompile(`[ \t]{2,}`)
)

// TidySpaces removes the spaces a dropped marker leaves before punctuation.
func TidySpaces(s string) string {
	s = spaceBeforePunc.ReplaceAllString(s, "$1")
	return spaceRuns.ReplaceAllString(s, " ")
}
