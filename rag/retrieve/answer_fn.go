package retrieve

import (
	"github.com/scobot/scobot/rag"
)

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
