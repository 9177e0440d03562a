package main

import (
	"context"
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
)

// llmSettings are the language-model settings.
type llmSettings struct {
	APIKey         llm.Secret
	BaseURL        string
	ChatModel      string
	EmbeddingModel string
	Timeout        time.Duration
	RetryTime      time.Duration
}

// Defaults: a call gives up within defaultRetryTime, so an answer that falls
// back to the extractive one after a failed generation comes well within
// 30 s.
const (
	defaultLLMTimeout   = 60 * time.Second
	defaultLLMRetryTime = 20 * time.Second
)

// readLLMSettings reads the language-model settings; a bad duration warns
// and keeps the default.
func readLLMSettings(e env, warn func(string)) llmSettings {
	return llmSettings{
		APIKey:         llm.Secret(strings.TrimSpace(e.get(envAPIKey))),
		BaseURL:        strings.TrimSpace(e.get(envBaseURL)),
		ChatModel:      strings.TrimSpace(e.get(envChatModel)),
		EmbeddingModel: strings.TrimSpace(e.get(envEmbeddingModel)),
		Timeout:        readDuration(e, envLLMTimeout, defaultLLMTimeout, warn),
		RetryTime:      readDuration(e, envLLMRetryTime, defaultLLMRetryTime, warn),
	}
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
	warn(fmt.Sprintf("%s=%q is not a duration (like 30s or 2m); using %s", key, v, def))
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
		Logger:         log,
	})
	if err != nil {
		return nil, fmt.Errorf("language model settings: %w", err)
	}
	return c, nil
}

// generator adapts the client to rag.Generator.
type generator struct{ c *llm.Client }

var _ rag.Generator = generator{}

// answerTemperature keeps answers close to the sources.
const answerTemperature = 0.1

// Generate streams a reply to a system and a user prompt.
func (g generator) Generate(ctx context.Context, system, user string, onDelta func(string)) (string, error) {
	msgs := []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: user}}
	return g.c.Stream(ctx, msgs, llm.ChatOptions{Temperature: answerTemperature}, onDelta)
}

// unavailableVectors stands in for the vector index when the corpus could
// not be embedded: every search fails, so retrieval uses the lexical
// ranking and the answer says so.
type unavailableVectors struct{ err error }

var _ retrieve.VectorIndex = unavailableVectors{}

func (u unavailableVectors) Search(context.Context, []float32, int, map[string]bool) ([]rag.Passage, error) {
	return nil, u.err
}
