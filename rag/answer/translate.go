package answer

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
)

// translationCacheSize bounds how many questions' translations an
// Assistant keeps; past it the cache starts again.
const translationCacheSize = 1024

// translations caches the language model's translations of questions,
// by question and languages. Safe for concurrent use.
type translations struct {
	mu   sync.Mutex
	kept map[string][]string
}

func (c *translations) get(key string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.kept[key]
	return t, ok
}

func (c *translations) put(key string, t []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil || len(c.kept) >= translationCacheSize {
		c.kept = map[string][]string{}
	}
	c.kept[key] = t
}

// untranslated returns the corpus's languages, other than lang, that the
// glossary and lexicon cannot carry the question into: those in which
// some unit of it (other than the corpus's shared names and times) has no
// rendering. A question they carry whole needs no translation.
func untranslated(e *retrieve.Engine, q retrieve.Query, lang string) []string {
	var out []string
	for _, l := range e.Languages() {
		if l == lang {
			continue
		}
		for _, u := range q.Units {
			if !u.Common && !u.Time && !u.Expressible(l) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// translate asks the language model for the question in the languages
// langs (one short call, cached); on any failure it returns none.
func (a *Assistant) translate(ctx context.Context, question string, langs []string) []string {
	key := strings.Join(langs, ",") + "\x00" + question
	if t, ok := a.cache.get(key); ok {
		return t
	}
	type language struct{ Code, Name string }
	data := struct {
		Languages []language
		Question  string
	}{Question: question}
	for _, l := range langs {
		data.Languages = append(data.Languages, language{l, LanguageName(l)})
	}
	var buf bytes.Buffer
	if err := prompts.ExecuteTemplate(&buf, "translate", data); err != nil {
		a.log.Error("couldn't build the translation prompt", "err", err)
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, rewriteTimeout)
	defer cancel()
	out, err := a.gen.Generate(ctx, "You translate questions.", buf.String(), nil)
	if err != nil {
		a.log.Warn("couldn't translate the question; searching in its own language", "err", err)
		return nil
	}
	var ts []string
	for _, line := range strings.Split(out, "\n") {
		code, text, ok := strings.Cut(strings.TrimSpace(line), ":")
		text = strings.TrimSpace(text)
		if !ok || !slices.Contains(langs, strings.ToLower(strings.TrimSpace(code))) || text == "" || utf8.RuneCountInString(text) > rag.MaxQuestionRunes {
			continue
		}
		ts = append(ts, text)
	}
	a.cache.put(key, ts)
	return ts
}

// better reports whether retrieval t, of a translation, answers better
// than r, of the question as asked: it is not ruled out and is likelier
// to answer.
func better(t, r retrieve.Retrieval) bool {
	return len(t.Passages) > 0 && !t.Ruled() && (r.Ruled() || t.Support > r.Support)
}
