package bot

import (
	"context"
	"testing"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag/answer"
	"github.com/scobot/scobot/rag/chunk"
	"github.com/scobot/scobot/rag/glossary"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
)

// corpusAssistant builds the real question-answering pipeline over the
// built-in corpus: local embedder, chromem-go index, extractive answers.
func corpusAssistant(b *testing.B) *answer.Assistant {
	ctx := context.Background()
	res, err := corpus.Load(ctx, corpus.Embedded(), nil)
	if err != nil {
		b.Fatal(err)
	}
	g, err := glossary.Default()
	if err != nil {
		b.Fatal(err)
	}
	lex, err := glossary.Lexicon()
	if err != nil {
		b.Fatal(err)
	}
	emb := hashembed.New(hashembed.Config{Extra: g.Concepts, ExtraID: "glossary-" + g.ID()})
	st, err := store.Open(ctx, b.TempDir(), emb, nil)
	if err != nil {
		b.Fatal(err)
	}
	var docs []store.Doc
	for _, d := range res.Docs {
		docs = append(docs, store.Doc{ID: d.ID, Chunks: chunk.Document(d, chunk.Options{})})
	}
	if _, err := st.Sync(ctx, docs, nil); err != nil {
		b.Fatal(err)
	}
	e := retrieve.NewEngine(retrieve.Config{Chunks: st.Chunks(), Vector: st, Embedder: emb, Glossary: g, Lexicon: lex})
	return answer.NewAssistant(e)
}

// BenchmarkUpdateToReplyCorpus is BenchmarkUpdateToReply with the real
// pipeline at corpus size in place of the fake Asker: retrieval, the
// extractive answer, formatting and the reply to a loopback Bot API.
func BenchmarkUpdateToReplyCorpus(b *testing.B) {
	benchUpdates(b, corpusAssistant(b))
}
