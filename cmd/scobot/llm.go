package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/llm"
	"github.com/scobot/scobot/rag/retrieve"
)

// Language-model settings, all from the environment (or .env).
const (
	envAPIKey         = "OPENAI_API_KEY"  // API key; none for Ollama
	envBaseURL        = "OPENAI_BASE_URL" // default https://api.openai.com/v1
	envChatModel      = "CHAT_MODEL"      // set: answers are generated; unset: extractive
	envEmbeddingModel = "EMBEDDING_MODEL" // set: the index uses the API's embeddings
	envLLMTimeout     = "LLM_TIMEOUT"     // one request attempt, e.g. 60s (default)
	envLLMRetryTime   = "LLM_RETRY_TIME"  // all attempts of one call, e.g. 20s (default)
	envLLMMaxTokens   = "LLM_MAX_TOKENS"  // most tokens of one reply, sent as max_tokens; default 1024
	envLLMConcurrency = "LLM_CONCURRENCY" // requests in flight at once; default 16, or 4 for a loopback base URL
)

// llmSettings are the language-model settings.
type llmSettings struct {
	APIKey         llm.Secret
	BaseURL        string
	ChatModel      string
	EmbeddingModel string
	Timeout        time.Duration
	RetryTime      time.Duration
	MaxTokens      int // sent as max_tokens with every chat request
	Concurrency    int // requests in flight at once; 0 → llm.DefaultConcurrency(BaseURL)
}

// Defaults: a call gives up within defaultRetryTime, so an answer that falls
// back to the extractive one after a failed generation comes well within
// 30 s.
//
// defaultLLMMaxTokens is room for the prompt's 200-word answer in any of
// the three languages (Chinese and Russian take more tokens per word than
// English) with its citations, and stops a model that rambles on long
// before the shown answer's cap (llm.DefaultMaxChars). maxLLMMaxTokens
// only catches typing errors: no chat model writes more in one reply.
const (
	defaultLLMTimeout   = 60 * time.Second
	defaultLLMRetryTime = 20 * time.Second
	defaultLLMMaxTokens = 1024
	maxLLMMaxTokens     = 1 << 20
	maxLLMConcurrency   = 1024
)

// readLLMSettings reads the language-model settings; a bad duration warns
// and keeps the default, a bad LLM_MAX_TOKENS or LLM_CONCURRENCY is an
// error (a silent default would hide a limit the operator meant to set).
func readLLMSettings(e env, warn func(string)) (llmSettings, error) {
	maxTokens, err := readMaxTokens(e)
	if err != nil {
		return llmSettings{}, err
	}
	concurrency, err := readConcurrency(e)
	if err != nil {
		return llmSettings{}, err
	}
	return llmSettings{
		APIKey:         llm.Secret(strings.TrimSpace(e.get(envAPIKey))),
		BaseURL:        strings.TrimSpace(e.get(envBaseURL)),
		ChatModel:      strings.TrimSpace(e.get(envChatModel)),
		EmbeddingModel: strings.TrimSpace(e.get(envEmbeddingModel)),
		Timeout:        readDuration(e, envLLMTimeout, defaultLLMTimeout, warn),
		RetryTime:      readDuration(e, envLLMRetryTime, defaultLLMRetryTime, warn),
		MaxTokens:      maxTokens,
		Concurrency:    concurrency,
	}, nil
}

// readConcurrency reads LLM_CONCURRENCY: a whole number from 1 to
// maxLLMConcurrency; unset → 0, which the client turns into its default
// for the endpoint (llm.DefaultConcurrency).
func readConcurrency(e env) (int, error) {
	v := strings.TrimSpace(e.get(envLLMConcurrency))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLLMConcurrency {
		return 0, fmt.Errorf("%s=%q: want a whole number of requests in flight from 1 to %d, such as 16 (4 for a local Ollama)", envLLMConcurrency, v, maxLLMConcurrency)
	}
	return n, nil
}

// readMaxTokens reads LLM_MAX_TOKENS: a whole number from 1 to
// maxLLMMaxTokens; unset → defaultLLMMaxTokens.
func readMaxTokens(e env) (int, error) {
	v := strings.TrimSpace(e.get(envLLMMaxTokens))
	if v == "" {
		return defaultLLMMaxTokens, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLLMMaxTokens {
		return 0, fmt.Errorf("%s=%q: want a whole number of tokens from 1 to %d, such as %d", envLLMMaxTokens, v, maxLLMMaxTokens, defaultLLMMaxTokens)
	}
	return n, nil
}

// readDuration reads a duration setting: "30s", "2m", or plain seconds.
func readDuration(e env, key string, def time.Duration, warn func(string)) time.Duration {
	v := strings.TrimSpace(e.get(key))
	if v == "" {
		return def
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 {
		return time.Duration(n * float64(time.Second))
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d
	}
	warn(fmt.Sprintf("%s=%q is not a positive duration (like 30s or 2m); using %s", key, v, def))
	return def
}

// newLLM returns the language-model client, or nil when no model is set.
func newLLM(s llmSettings, log *slog.Logger) (*llm.Client, error) {
	if s.ChatModel == "" && s.EmbeddingModel == "" {
		return nil, nil
	}
	c, err := llm.New(llm.Config{
		BaseURL:        s.BaseURL,
		APIKey:         s.APIKey,
		ChatModel:      s.ChatModel,
		EmbeddingModel: s.EmbeddingModel,
		Timeout:        s.Timeout,
		RetryTime:      s.RetryTime,
		Concurrency:    s.Concurrency,
		Logger:         log,
	})
	if err != nil {
		return nil, fmt.Errorf("language model settings: %w", err)
	}
	return c, nil
}

// generator adapts the client to rag.Generator.
type generator struct {
	c         *llm.Client
	maxTokens int // sent as max_tokens
}

var _ rag.Generator = generator{}

// answerTemperature keeps answers close to the sources.
const answerTemperature = 0.1

// Generate streams a reply to a system and a user prompt. A reply cut off
// at its length limit is returned with an error wrapping rag.ErrTruncated.
func (g generator) Generate(ctx context.Context, system, user string, onText func(string)) (string, error) {
	msgs := []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}}
	text, err := g.c.Stream(ctx, msgs, llm.ChatOptions{Temperature: answerTemperature, MaxTokens: g.maxTokens}, onText)
	if errors.Is(err, llm.ErrTruncated) {
		return text, fmt.Errorf("%w: %w", rag.ErrTruncated, err)
	}
	return text, err
}

// unavailableVectors stands in for the vector index when the corpus could
// not be embedded: every search fails, so retrieval uses the lexical
// ranking and the answer says so.
type unavailableVectors struct{ err error }

var _ retrieve.VectorIndex = unavailableVectors{}

func (u unavailableVectors) Search(context.Context, []float32, int, map[string]bool) ([]rag.Passage, error) {
	return nil, u.err
}
