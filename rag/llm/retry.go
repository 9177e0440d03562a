package llm

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Backoff before the n-th retry is uniformly random in [0, min(backoffBase·2ⁿ⁻¹,
// backoffMax)] ("full jitter"), unless the server says how long to wait.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 8 * time.Second
)

// discardLimit bounds how much of a discarded response body is drained so
// that its connection can be reused.
const discardLimit = 64 << 10

// errCircuitOpen is returned without contacting the service while it is in
// its cool-down after a failure that survived every retry.
var errCircuitOpen = errors.New("the service failed moments ago; not trying again yet")

// errAttemptTimeout is returned by retryTransport when the last attempt ran
// out of time (its per-attempt timeout or the call's budget).
var errAttemptTimeout = errors.New("attempt timed out")

// callStats records what retryTransport did for one call; the Client puts it
// in the request's context and reads it to word its errors. A call that
// sends its request again itself (a stream cut midway, see Client.Stream)
// reuses it, so that its attempts and time budget carry on where they were.
// It is written only by the goroutine that calls RoundTrip.
type callStats struct {
	attempts int           // attempts made so far, over all the call's requests
	start    time.Time     // the call's first attempt; zero before it
	elapsed  time.Duration // from start to the end of the latest attempt
}

// statsKey is the context key of a *callStats.
type statsKey struct{}

// withStats returns ctx carrying a fresh *callStats.
func withStats(ctx context.Context) (context.Context, *callStats) {
	st := &callStats{}
	return context.WithValue(ctx, statsKey{}, st), st
}

// retryTransport is an http.RoundTripper that gives every request a
// per-attempt timeout and retries it on 429, 500, 502, 503, 504 and on
// transport errors (not on the caller's cancellation), with full-jitter
// exponential backoff or the server's Retry-After, within maxAttempts and a
// time budget that counts attempts and waits alike.
//
// A response that is returned (success, a non-retryable status, or the last
// retryable one) is the server's own, so the client library parses its error
// body; its Body stays under the attempt's timeout until it is closed.
// Streaming responses are therefore retried only before they start.
//
// It is safe for concurrent use.
type retryTransport struct {
	base        http.RoundTripper
	timeout     time.Duration // one attempt, headers and body
	budget      time.Duration // all attempts of one request, and the waits between them
	maxAttempts int
	// slots holds one token per attempt in flight (Config.Concurrency):
	// taken before an attempt is sent, given back when it fails or its
	// response body is closed.
	slots  chan struct{}
	logger *slog.Logger
	redact func(string) string

	// cooldown is how long calls fail at once after one failed for good,
	// so that a down service costs every asker one budget, not each; ≤ 0
	// disables it.
	cooldown  time.Duration
	mu        sync.Mutex
	openUntil time.Time

	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration // uniform in [0, max]
}

// open reports whether the transport is in its cool-down.
func (t *retryTransport) open() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.now().Before(t.openUntil)
}

