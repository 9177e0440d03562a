// Command scobot answers questions about SCO diplomacy from a corpus of news
// reports, citing its sources. This package is wiring only: configuration
// from flags, the environment and .env, the logger, and the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, DotenvPath: ".env"}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program: its inputs and outputs, so tests can run it whole.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string // os.Getenv, or a fake in tests
	DotenvPath     string              // "" for none
	// Fetch fetches a report that scobot add is given by URL; nil: the
	// safe fetcher of ingest/fetch (urlFetcher).
	Fetch pageFetcher
	// Now and DigestEvery, when set, are serve's clock and how often it
	// looks for digests due: for whole-process tests of schedules.
	Now         func() time.Time
	DigestEvery time.Duration
}

// Exit codes.
const (
	exitOK       = 0
	exitError    = 1 // the command failed (no corpus, unreadable index, …)
	exitUsage    = 2 // bad flags or arguments
	exitInternal = 70
)

// errUsage marks errors in how the command was called.
var errUsage = errors.New("usage")

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, m *Main, c *cli, args []string) error
}

// cli is what every subcommand gets: the settings and the logger.
type cli struct {
	env env
	cfg config
	log *slog.Logger
}

func commands() []command {
	return []command{
		{"ask", `"question"`, "answer one question with cited sources", runAsk},
		{"chat", "", "answer questions typed one per line, until an empty line", runChat},
		{"index", "", "build or update the index of the corpus", runIndex},
		{"docs", "", "list the indexed documents and their metadata", runDocs},
		{"add", "FILE…", "copy reports into the folder of added reports and index them (--replace)", runAdd},
		{"remove", "ID…", "remove reports added with scobot add, and update the index", runRemove},
		{"feedback", "export [--since DATE]", "write the answers readers marked 👎 as evaluation questions (for scobot eval --qa)", runFeedback},
		{"brief", `"topic"`, "write a dated, sourced briefing on a topic (--md, --json)", runBrief},
		{"timeline", "[filter]", "list the corpus's events in date order", runTimeline},
		{"eval", "--qa FILE | --floors FILE", "score a JSONL question file, or hold every run of a floors file to its floors", runEval},
		{"calibrate", "[--runs NAME,…]", "fit the abstention model on the tuning questions", runCalibrate},
		{"serve", "", "run the Telegram bot (needs TELEGRAM_BOT_TOKEN)", runServe},
	}
}

// Run runs the command line args and returns the exit code. It never
// panics: an internal error is reported in one line.
func (m *Main) Run(ctx context.Context, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(m.Stderr, "scobot: internal error: %v (please report this)\n", r)
			code = exitInternal
		}
	}()
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(m.Stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == args[0] {
			cmd = &c
			break
		}
	}
	if cmd == nil {
		fmt.Fprintf(m.Stderr, "scobot: unknown command %q (run `scobot help` for the list)\n", args[0])
		return exitUsage
	}
	dot := map[string]string{}
	if m.DotenvPath != "" {
		var err error
		if dot, err = readDotenv(m.DotenvPath); err != nil {
			fmt.Fprintf(m.Stderr, "scobot: %v\n", err)
			return exitUsage
		}
	}
	c := &cli{env: env{getenv: m.Getenv, dotenv: dot}}
	warn := func(msg string) { fmt.Fprintln(m.Stderr, "scobot: warning:", msg) }
	c.cfg.LogLevel = parseLevel(c.env.get(envLogLevel), warn)
	var err error
	if c.cfg.LLM, err = readLLMSettings(c.env, warn); err != nil {
		fmt.Fprintf(m.Stderr, "scobot: %v\n", err)
		return exitUsage
	}
	c.log = slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: c.cfg.LogLevel}))

	if path := c.env.get(envCPUProfile); path != "" {
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintf(m.Stderr, "scobot: %v\n", err)
			return exitUsage
		}
		defer stopProfile()
	}
	if path := c.env.get(envMemProfile); path != "" {
		stopProfile, err := startMemProfile(path)
		if err != nil {
			fmt.Fprintf(m.Stderr, "scobot: %v\n", err)
			return exitUsage
		}
		defer func() {
			if err := stopProfile(); err != nil {
				fmt.Fprintf(m.Stderr, "scobot: %v\n", err)
			}
		}()
	}
	err = cmd.run(ctx, m, c, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(m.Stderr, "scobot %s: %v\n", cmd.name, err)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(m.Stderr, "scobot: interrupted")
		return exitError
	}
	fmt.Fprintf(m.Stderr, "scobot %s: %v\n", cmd.name, err)
	return exitError
}

// startCPUProfile writes a CPU profile of the command to path until the
// returned function is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("couldn't create the CPU profile %s: %w", path, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("couldn't start the CPU profile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintf(w, "scobot answers questions about SCO diplomacy from a corpus of news reports, with cited sources.\n\n")
	fmt.Fprintf(w, "Usage: scobot <command> [flags] [arguments]\n\nCommands:\n")
	cmds := commands()
	width := 0
	for _, c := range cmds {
		width = max(width, utf8.RuneCountInString(c.name+" "+c.args))
	}
	for _, c := range cmds {
		use := strings.TrimSpace(c.name + " " + c.args)
		fmt.Fprintf(w, "  %s%s  %s\n", use, strings.Repeat(" ", width-utf8.RuneCountInString(use)), c.summary)
	}
	fmt.Fprintf(w, "\nFlags of every command: --corpus DIR, --db DIR, --glossary FILE (see `scobot <command> -h`).\n")
}

// flagSet makes a subcommand's flag set with the global flags on it.
func (c *cli) flagSet(m *Main, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: scobot %s [flags] %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	globalFlags(fs, c.env, &c.cfg)
	return fs
}

// parse parses a subcommand's arguments; bad flags are usage errors.
func (c *cli) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	c.cfg.Corpus = cleanCorpus(c.cfg.Corpus)
	c.cfg.Added = addedDir(c.env)
	return pos, nil
}
