package brief

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/tokens"
)

//go:embed brief.tmpl
var briefText string

// briefPrompts holds the brief_system and brief_user templates.
var briefPrompts = template.Must(template.New("brief").Funcs(answer.PromptFuncs()).Parse(briefText))

// promptSources are the retrieved passages of the plan's sources, numbered
// as the briefing numbers them.
func (p briefPlan) promptSources() []answer.PromptSource {
	out := make([]answer.PromptSource, len(p.sources))
	for i, c := range p.sources {
		out[i] = answer.PromptSource{Citation: c}
	}
	ps := append([]rag.Passage(nil), p.prompt...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Pos < ps[j].Pos })
	for _, pa := range ps {
		i := p.num[pa.Doc] - 1
		out[i].Passages = append(out[i].Passages, pa.Text)
	}
	return out
}

// renderBriefPrompt executes the briefing's system and user templates.
func renderBriefPrompt(topic, lang string, sources []answer.PromptSource) (system, user string, err error) {
	data := struct {
		Language  string
		MaxPoints int
		Topic     string
		Sources   []answer.PromptSource
	}{answer.LanguageName(lang), maxPoints, topic, sources}
	var sb, ub bytes.Buffer
	if err := briefPrompts.ExecuteTemplate(&sb, "brief_system", data); err != nil {
		return "", "", fmt.Errorf("couldn't render the briefing's system prompt: %w", err)
	}
	if err := briefPrompts.ExecuteTemplate(&ub, "brief_user", data); err != nil {
		return "", "", fmt.Errorf("couldn't render the briefing's user prompt: %w", err)
	}
	return sb.String(), ub.String(), nil
}

// headlineRE finds the headline line of a drafted briefing.
var headlineRE = regexp.MustCompile(`(?i)^\s*(?:\*\*)?(?:headline|标题)(?:\*\*)?\s*[:：]\s*`)

// bulletRE finds a list bullet.
var bulletRE = regexp.MustCompile(`^\s*(?:[-*•·]|[0-9]+[.)、])\s*`)

// parseDraft splits a drafted briefing into its headline and point lines.
func parseDraft(text string) (headline string, points []string) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case headline == "" && headlineRE.MatchString(line):
			headline = strings.Trim(strings.TrimSpace(headlineRE.ReplaceAllString(line, "")), "*#")
		default:
			if p := strings.TrimSpace(bulletRE.ReplaceAllString(line, "")); p != "" {
				points = append(points, p)
			}
		}
	}
	return headline, points
}

// draftBrief has the language model draft the headline and key points,
// keeps only the points whose citations hold, and falls back to the
// extractive briefing when none do or the model fails.
func (br *Briefer) draftBrief(ctx context.Context, p briefPlan, onText func(string)) Briefing {
	fallback := func(k answer.NoteKey) Briefing {
		b := extractiveBrief(br.engine, p)
		b.Note = answer.Note(p.lang, k)
		return b
	}
	sources := p.promptSources()
	system, user, err := renderBriefPrompt(p.topic, p.lang, sources)
	if err != nil {
		br.log.Error("couldn't build the briefing prompt", "err", err)
		return fallback(answer.NoteBriefUnavailable)
	}
	text, err := br.gen.Generate(ctx, system, user, onText)
	if err != nil {
		br.log.Warn("the language model failed; briefing extractively", "err", err)
		return fallback(answer.NoteBriefUnavailable)
	}
	headline, lines := parseDraft(text)
	byDoc := map[string]rag.Citation{}
	for _, c := range p.sources {
		byDoc[c.Doc] = c
	}
	points := []Point{}
	dropped := 0
	for _, line := range lines {
		v := answer.VerifyCitations(line, sources)
		if v.Refusal || !v.Grounded {
			dropped++
			continue
		}
		pt := Point{Text: answer.TidySpaces(strings.TrimSpace(answer.RemoveMarkers(v.Text))), Citations: []int{}, Lang: tokens.Lang(v.Text)}
		for _, c := range v.Citations {
			pt.Citations = appendUnique(pt.Citations, byDoc[c.Doc].N)
		}
		pt.Date = p.sources[pt.Citations[0]-1].Date
		points = append(points, pt)
	}
	if len(points) == 0 {
		br.log.Warn("the language model's briefing cited no source; briefing extractively")
		return fallback(answer.NoteBriefUngrounded)
	}
	b := p.base(rag.AnswerLLM)
	b.Headline = strings.TrimSpace(answer.RemoveCitations(headline))
	if b.Headline == "" || strings.Contains(b.Headline, answer.NotInSources) {
		b.Headline = extractiveHeadline(p)
	}
	b.Points = points
	if dropped > 0 {
		b.Note = answer.Note(p.lang, answer.NoteBriefDropped)
	}
	return b
}
