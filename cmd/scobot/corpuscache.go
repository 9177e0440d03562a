package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/rag/corpuscache"
	"github.com/scobot/scobot/rag/store"
)

// corpusCacheName is the corpus cache's file name in the index folder. It
// starts with the snapshot's name, so the store's start-up clean-up removes
// the cache's stray temporary files too.
const corpusCacheName = store.SnapshotName + ".corpus"

// loadedCorpus is the corpus as loadCorpusCached found it.
type loadedCorpus struct {
	// docs holds the documents: whole, or without their Parts while text is
	// not nil.
	docs    []corpus.Document
	skipped []corpus.Skipped
	// id identifies the documents (corpusID) when they are known to be
	// those of the corpus as fingerprinted; "" when they are not.
	id string
	// text, when not nil, returns docs whole from the corpus cache.
	text func(ctx context.Context) ([]corpus.Document, error)
}

// whole returns the documents with their text: from the corpus cache, or,
// should it fail now, by loading the corpus (whose documents id then no
// longer vouches for).
func (lc *loadedCorpus) whole(ctx context.Context, setting string, exclude map[string]bool, log *slog.Logger) ([]corpus.Document, error) {
	if lc.text == nil {
		return lc.docs, nil
	}
	docs, err := lc.text(ctx)
	if err != nil {
		log.Debug("couldn't read the cached documents' text; loading the corpus", "err", err)
		lc.id = ""
		docs, _, err = loadCorpus(ctx, setting, exclude, log)
		if err != nil {
			return nil, err
		}
	}
	lc.docs, lc.text = docs, nil
	return docs, nil
}

// loadCorpusCached is loadCorpus through the corpus cache kept in dbDir:
// a file unchanged since the cache was saved (by size and modification
// time; by content hash where those differ) is not read, decoded or cleaned
// again, its cached result is taken instead; only the files added or
// changed are loaded, and everything decided across files (duplicate IDs,
// the metadata file, exclusions, order) is decided afresh, as loadCorpus
// decides it. When no file changed, the last load's decisions are taken
// as the cache kept them (keptCorpus: the folders are walked once, to
// fingerprint them), and the documents' text is read from the cache only
// when asked for (loadedCorpus.whole); otherwise the cache is saved
// again. The cache also keys on the exclusions and on the running
// binary, so a new build (whose loader may read files differently) loads
// afresh. A cache that cannot be saved is only logged (at Debug level): a
// read-only index folder is reported once, by the index.
func loadCorpusCached(ctx context.Context, setting string, exclude map[string]bool, dbDir string, log *slog.Logger) (*loadedCorpus, error) {
	srcs, ok := cacheSources(setting)
	if !ok {
		docs, skipped, err := loadCorpus(ctx, setting, exclude, log) // it says what is wrong with the folders
		return &loadedCorpus{docs: docs, skipped: skipped}, err
	}
	before, err := corpuscache.Fingerprint(ctx, srcs)
	if err != nil {
		log.Debug("couldn't fingerprint the corpus; loading it", "err", err)
		docs, skipped, err := loadCorpus(ctx, setting, exclude, log)
		return &loadedCorpus{docs: docs, skipped: skipped}, err
	}
	key := cacheKey(exclude)
	path := filepath.Join(dbDir, corpusCacheName)
	c := corpuscache.Open(ctx, path, key, srcs, before)
	unchanged := c.Unchanged()
	lazy := unchanged && !c.Stale() // nothing to save: the text only if asked for
	text := func(ctx context.Context) ([]corpus.Document, error) {
		quiet := slog.New(slog.DiscardHandler) // the skipped files were reported once
		docs, _, err := loadCorpusWith(ctx, setting, exclude, quiet, func(ctx context.Context, i int, fsys fs.FS) (corpus.Result, error) {
			r, err := c.ReuseText(srcs[i].Name)
			if err != nil {
				return corpus.Result{}, err
			}
			res, _, _, err := corpus.LoadReusing(ctx, fsys, nil, r)
			return res, err
		})
		return docs, err
	}
	if lazy {
		lc, ok, err := keptCorpus(ctx, c, srcs, setting, exclude, log)
		if err != nil {
			return nil, err
		}
		if ok {
			lc.id, lc.text = corpusID(key, before), text
			log.Debug("corpus unchanged; using the cached documents", "files", len(before), "hashed", c.Hashed(), "decisions", "kept")
			return lc, nil
		}
	}
	reuse := make([]corpus.Reuse, len(srcs))
	for i, src := range srcs {
		if lazy {
			reuse[i] = c.Reuse(src.Name)
			continue
		}
		if reuse[i], err = c.ReuseText(src.Name); err != nil {
			log.Debug("couldn't read the cached documents' text; loading the corpus", "err", err)
			clear(reuse)
			lazy = false
			break
		}
	}
	built := make([]map[string]corpus.Built, len(srcs))
	results := make([]corpus.Result, len(srcs))
	read := 0
	docs, skipped, err := loadCorpusWith(ctx, setting, exclude, log, func(ctx context.Context, i int, fsys fs.FS) (corpus.Result, error) {
		res, b, n, err := corpus.LoadReusing(ctx, fsys, log, reuse[i])
		built[i], results[i], read = b, res, read+n
		return res, err
	})
	if err != nil {
		return nil, err
	}
	if unchanged && read == 0 {
		log.Debug("corpus unchanged; using the cached documents", "files", len(before), "hashed", c.Hashed())
		if !lazy {
			if c.Stale() { // save the new sizes and times, or those files are hashed every time
				if err := corpuscache.Save(ctx, path, key, srcs, before, built, results, c); err != nil {
					log.Debug("couldn't refresh the corpus cache", "path", path, "err", err)
				}
			}
			return &loadedCorpus{docs: docs, skipped: skipped, id: corpusID(key, before)}, nil
		}
		return &loadedCorpus{docs: docs, skipped: skipped, id: corpusID(key, before), text: text}, nil
	}
	log.Debug("corpus changed or not cached; loaded the files that changed", "files", len(before), "read", read, "hashed", c.Hashed())
	if err := corpuscache.Save(ctx, path, key, srcs, before, built, results, c); err != nil {
		log.Debug("couldn't keep the loaded corpus", "path", path, "err", err)
		return &loadedCorpus{docs: docs, skipped: skipped}, nil
	}
	return &loadedCorpus{docs: docs, skipped: skipped, id: corpusID(key, before)}, nil
}

