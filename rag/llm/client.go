// Package llm is scobot's client for OpenAI-compatible APIs (OpenAI, Ollama at
// http://localhost:11434/v1, vLLM, LocalAI…): chat replies, whole or
// streamed, and embeddings. It wraps github.com/sashabaranov/go-openai and
// makes up for what that library lacks:
//
//   - Retries. Every request goes through an http.RoundTripper that retries
//     429, 500, 502, 503 and 504 responses and transport errors with
//     full-jitter exponential backoff (0.5 s, doubling, at most 8 s) or the
//     server's Retry-After / Retry-After-Ms, within Config.MaxAttempts and
//     the Config.RetryTime budget. A stream that ends before the server
//     said why it finished (the connection closed, no finish_reason) is
//     sent again within the same attempts and budget.
//   - Complete replies only. A reply is returned only when the server
//     finished it ("stop"); one it cut at max_tokens ("length"), or that
//     outgrew ChatOptions.MaxChars, comes with an error wrapping
//     ErrTruncated, so the caller can say so.
//   - Timeouts. Each attempt, body included, is bounded by Config.Timeout.
//   - A bound on requests in flight. At most Config.Concurrency attempts
//     (chat, streamed or not, and embeddings) are sent or being read at
//     once; the others wait their turn, for as long as their context
//     allows, so a burst of askers does not overrun a local model server.
//   - Errors. Every failure of the service wraps ErrUnavailable with a short
//     cause ("the API rejected the key (401)", "rate limited (429) after 5
//     attempts in 25s", "malformed response"), whatever shape the server's
//     error body had. The caller's cancellation is returned as such.
//   - Secrets. The API key is a Secret, which never prints; it is removed
//     from every error and log line, even when a server echoes it back.
//   - Temperature 0, which go-openai would omit (the server would then use its
//     default, often 0.7–1), is sent as 0.000001: greedy decoding in practice,
//     and below vLLM's 1e-5 threshold for switching to greedy.
//   - SSE keep-alive comments, which go-openai counts towards its limit of
//     300 empty lines between two events, are allowed without limit in
//     practice (1<<20 lines).
//
// A Client is safe for concurrent use.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults for the zero values of Config's fields.
const (
	defaultBaseURL          = "https://api.openai.com/v1"
	defaultTimeout          = 60 * time.Second
	defaultRetryTime        = 25 * time.Second
	defaultMaxAttempts      = 5
	defaultCooldown         = 30 * time.Second
	defaultEmbedBatch       = 128
	defaultEmbedConcurrency = 4
	// Requests in flight at once (Config.Concurrency): a remote API such
	// as OpenAI limits requests and tokens per minute, not connections, and
	// 16 answers of a few seconds each stay near a first tier's 500
	// requests a minute; a model server on this machine (Ollama, vLLM)
	// computes every request it takes at once on the same hardware, and
	// answers few in parallel (Ollama's OLLAMA_NUM_PARALLEL, 1 to 4 by
	// default).
	defaultConcurrency      = 16
	defaultLocalConcurrency = 4
)

// zeroTemperature is sent for a requested temperature of 0, which go-openai's
// omitempty would drop from the request.
const zeroTemperature float32 = 1e-6

// emptyMessagesLimit is how many non-data SSE lines (keep-alive comments,
// blank lines) may come between two events.
const emptyMessagesLimit = 1 << 20

// Config configures a Client. Only BaseURL and the models need thought; the
// zero value of every other field is a sensible default.
//
// RetryTime bounds the wait for a response to start, across all attempts:
// an attempt's wait for response headers is cut at the budget's end. A
// non-streamed reply (Complete, Embed) starts only when it is complete, so a
// slow local model needs a RetryTime (and Timeout) longer than its slowest
// reply; a stream starts at once and is then bounded by Timeout alone.
type Config struct {
	BaseURL          string        // "" → "https://api.openai.com/v1"; must be an absolute http or https URL
	APIKey           Secret        // may be empty (Ollama needs none); sent as "Authorization: Bearer …" only when set
	ChatModel        string        // "" → no chat (Complete and Stream return ErrNotConfigured)
	EmbeddingModel   string        // "" → no embeddings (Embedder returns nil)
	Timeout          time.Duration // one HTTP attempt, headers and body (a whole stream too); 0 → 60s
	RetryTime        time.Duration // total time budget for all attempts of one call, incl. waits; 0 → 25s
	MaxAttempts      int           // 0 → 5
	Cooldown         time.Duration // after a call fails for good, later calls fail at once for this long; 0 → 30s, < 0 → never
	EmbedBatch       int           // texts per embeddings request; 0 → 128
	EmbedConcurrency int           // embeddings requests in flight at once; 0 → 4
	HTTPClient       *http.Client  // nil → a fresh client; its Transport gets wrapped with retries, its Timeout (if any) bounds a whole call
	Logger           *slog.Logger  // nil → discard
	// Concurrency bounds the requests in flight at once, over all calls of
	// the Client: an attempt waits for a free slot (as long as its context
	// allows) and holds it until its response is read and closed (a whole
	// stream). The wait does not count against the attempt's Timeout.
	// 0 → DefaultConcurrency(BaseURL).
	Concurrency int
}

