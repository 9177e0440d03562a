// Command fakellm serves a fake OpenAI-compatible chat model on loopback,
// for `scobot eval --mode llm` in CI (.ci/run) and for trying the bot's
// generated answers without a key. It prints its base URL (for
// OPENAI_BASE_URL) on the first line of its output and serves until it is
// stopped.
//
// Its answers are made from the sources in the prompt the way a model
// writes them: it quotes the first sentence of each of the first two
// sources with its marker, and now and then adds what a careless model
// adds — a sentence its source does not say (every third answer) and a
// marker pointing at no source (every fifth) — so that the citation
// figures show the checks at work.
//
//	go run ./tools/fakellm [-addr 127.0.0.1:0]
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/scobot/scobot/tools/internal/fakeapi"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	if err := run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "fakellm:", err)
		os.Exit(1)
	}
}

func run(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad -addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q is not a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("couldn't listen: %w", err)
	}
	fmt.Printf("http://%s/v1\n", ln.Addr())
	var m model
	return http.Serve(ln, &m)
}

// model answers chat completions from the prompt's sources.
type model struct{ calls atomic.Int64 }

func (m *model) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, ok := fakeapi.ReadChatRequest(w, r)
	if !ok {
		return
	}
	user := ""
	for _, msg := range req.Messages {
		if msg.Role == "user" {
			user = msg.Content
		}
	}
	text := answer(user, int(m.calls.Add(1)))
	if !req.Stream {
		fakeapi.WriteCompletion(w, "fakellm", text)
		return
	}
	s := fakeapi.NewStream(w, "fakellm")
	for _, piece := range strings.SplitAfter(text, " ") {
		s.Chunk(piece)
	}
	s.Stop()
}

// sourceRE finds a source's heading line in the prompt: "[1] Title — …".
var sourceRE = regexp.MustCompile(`(?m)^\[(\d+)\] .*$`)

// sentenceEnd ends a quoted sentence.
var sentenceEnd = regexp.MustCompile(`[.!?。！？]`)

// answer is the fake model's answer to the n-th call with the user prompt.
func answer(user string, n int) string {
	body, _, _ := strings.Cut(user, "</sources>")
	heads := sourceRE.FindAllStringSubmatchIndex(body, -1)
	if len(heads) == 0 {
		// A rewrite of a follow-up, or no sources: say so plainly.
		return "NOT_IN_SOURCES"
	}
	var parts []string
	for i, h := range heads {
		if i == 2 {
			break
		}
		end := len(body)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		passage := strings.TrimSpace(body[h[1]:end])
		if loc := sentenceEnd.FindStringIndex(passage); loc != nil {
			passage = passage[:loc[1]]
		}
		passage = strings.TrimRight(strings.Join(strings.Fields(passage), " "), ".。!?！？")
		if passage != "" {
			parts = append(parts, fmt.Sprintf("%s [%s].", passage, body[h[2]:h[3]]))
		}
	}
	if n%3 == 0 {
		parts = append(parts, "The ministers also agreed to build a joint SCO moon base by 2030 [1].")
	}
	if n%5 == 0 {
		parts = append(parts, "This was reported widely [9].")
	}
	return strings.Join(parts, " ")
}
