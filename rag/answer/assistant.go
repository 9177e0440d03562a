// Package answer answers questions from the passages rag/retrieve finds:
// extractively, quoting the best sentences of the reports with their
// sources (extractive.go), or with a language model whose every citation
// is checked against the sources it was shown (generate.go, prompt.tmpl).
// It makes follow-up questions standalone (followup.go), and its Assistant
// (assistant.go) puts these together. The notes shown under answers and
// briefings, and the abstention, are in notes.go.
package answer

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
)

// Assistant answers requests: it resolves follow-ups, retrieves, and answers
// extractively or, when a generator is configured, with a language model
// whose citations are verified. Safe for concurrent use.
type Assistant struct {
	engine *retrieve.Engine
	gen    rag.Generator
	log    *slog.Logger
	cache  *translations // the model's translations of questions
	docs   *docCache     // what extractive answers work out of reports
}

// NewAssistant returns an Assistant over engine that answers extractively.
func NewAssistant(engine *retrieve.Engine) *Assistant {
	return &Assistant{engine: engine, log: slog.New(slog.DiscardHandler), docs: &docCache{}}
}

// Warm does now what the assistant and its engine otherwise do at the
// first questions (retrieve.Engine.Warm, and the list of reports by date
// that finding a report's event searches: 50,000 dates parsed at a
// million chunks). For commands that keep answering, run it in the
// background: questions asked meanwhile are answered.
func (a *Assistant) Warm() {
	a.docs.datedDocs(a.engine)
	a.engine.Warm()
}

// WithGenerator returns a copy of the assistant that writes answers with g,
// falling back to extractive answers when g fails. log (nil: discard)
// records the failures.
func (a *Assistant) WithGenerator(g rag.Generator, log *slog.Logger) *Assistant {
	b := *a
	b.gen = g
	b.cache = &translations{}
	if log != nil {
		b.log = log
	}
	return &b
}

// Ask answers one request. Answer.Resolved holds the standalone question
// that was answered. Errors are only for bad questions and retrieval
// failures; a failing language model falls back to an extractive answer
// with a note.
func (a *Assistant) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	q, err := rag.CheckQuestion(req.Question)
	if err != nil {
		return rag.Answer{}, err
	}
	lang := tokens.Lang(q)
	resolved := a.resolve(ctx, q, req.History)
	opts := retrieve.Options{K: req.K, Mode: req.Mode, Lang: lang}
	r, err := a.engine.Retrieve(ctx, resolved, opts)
	if err != nil {
		return rag.Answer{}, err
	}
	if a.gen != nil {
		// The model carries the question into the corpus's other
		// languages where the glossary cannot (no language helps a
		// question about years no report covers); the best-supported
		// retrieval answers.
		if langs := untranslated(a.engine, r.Query, lang); len(langs) > 0 && !r.TimeMiss {
			for _, t := range a.translate(ctx, resolved, langs) {
				if rt, err := a.engine.Retrieve(ctx, t, opts); err == nil && better(rt, r) {
					a.log.Debug("the question's translation retrieves better", "translation", t, "support", rt.Support, "was", r.Support)
					r = rt
				}
			}
		}
	}
	var ans rag.Answer
	if a.gen == nil || r.Abstains() {
		ans = extract(a.engine, resolved, r, a.docs)
		if req.OnText != nil {
			req.OnText(ans.Text)
		}
	} else {
		ans = a.generate(ctx, resolved, lang, r, req.OnText)
	}
	ans.Question = q
	ans.Resolved = resolved
	if !ans.Abstained {
		ans.FollowUps = Suggest(a.engine, resolved, lang, ans.Passages)
	}
	if r.VectorFailed {
		ans.Note = JoinNotes(ans.Note, Note(lang, NoteKeywordOnly))
	}
	return ans, nil
}

