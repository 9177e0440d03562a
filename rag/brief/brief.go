// Package brief writes briefings for newsroom staff — a headline, dated key
// points, a timeline, where the sources differ, and the sources — and the
// timeline of the corpus's events, from what rag/retrieve finds and in the
// sentences rag/answer would quote. A language model, when there is one,
// drafts a briefing's headline and key points; their citations are checked
// and the timeline stays extractive.
//
// Brief (brief.go) plans a briefing from a retrieval (plan.go): the
// relevant reports, read as events (events.go, the one event model of
// briefings and the timeline: dated by the date their text states,
// dates.go, and of a kind, kinds.go), and where they disagree
// (disagree.go); then it quotes key points (extractive.go) or has them
// drafted (draft.go, brief.tmpl). Timeline (timeline.go) lists the events
// of the whole corpus. Package render draws both as text, Markdown and
// answers; their fixed sentences come from the message table
// (render/words).
package brief

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/render/words"
)

// Request asks for a briefing on a topic.
type Request struct {
	Topic string
	// Lang is the language to write the briefing in: "en", "zh" or "ru";
	// "" → the topic's. The topic is retrieved in its own language
	// either way.
	Lang string
	K    int // passages to retrieve; 0 → 16
	// Since, when not zero, limits the briefing to what is new on or
	// after its day (UTC): events dated then or later, and reports dated
	// then or later (of older events, only those reports). When the topic
	// has events but none is new, the briefing says "nothing new since"
	// (NothingNew) and has no sources. This is what a digest asks for.
	Since time.Time
	// Seen are reports an earlier digest sent: with Since, they are not
	// new again (a report dated the day of the last digest).
	Seen []string
	// OnText, when set, receives the briefing drafted so far as the
	// language model writes it (not yet citation-checked); when no model
	// drafts it (an extractive briefing, an abstention, a fallback), it is
	// not called. Either way the front renders the returned Briefing
	// (package render) for good. Called from the goroutine that called
	// Brief.
	OnText func(text string)
}

// Briefing is the state of a story for newsroom staff: a headline, dated
// key points and a timeline, every line citing Sources by number, and the
// places where the sources disagree.
type Briefing struct {
	Topic    string  `json:"topic"`
	Lang     string  `json:"lang"`
	Headline string  `json:"headline"`
	Points   []Point `json:"points"`
	Timeline []Event `json:"timeline"`
	// Sources are the cited documents, numbered 1..n in timeline order;
	// points, timeline and disagreements cite these numbers.
	Sources       []rag.Citation `json:"sources"`
	Disagreements []Disagreement `json:"disagreements"`
	Mode          string         `json:"mode"` // AnswerExtractive or AnswerLLM
	// Abstained is set when the corpus does not cover the topic; the
	// headline says so and there are no sources.
	Abstained bool `json:"abstained"`
	// Since is the request's Since day (ISO 8601), "" when it had none;
	// NothingNew is set when nothing is new since then: the headline
	// says so and there are no sources.
	Since      string `json:"since,omitempty"`
	NothingNew bool   `json:"nothing_new,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Point is one key point of a briefing. In an extractive briefing Text
// is a sentence quoted verbatim from the source Citations[0] points at.
type Point struct {
	Text      string `json:"text"`
	Date      string `json:"date"` // date of the report it comes from
	Citations []int  `json:"citations"`
	Lang      string `json:"lang"` // language of Text
	// Gloss renders the names of a Text in another language into the
	// briefing's language.
	Gloss []rag.GlossPair `json:"-"`
	Doc   string          `json:"-"` // extractive: the document quoted
	Chunk string          `json:"-"` // extractive: the chunk quoted
}

// Disagreement is a fact the sources give differently.
type Disagreement struct {
	Kind      string `json:"kind"` // "date" or "count"
	Text      string `json:"text"`
	Citations []int  `json:"citations"`
}

// Briefing limits.
const (
	defaultBriefPassages = 16
	maxPoints            = 6
	maxPointsPerEvent    = 2
	// maxPointWidth bounds a quoted key point (a Han character counts
	// two); longer sentences do not read as points.
	maxPointWidth = 420
	// otherLangPoint weighs a sentence in a language other than the
	// briefing's: quoted only when clearly better.
	otherLangPoint = 0.6
)

// Briefer writes briefings and the timeline from an engine's corpus:
// extractively, or with a language model whose points are checked against
// their citations. Safe for concurrent use.
type Briefer struct {
	engine *retrieve.Engine
	gen    rag.Generator
	log    *slog.Logger
}

// New returns a Briefer over engine. gen, when not nil, drafts the
// headline and key points, falling back to extractive ones when it fails;
// log (nil: discard) records the failures.
func New(engine *retrieve.Engine, gen rag.Generator, log *slog.Logger) *Briefer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Briefer{engine: engine, gen: gen, log: log}
}

// Brief writes a briefing on req.Topic from the corpus. Errors are only for
// bad topics and retrieval failures: a topic the corpus does not cover gets
// a briefing that says so, and a failing language model falls back to the
// extractive briefing with a note.
func (br *Briefer) Brief(ctx context.Context, req Request) (Briefing, error) {
	topic, err := rag.CheckQuestion(req.Topic)
	if err != nil {
		return Briefing{}, err
	}
	asked := tokens.Lang(topic)
	lang := cmp.Or(req.Lang, asked)
	k := req.K
	if k <= 0 {
		k = defaultBriefPassages
	}
	r, err := br.engine.Retrieve(ctx, topic, retrieve.Options{K: k, Lang: asked, Since: req.Since})
	if err != nil {
		return Briefing{}, err
	}
	var b Briefing
	p := planBrief(br.engine, topic, lang, r, req.Since, req.Seen...)
	switch {
	case !r.Abstains() && p.stale:
		b = briefNothingNew(topic, lang, req.Since)
	case r.Abstains() || len(p.events) == 0:
		b = briefAbstention(topic, lang)
	case br.gen == nil:
		b = extractiveBrief(br.engine, p)
	default:
		b = br.draftBrief(ctx, p, req.OnText)
	}
	if !req.Since.IsZero() {
		b.Since = req.Since.Format(time.DateOnly)
	}
	if r.VectorFailed {
		b.Note = answer.JoinNotes(b.Note, answer.Note(lang, answer.NoteKeywordOnly))
	}
	return b, nil
}

// briefAbstention is the briefing for a topic the corpus does not cover.
func briefAbstention(topic, lang string) Briefing {
	h := words.Text(lang, words.BriefAbstain, topic)
	return Briefing{
		Topic: topic, Lang: lang, Headline: h, Mode: rag.AnswerExtractive, Abstained: true,
		Points: []Point{}, Timeline: []Event{}, Sources: []rag.Citation{}, Disagreements: []Disagreement{},
	}
}

// briefNothingNew is the briefing for a topic with no event new since a
// day: "Nothing new since 2020-11-11 on “heads of state”."
func briefNothingNew(topic, lang string, since time.Time) Briefing {
	day := since.Format(time.DateOnly)
	h := words.Text(lang, words.BriefNothingNew, day, topic)
	return Briefing{
		Topic: topic, Lang: lang, Headline: h, Mode: rag.AnswerExtractive, NothingNew: true,
		Points: []Point{}, Timeline: []Event{}, Sources: []rag.Citation{}, Disagreements: []Disagreement{},
	}
}
