package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testKey = "sk-test-SECRET-1234567890"

// fakeOpenAI is an in-process OpenAI-compatible server: embeddings from
// hashed words, and a scripted chat reply streamed as server-sent events.
type fakeOpenAI struct {
	*httptest.Server
	embedCalls atomic.Int64
	chatCalls  atomic.Int64
	prompts    atomic.Value // last chat request's user prompt
	bodies     atomic.Value // last chat request's body
	fail       bool         // every request gets a 500
	cut        bool         // every stream ends without a finish_reason, as when the connection closes
	finish     string       // the streams' finish_reason; "" → "stop"
	reply      string
}

func newFakeOpenAI(t *testing.T, reply string, fail bool) *fakeOpenAI {
	f := &fakeOpenAI{reply: reply, fail: fail}
	f.Server = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeOpenAI) handle(w http.ResponseWriter, r *http.Request) {
	if f.fail {
		http.Error(w, `{"error":{"message":"overloaded","type":"server_error"}}`, http.StatusInternalServerError)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		http.Error(w, `{"error":{"message":"bad key"}}`, http.StatusUnauthorized)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch r.URL.Path {
	case "/v1/embeddings":
		f.embedCalls.Add(1)
		var req struct{ Input []string }
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		var data []map[string]any
		for i, text := range req.Input {
			data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": hashVector(text)})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": "fake-embed"})
	case "/v1/chat/completions":
		f.chatCalls.Add(1)
		var req struct {
			Messages []struct{ Role, Content string }
		}
		_ = json.Unmarshal(body, &req)
		f.bodies.Store(string(body))
		if len(req.Messages) > 1 {
			f.prompts.Store(req.Messages[1].Content)
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, piece := range strings.SplitAfter(f.reply, " ") {
			chunk, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "model": "fake-chat",
				"choices": []map[string]any{{"index": 0, "delta": map[string]string{"content": piece}}}})
			fmt.Fprintf(w, ": keep-alive\n\ndata: %s\n\n", chunk)
		}
		if f.cut {
			return
		}
		finish := f.finish
		if finish == "" {
			finish = "stop"
		}
		fmt.Fprintf(w, `data: {"id":"c","object":"chat.completion.chunk","model":"fake-chat","choices":[{"index":0,"delta":{},"finish_reason":%q}]}`+"\n\n", finish)
		fmt.Fprint(w, "data: [DONE]\n\n")
	default:
		http.NotFound(w, r)
	}
}

// hashVector embeds text as counts of hashed words in 16 dimensions.
func hashVector(text string) []float32 {
	v := make([]float32, 16)
	v[0] = 0.01
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%16]++
	}
	return v
}

