package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Token is a secret (a bot token, a webhook secret). It never prints: its
// String, GoString and LogValue say "[redacted]".
type Token struct{ v string }

// NewToken wraps a secret.
func NewToken(s string) Token { return Token{v: strings.TrimSpace(s)} }

// Value returns the secret itself; pass it only to what needs it.
func (t Token) Value() string { return t.v }

// IsZero reports whether the secret is empty.
func (t Token) IsZero() bool { return t.v == "" }

// String returns "[redacted]", or "" for an empty secret.
func (t Token) String() string {
	if t.v == "" {
		return ""
	}
	return "[redacted]"
}

// GoString returns the same as String, so %#v does not reveal the secret.
func (t Token) GoString() string { return t.String() }

// LogValue returns the same as String, so slog never logs the secret.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// Rate is a rate limit: at most N events per Per, refilled smoothly (a
// token bucket of N). The zero Rate is no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Unlimited reports whether r sets no limit.
func (r Rate) Unlimited() bool { return r.N <= 0 || r.Per <= 0 }

// String renders r as ParseRate reads it.
func (r Rate) String() string {
	if r.Unlimited() {
		return "off"
	}
	switch r.Per {
	case time.Second:
		return fmt.Sprintf("%d/s", r.N)
	case time.Minute:
		return fmt.Sprintf("%d/min", r.N)
	case time.Hour:
		return fmt.Sprintf("%d/h", r.N)
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

// ParseRate reads a rate limit written "N/unit": N events per second ("s",
// "sec"), minute ("m", "min") or hour ("h", "hour"), or per a Go duration
// ("3/10s", "30/1h30m"). "", "0" and "off" mean no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" || s == "0" || s == "off" || s == "none" {
		return Rate{}, nil
	}
	ns, unit, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err != nil || n < 0 {
		return Rate{}, fmt.Errorf("rate %q: want N/unit, e.g. 5/min", s)
	}
	var per time.Duration
	switch unit = strings.TrimSpace(unit); unit {
	case "s", "sec", "second":
		per = time.Second
	case "m", "min", "minute":
		per = time.Minute
	case "h", "hour":
		per = time.Hour
	default:
		if per, err = time.ParseDuration(unit); err != nil || per <= 0 {
			return Rate{}, fmt.Errorf("rate %q: unit %q is not s, min, h or a duration like 30s", s, unit)
		}
	}
	if n == 0 {
		return Rate{}, nil
	}
	return Rate{N: n, Per: per}, nil
}

