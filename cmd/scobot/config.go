package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Environment variables, each with its flag and default. .env.example
// documents every one of them.
const (
	envCorpus   = "SCOBOT_CORPUS"    // --corpus: folder of documents; default: the built-in corpus
	envDB       = "SCOBOT_DB"        // --db: index folder; default: <user cache dir>/scobot/<corpus key>
	envGlossary = "SCOBOT_GLOSSARY"  // --glossary: extra glossary file merged over the built-in one
	envLogLevel = "SCOBOT_LOG_LEVEL" // debug, info, warn (default), error
	// envAdded is the managed folder scobot add copies reports into,
	// merged over the corpus; default: <user cache dir>/scobot/added.
	envAdded = "SCOBOT_ADDED"
	// envCPUProfile names a file to write a CPU profile of the whole
	// command to (go tool pprof reads it); default: none.
	envCPUProfile = "SCOBOT_CPUPROFILE"
	// envMemProfile names a file to write a heap profile of the command
	// to, taken when its heap was largest (go tool pprof reads it);
	// default: none.
	envMemProfile = "SCOBOT_MEMPROFILE"
)

// config is the resolved global configuration.
type config struct {
	Corpus   string
	DB       string
	Glossary string
	// Added is the managed folder of reports added with scobot add; it is
	// loaded after the corpus folders when it exists.
	Added    string
	LogLevel slog.Level
	LLM      llmSettings
}

// env looks a setting up: the process environment first, then the .env file.
type env struct {
	getenv func(string) string
	dotenv map[string]string
}

func (e env) get(key string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return e.dotenv[key]
}

// readDotenv parses a .env file: KEY=VALUE lines, # comments, optional
// "export " prefix and matching quotes. A missing file is no error.
func readDotenv(path string) (map[string]string, error) {
	f, err := openRegular(path)
	if err != nil {
		if os.IsNotExist(err) {
			return map[string]string{}, nil
		}
		return nil, fmt.Errorf("couldn't read %s: %w", path, err)
	}
	defer f.Close()
	return parseDotenv(f, path)
}

// openRegular opens a settings file (.env, a glossary) only when it is a
// regular file: opening a named pipe would block before anything could
// check it, and no signal would end the wait.
func openRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, fi.Mode().Type())
	}
	return os.Open(path)
}

func parseDotenv(r io.Reader, name string) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		s = strings.TrimPrefix(s, "export ")
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%s line %d: want KEY=VALUE", name, line)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("couldn't read %s: %w", name, err)
	}
	return out, nil
}

// globalFlags registers the flags every subcommand takes, with defaults from
// the environment.
func globalFlags(fs *flag.FlagSet, e env, c *config) {
	fs.StringVar(&c.Corpus, "corpus", e.get(envCorpus), "folder of documents to answer from, or several separated by commas (\"builtin\" is the built-in corpus; default: the built-in corpus) [$"+envCorpus+"]")
	fs.StringVar(&c.DB, "db", e.get(envDB), "folder of the index (default: under the user cache dir) [$"+envDB+"]")
	fs.StringVar(&c.Glossary, "glossary", e.get(envGlossary), "extra glossary file (TSV) merged over the built-in one [$"+envGlossary+"]")
}

// cleanCorpus tidies the corpus setting: each folder of the list cleaned,
// the list joined by commas again.
func cleanCorpus(setting string) string { return strings.Join(corpusList(setting), ",") }

// corpusList returns the folders of a corpus setting, cleaned (builtinCorpus
// as it is); none for an empty setting.
func corpusList(setting string) []string {
	dirs := splitList(setting)
	for i, d := range dirs {
		if d != builtinCorpus {
			dirs[i] = filepath.Clean(d)
		}
	}
	return dirs
}

// splitList returns the items of a comma-separated list, trimmed, without
// empty ones.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parseLevel reads a log level; a bad value warns and keeps the default.
func parseLevel(s string, warn func(string)) slog.Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return slog.LevelWarn
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	warn(fmt.Sprintf("%s=%q is not a log level (debug, info, warn, error); using warn", envLogLevel, s))
	return slog.LevelWarn
}

// defaultDBDir is where the index lives when --db is not given: one folder
// per corpus and embedding model under the user's cache directory, so
// switching corpora or models does not rebuild the index every time. variant,
// when not "", names a subset of the corpus (one half of an evaluation
// split) that gets its own folder too.
func defaultDBDir(corpusDir, variant, embeddingModel string) string {
	key := builtinCorpus
	if corpusDir != "" {
		var abs, names []string
		for _, d := range corpusList(corpusDir) {
			if d != builtinCorpus {
				if a, err := filepath.Abs(d); err == nil {
					d = a
				}
			}
			abs = append(abs, d)
			names = append(names, filepath.Base(d))
		}
		sum := sha256.Sum256([]byte(strings.Join(abs, ",")))
		key = strings.Join(names, "+") + "-" + hex.EncodeToString(sum[:])[:12]
	}
	if variant != "" {
		key += "-" + variant
	}
	if embeddingModel != "" {
		key += "-" + embeddingModel
	}
	key = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, key)
	return filepath.Join(dataDir(), key)
}

// dataDir is where scobot keeps its data by default: the index folders
// and the managed folder of added reports, under the user's cache
// directory (the system's temporary folder when there is none).
func dataDir() string {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "scobot")
}

// addedDir reads SCOBOT_ADDED: the managed folder of reports added with
// scobot add; unset, "added" in the data directory, beside the default
// index folders.
func addedDir(e env) string {
	if d := strings.TrimSpace(e.get(envAdded)); d != "" {
		return filepath.Clean(d)
	}
	return filepath.Join(dataDir(), "added")
}

// parseArgs parses flags that may come before or after positional
// arguments ("ask 'question' --json"); everything after "--" is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	if i := slices.Index(args, "--"); i >= 0 {
		tail = args[i+1:]
		args = args[:i]
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, tail...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
