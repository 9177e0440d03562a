package answer

import (
	"fmt"

	"github.com/scobot/scobot/rag"
)

// NoteKey names a note shown under an answer or a briefing. The notes of
// both are in one table, here, so that each message is written once.
type NoteKey int

// The notes.
const (
	NoteUnavailable      NoteKey = iota // the model failed: the answer quotes the reports
	NoteUngrounded                      // the model cited no source: the answer quotes the reports
	NoteUncited                         // some generated sentences carry no citation
	NoteKeywordOnly                     // the vector search failed: keyword search only
	NoteBriefUnavailable                // the model failed: the key points quote the reports
	NoteBriefUngrounded                 // the model's points cited no valid source
	NoteBriefDropped                    // drafted points citing no valid source were left out
	NoteCutOff                          // the model's answer was cut off at its length limit
	NoteUnsupported                     // every generated sentence was unsupported: the answer quotes the reports
)

// Note renders a note in the asker's language (Chinese for "zh", else
// English).
func Note(lang string, k NoteKey) string {
	zh := lang == "zh"
	switch k {
	case NoteUnavailable:
		if zh {
			return "语言模型暂时不可用，以下为报道原文摘录。"
		}
		return "The language model is unavailable; this answer quotes the reports directly."
	case NoteUngrounded:
		if zh {
			return "语言模型的回答未引用任何来源，因此改为报道原文摘录。"
		}
		return "The language model's answer cited no source, so this answer quotes the reports directly."
	case NoteUncited:
		if zh {
			return "回答中有些句子未标注来源，请核对。"
		}
		return "Some sentences of this answer carry no citation; check them against the sources."
	case NoteKeywordOnly:
		if zh {
			return "向量检索暂时不可用，结果仅来自关键词检索。"
		}
		return "Semantic search is unavailable; passages were found by keyword search only."
	case NoteBriefUnavailable:
		if zh {
			return "语言模型暂时不可用，以下要点为报道原文摘录。"
		}
		return "The language model is unavailable; the key points quote the reports directly."
	case NoteBriefUngrounded:
		if zh {
			return "语言模型起草的要点未引用有效来源，因此改为报道原文摘录。"
		}
		return "The language model's points cited no valid source, so the key points quote the reports directly."
	case NoteCutOff:
		if zh {
			return "语言模型的回答因长度限制被截断，可能不完整。"
		}
		return "The language model's answer was cut off at its length limit and may be incomplete."
	case NoteUnsupported:
		if zh {
			return "语言模型的回答没有一句得到所引报道的支持，因此改为报道原文摘录。"
		}
		return "No sentence of the language model's answer was supported by the reports it cited, so this answer quotes the reports directly."
	case NoteBriefDropped:
		if zh {
			return "部分起草的要点未引用有效来源，已删去。"
		}
		return "Some drafted points cited no valid source and were left out."
	}
	return ""
}

// NoteRemoved is the note under a generated answer from which n sentences
// the reports they cite do not support were removed.
func NoteRemoved(lang string, n int) string {
	switch {
	case lang == "zh":
		return fmt.Sprintf("已删去 %d 句所引报道不支持的内容。", n)
	case n == 1:
		return "1 sentence the cited reports do not support was removed."
	}
	return fmt.Sprintf("%d sentences the cited reports do not support were removed.", n)
}

// JoinNotes joins two notes into one; either may be empty.
func JoinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
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