// Message is one turn of a conversation.
type Message struct {
	Role    string // "system", "user" or "assistant"
	Content string
}

// ChatOptions tune one reply.
type ChatOptions struct {
	Temperature float32 // 0 (greedy) to 2
	MaxTokens   int     // sent as max_tokens; 0 → the server's default
	MaxChars    int     // the reply is cut (ErrTruncated) past this many characters; 0 → DefaultMaxChars
}

// DefaultMaxChars bounds a reply whose ChatOptions.MaxChars is 0: about two
// Telegram messages (4,096 characters each). max_tokens should stop a model
// well before it (1,024 tokens are some 4,000 characters of English, fewer
// of Chinese), but not every server honours it, and a runaway reply must
// neither fill a chat with messages nor the memory.
const DefaultMaxChars = 8000

// Client talks to one OpenAI-compatible endpoint. It is safe for concurrent
// use.
type Client struct {
	api       *openai.Client
	rt        *retryTransport
	chatModel string
	embedder  *Embedder
	logger    *slog.Logger
	errs      classifier
}

// hooks replace the transport's clock, sleep and jitter in tests.
type hooks struct {
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration
}

// New returns a Client for cfg. It checks cfg (BaseURL must be an absolute
// http or https URL; at least one model must be set; model names must not
// have surrounding or control characters; no field may be negative) but never
// contacts the server.
func New(cfg Config) (*Client, error) {
	return newClient(cfg, hooks{})
}

// newClient is New with the transport's time hooks replaceable.
func newClient(cfg Config, h hooks) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = defaultBaseURL
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		// The URL itself is not repeated: it may hold a key.
		return nil, errors.New("invalid base URL: want an absolute http or https URL such as http://localhost:11434/v1")
	}
	if cfg.ChatModel == "" && cfg.EmbeddingModel == "" {
		return nil, errors.New("neither a chat model nor an embedding model is configured")
	}
	for _, m := range []string{cfg.ChatModel, cfg.EmbeddingModel} {
		if strings.TrimSpace(m) != m || strings.ContainsFunc(m, unicode.IsControl) {
			return nil, fmt.Errorf("invalid model name %q: it has surrounding spaces or control characters", m)
		}
	}
	if cfg.Timeout < 0 || cfg.RetryTime < 0 || cfg.MaxAttempts < 0 || cfg.EmbedBatch < 0 || cfg.EmbedConcurrency < 0 || cfg.Concurrency < 0 {
		return nil, errors.New("invalid language model configuration: negative timeout, budget, attempts, batch or concurrency")
	}
	cfg.Timeout = orDefault(cfg.Timeout, defaultTimeout)
	cfg.RetryTime = orDefault(cfg.RetryTime, defaultRetryTime)
	cfg.MaxAttempts = orDefault(cfg.MaxAttempts, defaultMaxAttempts)
	cfg.Cooldown = orDefault(cfg.Cooldown, defaultCooldown)
	cfg.EmbedBatch = orDefault(cfg.EmbedBatch, defaultEmbedBatch)
	cfg.EmbedConcurrency = orDefault(cfg.EmbedConcurrency, defaultEmbedConcurrency)
	cfg.Concurrency = orDefault(cfg.Concurrency, DefaultConcurrency(cfg.BaseURL))
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	password, _ := base.User.Password()
	red := newRedactor(cfg.APIKey.Reveal(), password)

	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	rt := &retryTransport{
		base:        hc.Transport,
		timeout:     cfg.Timeout,
		budget:      cfg.RetryTime,
		maxAttempts: cfg.MaxAttempts,
		slots:       make(chan struct{}, cfg.Concurrency),
		cooldown:    cfg.Cooldown,
		logger:      logger,
		redact:      red.redact,
		now:         h.now,
		sleep:       h.sleep,
		jitter:      h.jitter,
	}
	if rt.base == nil {
		rt.base = http.DefaultTransport.(*http.Transport).Clone()
	}
	if rt.now == nil {
		rt.now = time.Now
	}
	if rt.sleep == nil {
		rt.sleep = sleepCtx
	}
	if rt.jitter == nil {
		rt.jitter = fullJitter
	}
	hc.Transport = rt

	oc := openai.DefaultConfig(cfg.APIKey.Reveal())
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = &hc
	oc.EmptyMessagesLimit = emptyMessagesLimit
	c := &Client{
		api:       openai.NewClientWithConfig(oc),
		rt:        rt,
		chatModel: cfg.ChatModel,
		logger:    logger,
		errs:      classifier{redact: red.redact},
	}
	if cfg.EmbeddingModel != "" {
		c.embedder = &Embedder{
			api:         c.api,
			model:       cfg.EmbeddingModel,
			id:          embedderID(cfg.EmbeddingModel, base, red),
			batch:       cfg.EmbedBatch,
			concurrency: cfg.EmbedConcurrency,
			errs:        c.errs,
		}
	}
	return c, nil
}

