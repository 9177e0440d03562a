package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/chunk"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/retrieve"
)

// scriptedModel is a language model that always writes the same answer.
type scriptedModel struct{ reply string }

func (m scriptedModel) Generate(_ context.Context, system, _ string, onText func(string)) (string, error) {
	if strings.Contains(system, "translate") {
		return "", nil
	}
	if onText != nil {
		onText(m.reply)
	}
	return m.reply, nil
}

// TestGeneratedAnswerCheckedThroughTelegram: a generated answer that cites
// a real source for an invented sentence reaches the Telegram reader
// without it, with the sentence its source supports and a note.
func TestGeneratedAnswerCheckedThroughTelegram(t *testing.T) {
	res, err := corpus.Load(context.Background(), corpus.Embedded(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var chunks []rag.Chunk
	for _, d := range res.Docs {
		chunks = append(chunks, chunk.Document(d, chunk.Options{})...)
	}
	g, err := glossary.Default()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := glossary.Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	model := scriptedModel{"Wang Yi held bilateral talks with Russian Foreign Minister Lavrov in Astana [1]. The ministers also agreed to build a joint SCO moon base by 2030 [1]."}
	asker := answer.NewAssistant(retrieve.NewEngine(retrieve.Config{Chunks: chunks, Glossary: g, Lexicon: lex})).WithGenerator(model, nil)

	f := newFakeTG(t)
	startBotWith(t, f, asker, func(c *Config) { c.DeliveryTimeout = 5 * time.Second; c.EditInterval = time.Nanosecond })
	f.push(privateMsg(42, 1, "Which foreign ministers did Wang Yi meet in Astana?"))
	waitUntil(t, "the final answer", func() bool {
		for _, r := range f.repliesTo(42) {
			if strings.Contains(r, "<b>Sources</b>") {
				return true
			}
		}
		for _, c := range f.callsOf("editMessageText") {
			if strings.Contains(c.form.Get("text"), "<b>Sources</b>") {
				return true
			}
		}
		return false
	})
	final := ""
	for _, c := range f.callsOf("sendMessage", "editMessageText") {
		if strings.Contains(c.form.Get("text"), "<b>Sources</b>") {
			final = c.form.Get("text")
		}
	}
	if !strings.Contains(final, "Lavrov in Astana") || strings.Contains(final, "moon") || !strings.Contains(final, "1 sentence the cited reports do not support was removed") {
		t.Errorf("final answer:\n%s\nwant the Lavrov sentence, no moon base, and the note", final)
	}
	// Nor for a moment, in the answer shown while it is written.
	for _, c := range f.callsOf("sendMessage", "editMessageText") {
		if strings.Contains(c.form.Get("text"), "moon") {
			t.Errorf("the reader was shown the invented sentence: %q", c.form.Get("text"))
		}
	}
}