// ParseIDs reads a comma- or space-separated list of Telegram chat or user
// IDs ("12345, -1001234567890"). "" gives nil.
func ParseIDs(s string) ([]int64, error) {
	var ids []int64
	for f := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == ';' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("%q is not a Telegram ID (a non-zero integer)", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Config configures the Telegram front. Only Token is required.
type Config struct {
	Token  Token  // the bot token from @BotFather
	APIURL string // Bot API server; "" → https://api.telegram.org

	// WebhookURL, when set, switches from long polling to a webhook: the
	// bot calls setWebhook with it and listens on WebhookListen (default
	// ":8080"). WebhookSecret is checked against the
	// X-Telegram-Bot-Api-Secret-Token header; empty → a random one.
	WebhookURL    string
	WebhookListen string
	WebhookSecret Token

	// AllowedChats and AllowedUsers restrict who is answered: a message is
	// answered when its chat or its sender is listed. Both empty → anyone.
	AllowedChats []int64
	AllowedUsers []int64
	// AdminUsers are the editors: they may add reports (/add, a file, a
	// forwarded message) and remove them (/remove) in a private chat with
	// the bot. Empty → nobody.
	AdminUsers []int64
	// MaxAttachmentBytes bounds a report sent as a file; 0 → 5 MiB.
	MaxAttachmentBytes int

	// Callbacks keeps what the buttons under answers act on; nil → kept
	// in memory (10,000 answers; lost at a restart).
	Callbacks Callbacks
	// Feedback records the readers' 👍 and 👎; nil → only logged.
	Feedback FeedbackSink
	// Digests keeps the digest subscriptions and writes the digests; nil
	// → /subscribe says digests are not available. DigestEvery is how
	// often the due ones are looked for; 0 → 30 s.
	Digests     Digests
	DigestEvery time.Duration

	UserRate Rate // questions per user; zero → no limit
	ChatRate Rate // questions per chat; zero → no limit

	// InfoRate limits /start, /help and /sources per user, apart from
	// UserRate and ChatRate (they do not count as questions); zero → no
	// limit. NoticeInterval is the least time between two notices to one
	// user (a refusal, a "please wait", a hint to send text); notices in
	// between are not sent; 0 → 1 min.
	InfoRate       Rate
	NoticeInterval time.Duration

	// QueueSize is how many updates may be queued or in work at once
	// before taking more waits; 0 → 256. Each chat with work has its own
	// goroutine, so up to QueueSize answers are worked on at once: what
	// bounds them is where the work is (the Asker's retrieval by cores,
	// its language model by the model client's concurrency), not a pool
	// of workers here.
	QueueSize int

	// UpdateTimeout is the deadline for working out the reply to one
	// update; 0 → 2 min, or ModelTime + FallbackTime if longer. When it
	// passes, the answer falls back to the extractive one. ModelTime is
	// the longest one language-model call may spend on retries
	// (LLM_RETRY_TIME; 0 without a model) and FallbackTime the time the
	// deadline keeps beyond it for the fallback (0 → 5 s): an
	// UpdateTimeout shorter than ModelTime + FallbackTime is an error.
	UpdateTimeout time.Duration
	ModelTime     time.Duration
	FallbackTime  time.Duration
	// DeliveryTimeout bounds sending the final reply, which has a context
	// of its own: it is sent even after UpdateTimeout or on shutdown;
	// 0 → 30 s.
	DeliveryTimeout time.Duration
	// ShutdownGrace is the time to finish answers in flight on shutdown;
	// then they are cancelled and fall back, with FallbackTime +
	// DeliveryTimeout more to send them; 0 → 30 s.
	ShutdownGrace time.Duration
	PollTimeout   time.Duration // long-polling timeout; 0 → 30 s
	// RepollInterval is the wait between polls while unfinished updates
	// hold the offset back (Telegram then answers at once); 0 → 1 s.
	RepollInterval time.Duration
	EditInterval   time.Duration // least time between edits of a streamed answer; 0 → 1 s

	// StateDir is the folder where the bot keeps, from a shutdown to the
	// next start, what lets it answer every update once (see journal);
	// "" keeps nothing.
	StateDir string

	Logger     *slog.Logger // nil → discard
	HTTPClient *http.Client // nil → a client with a timeout above PollTimeout

	// Now is the clock digests and limits follow; nil → time.Now. For
	// whole-process tests and tools.
	Now func() time.Time

	// For tests: the clock and the sleep used for retries and backoff.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// Defaults of Config's times that other settings are checked against.
const (
	// DefaultFallbackTime is Config.FallbackTime when unset: what the
	// per-update deadline keeps for the extractive fallback.
	DefaultFallbackTime = 5 * time.Second
	// DefaultShutdownGrace is Config.ShutdownGrace when unset.
	DefaultShutdownGrace = 30 * time.Second
)

func (c *Config) defaults() error {
	if c.Token.IsZero() {
		return fmt.Errorf("no bot token: set TELEGRAM_BOT_TOKEN to the token @BotFather gave you")
	}
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if !strings.HasPrefix(c.APIURL, "http://") && !strings.HasPrefix(c.APIURL, "https://") {
		return fmt.Errorf("bot API URL %q: want http(s)://host", RedactURL(c.APIURL))
	}
	if c.WebhookURL != "" {
		if !strings.HasPrefix(c.WebhookURL, "https://") && !strings.HasPrefix(c.WebhookURL, "http://") {
			return fmt.Errorf("webhook URL %q: want https://host/path", c.WebhookURL)
		}
		if c.WebhookListen == "" {
			c.WebhookListen = ":8080"
		}
		if !c.WebhookSecret.IsZero() && !validSecret(c.WebhookSecret.Value()) {
			return fmt.Errorf("webhook secret: want 1-256 characters A-Z, a-z, 0-9, _ and -")
		}
	}
	setDefault(&c.QueueSize, 256)
	setDefault(&c.NoticeInterval, time.Minute)
	setDefault(&c.FallbackTime, DefaultFallbackTime)
	setDefault(&c.UpdateTimeout, max(2*time.Minute, c.ModelTime+c.FallbackTime))
	if err := c.CheckDeadline(); err != nil {
		return err
	}
	setDefault(&c.DeliveryTimeout, 30*time.Second)
	setDefault(&c.ShutdownGrace, DefaultShutdownGrace)
	setDefault(&c.PollTimeout, 30*time.Second)
	setDefault(&c.RepollInterval, time.Second)
	setDefault(&c.EditInterval, time.Second)
	setDefault(&c.MaxAttachmentBytes, 5<<20)
	setDefault(&c.DigestEvery, 30*time.Second)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second}
	}
	if c.now == nil {
		c.now = c.Now
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.Callbacks == nil {
		c.Callbacks = newMemCallbacks(10_000, c.now)
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	return nil
}

// CheckDeadline reports an error when the per-update deadline
// (UpdateTimeout) is shorter than the model's retry time (ModelTime) plus
// the time kept for the fallback (FallbackTime, 5 s when 0): the deadline
// would cut the model off while it may still be retrying, leaving no time
// to fall back. A zero UpdateTimeout is no error (it is derived).
func (c Config) CheckDeadline() error {
	if c.UpdateTimeout <= 0 {
		return nil
	}
	fallback := c.FallbackTime
	if fallback <= 0 {
		fallback = DefaultFallbackTime
	}
	if c.UpdateTimeout < c.ModelTime+fallback {
		return fmt.Errorf("the per-update deadline %s is shorter than the language model's retry time %s plus %s for the fallback answer: raise the deadline to at least %s or lower the retry time",
			c.UpdateTimeout, c.ModelTime, fallback, c.ModelTime+fallback)
	}
	return nil
}

func setDefault[T int | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

func validSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
