package answer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/glossary"
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

// followYearRE finds a year in a question.
var followYearRE = regexp.MustCompile(`\b(?:19[5-9]|20[0-9])[0-9]\b`)

// resolveFollowUp makes a follow-up standalone without a language model. A
// short question with a follow-up cue, or with no words of its own but a
// year or a number, leans on the previous question:
//
//   - when it gives a place, a state, a person or another named thing, or
//     a year, that replaces the previous question's one of the same kind:
//     "and in Astana?" after "What did Wang Yi propose in Dushanbe?" is
//     "What did Wang Yi propose in Astana?", and "那在2021年呢?" after a
//     question about 2024 asks the same about 2021; a kind the previous
//     question lacks is added to it;
//   - otherwise the two are combined: "他还说了什么?" becomes "他还说了什么?
//     (What did Wang Yi propose in Astana?)".
//
// Any other question is taken as it is, so an unrelated "Who won the World
// Cup?" does not borrow the previous question's words. g (nil: none) finds
// the names.
func resolveFollowUp(question string, history []rag.Turn, g *glossary.Glossary) string {
	if len(history) == 0 || utf8.RuneCountInString(question) > followUpRunes {
		return question
	}
	prev := strings.TrimSpace(history[len(history)-1].Question)
	if prev == "" || !isFollowUp(question) {
		return question
	}
	if q, ok := replaceSlots(question, prev, g); ok {
		return q
	}
	return question + " (" + prev + ")"
}

// replaceSlots puts the follow-up's names and years into the previous
// question in place of those of the same kind; ok is false when the
// follow-up gives none.
func replaceSlots(followUp, prev string, g *glossary.Glossary) (string, bool) {
	lang := tokens.Lang(prev)
	out := prev
	changed := false
	if g != nil {
		used := map[string]bool{}
		for _, m := range g.Find(followUp) {
			k := g.Kind(m.Concept)
			if !k.Entity() {
				continue
			}
			term := g.Term(m.Concept, lang)
			if term == "" {
				term = m.Term
			}
			replaced := false
			for _, pm := range g.Find(out) {
				if g.Kind(pm.Concept) == k && !used[pm.Concept] && pm.Concept != m.Concept {
					out = out[:pm.Start] + term + out[pm.End:]
					replaced = true
					break
				}
			}
			if !replaced && !strings.Contains(out, term) {
				out = addSlot(out, term, lang, k)
			}
			used[m.Concept] = true
			changed = true
		}
	}
	if y := followYearRE.FindString(followUp); y != "" {
		if followYearRE.MatchString(out) {
			out = followYearRE.ReplaceAllString(out, y)
		} else {
			out = addSlot(out, y, lang, "")
		}
		changed = true
	}
	return out, changed
}

// addSlot adds a name or year the previous question lacked: "… in Astana?"
// in English, "在阿斯塔纳" or "2021年" before the question mark in Chinese.
func addSlot(q, term, lang string, k glossary.Kind) string {
	end := strings.TrimRight(q, "?？ ")
	mark := q[len(end):]
	switch {
	case lang == "zh" && k == "":
		return end + "(" + term + "年)" + mark
	case lang == "zh":
		return end + "(" + term + ")" + mark
	case lang == "ru":
		return end + " (" + term + ")" + mark
	}
	return end + " in " + term + mark
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
