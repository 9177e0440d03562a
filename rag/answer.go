package rag

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Answer modes.
const (
	AnswerExtractive = "extractive"
	AnswerLLM        = "llm"
)

// Answer is a reply to one question: text whose [n] markers point into
// Citations, and the passages it was composed from, in rank order.
type Answer struct {
	Question string `json:"question"`
	// Resolved is the standalone question that was answered: Question
	// itself, or a follow-up rewritten with the conversation's context.
	Resolved  string     `json:"resolved,omitempty"`
	Text      string     `json:"answer"`
	Abstained bool       `json:"abstained"`
	Mode      string     `json:"mode"`
	Lang      string     `json:"lang"`
	Citations []Citation `json:"citations"`
	Passages  []Passage  `json:"passages"`
	// Note, when set, tells the user something about how the answer was
	// made (e.g. that the language model was unavailable).
	Note string `json:"note,omitempty"`
	// Statements are the quoted sentences of an extractive answer, each
	// with the citation it carries.
	Statements []Statement `json:"-"`
	// Support is the retrieval's estimate of how well the corpus covers
	// the question (0–1).
	Support float64 `json:"-"`
}

// Statement is one quoted sentence of an extractive answer.
type Statement struct {
	Text  string // verbatim from the cited document's cleaned text
	N     int    // citation number
	Doc   string
	Chunk string
	Lang  string
	Gloss []GlossPair // names in the sentence rendered in the asker's language
}

// GlossPair pairs a term as the source writes it with its rendering in the
// asker's language.
type GlossPair struct{ From, To string }

// Question limits.
const (
	// MaxQuestionRunes bounds a question; longer ones are refused with a
	// clear message rather than silently cut.
	MaxQuestionRunes = 1000
)

// ErrEmptyQuestion is returned for a question with no text.
var ErrEmptyQuestion = errors.New("the question is empty")

// ErrQuestionTooLong is returned for a question over MaxQuestionRunes.
var ErrQuestionTooLong = fmt.Errorf("the question is longer than %d characters", MaxQuestionRunes)

// AnswerOptions tune one answer.
type AnswerOptions struct {
	K    int  // passages retrieved; 0 → 5
	Mode Mode // retrieval mode; "" → hybrid
}

// CheckQuestion trims a question and rejects empty and over-long ones.
func CheckQuestion(question string) (string, error) {
	q := strings.TrimSpace(question)
	if q == "" {
		return "", ErrEmptyQuestion
	}
	if utf8.RuneCountInString(q) > MaxQuestionRunes {
		return "", ErrQuestionTooLong
	}
	return q, nil
}

// Answer retrieves passages for question and composes an extractive,
// cited answer from them, or abstains when the corpus does not cover it.
func (e *Engine) Answer(ctx context.Context, question string, opts AnswerOptions) (Answer, error) {
	q, err := CheckQuestion(question)
	if err != nil {
		return Answer{}, err
	}
	r, err := e.Retrieve(ctx, q, RetrieveOptions{K: opts.K, Mode: opts.Mode})
	if err != nil {
		return Answer{}, err
	}
	return e.Extract(q, r), nil
}

// Abstains reports whether a retrieval is too weak to answer from.
func (r Retrieval) Abstains() bool {
	threshold := abstainThreshold
	if r.agreed {
		threshold = agreedThreshold
	}
	return len(r.Passages) == 0 || r.TimeMiss || r.Unconnected || len(r.Unnamed) > 0 || r.Support < threshold
}

// abstention is the plain "the corpus does not say" in the asker's language.
func abstention(lang string) string {
	switch lang {
	case "zh":
		return "语料库中没有相关信息：现有报道均未涉及这个问题。"
	case "ru":
		return "В корпусе нет ответа на этот вопрос: ни один из отчётов его не освещает."
	}
	return "The corpus does not say: none of the indexed reports covers this question."
}

// Abstention returns an answer that declines to answer question, with no
// sources, in the asker's language.
func Abstention(question, lang string, passages []Passage) Answer {
	return Answer{
		Question:  question,
		Text:      abstention(lang),
		Abstained: true,
		Mode:      AnswerExtractive,
		Lang:      lang,
		Citations: []Citation{},
		Passages:  nonNil(passages),
	}
}

func nonNil(ps []Passage) []Passage {
	if ps == nil {
		return []Passage{}
	}
	return ps
}