// DefaultConcurrency returns how many requests may be in flight at once to
// the endpoint at baseURL when Config.Concurrency is 0: 4 for a server on
// this machine (a loopback host: localhost, 127.0.0.1, ::1), which
// computes every request on the same hardware, else 16. An unparsable URL
// counts as remote.
func DefaultConcurrency(baseURL string) int {
	u, err := url.Parse(baseURL)
	if err != nil {
		return defaultConcurrency
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return defaultLocalConcurrency
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return defaultLocalConcurrency
	}
	return defaultConcurrency
}

// orDefault returns v, or def if v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Concurrency returns how many requests the Client sends at once at most
// (Config.Concurrency, or its default).
func (c *Client) Concurrency() int { return cap(c.rt.slots) }

// ChatModel returns the chat model's name, "" if there is none.
func (c *Client) ChatModel() string { return c.chatModel }

// Embedder returns the embeddings side of the Client, nil if it has no
// embedding model.
func (c *Client) Embedder() *Embedder { return c.embedder }

// Complete returns the model's whole reply to msgs.
//
// Errors: ErrNotConfigured without a chat model; a plain error for invalid
// msgs or opts; the caller's context.Canceled (wrapped) when ctx is
// cancelled; an error wrapping ErrTruncated, returned along with the text,
// when the reply is incomplete: the server stopped it at its token limit
// (finish_reason "length") or it was longer than opts.MaxChars (the text is
// then cut there); otherwise an error wrapping ErrUnavailable (also for an
// empty reply, one the server's content filter stopped, and for ctx's
// deadline, which then wraps context.DeadlineExceeded too). The text is
// returned only with a nil error or one wrapping ErrTruncated.
func (c *Client) Complete(ctx context.Context, msgs []Message, opts ChatOptions) (string, error) {
	req, err := c.chatRequest(msgs, opts)
	if err != nil {
		return "", err
	}
	return c.complete(ctx, req, maxChars(opts))
}

// maxChars returns the most characters a reply with opts may have.
func maxChars(opts ChatOptions) int {
	if opts.MaxChars > 0 {
		return opts.MaxChars
	}
	return DefaultMaxChars
}

// complete sends req without streaming; the reply is cut at limit
// characters.
func (c *Client) complete(ctx context.Context, req openai.ChatCompletionRequest, limit int) (string, error) {
	const op = "get a chat reply"
	req.Stream = false
	sctx, st := withStats(ctx)
	resp, err := c.api.CreateChatCompletion(sctx, req)
	if err != nil {
		return "", c.errs.classify(ctx, op, c.chatModel, err, st)
	}
	if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
		return "", c.errs.unavailable(op, "empty reply")
	}
	text, capped := capText(resp.Choices[0].Message.Content, limit)
	err = c.ending(op, resp.Choices[0].FinishReason, capped, limit)
	if err != nil && !errors.Is(err, ErrTruncated) {
		return "", err
	}
	return text, err
}

// capText cuts text to at most limit characters and reports whether it
// had more.
func capText(text string, limit int) (string, bool) {
	if utf8.RuneCountInString(text) <= limit {
		return text, false
	}
	return string([]rune(text)[:limit]), true
}

