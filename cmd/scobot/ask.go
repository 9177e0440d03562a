package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/tokens"
	"github.com/scobot/scobot/render"
	"github.com/scobot/scobot/render/words"
)

func runAsk(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "ask", `"question"`)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	k := fs.Int("k", 5, "passages to retrieve")
	retriever := fs.String("retriever", "hybrid", "retrieval: vector, lexical or hybrid")
	explain := fs.Bool("explain", false, "print how the question was read and the evidence for answering it, as JSON, instead of the answer")
	lang := fs.String("lang", "", "the language of scobot's own words around the answer (zh, en, ru); default: the question's")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if *lang != "" && words.Lang(*lang) == "" {
		return fmt.Errorf("%w: --lang is zh, en or ru, not %q", errUsage, *lang)
	}
	question := strings.TrimSpace(strings.Join(pos, " "))
	if question == "" {
		return fmt.Errorf("%w: give a question, e.g. scobot ask \"Which foreign ministers did Wang Yi meet in Astana?\"", errUsage)
	}
	if *k <= 0 {
		return fmt.Errorf("%w: --k must be positive", errUsage)
	}
	mode, err := rag.ParseMode(*retriever)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if _, err := rag.CheckQuestion(question); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	if *explain {
		r, err := a.engine.Retrieve(ctx, question, retrieve.Options{K: *k, Mode: mode})
		if err != nil {
			return err
		}
		return writeJSON(m.Stdout, r.Explain())
	}
	start := time.Now()
	ans, err := a.ask.Ask(ctx, rag.Request{Question: question, K: *k, Mode: mode})
	if err != nil {
		return err
	}
	c.log.Debug("answered the question", "seconds", time.Since(start).Seconds())
	if *asJSON {
		return writeJSON(m.Stdout, answerJSON(ans))
	}
	writeAnswer(m.Stdout, ans, words.Lang(*lang))
	return nil
}

func runChat(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "chat", "")
	lang := fs.String("lang", "", "the language of scobot's own words (zh, en, ru); default: each question's")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	if *lang != "" && words.Lang(*lang) == "" {
		return fmt.Errorf("%w: --lang is zh, en or ru, not %q", errUsage, *lang)
	}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{warm: true})
	if err != nil {
		return err
	}
	// The same conversation core as the Telegram bot: commands (/help,
	// /sources, /brief …), follow-ups, limits and messages alike.
	core := a.core(c.log)
	interactive := isTerminal(m.Stdin)
	if interactive {
		fmt.Fprintln(m.Stdout, words.Text(words.Lang(*lang), words.ChatIntro, len(a.docs)))
	}
	lines := readLines(ctx, bufio.NewReader(m.Stdin))
	for {
		if interactive {
			fmt.Fprint(m.Stdout, "> ")
		}
		var l chatLine
		select {
		case <-ctx.Done(): // Ctrl-C while waiting for a line
			return ctx.Err()
		case l = <-lines:
		}
		raw, tooLong, err := l.text, l.tooLong, l.err
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("couldn't read the input: %w", err)
		}
		if raw == "" && !tooLong && errors.Is(err, io.EOF) {
			return nil // end of input
		}
		line := strings.TrimSpace(raw)
		switch {
		case tooLong:
			// Far over any question the core accepts: refused here,
			// without holding the whole line in memory.
			fmt.Fprintf(m.Stdout, "%s\n\n", words.Text(words.Lang(*lang), words.ChatLineTooLong, maxChatLine>>10, rag.MaxQuestionRunes))
		case line == "":
			return nil
		default:
			in := bot.Input{Chat: "terminal", User: "terminal", Text: line, Lang: *lang, LangChosen: *lang != ""}
			if *lang == "" {
				in.Lang = tokens.Lang(line) // the question's language
			}
			start := time.Now()
			reply := core.Handle(ctx, in)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.log.Debug("answered the line", "seconds", time.Since(start).Seconds())
			fmt.Fprintln(m.Stdout, strings.TrimRight(render.Plain(reply), "\n"))
			fmt.Fprintln(m.Stdout)
		}
		if err != nil {
			return nil // end of input after a last line without newline
		}
	}
}

// chatLine is one line read for chat (see readLine).
type chatLine struct {
	text    string
	tooLong bool
	err     error
}

// readLines reads lines from r in the background, so that chat can stop
// on ctx while it waits for one; it stops after the first error (the end
// of input included) or when ctx is done.
func readLines(ctx context.Context, r *bufio.Reader) <-chan chatLine {
	out := make(chan chatLine)
	go func() {
		for {
			text, tooLong, err := readLine(r, maxChatLine)
			select {
			case out <- chatLine{text, tooLong, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out
}

// maxChatLine is the longest chat line kept (64 KiB: many times the longest
// question, rag.MaxQuestionRunes runes of up to 4 bytes each); the rest of a
// longer line is read and thrown away.
const maxChatLine = 64 << 10

// readLine reads one line (without its line ending) of at most limit bytes.
// Of a longer line it keeps nothing and reports tooLong, having read it to
// its end, so the next call starts at the next line. At the end of input it
// returns what it read and io.EOF.
func readLine(r *bufio.Reader, limit int) (line string, tooLong bool, err error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(b) <= limit { // past the limit, the rest is only read
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line := strings.TrimSuffix(string(b), "\n")
		if len(line) > limit {
			return "", true, err
		}
		return line, false, err
	}
}

// writeAnswer prints an answer for a terminal: the text, its note, then
// the sources, as scobot chat prints a reply (render.Plain); lang, when
// set, is the language of the words around it.
func writeAnswer(w io.Writer, ans rag.Answer, lang string) {
	fmt.Fprint(w, render.Plain(bot.Reply{Kind: bot.KindAnswer, Answer: &ans, Lang: lang}))
}

// askJSON is the JSON shape of `scobot ask --json`.
type askJSON struct {
	Question  string         `json:"question"`
	Answer    string         `json:"answer"`
	Abstained bool           `json:"abstained"`
	Mode      string         `json:"mode"`
	Citations []rag.Citation `json:"citations"`
	Passages  []passageJSON  `json:"passages"`
	Note      string         `json:"note,omitempty"`
	FollowUps []string       `json:"follow_ups,omitempty"`
}

type passageJSON struct {
	Doc   string  `json:"doc"`
	Chunk string  `json:"chunk"`
	Score float64 `json:"score"`
	Text  string  `json:"text"`
}

func answerJSON(a rag.Answer) askJSON {
	out := askJSON{Question: a.Question, Answer: a.Text, Abstained: a.Abstained, Mode: a.Mode, Citations: a.Citations, Passages: []passageJSON{}, Note: a.Note, FollowUps: a.FollowUps}
	if out.Citations == nil {
		out.Citations = []rag.Citation{}
	}
	for _, p := range a.Passages {
		out.Passages = append(out.Passages, passageJSON{Doc: p.Doc, Chunk: p.ID, Score: p.Score, Text: p.Text})
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("couldn't write JSON: %w", err)
	}
	return nil
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
