package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// step is how the fake API answers one request in a retry scenario.
type step struct {
	status int
	header map[string]string
	body   string // "" → a good reply for 200, an OpenAI-style error otherwise
}

func TestRetries(t *testing.T) {
	clockStart := newFakeClock().Now()
	tests := []struct {
		name       string
		steps      []step // the last step repeats
		cfg        func(*Config)
		wantErr    string // "" → success
		wantCalls  int
		wantSleeps []time.Duration
	}{
		{
			name:       "429 with Retry-After seconds",
			steps:      []step{{status: 429, header: map[string]string{"Retry-After": "1"}}, {status: 200}},
			wantCalls:  2,
			wantSleeps: []time.Duration{time.Second},
		},
		{
			name: "429 with Retry-After date",
			steps: []step{
				{status: 429, header: map[string]string{"Retry-After": clockStart.Add(3 * time.Second).Format(http.TimeFormat)}},
				{status: 200},
			},
			wantCalls:  2,
			wantSleeps: []time.Duration{3 * time.Second},
		},
		{
			name:       "429 with Retry-After-Ms",
			steps:      []step{{status: 429, header: map[string]string{"Retry-After-Ms": "250", "Retry-After": "1"}}, {status: 200}},
			wantCalls:  2,
			wantSleeps: []time.Duration{250 * time.Millisecond},
		},
		{
			name:       "500 twice then success, exponential backoff",
			steps:      []step{{status: 500}, {status: 500}, {status: 200}},
			wantCalls:  3,
			wantSleeps: []time.Duration{500 * time.Millisecond, time.Second},
		},
		{
			name:       "502, 503, 504 are retried",
			steps:      []step{{status: 502, body: "<html>Bad Gateway</html>"}, {status: 503, body: "busy"}, {status: 504, body: " "}, {status: 200}},
			wantCalls:  4,
			wantSleeps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second},
		},
		{
			name:      "malformed JSON is not retried",
			steps:     []step{{status: 200, body: `{"choices":[{"message":`}},
			wantErr:   "malformed response",
			wantCalls: 1,
		},
		{
			name:      "empty 200 body is malformed",
			steps:     []step{{status: 200, body: " "}},
			wantErr:   "malformed response",
			wantCalls: 1,
		},
		{
			name:      "401 is not retried",
			steps:     []step{{status: 401}},
			wantErr:   "the API rejected the key (401)",
			wantCalls: 1,
		},
		{
			name:      "400 is not retried",
			steps:     []step{{status: 400}},
			wantErr:   "request rejected (400)",
			wantCalls: 1,
		},
		{
			name:       "attempts exhausted",
			steps:      []step{{status: 429}},
			wantErr:    "rate limited (429) after 5 attempts in 7.5s",
			wantCalls:  5,
			wantSleeps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second},
		},
		{
			name:       "budget exhausted by backoff",
			steps:      []step{{status: 503}},
			cfg:        func(c *Config) { c.RetryTime, c.MaxAttempts = 3*time.Second, 10 },
			wantErr:    "server error (503) after 3 attempts in 1.5s",
			wantCalls:  3,
			wantSleeps: []time.Duration{500 * time.Millisecond, time.Second}, // the next wait, 2s, would end past the budget
		},
		{
			name:      "429 for an exhausted quota is not retried",
			steps:     []step{{status: 429, body: `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`}},
			wantErr:   "rate limited (429): You exceeded your current quota",
			wantCalls: 1,
		},
		{
			name:      "Retry-After past the budget gives up at once",
			steps:     []step{{status: 429, header: map[string]string{"Retry-After": "60"}}},
			wantErr:   "rate limited (429)",
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				s := tt.steps[min(n, len(tt.steps))-1]
				for k, v := range s.header {
					w.Header().Set(k, v)
				}
				switch {
				case s.body != "":
					w.WriteHeader(s.status)
					fmt.Fprint(w, s.body)
				case s.status == http.StatusOK:
					writeJSON(w, s.status, chatReply("ok"))
				default:
					writeJSON(w, s.status, apiError("try later", "server_error"))
				}
			})
			clock := newFakeClock()
			c, logs := testClient(t, f, clock, tt.cfg)
			got, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
			if tt.wantErr == "" && (err != nil || got != "ok") {
				t.Errorf("Complete = %q, %v; want ok", got, err)
			}
			if tt.wantErr != "" && (!errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Complete error = %v, want ErrUnavailable with %q", err, tt.wantErr)
			}
			reqs := f.requests()
			if len(reqs) != tt.wantCalls {
				t.Errorf("%d requests, want %d", len(reqs), tt.wantCalls)
			}
			for i, r := range reqs {
				if string(r.Body) != string(reqs[0].Body) || len(r.Body) == 0 {
					t.Errorf("request %d body %q differs from the first %q", i+1, r.Body, reqs[0].Body)
				}
			}
			if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(tt.wantSleeps) {
				t.Errorf("waits = %v, want %v", got, tt.wantSleeps)
			}
			if n := strings.Count(logs.String(), "retrying"); n != len(tt.wantSleeps) {
				t.Errorf("%d retries logged, want %d:\n%s", n, len(tt.wantSleeps), logs)
			}
			mustNotLeak(t, "log", logs.String())
		})
	}
}

