package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/internal/testfs"
	"github.com/scobot/scobot/rag/hashembed"
	"github.com/scobot/scobot/rag/store"
)

const indexQuestion = "Which foreign ministers did Wang Yi meet in Astana?"

// badIndexFolders returns --db folders the index cannot be kept in, each
// with the warning it must cause (once). Both work as root.
func badIndexFolders(t *testing.T) map[string]struct{ db, warn string } {
	t.Helper()
	corrupt := t.TempDir()
	if err := os.WriteFile(filepath.Join(corrupt, store.SnapshotName), []byte("not a snapshot"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "home")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory where the snapshot should be: unreadable, and no save can
	// rename over it (root or not).
	blocked := t.TempDir()
	if err := os.Mkdir(filepath.Join(blocked, store.SnapshotName), 0o755); err != nil {
		t.Fatal(err)
	}
	full, why := testfs.FullDir(t)
	if full == "" {
		t.Logf("no full disk: %s", why)
	}
	return map[string]struct{ db, warn string }{
		"corrupt snapshot":      {corrupt, "rebuilding it from the corpus"},
		"folder under a file":   {filepath.Join(file, "cache", "scobot"), "in memory only"},
		"snapshot is a folder":  {blocked, "answering from memory"},
		"read-only folder":      {readOnlyDir(t), "answering from memory"},
		"folder on a full disk": {full, "answering from memory"},
	}
}

// readOnlyDir returns a folder chmod 0555, or "" as root (chmod binds no
// root process).
func readOnlyDir(t *testing.T) string {
	if os.Geteuid() == 0 {
		return ""
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	return dir
}

// TestBadIndexFolderStillAnswers: an index folder that is corrupt,
// uncreatable, read-only or full costs one warning, never the answer.
func TestBadIndexFolderStillAnswers(t *testing.T) {
	for name, tc := range badIndexFolders(t) {
		t.Run(name, func(t *testing.T) {
			if tc.db == "" {
				t.Skip("not available here (root ignores chmod; a tmpfs cannot be mounted)")
			}
			code, out, errOut := run(t, nil, "", "ask", "--db", tc.db, "--json", indexQuestion)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if !strings.Contains(out, `"abstained": false`) {
				t.Errorf("no answer: %s", out)
			}
			if !strings.Contains(errOut, tc.warn) {
				t.Errorf("stderr %q lacks %q", errOut, tc.warn)
			}
			if n := strings.Count(errOut, "level=WARN"); n > 2 || (n == 2 && !strings.Contains(errOut, "rebuilding")) {
				t.Errorf("%d warnings, want one (two when the snapshot was also unreadable):\n%s", n, errOut)
			}
		})
	}
}

// TestCorruptIndexIsRebuilt: after a command met a corrupt snapshot, the
// snapshot on disk is whole again and the next command embeds nothing.
func TestCorruptIndexIsRebuilt(t *testing.T) {
	db := t.TempDir()
	if err := os.WriteFile(filepath.Join(db, store.SnapshotName), []byte("not a snapshot"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, nil, "", "ask", "--db", db, indexQuestion); code != 0 {
		t.Fatalf("ask: exit %d: %s", code, errOut)
	}
	st := indexJSON(t, builtinCorpus, db)
	if st.Embedded != 0 || st.Added != 0 || st.Unchanged == 0 {
		t.Errorf("index after the rebuild = %+v, want everything unchanged", st)
	}
}

// TestIndexMustSave: `scobot index`, whose point is the snapshot, fails when
// it cannot keep one.
func TestIndexMustSave(t *testing.T) {
	bad := badIndexFolders(t)
	for _, name := range []string{"folder under a file", "snapshot is a folder"} {
		db := bad[name].db
		if code, _, errOut := run(t, nil, "", "index", "--db", db); code != exitError {
			t.Errorf("index --db %s (%s): exit %d, want %d (stderr %q)", db, name, code, exitError, errOut)
		}
	}
}

// TestServeStartsWithBadIndexFolder: serve reaches Telegram (a fake Bot
// API) with every kind of bad index folder.
func TestServeStartsWithBadIndexFolder(t *testing.T) {
	for name, tc := range badIndexFolders(t) {
		t.Run(name, func(t *testing.T) {
			if tc.db == "" {
				t.Skip("not available here (root ignores chmod; a tmpfs cannot be mounted)")
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var once sync.Once
			polled := false
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				switch {
				case strings.HasSuffix(r.URL.Path, "/getMe"):
					fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"t","username":"testbot"}}`)
				case strings.HasSuffix(r.URL.Path, "/getUpdates"):
					once.Do(func() { polled = true; cancel() })
					fmt.Fprint(w, `{"ok":true,"result":[]}`)
				default:
					fmt.Fprint(w, `{"ok":true,"result":true}`)
				}
			}))
			defer srv.Close()
			var out, errOut lockedBuffer
			m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
				return map[string]string{"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_API_URL": srv.URL, "ALLOWED_USER_IDS": "1"}[k]
			}}
			code := m.Run(ctx, []string{"serve", "--db", tc.db})
			if code != 0 || !polled {
				t.Fatalf("serve: exit %d, polled %v, stderr %q", code, polled, errOut.String())
			}
		})
	}
}

// lockedBuffer is a strings.Builder safe for the goroutines of serve.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRebuildInterruptedKeepsOldIndex: --rebuild cancelled while embedding
// (SIGINT) leaves the old snapshot, not no index at all.
func TestRebuildInterruptedKeepsOldIndex(t *testing.T) {
	db := t.TempDir()
	before := indexJSON(t, builtinCorpus, db)
	snap := filepath.Join(db, store.SnapshotName)
	old, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	emb := hashembed.New(hashembed.Config{})
	st, err := openStore(ctx, db, emb, slog.New(slog.DiscardHandler), true, true)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := st.Sync(ctx, []store.Doc{{ID: "x"}}, nil); err == nil {
		t.Fatal("Sync with a cancelled context succeeded")
	}
	now, err := os.ReadFile(snap)
	if err != nil {
		t.Fatalf("the old index is gone: %v", err)
	}
	if string(now) != string(old) {
		t.Error("the old index changed")
	}
	if after := indexJSON(t, builtinCorpus, db); after.Embedded != 0 || after.Unchanged != before.Added {
		t.Errorf("index after the interrupted rebuild = %+v, want all %d unchanged", after, before.Added)
	}
}

// TestCorpusCacheSeesEdits: the second command over an unchanged corpus
// takes the cached documents; an edited, an added and a removed file are
// each seen by the next command, which reads that file alone.
func TestCorpusCacheSeesEdits(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	report := "SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021, and discussed %s.\n"
	writeCorpus(t, dir, map[string]string{"a.txt": fmt.Sprintf(report, "security")})
	env := map[string]string{"SCOBOT_LOG_LEVEL": "debug"}
	docs := func() (string, string) {
		t.Helper()
		code, out, errOut := run(t, env, "", "docs", "--chunks", "--corpus", dir, "--db", db)
		if code != 0 {
			t.Fatalf("docs: exit %d: %s", code, errOut)
		}
		return out, errOut
	}
	docs()
	if out, errOut := docs(); !strings.Contains(errOut, "using the cached documents") || !strings.Contains(out, "security") {
		t.Errorf("second run did not use the cache (stderr %q) or lost the text: %s", errOut, out)
	}
	const loaded = "loaded the files that changed"
	writeCorpus(t, dir, map[string]string{"a.txt": fmt.Sprintf(report, "trade and transport corridors")})
	if out, errOut := docs(); !strings.Contains(out, "transport corridors") || !containsLine(errOut, loaded, "read=1") {
		t.Errorf("edit not seen (stdout %s), or not read alone (stderr %q)", out, errOut)
	}
	writeCorpus(t, dir, map[string]string{"b.txt": fmt.Sprintf(report, "energy")})
	if out, errOut := docs(); !strings.Contains(out, "energy") || !strings.Contains(out, "transport corridors") || !containsLine(errOut, loaded, "read=1") {
		t.Errorf("added file not seen or the other lost (stdout %s), or not read alone (stderr %q)", out, errOut)
	}
	if err := os.Remove(filepath.Join(dir, "a.txt")); err != nil {
		t.Fatal(err)
	}
	if out, errOut := docs(); strings.Contains(out, "transport corridors") || !containsLine(errOut, loaded, "read=0") {
		t.Errorf("removed file still listed (stdout %s), or files read (stderr %q)", out, errOut)
	}
}

// TestUnwritableCacheDirStillAnswers: with no --db and a user cache
// directory that cannot be created (HOME on a read-only or broken disk),
// even the built-in corpus answers, from an index in memory.
func TestUnwritableCacheDirStillAnswers(t *testing.T) {
	file := filepath.Join(t.TempDir(), "home")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(file, ".cache"))
	t.Setenv("HOME", file)
	code, out, errOut := run(t, nil, "", "ask", "--json", indexQuestion)
	if code != 0 || !strings.Contains(out, `"abstained": false`) {
		t.Fatalf("exit %d, stdout %s, stderr %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "in memory only") || strings.Count(errOut, "level=WARN") != 1 {
		t.Errorf("want one warning about the index in memory, stderr %q", errOut)
	}
}

// TestSyncedCorpusIsNotChunkedAgain: a command over the corpus the index
// was last synced with takes the chunks from the index, with the same
// result; an edited corpus, or an index that no longer matches the record,
// is chunked and synced again.
func TestSyncedCorpusIsNotChunkedAgain(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	report := "SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021, and discussed %s.\n"
	writeCorpus(t, dir, map[string]string{"a.txt": fmt.Sprintf(report, "security"), "b.txt": fmt.Sprintf(report, "energy")})
	env := map[string]string{"SCOBOT_LOG_LEVEL": "debug"}
	const skipped = "not chunking it again"
	docs := func() (string, string) {
		t.Helper()
		code, out, errOut := run(t, env, "", "docs", "--chunks", "--corpus", dir, "--db", db)
		if code != 0 {
			t.Fatalf("docs: exit %d: %s", code, errOut)
		}
		return out, errOut
	}
	first, errOut := docs()
	if strings.Contains(errOut, skipped) {
		t.Fatalf("first run skipped chunking: %s", errOut)
	}
	second, errOut := docs()
	if !strings.Contains(errOut, skipped) {
		t.Errorf("second run over the same corpus chunked it again: %s", errOut)
	}
	if second != first {
		t.Errorf("chunks from the index differ from chunking:\n%s\nwant\n%s", second, first)
	}

	writeCorpus(t, dir, map[string]string{"a.txt": fmt.Sprintf(report, "trade and transport corridors")})
	out, errOut := docs()
	if strings.Contains(errOut, skipped) || !strings.Contains(out, "transport corridors") {
		t.Errorf("edit not chunked (stderr %q): %s", errOut, out)
	}

	r, ok := readSynced(db)
	if !ok {
		t.Fatal("no sync record after a sync")
	}
	r.Index = "another index"
	if err := writeSynced(db, r); err != nil {
		t.Fatal(err)
	}
	if _, errOut := docs(); strings.Contains(errOut, skipped) {
		t.Errorf("a record of another index was trusted: %s", errOut)
	}
}

// TestAppKeepsNoDocumentText: the loaded app holds the documents' metadata
// but not their text, whether it chunked them or took the chunks from a
// synced index.
func TestAppKeepsNoDocumentText(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	writeCorpus(t, dir, map[string]string{"a.txt": "SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021.\n"})
	for _, run := range []string{"chunking", "synced"} {
		a, err := openApp(context.Background(), config{Corpus: dir, DB: db}, slog.New(slog.DiscardHandler), openOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.docs) != 1 || a.docs[0].Title == "" || len(a.engine.DocChunks("a")) == 0 {
			t.Fatalf("%s: docs %+v, %d chunks; want one titled document with chunks", run, a.docs, len(a.engine.DocChunks("a")))
		}
		if a.docs[0].Parts != nil {
			t.Errorf("%s: the app keeps the document's text", run)
		}
	}
}

// TestTouchedFileHashedOnce: a file touched but not changed is hashed at
// the next start, and the cache then takes its new time, so the start
// after does not hash it again.
func TestTouchedFileHashedOnce(t *testing.T) {
	dir, db := t.TempDir(), t.TempDir()
	writeCorpus(t, dir, map[string]string{"a.txt": "SCO foreign ministers met in Dushanbe\n\nThe SCO foreign ministers met in Dushanbe on July 14, 2021.\n"})
	env := map[string]string{"SCOBOT_LOG_LEVEL": "debug"}
	docs := func() string {
		t.Helper()
		code, _, errOut := run(t, env, "", "docs", "--corpus", dir, "--db", db)
		if code != 0 {
			t.Fatalf("docs: exit %d: %s", code, errOut)
		}
		return errOut
	}
	docs()
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "a.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	if errOut := docs(); !strings.Contains(errOut, "using the cached documents") || !strings.Contains(errOut, "hashed=1") {
		t.Fatalf("after a touch: want a cache hit hashing the file: %s", errOut)
	}
	if errOut := docs(); !strings.Contains(errOut, "hashed=0") {
		t.Errorf("the start after hashed again: %s", errOut)
	}
}
