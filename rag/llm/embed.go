package llm

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	openai "github.com/sashabaranov/go-openai"
)

// Embedder turns texts into vectors with the Client's embedding model. It is
// safe for concurrent use.
type Embedder struct {
	api         *openai.Client
	model       string
	id          string
	batch       int
	concurrency int
	errs        classifier
}

// embedderID returns "openai/<model>@<base URL>", the base URL without user
// information, query, fragment, trailing slash or any secret.
func embedderID(model string, base *url.URL, red redactor) string {
	u := *base
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return red.redact("openai/" + model + "@" + strings.TrimRight(u.String(), "/"))
}

// ID returns "openai/<model>@<base URL>", which identifies the model and
// the endpoint: the same model name on two servers may be two models. The
// base URL is given without user information, query, fragment or trailing
// slash, and with the API key (should it be part of the URL) replaced by
// "[REDACTED]", so the ID is safe to store and print.
func (e *Embedder) ID() string { return e.id }

// Embed returns one vector per text, in order. Texts are sent EmbedBatch at
// a time, EmbedConcurrency requests at once; each reply is mapped back by
// its items' indexes and checked (one non-empty vector per text, all of one
// dimension). The vectors are as the server sent them (not normalised).
//
// Errors are those of Client.Complete; a wrong reply is "malformed response".
// On error no vectors are returned, and requests still in flight are
// cancelled.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	const op = "embed texts"
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		return out, nil
	}
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
		sem      = make(chan struct{}, e.concurrency)
	)
	fail := func(err error) {
		once.Do(func() {
			firstErr = err
			cancel()
		})
	}
send:
	for start := 0; start < len(texts); start += e.batch {
		end := min(start+e.batch, len(texts))
		select {
		case sem <- struct{}{}:
		case <-bctx.Done():
			break send
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := e.embedBatch(bctx, texts[start:end], out[start:end]); err != nil {
				fail(err)
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil { // the caller's, not one of a failed batch's siblings
		return nil, e.errs.classify(ctx, op, e.model, ctx.Err(), nil)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	for i, v := range out {
		if len(v) != len(out[0]) {
			return nil, e.errs.unavailable(op, fmt.Sprintf("malformed response: vectors of %d and %d dimensions (texts 0 and %d)", len(out[0]), len(v), i))
		}
	}
	return out, nil
}

// embedBatch embeds texts into out, which has the same length.
func (e *Embedder) embedBatch(ctx context.Context, texts []string, out [][]float32) error {
	const op = "embed texts"
	sctx, st := withStats(ctx)
	resp, err := e.api.CreateEmbeddings(sctx, openai.EmbeddingRequestStrings{
		Input: texts,
		Model: openai.EmbeddingModel(e.model),
	})
	if err != nil {
		return e.errs.classify(ctx, op, e.model, err, st)
	}
	if len(resp.Data) != len(texts) {
		return e.errs.unavailable(op, fmt.Sprintf("malformed response: %d embeddings for %d texts", len(resp.Data), len(texts)))
	}
	for _, d := range resp.Data {
		switch {
		case d.Index < 0 || d.Index >= len(texts):
			return e.errs.unavailable(op, fmt.Sprintf("malformed response: embedding index %d out of range", d.Index))
		case out[d.Index] != nil:
			return e.errs.unavailable(op, fmt.Sprintf("malformed response: embedding index %d repeated", d.Index))
		case len(d.Embedding) == 0:
			return e.errs.unavailable(op, fmt.Sprintf("malformed response: empty embedding at index %d", d.Index))
		}
		out[d.Index] = d.Embedding
	}
	return nil
}

// EmbedQuery returns the vector of one text, such as a question.
func (e *Embedder) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	vs, err := e.Embed(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}