// settle records a call's outcome: a retryable failure that survived every
// retry starts the cool-down; any other outcome ends it.
func (t *retryTransport) settle(failed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if failed && t.cooldown > 0 {
		t.openUntil = t.now().Add(t.cooldown)
	} else if !failed {
		t.openUntil = time.Time{}
	}
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st, _ := ctx.Value(statsKey{}).(*callStats)
	op := path.Base(req.URL.Path) // "completions" or "embeddings"; never the URL, which may hold a key
	start, first := t.now(), 1
	if st != nil {
		if st.start.IsZero() {
			st.start = start
		}
		start, first = st.start, st.attempts+1
	}
	deadline := start.Add(t.budget)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	if t.open() {
		return nil, errCircuitOpen
	}

	for attempt := first; ; attempt++ {
		wait := min(t.timeout, deadline.Sub(t.now()))
		resp, err := t.attempt(req, attempt, wait)
		if st != nil {
			st.attempts = attempt
			st.elapsed = t.now().Sub(start)
		}
		if ctx.Err() != nil {
			discard(resp)
			return nil, ctx.Err()
		}
		if !retryable(resp, err) || !replayable {
			t.settle(retryable(resp, err))
			return resp, err
		}

		delay := t.delay(attempt, resp)
		remaining := deadline.Sub(t.now())
		attrs := []any{"op", op, "attempt", attempt}
		if resp != nil {
			attrs = append(attrs, "status", resp.StatusCode)
		} else {
			attrs = append(attrs, "error", t.redact(err.Error()))
		}
		if attempt >= t.maxAttempts || delay >= remaining {
			// A wait that would use up the budget leaves no time to try
			// again, so give up now rather than after it.
			t.logger.Debug("language model request failed; giving up", append(attrs, "budget_left", remaining)...)
			t.settle(true)
			return resp, err
		}
		t.logger.Warn("language model request failed; retrying", append(attrs, "wait", delay)...)
		discard(resp)
		if err := t.sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// again reports whether a call whose request st describes may be sent once
// more after its response was cut short, and how long to wait before: only
// within the call's attempts and time budget, with the backoff of a failed
// attempt. When it may not, the call has failed for good and the cool-down
// starts.
func (t *retryTransport) again(st *callStats) (time.Duration, bool) {
	st.elapsed = t.now().Sub(st.start)
	if st.attempts >= t.maxAttempts || st.start.IsZero() {
		t.settle(true)
		return 0, false
	}
	delay := t.delay(st.attempts, nil)
	if delay >= st.start.Add(t.budget).Sub(t.now()) {
		t.settle(true)
		return 0, false
	}
	return delay, true
}

// attempt sends req once. headerWait bounds the wait for the response
// headers; the whole attempt, body included, is bounded by t.timeout.
//
// It first waits for one of the transport's slots (as long as the
// request's context allows); the slot is given back when the attempt fails
// or its response body is closed, so a stream holds it while it is read.
func (t *retryTransport) attempt(req *http.Request, n int, headerWait time.Duration) (*http.Response, error) {
	parent := req.Context()
	select {
	case t.slots <- struct{}{}:
	case <-parent.Done():
		return nil, parent.Err()
	}
	var once sync.Once
	release := func() { once.Do(func() { <-t.slots }) }
	actx, cancel := context.WithCancelCause(parent)
	r := req.Clone(actx)
	if n > 1 && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			cancel(nil)
			release()
			return nil, err
		}
		r.Body = body
	}
	started := time.Now()
	timer := time.AfterFunc(headerWait, func() { cancel(errAttemptTimeout) })
	resp, err := t.base.RoundTrip(r)
	timer.Stop()
	if err != nil {
		timedOut := parent.Err() == nil && errors.Is(context.Cause(actx), errAttemptTimeout)
		cancel(nil)
		release()
		if timedOut {
			return nil, errAttemptTimeout
		}
		return nil, err
	}
	bodyTimer := time.AfterFunc(t.timeout-time.Since(started), func() { cancel(errAttemptTimeout) })
	resp.Body = &attemptBody{ReadCloser: resp.Body, ctx: actx, stop: func() {
		bodyTimer.Stop()
		cancel(nil)
		release()
	}}
	return resp, nil
}

// attemptBody is a response body under its attempt's timeout: a read cut
// short by the timeout reports errAttemptTimeout, and Close releases the
// attempt's timer and context.
type attemptBody struct {
	io.ReadCloser
	ctx  context.Context
	stop func()
}

// Read implements io.Reader. A read that ends the body (at its end or on
// an error) releases the attempt as Close does: a caller may read a body to
// its end and never close it (go-openai does with error replies to a
// stream), and the concurrency slot must come back all the same.
func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		if err != io.EOF && errors.Is(context.Cause(b.ctx), errAttemptTimeout) {
			err = errAttemptTimeout
		}
		b.stop()
	}
	return n, err
}

// Close implements io.Closer.
func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.stop()
	return err
}

// retryable reports whether an attempt's outcome is worth another attempt.
// A 429 that says the account's quota is used up (OpenAI's
// "insufficient_quota") is not: waiting will not help.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		var certErr *tls.CertificateVerificationError
		return !errors.As(err, &certErr)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return !quotaExhausted(resp)
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// quotaExhausted reports whether resp's body (its first discardLimit bytes)
// mentions "insufficient_quota". The body stays readable in full.
func quotaExhausted(resp *http.Response) bool {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, discardLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return bytes.Contains(head, []byte("insufficient_quota"))
}

// delay returns how long to wait after the attempt-th attempt: what the
// server asked for, or a full-jitter exponential backoff.
func (t *retryTransport) delay(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header, t.now()); ok {
			return d
		}
	}
	ceiling := backoffMax
	if attempt-1 < 8 {
		ceiling = min(backoffBase<<(attempt-1), backoffMax)
	}
	return t.jitter(ceiling)
}

// retryAfter reads how long the server asked the client to wait: the
// Retry-After-Ms header (milliseconds, sent by OpenAI) or Retry-After (whole
// seconds or an HTTP date). A date in the past means no wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && ms < 1e9 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	return parseRetryAfter(h.Get("Retry-After"), now)
}

// parseRetryAfter parses a Retry-After value: whole seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		const maxSecs = 1 << 20 // about 12 days; anything longer is the same "too long"
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	if when, err := http.ParseTime(v); err == nil {
		return max(when.Sub(now), 0), true
	}
	return 0, false
}

// discard drains a little of resp's body, so the connection can be reused,
// and closes it. resp may be nil.
func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, discardLimit)
	_ = resp.Body.Close()
}

// sleepCtx waits for d or until ctx is done, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fullJitter returns a uniformly random duration in [0, max].
func fullJitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max + 1)
}