// generate answers from the retrieved passages with the language model and
// verifies its citations.
func (a *Assistant) generate(ctx context.Context, question, lang string, r retrieve.Retrieval, onText func(string)) rag.Answer {
	sources := buildSources(r.Passages)
	system, user, err := renderPrompt(question, lang, sources)
	if err != nil {
		a.log.Error("couldn't build the prompt", "err", err)
		return a.fallback(question, r, NoteUnavailable)
	}
	ps := newCited(r.Passages) // read once for the stream's check and the answer's
	text, err := a.gen.Generate(ctx, system, user, a.checkedStream(onText, sources, ps))
	cut := errors.Is(err, rag.ErrTruncated)
	if err != nil && !cut {
		a.log.Warn("the language model failed; answering extractively", "err", err)
		return a.fallback(question, r, NoteUnavailable)
	}
	if cut {
		a.log.Info("the language model's answer was cut off", "err", err)
	}
	v := VerifyCitations(text, sources)
	switch {
	case v.Refusal:
		ans := Abstention(question, lang, r.Passages)
		ans.Mode = rag.AnswerLLM
		ans.Support = r.Support
		return ans
	case !v.Grounded:
		a.log.Warn("the language model's answer cited no source; answering extractively")
		return a.fallback(question, r, NoteUngrounded)
	}
	kept, checked, removed := a.supported(v, ps)
	check := &rag.GenerationCheck{Markers: v.Markers, ValidMarkers: v.Valid, Sentences: checked, Supported: checked - removed}
	if removed > 0 {
		a.log.Info("removed generated sentences their sources do not support", "removed", removed)
		if v = VerifyCitations(kept, citedSources(v.Citations)); !v.Grounded {
			ans := a.fallback(question, r, NoteUnsupported)
			ans.Checked = check
			return ans
		}
	}
	ans := rag.Answer{
		Question:  question,
		Text:      v.Text,
		Mode:      rag.AnswerLLM,
		Lang:      lang,
		Citations: v.Citations,
		Passages:  nonNil(r.Passages),
		Support:   r.Support,
		Checked:   check,
	}
	if cut {
		ans.Note = Note(lang, NoteCutOff)
	}
	if removed > 0 {
		ans.Note = JoinNotes(ans.Note, NoteRemoved(lang, removed))
	}
	if v.Uncited > 0 {
		ans.Note = JoinNotes(ans.Note, Note(lang, NoteUncited))
	}
	return ans
}

// citedSources are citations as the prompt's sources, to verify a text
// already numbered by them again.
func citedSources(cs []rag.Citation) []PromptSource {
	out := make([]PromptSource, len(cs))
	for i, c := range cs {
		out[i] = PromptSource{Citation: c}
	}
	return out
}

// fallback is the extractive answer with a note saying why.
func (a *Assistant) fallback(question string, r retrieve.Retrieval, why NoteKey) rag.Answer {
	ans := extract(a.engine, question, r, a.docs)
	ans.Note = Note(ans.Lang, why)
	return ans
}

// resolve makes a follow-up standalone: with a language model, by asking it
// to rewrite the question; without one, or when it fails, by combining the
// question with the previous one.
func (a *Assistant) resolve(ctx context.Context, q string, history []rag.Turn) string {
	if len(history) == 0 {
		return q
	}
	if a.gen == nil || utf8.RuneCountInString(q) > 2*followUpRunes || !isFollowUp(q) {
		return resolveFollowUp(q, history, a.engine.Glossary())
	}
	var buf bytes.Buffer
	data := struct {
		History  []rag.Turn
		Question string
	}{lastTurns(history, 3), q}
	if err := prompts.ExecuteTemplate(&buf, "rewrite", data); err != nil {
		a.log.Error("couldn't build the rewrite prompt", "err", err)
		return resolveFollowUp(q, history, a.engine.Glossary())
	}
	ctx, cancel := context.WithTimeout(ctx, rewriteTimeout)
	defer cancel()
	out, err := a.gen.Generate(ctx, "You rewrite follow-up questions.", buf.String(), nil)
	if err != nil {
		a.log.Warn("couldn't rewrite the follow-up; combining it with the previous question", "err", err)
		return resolveFollowUp(q, history, a.engine.Glossary())
	}
	out = strings.Trim(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out), "Q:")), "\"“”")
	if out == "" || strings.Contains(out, "\n") || utf8.RuneCountInString(out) > rag.MaxQuestionRunes {
		return resolveFollowUp(q, history, a.engine.Glossary())
	}
	return out
}

// lastTurns returns at most n of the latest turns, answers shortened.
func lastTurns(h []rag.Turn, n int) []rag.Turn {
	if len(h) > n {
		h = h[len(h)-n:]
	}
	out := make([]rag.Turn, len(h))
	for i, t := range h {
		if r := []rune(t.Answer); len(r) > 300 {
			t.Answer = string(r[:300]) + "…"
		}
		out[i] = t
	}
	return out
}

// Answer answers a single question with no history; it makes the Assistant
// a QuestionAnswerer, so evaluations score what users get.
func (a *Assistant) Answer(ctx context.Context, question string, opts rag.AnswerOptions) (rag.Answer, error) {
	return a.Ask(ctx, rag.Request{Question: question, K: opts.K, Mode: opts.Mode})
}
