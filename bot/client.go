package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Retry policy for Bot API calls.
const (
	maxAttempts   = 4 // tries of one call, the first included
	firstBackoff  = 500 * time.Millisecond
	maxBackoff    = 30 * time.Second // also the longest wait between polls
	maxRetryAfter = 5 * time.Minute  // longest 429 retry_after honoured
)

// api calls the Bot API through the telegram-bot-api client, adding what
// it lacks: a context per call, retries (429 retry_after, 5xx, transport
// errors, with backoff) and errors that never contain the token.
type api struct {
	bot      *tgbotapi.BotAPI // template: copied per call with a context-bound client
	http     *http.Client
	token    string
	password string // of the API URL's user information; hidden like the token
	log      *slog.Logger
	sleep    func(ctx context.Context, d time.Duration) error
}

// newAPI connects to the Bot API at apiURL and checks the token (getMe).
func newAPI(ctx context.Context, token Token, apiURL string, hc *http.Client, log *slog.Logger, sleep func(context.Context, time.Duration) error) (*api, error) {
	a := &api{http: hc, token: token.Value(), password: apiPassword(apiURL), log: log, sleep: sleep}
	endpoint := strings.ReplaceAll(apiURL, "%", "%%") + "/bot%s/%s"
	bot, err := tgbotapi.NewBotAPIWithClient(a.token, endpoint, a.doer(ctx))
	if err != nil {
		err = a.scrub(err)
		if te, ok := errors.AsType[*tgbotapi.Error](err); ok && te.Code == http.StatusUnauthorized {
			return nil, fmt.Errorf("telegram rejected the bot token (check TELEGRAM_BOT_TOKEN): %w", err)
		}
		return nil, fmt.Errorf("couldn't reach the Telegram Bot API at %s: %w", RedactURL(apiURL), err)
	}
	a.bot = bot
	return a, nil
}

// self returns the bot's own user.
func (a *api) self() tgbotapi.User { return a.bot.Self }

// doer returns an HTTP client bound to ctx whose errors hide the token.
func (a *api) doer(ctx context.Context) tgbotapi.HTTPClient {
	return ctxDoer{ctx: ctx, c: a.http, token: a.token, password: a.password}
}

// ctxDoer sends requests with its context and scrubs the token from the
// URL that transport errors carry.
type ctxDoer struct {
	ctx      context.Context
	c        *http.Client
	token    string
	password string
}

func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req.WithContext(d.ctx))
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			return nil, &url.Error{Op: ue.Op, URL: redact(redact(ue.URL, d.token), d.password), Err: ue.Err}
		}
		return nil, err
	}
	return resp, nil
}

// redact replaces the token in s.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "[redacted]")
}

// RedactURL returns raw with the password of its user information (as in
// https://user:pass@host) replaced by "xxxxx", fit to print. A URL that
// does not parse has everything between "://" and the last "@" before
// the path replaced.
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	host, path, _ := strings.Cut(rest, "/")
	at := strings.LastIndexByte(host, '@')
	if at < 0 {
		return raw
	}
	out := "xxxxx" + host[at:]
	if ok {
		out = scheme + "://" + out
	}
	if path != "" || strings.Contains(rest, "/") {
		out += "/" + path
	}
	return out
}

// apiPassword returns the password in apiURL's user information, "" if none.
func apiPassword(apiURL string) string {
	if u, err := url.Parse(apiURL); err == nil {
		if u.User == nil {
			return ""
		}
		p, _ := u.User.Password()
		return p
	}
	_, rest, ok := strings.Cut(apiURL, "://")
	if !ok {
		rest = apiURL
	}
	host, _, _ := strings.Cut(rest, "/")
	at := strings.LastIndexByte(host, '@')
	if at < 0 {
		return ""
	}
	_, p, _ := strings.Cut(host[:at], ":")
	return p
}

// scrubbedError is an error whose text had the token removed; it still
// unwraps to the original for errors.Is and errors.As.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrub returns err with the token and the API URL's password removed
// from its text.
func (a *api) scrub(err error) error {
	if err == nil {
		return nil
	}
	msg := redact(redact(err.Error(), a.token), a.password)
	if msg == err.Error() {
		return err
	}
	return &scrubbedError{msg: msg, err: err}
}

// with returns a copy of the client that sends with ctx.
func (a *api) with(ctx context.Context) *tgbotapi.BotAPI {
	b := *a.bot
	b.Client = a.doer(ctx)
	return &b
}

// once makes one call, without retries.
func (a *api) once(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := a.with(ctx).MakeRequest(method, params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, a.scrub(err))
	}
	return resp, nil
}

// request makes one call of a library config (chat actions, commands),
// without retries. Request, not Send: these methods return true, not a
// Message.
func (a *api) request(ctx context.Context, c tgbotapi.Chattable) error {
	_, err := a.with(ctx).Request(c)
	if err != nil {
		return fmt.Errorf("request: %w", a.scrub(err))
	}
	return nil
}

// call makes a call, retrying after a 429 (waiting retry_after), a server
// error or a transport error (with exponential backoff), up to maxAttempts
// tries. Other API errors (400, 403 …) return at once.
func (a *api) call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	for attempt := 1; ; attempt++ {
		resp, err := a.once(ctx, method, params)
		if err == nil {
			return resp, nil
		}
		wait, retry := retryAfter(err, attempt)
		if !retry || attempt >= maxAttempts || ctx.Err() != nil {
			return nil, err
		}
		a.log.LogAttrs(ctx, slog.LevelWarn, "telegram call failed; retrying", slog.String("method", method),
			slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.Any("err", err))
		if a.sleep(ctx, wait) != nil {
			return nil, err
		}
	}
}

// retryAfter says whether a failed call may be retried, and after how long.
func retryAfter(err error, attempt int) (time.Duration, bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	if te, ok := errors.AsType[*tgbotapi.Error](err); ok {
		switch {
		case te.Code == http.StatusTooManyRequests || te.RetryAfter > 0:
			return min(time.Duration(max(te.RetryAfter, 1))*time.Second, maxRetryAfter), true
		case te.Code >= 500:
			return backoff(attempt), true
		}
		return 0, false
	}
	// A transport error, or a proxy's error page instead of JSON.
	return backoff(attempt), true
}

// backoff returns the wait before retry number attempt (1-based).
func backoff(attempt int) time.Duration {
	d := firstBackoff << min(attempt-1, 10)
	return min(d, maxBackoff)
}

// isAPIError reports whether err is a Bot API error whose description
// contains text (case-insensitive).
func isAPIError(err error, text string) bool {
	te, ok := errors.AsType[*tgbotapi.Error](err)
	return ok && strings.Contains(strings.ToLower(te.Message), text)
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