// ending checks how a reply with some text ended: nil when the server
// finished it; an error wrapping ErrTruncated when it was cut off, by the
// server at its token limit or here at limit characters (capped); an error
// wrapping ErrUnavailable when the server's content filter stopped it.
// Other reasons ("stop", "tool_calls", a server's own word) count as
// finished: the server ended the reply on purpose.
func (c *Client) ending(op string, reason openai.FinishReason, capped bool, limit int) error {
	switch {
	case capped:
		return fmt.Errorf("couldn't %s in full: %w after %d characters", op, ErrTruncated, limit)
	case reason == openai.FinishReasonLength:
		return fmt.Errorf("couldn't %s in full: %w at the model's token limit (max_tokens)", op, ErrTruncated)
	case reason == openai.FinishReasonContentFilter:
		return c.errs.unavailable(op, "the service's content filter stopped the reply")
	}
	return nil
}

// errStreamCut means a stream ended before the server said why it finished
// (no finish_reason): the connection closed or broke midway. Stream asks
// again within the call's budget; it never leaves the package.
var errStreamCut = errors.New("the stream ended before the reply was complete")

// Stream streams the model's reply to msgs: onText (which may be nil) is
// called from the calling goroutine with the reply so far each time it
// grows, and the whole text is returned at the end.
//
// A stream counts as complete only when the server says why it finished
// (finish_reason). One that ends otherwise (the connection closed or broke,
// no finish_reason before the end) is asked for again, within the call's
// attempts and Config.RetryTime budget, after the usual backoff; the reply
// so far then starts again from the new attempt's text, so onText's next
// call may be shorter than its last. Past the budget it is an error
// wrapping ErrUnavailable. Reading stops at opts.MaxChars characters.
//
// If the server cannot stream (it answers with plain JSON, or refuses the
// stream with 405, 415 or 501, or with a 400 or 422 that mentions
// streaming), Stream falls back to Complete and passes the whole reply to
// onText at once.
//
// Errors are those of Complete; the text is returned only with a nil error
// or one wrapping ErrTruncated, never a part of a broken stream.
func (c *Client) Stream(ctx context.Context, msgs []Message, opts ChatOptions, onText func(text string)) (string, error) {
	const op = "stream a chat reply"
	req, err := c.chatRequest(msgs, opts)
	if err != nil {
		return "", err
	}
	if onText == nil {
		onText = func(string) {}
	}
	sctx, st := withStats(ctx)
	for {
		text, err := c.streamOnce(ctx, sctx, st, req, maxChars(opts), onText)
		if !errors.Is(err, errStreamCut) {
			return text, err
		}
		wait, ok := c.rt.again(st)
		if !ok {
			return "", c.errs.unavailable(op, errStreamCut.Error()+st.summary())
		}
		c.logger.Warn("language model stream ended before the reply was complete; asking again", "attempt", st.attempts, "wait", wait)
		if err := c.rt.sleep(ctx, wait); err != nil {
			return "", c.errs.classify(ctx, op, c.chatModel, err, st)
		}
	}
}

// streamOnce sends req as a stream once (sctx carries st, the call's
// stats) and reads the reply, at most limit characters of it. It returns
// errStreamCut when the stream ended or broke before a finish_reason.
func (c *Client) streamOnce(ctx, sctx context.Context, st *callStats, req openai.ChatCompletionRequest, limit int, onText func(string)) (string, error) {
	const op = "stream a chat reply"
	fallBack := func(why string) (string, error) {
		c.logger.Debug("language model cannot stream; asking for the whole reply", "why", why)
		text, err := c.complete(ctx, req, limit)
		if text != "" {
			onText(text)
		}
		return text, err
	}

	stream, err := c.api.CreateChatCompletionStream(sctx, req)
	if err != nil {
		if ctx.Err() == nil && cannotStream(err) {
			return fallBack("the server refused to stream")
		}
		return "", c.errs.classify(ctx, op, c.chatModel, err, st)
	}
	defer stream.Close()
	if mt, _, err := mime.ParseMediaType(stream.Header().Get("Content-Type")); err == nil && mt == "application/json" {
		stream.Close()
		return fallBack("the server answered with JSON")
	}

	var (
		text   strings.Builder
		chars  int
		reason openai.FinishReason
	)
	for reason == "" {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ctx.Err() == nil && brokenStream(err) {
				c.logger.Debug("language model stream broke", "error", c.errs.redact(err.Error()))
				return "", errStreamCut
			}
			return "", c.errs.classify(ctx, op, c.chatModel, err, st)
		}
		for _, choice := range chunk.Choices {
			if choice.Index != 0 {
				continue
			}
			if choice.Delta.Content != "" {
				text.WriteString(choice.Delta.Content)
				chars += utf8.RuneCountInString(choice.Delta.Content)
				if chars > limit {
					// Stop reading: the rest would not be shown.
					capped, _ := capText(text.String(), limit)
					onText(capped)
					return capped, c.ending(op, "", true, limit)
				}
				onText(text.String())
			}
			if choice.FinishReason != "" && choice.FinishReason != openai.FinishReasonNull {
				reason = choice.FinishReason
			}
		}
	}
	if ctx.Err() != nil { // a cancelled body read can look like a clean end
		return "", c.errs.classify(ctx, op, c.chatModel, ctx.Err(), st)
	}
	if reason == "" {
		return "", errStreamCut
	}
	if strings.TrimSpace(text.String()) == "" {
		return "", c.errs.unavailable(op, "empty reply")
	}
	err = c.ending(op, reason, false, limit)
	if err != nil && !errors.Is(err, ErrTruncated) {
		return "", err
	}
	return text.String(), err
}

