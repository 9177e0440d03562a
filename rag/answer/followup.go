package answer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// followUpRunes is the length under which a question may be a follow-up
// that leans on the previous one ("and in 2021?", "他还说了什么?").
const followUpRunes = 40

// followUpCueRE finds the words that make a short question lean on the one
// before it: a leading "and"/"what about", a pronoun, "else", or their
// Chinese equivalents (他, 还, 呢 …).
var followUpCueRE = regexp.MustCompile(`(?i)^\s*(and|also|what about|how about|then)\b|\b(he|she|they|him|her|them|his|their|it|its|that|this|there|those|these|else)\b|他|她|它|那|这|还|呢|此`)

// resolveFollowUp makes a follow-up standalone without a language model:
// a short question with a follow-up cue, or with no words of its own but a
// year or a number, is combined with the previous question: "and in 2021?"
// after "What did Wang Yi propose in Astana?" becomes "and in 2021? (What
// did Wang Yi propose in Astana?)". Any other question is taken as it is,
// so an unrelated "Who won the World Cup?" does not borrow the previous
// question's words.
func resolveFollowUp(question string, history []rag.Turn) string {
	if len(history) == 0 || utf8.RuneCountInString(question) > followUpRunes {
		return question
	}
	prev := strings.TrimSpace(history[len(history)-1].Question)
	if prev == "" || !isFollowUp(question) {
		return question
	}
	return question + " (" + prev + ")"
}

// isFollowUp reports whether a short question leans on the previous one.
func isFollowUp(question string) bool {
	if followUpCueRE.MatchString(question) {
		return true
	}
	for _, t := range tokens.Terms(question) {
		if !retrieve.IsNumber(t) {
			return false // a word of its own: a new question
		}
	}
	return true
}