func llmEnv(f *fakeOpenAI, extra map[string]string) map[string]string {
	env := map[string]string{"OPENAI_BASE_URL": f.URL + "/v1", "OPENAI_API_KEY": testKey, "LLM_RETRY_TIME": "2s", "SCOBOT_LOG_LEVEL": "debug"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func TestAskWithLanguageModel(t *testing.T) {
	// [2] is the report naming Lavrov (the fake embedder ranks the China
	// News Service report, which names none of the ministers, first).
	f := newFakeOpenAI(t, "Wang Yi held bilateral talks with Lavrov in Astana [2]. He also met the Pope [7].", false)
	env := llmEnv(f, map[string]string{"CHAT_MODEL": "fake-chat", "EMBEDDING_MODEL": "fake-embed"})
	code, out, errOut := run(t, env, "", "ask", "--db", t.TempDir(), "--json", "Which foreign ministers did Wang Yi meet in Astana?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a struct {
		Mode, Answer string
		Citations    []struct {
			N   int
			Doc string
		}
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Mode != "llm" || len(a.Citations) != 1 || a.Citations[0].N != 1 || a.Citations[0].Doc != "001_14086ad8159a262e" {
		t.Fatalf("mode %s, citations %+v", a.Mode, a.Citations)
	}
	if strings.Contains(a.Answer, "[7]") || !strings.Contains(a.Answer, "Lavrov in Astana [1]") {
		t.Errorf("answer = %q; [7] points at no source and must go", a.Answer)
	}
	prompt, _ := f.prompts.Load().(string)
	if !strings.Contains(prompt, "<question>Which foreign ministers did Wang Yi meet in Astana?</question>") || !strings.Contains(prompt, "[1] ") {
		t.Errorf("the prompt lacks the question or numbered sources:\n%s", prompt)
	}
	if f.embedCalls.Load() == 0 {
		t.Error("the index was not embedded through the API")
	}
	if strings.Contains(out+errOut, testKey) {
		t.Error("the API key appears in the output or logs")
	}
}

func TestAskWhenTheAPIFails(t *testing.T) {
	f := newFakeOpenAI(t, "", true)
	env := llmEnv(f, map[string]string{"CHAT_MODEL": "fake-chat", "EMBEDDING_MODEL": "fake-embed"})
	start := time.Now()
	code, out, errOut := run(t, env, "", "ask", "--db", t.TempDir(), "--json", "Which foreign ministers did Wang Yi meet in Astana?")
	t.Logf("answered in %v with every request failing", time.Since(start))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a struct {
		Mode, Answer, Note string
		Abstained          bool
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Mode != "extractive" || a.Abstained || !strings.Contains(a.Answer, "拉夫罗夫") || a.Note == "" {
		t.Errorf("want an extractive answer with a note, got %+v", a)
	}
	if strings.Contains(out+errOut, testKey) {
		t.Error("the API key appears in the output or logs")
	}
	// `scobot index` is about the index: there, failing to embed is an error.
	if code, _, errOut := run(t, env, "", "index", "--db", t.TempDir()); code != exitError || !strings.Contains(errOut, "unavailable") {
		t.Errorf("index with the API down: exit %d, %q", code, errOut)
	}
}

// TestIndexBatchesEmbeddings indexes a corpus of 1,000 chunks through the
// API and counts the requests.
func TestIndexBatchesEmbeddings(t *testing.T) {
	f := newFakeOpenAI(t, "", false)
	dir := t.TempDir()
	words := strings.Fields("summit ministers cooperation security trade Astana Dushanbe vaccine proposal declaration council member states dialogue partners")
	for d := range 50 {
		var b strings.Builder
		for p := range 20 {
			for w := range 200 {
				b.WriteString(words[(d*7+p*3+w)%len(words)])
				b.WriteString(" ")
			}
			b.WriteString("end.\n\n")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc%02d.txt", d)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := llmEnv(f, map[string]string{"EMBEDDING_MODEL": "fake-embed"})
	code, out, errOut := run(t, env, "", "index", "--corpus", dir, "--db", t.TempDir(), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var st indexStats
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &st); err != nil {
		t.Fatal(err)
	}
	calls := f.embedCalls.Load()
	t.Logf("%d chunks embedded in %d requests", st.Embedded, calls)
	// 16 batches of 64, and one request in which the new index measures
	// its embedder on 40 of its own sentences.
	if st.Embedded < 1000 || calls > 17 {
		t.Errorf("embedded %d chunks in %d requests; want ≥ 1000 chunks in ≤ 17 requests", st.Embedded, calls)
	}
}

// askAstana runs `ask --json` for the Astana question and decodes the answer.
func askAstana(t *testing.T, env map[string]string) (mode, answer, note string) {
	t.Helper()
	code, out, errOut := run(t, env, "", "ask", "--db", t.TempDir(), "--json", "Which foreign ministers did Wang Yi meet in Astana?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a struct{ Mode, Answer, Note string }
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	return a.Mode, a.Answer, a.Note
}

func TestAskWhenTheStreamIsCut(t *testing.T) {
	f := newFakeOpenAI(t, "Wang Yi held bilateral talks with Lavrov in Astana [1]. He also", false)
	f.cut = true
	mode, answer, note := askAstana(t, llmEnv(f, map[string]string{"CHAT_MODEL": "fake-chat"}))
	if mode != "extractive" || strings.Contains(answer, "He also") || !strings.Contains(note, "unavailable") {
		t.Errorf("a cut stream must not be the answer: mode %s, note %q, answer:\n%s", mode, note, answer)
	}
	if n := f.chatCalls.Load(); n < 2 {
		t.Errorf("%d chat requests, want the cut stream asked again", n)
	}
}

func TestAskWhenTheAnswerIsCutAtTheTokenLimit(t *testing.T) {
	f := newFakeOpenAI(t, "Wang Yi held bilateral talks with Lavrov in Astana [1]. He also", false)
	f.finish = "length"
	mode, answer, note := askAstana(t, llmEnv(f, map[string]string{"CHAT_MODEL": "fake-chat"}))
	if mode != "llm" || !strings.Contains(answer, "Lavrov in Astana [1]") || !strings.Contains(note, "cut off") {
		t.Errorf("want the model's answer marked as cut off: mode %s, note %q, answer:\n%s", mode, note, answer)
	}
}

func TestLLMMaxTokens(t *testing.T) {
	tests := []struct {
		name, setting string
		want          int
	}{
		{"default", "", defaultLLMMaxTokens},
		{"set", "300", 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeOpenAI(t, "Wang Yi held bilateral talks with Lavrov in Astana [1].", false)
			env := llmEnv(f, map[string]string{"CHAT_MODEL": "fake-chat"})
			if tt.setting != "" {
				env["LLM_MAX_TOKENS"] = tt.setting
			}
			if mode, _, _ := askAstana(t, env); mode != "llm" {
				t.Fatalf("mode %s, want llm", mode)
			}
			body, _ := f.bodies.Load().(string)
			var req struct {
				MaxTokens int `json:"max_tokens"`
			}
			if err := json.Unmarshal([]byte(body), &req); err != nil || req.MaxTokens != tt.want {
				t.Errorf("chat request max_tokens = %d (%v), want %d:\n%s", req.MaxTokens, err, tt.want, body)
			}
		})
	}
	for _, bad := range []string{"0", "-5", "lots", "1.5", "99999999999"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			code, _, errOut := run(t, map[string]string{"LLM_MAX_TOKENS": bad}, "", "ask", "--db", t.TempDir(), "Which foreign ministers did Wang Yi meet in Astana?")
			if code != exitUsage || !strings.Contains(errOut, "LLM_MAX_TOKENS") {
				t.Errorf("LLM_MAX_TOKENS=%s: exit %d, %q; want a usage error naming the setting", bad, code, errOut)
			}
		})
	}
}

func TestLLMConcurrency(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{"remote API by default", map[string]string{}, 16},
		{"local Ollama by default", map[string]string{"OPENAI_BASE_URL": "http://localhost:11434/v1"}, 4},
		{"set", map[string]string{"LLM_CONCURRENCY": "50"}, 50},
		{"set for Ollama", map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "LLM_CONCURRENCY": " 2 "}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["CHAT_MODEL"] = "m"
			s, err := readLLMSettings(env{getenv: func(k string) string { return tt.env[k] }}, func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			c, err := newLLM(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Concurrency(); got != tt.want {
				t.Errorf("client sends %d requests at once, want %d", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"0", "-1", "many", "2.5", "5000"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			code, _, errOut := run(t, map[string]string{"LLM_CONCURRENCY": bad}, "", "ask", "--db", t.TempDir(), "Which foreign ministers did Wang Yi meet in Astana?")
			if code != exitUsage || !strings.Contains(errOut, "LLM_CONCURRENCY") {
				t.Errorf("LLM_CONCURRENCY=%s: exit %d, %q; want a usage error naming the setting", bad, code, errOut)
			}
		})
	}
}

// TestEvalModeLLM: eval --mode llm answers through the configured model
// and prints what checking its answers found; without a model it is a
// usage error.
func TestEvalModeLLM(t *testing.T) {
	qa := filepath.Join(t.TempDir(), "qa.jsonl")
	if err := os.WriteFile(qa, []byte(`{"id": "q1", "question": "Which foreign ministers did Wang Yi meet in Astana?", "docs": ["001_14086ad8159a262e"], "facts": [["Lavrov"]]}
{"id": "q2", "question": "What did the SCO foreign ministers decide in 1987?", "docs": [], "facts": []}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newFakeOpenAI(t, "Wang Yi held bilateral talks with Lavrov in Astana [1]. He also met the Pope [7].", false)
	env := llmEnv(f, map[string]string{"CHAT_MODEL": "fake-chat"})
	code, out, errOut := run(t, env, "", "eval", "--mode", "llm", "--qa", qa, "--db", t.TempDir(), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Generated          int     `json:"generated"`
		MarkersValid       float64 `json:"markers_valid"`
		SentencesSupported float64 `json:"sentences_supported"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// q1 is generated: [1] (the report naming Lavrov) is valid, [7] not; "He also met the Pope" is
	// supported by no passage. q2 abstains without a call.
	if rep.Generated != 1 || rep.MarkersValid != 0.5 || rep.SentencesSupported != 0.5 {
		t.Errorf("generated %d, markers valid %.3f, sentences supported %.3f; want 1, 0.5, 0.5", rep.Generated, rep.MarkersValid, rep.SentencesSupported)
	}
	code, out, _ = run(t, env, "", "eval", "--mode", "llm", "--qa", qa, "--db", t.TempDir())
	if code != 0 || !strings.Contains(out, "sentences supported") {
		t.Errorf("exit %d; the table lacks the citation figures:\n%s", code, out)
	}
	if code, _, errOut := run(t, nil, "", "eval", "--mode", "llm", "--qa", qa); code != 2 || !strings.Contains(errOut, "CHAT_MODEL") {
		t.Errorf("--mode llm without a model: exit %d, %q; want a usage error naming CHAT_MODEL", code, errOut)
	}
}
