package rag

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

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

// Turn is one earlier exchange of a conversation: the question as it was
// resolved (standalone) and the answer text given.
type Turn struct {
	Question string
	Answer   string
}

// Request is one question of a conversation, as a front (the Telegram bot,
// the terminal) puts it to rag/answer's Assistant.
type Request struct {
	Question string
	// History holds the conversation's earlier turns, oldest first; a
	// follow-up ("and in 2021?") is resolved against them. nil for none.
	History []Turn
	// OnText, when set, receives the answer text generated so far, as it
	// grows; it is not yet citation-checked. The final, checked text is in
	// the returned Answer. Called from the goroutine that called Ask.
	OnText func(text string)
	K      int  // passages to retrieve; 0 → 5
	Mode   Mode // retrieval mode; "" → hybrid
}
