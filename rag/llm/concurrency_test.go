package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// inFlight counts the requests a fake server is handling at once and
// remembers the most it saw.
type inFlight struct {
	now, peak atomic.Int64
}

// enter counts a request in and returns the count.
func (f *inFlight) enter() int64 {
	n := f.now.Add(1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			return n
		}
	}
}

// leave counts a request out.
func (f *inFlight) leave() { f.now.Add(-1) }

// TestConcurrencyBoundsCallsInFlight sends more streamed, whole and
// embedding calls at once than Config.Concurrency allows and checks that
// the server never has more than that many in flight, a stream holding its
// slot until it is read to the end.
func TestConcurrencyBoundsCallsInFlight(t *testing.T) {
	const limit, calls = 3, 12
	var fl inFlight
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		fl.enter()
		defer fl.leave()
		if r.URL.Path == "/v1/embeddings" {
			time.Sleep(30 * time.Millisecond)
			writeJSON(w, http.StatusOK, embeddingReply(t, body, nil))
			return
		}
		if r.Header.Get("Accept") != "text/event-stream" {
			time.Sleep(30 * time.Millisecond)
			writeJSON(w, http.StatusOK, chatReply("whole"))
			return
		}
		// A stream: headers and a first piece at once, the rest later, so
		// a slot given back at the headers would let more in.
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, sseChunk("part "))
		w.(http.Flusher).Flush()
		time.Sleep(30 * time.Millisecond)
		fmt.Fprint(w, sseChunk("two"))
		fmt.Fprint(w, sseFinish("stop"))
		fmt.Fprint(w, "data: [DONE]\n\n")
	})
	c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.Concurrency = limit })

	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			msgs := []Message{{Role: "user", Content: "q"}}
			var err error
			switch i % 3 {
			case 0:
				_, err = c.Stream(ctx, msgs, ChatOptions{}, nil)
			case 1:
				_, err = c.Complete(ctx, msgs, ChatOptions{})
			default:
				_, err = c.Embedder().Embed(ctx, []string{"t1"})
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("call failed: %v", err)
		}
	}
	if got := fl.peak.Load(); got > limit {
		t.Errorf("%d requests in flight at once, want at most Concurrency = %d", got, limit)
	} else if got < 2 {
		t.Errorf("at most %d request in flight: calls did not run concurrently at all", got)
	}
	if got := len(f.requests()); got != calls {
		t.Errorf("server saw %d requests, want %d", got, calls)
	}
}

// TestConcurrencyWaitHonoursContext checks that a call waiting for a free
// slot gives up when its context ends, without reaching the server.
func TestConcurrencyWaitHonoursContext(t *testing.T) {
	release := make(chan struct{})
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		<-release
		writeJSON(w, http.StatusOK, chatReply("late"))
	})
	t.Cleanup(func() { close(release) })
	c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.Concurrency = 1 })
	msgs := []Message{{Role: "user", Content: "q"}}
	go c.Complete(context.Background(), msgs, ChatOptions{}) // holds the only slot
	for len(f.requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Complete(ctx, msgs, ChatOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Complete waiting for a slot = %v, want context.DeadlineExceeded", err)
	}
	if got := len(f.requests()); got != 1 {
		t.Errorf("server saw %d requests, want 1 (the second waits for a slot)", got)
	}
}

func TestDefaultConcurrency(t *testing.T) {
	tests := []struct {
		url  string
		want int
	}{
		{"https://api.openai.com/v1", 16},
		{"http://localhost:11434/v1", 4},
		{"http://LOCALHOST:11434/v1", 4},
		{"http://127.0.0.1:8000/v1", 4},
		{"http://[::1]:8000/v1", 4},
		{"http://gpu-box.lan:8000/v1", 16},
		{"", 16},
	}
	for _, tt := range tests {
		if got := DefaultConcurrency(tt.url); got != tt.want {
			t.Errorf("DefaultConcurrency(%q) = %d, want %d", tt.url, got, tt.want)
		}
	}
}

// TestConcurrencySlotBackAfterStreamError: a stream refused with an error
// status gives its slot back, though go-openai reads such a body to its
// end without closing it; the next call gets through.
func TestConcurrencySlotBackAfterStreamError(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		if r.Header.Get("Accept") == "text/event-stream" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"message": "bad request", "type": "invalid_request_error"}})
			return
		}
		writeJSON(w, http.StatusOK, chatReply("whole"))
	})
	c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.Concurrency = 1 })
	msgs := []Message{{Role: "user", Content: "q"}}
	for range 3 {
		if _, err := c.Stream(context.Background(), msgs, ChatOptions{}, nil); err == nil {
			t.Fatal("a stream refused with 400 succeeded")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard only
	defer cancel()
	if _, err := c.Complete(ctx, msgs, ChatOptions{}); err != nil {
		t.Fatalf("the call after the refused streams: %v", err)
	}
}