// keptCorpus returns the corpus as the cache kept the last load's result
// of each folder (corpuscache.Cache.Result), without walking the folders:
// for a corpus that has not changed since. Everything decided across
// folders is decided again, and the skipped files are logged as a load
// logs them. false when a folder's result was not kept.
func keptCorpus(ctx context.Context, c *corpuscache.Cache, srcs []corpuscache.Source, setting string, exclude map[string]bool, log *slog.Logger) (*loadedCorpus, bool, error) {
	kept := make([]corpus.Result, len(srcs))
	for i, src := range srcs {
		var ok bool
		if kept[i], ok = c.Result(src.Name); !ok {
			return nil, false, nil
		}
	}
	docs, skipped, err := loadCorpusWith(ctx, setting, exclude, log, func(_ context.Context, i int, _ fs.FS) (corpus.Result, error) {
		corpus.WarnSkipped(log, kept[i].Skipped)
		return kept[i], nil
	})
	if err != nil {
		return nil, false, err
	}
	return &loadedCorpus{docs: docs, skipped: skipped}, true, nil
}

// cacheSources returns the folders of the corpus setting as the cache
// fingerprints them; false when one is not a folder we can read (loadCorpus
// then reports it).
func cacheSources(setting string) ([]corpuscache.Source, bool) {
	var srcs []corpuscache.Source
	for _, dir := range corpusDirs(setting) {
		if dir == builtinCorpus {
			srcs = append(srcs, corpuscache.Source{Name: dir, FS: corpus.Embedded(), AlwaysHash: true})
			continue
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, false
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return nil, false
		}
		srcs = append(srcs, corpuscache.Source{Name: abs, FS: os.DirFS(abs)})
	}
	return srcs, true
}

// cacheKey names what else the cached documents depend on: the documents
// left out, and the binary that loaded them, by its size and modification
// time (not its path: `go run` runs one build from changing places). A
// binary that cannot be found gives a key of its own that never matches.
func cacheKey(exclude map[string]bool) string {
	bin := fmt.Sprintf("unknown binary %d", time.Now().UnixNano())
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			bin = fmt.Sprintf("binary %d %d", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return bin + "\x00" + strings.Join(slices.Sorted(maps.Keys(exclude)), ",")
}
