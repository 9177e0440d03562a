package retrieve

import (
	"context"

	"github.com/scobot/scobot/rag"
)

// Answer retrieves passages for question and composes an extractive,
// cited answer from them, or abstains when the corpus does not cover it.
func (e *Engine) Answer(ctx context.Context, question string, opts rag.AnswerOptions) (rag.Answer, error) {
	q, err := rag.CheckQuestion(question)
	if err != nil {
		return rag.Answer{}, err
	}
	r, err := e.Retrieve(ctx, q, RetrieveOptions{K: opts.K, Mode: opts.Mode})
	if err != nil {
		return rag.Answer{}, err
	}
	return e.Extract(q, r), nil
}

// Abstains reports whether a retrieval is too weak to answer from.
func (r Retrieval) Abstains() bool {
	threshold := abstainThreshold
	if r.Agreed {
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
func Abstention(question, lang string, passages []rag.Passage) rag.Answer {
	return rag.Answer{
		Question:  question,
		Text:      abstention(lang),
		Abstained: true,
		Mode:      rag.AnswerExtractive,
		Lang:      lang,
		Citations: []rag.Citation{},
		Passages:  nonNil(passages),
	}
}

func nonNil(ps []rag.Passage) []rag.Passage {
	if ps == nil {
		return []rag.Passage{}
	}
	return ps
}
