package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
)

func TestErrorBodyShapes(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        string
	}{
		{"OpenAI-style 404", 404, "application/json",
			`{"error":{"message":"The model 'gpt-9' does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}`,
			`model "test-chat" not found (404): The model 'gpt-9' does not exist`},
		{"Ollama 404", 404, "application/json",
			`{"error":{"message":"model \"test-chat\" not found, try pulling it first","type":"api_error","param":null,"code":null}}`,
			`model "test-chat" not found (404)`},
		{"vLLM 404", 404, "application/json",
			`{"object":"error","message":"The model ` + "`test-chat`" + ` does not exist.","type":"NotFoundError","param":null,"code":404}`,
			`model "test-chat" not found (404)`},
		{"plain-text 404 (wrong path)", 404, "text/plain", "404 page not found", "endpoint not found (404); check the base URL"},
		{"HTML 404", 404, "text/html", "<html><body><h1>Not Found</h1></body></html>", "endpoint not found (404)"},
		{"OpenAI-style 401", 401, "application/json",
			`{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`,
			"the API rejected the key (401)"},
		{"plain-text 401", 401, "text/plain", "Unauthorized", "the API rejected the key (401)"},
		{"empty 401", 401, "", "", "the API rejected the key (401)"},
		{"empty 403", 403, "", "", "access denied (403)"},
		{"OpenAI-style 400", 400, "application/json",
			`{"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error"}}`,
			"request rejected (400): This model's maximum context length is 8192 tokens"},
		{"Ollama native 400", 400, "application/json", `{"error":"invalid temperature"}`, "request rejected (400): invalid temperature"},
		{"plain-text 400", 400, "text/plain", "bad request\nmore lines", "request rejected (400): bad request"},
		{"empty 400", 400, "", "", "request rejected (400)"},
		{"error list message", 422, "application/json", `{"error":{"message":["a","b"],"type":"x"}}`, "request rejected (422): a, b"},
		{"HTML 500", 500, "text/html", "<html><body>Internal Server Error</body></html>", "server error (500) after 5 attempts"},
		{"plain-text 503", 503, "text/plain", "upstream connect error", "server error (503) after 5 attempts"},
		{"OpenAI-style 429", 429, "application/json", `{"error":{"message":"Rate limit reached","type":"requests"}}`, "rate limited (429) after 5 attempts"},
		{"empty 429", 429, "", "", "rate limited (429) after 5 attempts"},
		{"418", 418, "text/plain", "I'm a teapot", "unexpected status 418: I'm a teapot"},
		{"200 HTML", 200, "text/html", "<html>login page</html>", "malformed response"},
		{"200 wrong types", 200, "application/json", `{"choices":"none"}`, "malformed response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			c, _ := testClient(t, f, newFakeClock(), nil)
			_, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Complete = %v\nwant ErrUnavailable with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "<html") {
				t.Errorf("error holds HTML: %v", err)
			}
		})
	}
}

func TestErrorDetailIsShort(t *testing.T) {
	long := strings.Repeat("x", 5000)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		writeJSON(w, 400, apiError(long, "invalid_request_error"))
	})
	c, _ := testClient(t, f, newFakeClock(), nil)
	_, err := c.Complete(context.Background(), []Message{{"user", "hi"}}, ChatOptions{})
	if err == nil || len(err.Error()) > 400 {
		t.Errorf("error is %d bytes long: %v", len(err.Error()), err)
	}
}

// echoHeaders is a fake API that answers every request with status and the
// request's headers (Authorization included) in its error body, as some
// proxies do.
func echoHeaders(status int, shaped bool) func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
	return func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		var lines []string
		for k, vs := range r.Header {
			lines = append(lines, k+": "+strings.Join(vs, ","))
		}
		sort.Strings(lines)
		text := "request " + r.URL.String() + " with headers " + strings.Join(lines, "; ")
		if shaped {
			writeJSON(w, status, apiError(text, "invalid_request_error"))
			return
		}
		w.WriteHeader(status)
		fmt.Fprint(w, text)
	}
}

func TestKeyNeverLeaks(t *testing.T) {
	type scenario struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, n int, body []byte)
		path   string // base URL path, may hold the key
		closed bool   // the server is down
	}
	var scenarios []scenario
	for _, status := range []int{400, 401, 403, 404, 418, 422, 429, 500, 503} {
		for _, shaped := range []bool{true, false} {
			scenarios = append(scenarios, scenario{
				name:   fmt.Sprintf("%d echoing headers (shaped %v)", status, shaped),
				handle: echoHeaders(status, shaped),
				path:   "/" + testKey + "/v1",
			})
		}
	}
	scenarios = append(scenarios,
		scenario{name: "key in path, server down", path: "/" + testKey + "/v1", closed: true},
		scenario{name: "stream error event echoing the key", path: "/v1", handle: func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "data: {\"error\":{\"message\":\"bad auth %s\"}}\n\n", r.Header.Get("Authorization"))
		}},
		scenario{name: "malformed body echoing the key", path: "/v1", handle: func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
			fmt.Fprintf(w, "{%s", r.Header.Get("Authorization"))
		}},
	)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			f := newFakeAPI(t, sc.handle)
			if sc.closed {
				f.srv.Close()
			}
			c, logs := testClient(t, f, newFakeClock(), func(cfg *Config) { cfg.BaseURL = f.srv.URL + sc.path })
			msgs := []Message{{"user", "hi"}}
			var errs []error
			_, err := c.Complete(context.Background(), msgs, ChatOptions{})
			errs = append(errs, err)
			_, err = c.Stream(context.Background(), msgs, ChatOptions{}, nil)
			errs = append(errs, err)
			_, err = c.Embedder().Embed(context.Background(), []string{"t1"})
			errs = append(errs, err)
			for i, err := range errs {
				if err == nil {
					t.Errorf("call %d succeeded", i)
					continue
				}
				for e := err; e != nil; e = errors.Unwrap(e) {
					mustNotLeak(t, "error", e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
				}
			}
			mustNotLeak(t, "log", logs.String())
			mustNotLeak(t, "embedder ID", c.Embedder().ID())
			if !sc.closed && len(f.requests()) > 0 && !strings.Contains(f.requests()[0].Header.Get("Authorization"), testKey) {
				t.Errorf("the key was not sent")
			}
		})
	}
}
