package answer

import (
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render/words"
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

// noteKeys are the notes' messages in the message table (render/words).
var noteKeys = map[NoteKey]words.Key{
	NoteUnavailable:      words.NoteUnavailable,
	NoteUngrounded:       words.NoteUngrounded,
	NoteUncited:          words.NoteUncited,
	NoteKeywordOnly:      words.NoteKeywordOnly,
	NoteBriefUnavailable: words.NoteBriefUnavail,
	NoteBriefUngrounded:  words.NoteBriefUngrounded,
	NoteBriefDropped:     words.NoteBriefDropped,
	NoteCutOff:           words.NoteCutOff,
	NoteUnsupported:      words.NoteUnsupported,
}

// Note renders a note in the asker's language (the message table of
// render/words: Chinese, English or Russian).
func Note(lang string, k NoteKey) string {
	key, ok := noteKeys[k]
	if !ok {
		return ""
	}
	return words.Text(lang, key)
}

// NoteRemoved is the note under a generated answer from which n sentences
// the reports they cite do not support were removed.
func NoteRemoved(lang string, n int) string {
	if n == 1 {
		return words.Text(lang, words.NoteRemovedOne, n)
	}
	return words.Text(lang, words.NoteRemovedMany, n)
}

// JoinNotes joins two notes into one; either may be empty.
func JoinNotes(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + " " + b
}

// abstention is the plain "the corpus does not say" in the asker's language.
func abstention(lang string) string { return words.Text(lang, words.Abstain) }

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