// brokenStream reports whether a stream's read error means the connection
// broke, so that asking again may work: not an error event from the
// server, a malformed event, an endless run of empty lines or an attempt
// that ran out of time.
func brokenStream(err error) bool {
	var (
		apiErr    *openai.APIError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &apiErr), errors.As(err, &syntaxErr), errors.As(err, &typeErr),
		errors.Is(err, errAttemptTimeout), errors.Is(err, openai.ErrTooManyEmptyStreamMessages):
		return false
	}
	return true
}

// cannotStream reports whether a failed stream request means the server
// does not stream, so that asking without streaming may work.
func cannotStream(err error) bool {
	var (
		reqErr *openai.RequestError
		apiErr *openai.APIError
	)
	status, msg := 0, ""
	switch {
	case errors.As(err, &reqErr):
		status, msg = reqErr.HTTPStatusCode, string(reqErr.Body)
	case errors.As(err, &apiErr):
		status, msg = apiErr.HTTPStatusCode, apiErr.Message
	}
	switch status {
	case http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType, http.StatusNotImplemented:
		return true
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return strings.Contains(strings.ToLower(msg), "stream")
	}
	return false
}

// chatRequest checks msgs and opts and builds the request.
func (c *Client) chatRequest(msgs []Message, opts ChatOptions) (openai.ChatCompletionRequest, error) {
	if c.chatModel == "" {
		return openai.ChatCompletionRequest{}, ErrNotConfigured
	}
	if len(msgs) == 0 {
		return openai.ChatCompletionRequest{}, errors.New("no messages to send")
	}
	if t := float64(opts.Temperature); math.IsNaN(t) || t < 0 || t > 2 {
		return openai.ChatCompletionRequest{}, fmt.Errorf("invalid temperature %g: want 0 to 2", t)
	}
	if opts.MaxTokens < 0 {
		return openai.ChatCompletionRequest{}, fmt.Errorf("invalid max tokens %d", opts.MaxTokens)
	}
	req := openai.ChatCompletionRequest{
		Model:       c.chatModel,
		Messages:    make([]openai.ChatCompletionMessage, len(msgs)),
		Temperature: opts.Temperature,
		MaxTokens:   opts.MaxTokens,
	}
	for i, m := range msgs {
		switch m.Role {
		case openai.ChatMessageRoleSystem, openai.ChatMessageRoleUser, openai.ChatMessageRoleAssistant:
		default:
			return openai.ChatCompletionRequest{}, fmt.Errorf("invalid role %q in message %d", m.Role, i)
		}
		req.Messages[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	if req.Temperature == 0 {
		req.Temperature = zeroTemperature
	}
	// OpenAI's reasoning models (o1, o3, gpt-5…) take max_completion_tokens
	// and no temperature; go-openai refuses to send anything else to them.
	v := openai.NewReasoningValidator()
	if errors.Is(v.Validate(req), openai.ErrReasoningModelMaxTokensDeprecated) {
		req.MaxCompletionTokens, req.MaxTokens = req.MaxTokens, 0
	}
	if v.Validate(req) != nil && opts.Temperature == 0 {
		req.Temperature = 0
	}
	return req, nil
}