func TestRetryEmbeddingsReplaysBody(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		if n == 1 {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, embeddingReply(t, body, nil))
	})
	c, _ := testClient(t, f, newFakeClock(), nil)
	vs, err := c.Embedder().Embed(context.Background(), []string{"t1", "t2"})
	if err != nil || len(vs) != 2 || vs[1][0] != 2 {
		t.Fatalf("Embed = %v, %v", vs, err)
	}
	reqs := f.requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) {
		t.Errorf("requests = %d, bodies %q; want 2 identical", len(reqs), reqs)
	}
}

func TestRetryTransportErrors(t *testing.T) {
	f := newFakeAPI(t, nil)
	f.srv.Close() // connection refused, on loopback
	clock := newFakeClock()
	c, logs := testClient(t, f, clock, func(cfg *Config) { cfg.MaxAttempts = 3 })
	_, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "couldn't reach the service after 3 attempts") {
		t.Errorf("Complete = %v, want ErrUnavailable after 3 attempts", err)
	}
	if n := len(clock.Sleeps()); n != 2 {
		t.Errorf("%d waits, want 2", n)
	}
	mustNotLeak(t, "log", logs.String())
}

// hangUntilDone blocks until the request is abandoned or the test ends.
func hangUntilDone(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	// Real timers with small durations.
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		if n == 1 {
			hangUntilDone(r)
			return
		}
		writeJSON(w, http.StatusOK, chatReply("ok"))
	})
	c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.Timeout, cfg.RetryTime = 100*time.Millisecond, 5*time.Second })
	got, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
	if err != nil || got != "ok" {
		t.Errorf("Complete = %q, %v; want ok after a timed-out attempt", got, err)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestBodyTimeout(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"choices":[`)
		w.(http.Flusher).Flush()
		hangUntilDone(r)
	})
	c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond })
	_, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("Complete = %v, want ErrUnavailable, timed out", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1 (a started response is not retried)", n)
	}
}

func TestBudgetBoundsCall(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) { hangUntilDone(r) })
	const budget = time.Second // room for two 150ms attempts on a loaded machine
	// Real clock and sleep; short waits so that several attempts fit.
	h := hooks{jitter: func(time.Duration) time.Duration { return 10 * time.Millisecond }}
	c, _ := testClientHooks(t, f, h, func(cfg *Config) { cfg.Timeout, cfg.RetryTime, cfg.MaxAttempts = 150*time.Millisecond, budget, 100 })
	start := time.Now()
	_, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
	elapsed := time.Since(start)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "timed out after") {
		t.Errorf("Complete = %v, want ErrUnavailable, timed out after n attempts", err)
	}
	// Generous slack for slow machines; without the budget this would take
	// 100 attempts × 150ms.
	if elapsed > budget+time.Second {
		t.Errorf("Complete took %v, budget %v", elapsed, budget)
	}
	if n := len(f.requests()); n < 2 {
		t.Errorf("%d requests, want at least 2", n)
	}
}

// completeCancelledSoon calls Complete and cancels it after 50ms.
func completeCancelledSoon(c *Client, ctx context.Context, cancel context.CancelFunc) error {
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.Complete(ctx, []Message{{"user", "hi"}}, ChatOptions{})
	return err
}

func TestContextCancel(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, n int, body []byte)
		call   func(c *Client, ctx context.Context, cancel context.CancelFunc) error
	}{
		{
			name:   "while waiting for the reply",
			handle: func(w http.ResponseWriter, r *http.Request, n int, body []byte) { hangUntilDone(r) },
			call:   completeCancelledSoon,
		},
		{
			name: "while waiting to retry",
			handle: func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				w.Header().Set("Retry-After", "20")
				writeJSON(w, http.StatusTooManyRequests, apiError("slow down", "rate_limit"))
			},
			call: completeCancelledSoon,
		},
		{
			name: "while streaming",
			handle: func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				w.Header().Set("Content-Type", "text/event-stream")
				fmt.Fprint(w, sseChunk("first "))
				w.(http.Flusher).Flush()
				hangUntilDone(r)
			},
			call: func(c *Client, ctx context.Context, cancel context.CancelFunc) error {
				_, err := c.Stream(ctx, []Message{{"user", "hi"}}, ChatOptions{}, func(string) { cancel() })
				return err
			},
		},
		{
			name:   "while embedding",
			handle: func(w http.ResponseWriter, r *http.Request, n int, body []byte) { hangUntilDone(r) },
			call: func(c *Client, ctx context.Context, cancel context.CancelFunc) error {
				time.AfterFunc(50*time.Millisecond, cancel)
				_, err := c.Embedder().Embed(ctx, []string{"t1", "t2", "t3"})
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, tt.handle)
			c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.RetryTime, cfg.EmbedBatch = time.Minute, 1 })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			err := tt.call(c, ctx, cancel)
			if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
				t.Errorf("error = %v, want context.Canceled and not ErrUnavailable", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned after %v", d)
			}
		})
	}
}

func TestContextDeadline(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) { hangUntilDone(r) })
	c, _ := testClient(t, f, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Complete(ctx, []Message{{"user", "hi"}}, ChatOptions{})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("Complete = %v, want DeadlineExceeded and ErrUnavailable, timed out", err)
	}
}

// retryAfterNow is the time parseRetryAfter's tests take as now.
var retryAfterNow = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// retryAfterCases are parseRetryAfter's table cases and fuzz seeds.
var retryAfterCases = []struct {
	in     string
	want   time.Duration
	wantOK bool
}{
	{"", 0, false},
	{"0", 0, true},
	{"1", time.Second, true},
	{" 30 ", 30 * time.Second, true},
	{"99999999999999999999", 0, false}, // overflows uint64
	{"18446744073709551615", (1 << 20) * time.Second, true},
	{"-1", 0, false},
	{"1.5", 0, false},
	{retryAfterNow.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
	{retryAfterNow.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	{"Sunday, 15-Jun-25 12:00:05 GMT", 5 * time.Second, true}, // RFC 850
	{"Sun Jun 15 12:00:05 2025", 5 * time.Second, true},       // ANSI C
	{"soon", 0, false},
}

func TestParseRetryAfter(t *testing.T) {
	for _, tt := range retryAfterCases {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, retryAfterNow)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, tt := range retryAfterCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, retryAfterNow)
		if d < 0 || (!ok && d != 0) {
			t.Errorf("parseRetryAfter(%q) = %v, %v", s, d, ok)
		}
	})
}

func TestBackoffCeiling(t *testing.T) {
	rt := &retryTransport{now: time.Now, jitter: func(max time.Duration) time.Duration { return max }}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := rt.delay(i+1, nil); got != w {
			t.Errorf("delay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := rt.delay(100, nil); got != backoffMax {
		t.Errorf("delay(100) = %v, want %v", got, backoffMax)
	}
	for range 100 {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %v", d)
		}
	}
}

func TestCooldownAfterFailure(t *testing.T) {
	fail := true
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		if fail {
			writeJSON(w, 500, apiError("boom", "server_error"))
			return
		}
		writeJSON(w, 200, chatReply("back"))
	})
	clock := newFakeClock()
	c, _ := testClient(t, f, clock, func(cfg *Config) { cfg.MaxAttempts, cfg.Cooldown = 2, time.Minute })
	msgs := []Message{{"user", "hi"}}
	if _, err := c.Complete(context.Background(), msgs, ChatOptions{}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("first call = %v, want ErrUnavailable", err)
	}
	sent := len(f.requests())
	// Within the cool-down: fails at once, without a request.
	_, err := c.Complete(context.Background(), msgs, ChatOptions{})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "failed moments ago") || len(f.requests()) != sent {
		t.Errorf("in cool-down: err %v, requests %d → %d", err, sent, len(f.requests()))
	}
	// After it, the service is tried again, and a success closes it.
	fail = false
	clock.Sleep(context.Background(), time.Minute)
	if got, err := c.Complete(context.Background(), msgs, ChatOptions{}); err != nil || got != "back" {
		t.Fatalf("after cool-down: %q, %v", got, err)
	}
	if _, err := c.Complete(context.Background(), msgs, ChatOptions{}); err != nil {
		t.Errorf("a success should close the breaker: %v", err)
	}
}

func TestCooldownNotStartedByClientErrors(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		writeJSON(w, 400, apiError("bad request", "invalid_request_error"))
	})
	c, _ := testClient(t, f, newFakeClock(), nil)
	for range 2 {
		_, _ = c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("a 400 must not start the cool-down: %d requests, want 2", n)
	}
}
