package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestEmbedBatchesAndMapsByIndex(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if cur <= m || maxInFlight.CompareAndSwap(m, cur) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)           // let requests overlap
		rng := rand.New(rand.NewPCG(uint64(n), 2)) // a different order for each request
		writeJSON(w, http.StatusOK, embeddingReply(t, body, func(n int) []int { return rng.Perm(n) }))
	})
	c, _ := testClient(t, f, nil, func(cfg *Config) { cfg.EmbedBatch, cfg.EmbedConcurrency = 128, 4 })
	texts := make([]string, 1000)
	for i := range texts {
		texts[i] = fmt.Sprintf("t%d", i)
	}
	vecs, err := c.Embedder().Embed(context.Background(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if len(vecs) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(vecs), len(texts))
	}
	for i, v := range vecs {
		if len(v) != 2 || v[0] != float32(i) {
			t.Fatalf("vector %d = %v, want [%d 1]", i, v, i)
		}
	}
	reqs := f.requests()
	if len(reqs) != 8 {
		t.Errorf("%d requests, want 8", len(reqs))
	}
	total := 0
	for _, r := range reqs {
		if r.Method != http.MethodPost || r.Path != "/v1/embeddings" {
			t.Errorf("request = %s %s, want POST /v1/embeddings", r.Method, r.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("Authorization = %q", got)
		}
		var body struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Model != "test-embed" || len(body.Input) > 128 {
			t.Errorf("request with model %q and %d inputs", body.Model, len(body.Input))
		}
		total += len(body.Input)
	}
	if total != len(texts) {
		t.Errorf("%d texts sent, want %d", total, len(texts))
	}
	if m := maxInFlight.Load(); m > 4 {
		t.Errorf("%d requests in flight at once, want at most 4", m)
	}
}

func TestEmbedQueryAndEmpty(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		writeJSON(w, http.StatusOK, embeddingReply(t, body, nil))
	})
	c, _ := testClient(t, f, nil, nil)
	v, err := c.Embedder().EmbedQuery(context.Background(), "t7")
	if err != nil || len(v) != 2 || v[0] != 7 {
		t.Errorf("EmbedQuery = %v, %v; want [7 1]", v, err)
	}
	vs, err := c.Embedder().Embed(context.Background(), nil)
	if err != nil || len(vs) != 0 {
		t.Errorf("Embed(nil) = %v, %v; want nothing", vs, err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestEmbedMalformed(t *testing.T) {
	item := func(i int, v ...float32) map[string]any {
		return map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	tests := []struct {
		name string
		data []any // the reply to the first batch, of 2 texts
		want string
	}{
		{"too few", []any{item(0, 1)}, "1 embeddings for 2 texts"},
		{"too many", []any{item(0, 1), item(1, 1), item(2, 1)}, "3 embeddings for 2 texts"},
		{"repeated index", []any{item(0, 1), item(0, 1)}, "index 0 repeated"},
		{"index out of range", []any{item(0, 1), item(2, 1)}, "index 2 out of range"},
		{"negative index", []any{item(-1, 1), item(0, 1)}, "index -1 out of range"},
		{"empty vector", []any{item(0, 1), item(1)}, "empty embedding at index 1"},
		{"dimensions differ", []any{item(0, 1, 2), item(1, 1, 2)}, "vectors of 2 and 1 dimensions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				if strings.Contains(string(body), `"t0"`) {
					writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": tt.data})
					return
				}
				writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": []any{item(0, 9)}})
			})
			c, _ := testClient(t, f, newFakeClock(), func(cfg *Config) { cfg.EmbedBatch = 2 })
			vs, err := c.Embedder().Embed(context.Background(), []string{"t0", "t1", "t2"})
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "malformed response") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Embed = %v, want ErrUnavailable, malformed response, %q", err, tt.want)
			}
			if vs != nil {
				t.Errorf("Embed returned vectors with its error")
			}
		})
	}
}

func TestEmbedStopsOnFirstError(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		writeJSON(w, http.StatusUnauthorized, apiError("bad key", "invalid_request_error"))
	})
	c, _ := testClient(t, f, newFakeClock(), func(cfg *Config) { cfg.EmbedBatch, cfg.EmbedConcurrency = 1, 1 })
	_, err := c.Embedder().Embed(context.Background(), []string{"t0", "t1", "t2", "t3", "t4"})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "401") {
		t.Errorf("Embed = %v, want ErrUnavailable naming 401", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests after a 401, want 1", n)
	}
}

func TestEmbedderID(t *testing.T) {
	tests := []struct {
		base, want string
	}{
		{"https://api.openai.com/v1", "openai/m@https://api.openai.com/v1"},
		{"http://localhost:11434/v1/", "openai/m@http://localhost:11434/v1"},
		{"https://user:pw@proxy.example/v1?key=abc#x", "openai/m@https://proxy.example/v1"},
		{"https://proxy.example/" + testKey + "/v1", "openai/m@https://proxy.example/[REDACTED]/v1"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			c, err := New(Config{BaseURL: tt.base, APIKey: testKey, EmbeddingModel: "m"})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Embedder().ID(); got != tt.want {
				t.Errorf("ID() = %q, want %q", got, tt.want)
			}
			u, _ := url.Parse(tt.base)
			if pw, ok := u.User.Password(); ok && strings.Contains(c.Embedder().ID(), pw) {
				t.Errorf("ID() holds the URL's password")
			}
		})
	}
}
