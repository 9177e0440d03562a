package main

import (
	"context"
	"fmt"
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
	text func() ([]corpus.Document, error)
}

// whole returns the documents with their text: from the corpus cache, or,
// should it fail now, by loading the corpus (whose documents id then no
// longer vouches for).
func (lc *loadedCorpus) whole(ctx context.Context, setting string, exclude map[string]bool, log *slog.Logger) ([]corpus.Document, error) {
	if lc.text == nil {
		return lc.docs, nil
	}
	docs, err := lc.text()
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
// when no file of the corpus changed since the cache was saved (by size and
// modification time; by content hash where those differ) the cached
// documents are used and no file is read, decoded or cleaned again; their
// text is read from the cache only when asked for (loadedCorpus.whole). The
// cache also keys on the exclusions and on the running binary, so a new
// build (whose loader may read files differently) loads afresh. A cache
// that cannot be saved is only logged (at Debug level): a read-only index
// folder is reported once, by the index.
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
	if hit, hashed, ok := corpuscache.Open(ctx, path, key, srcs, before); ok {
		log.Debug("corpus unchanged; using the cached documents", "files", len(before), "hashed", hashed)
		for _, s := range hit.Skipped {
			log.Warn(skippedMsg, "file", s.File, "reason", s.Reason)
		}
		if hit.Stale { // save the new sizes and times, or those files are hashed every time
			docs, err := hit.Documents()
			if err == nil {
				err = corpuscache.Save(ctx, path, key, srcs, before, docs, hit.Skipped)
			}
			if err != nil {
				log.Debug("couldn't refresh the corpus cache", "path", path, "err", err)
			}
		}
		return &loadedCorpus{docs: hit.Meta, skipped: hit.Skipped, id: corpusID(key, before), text: hit.Documents}, nil
	}
	log.Debug("corpus changed or not cached; loading it", "files", len(before))
	docs, skipped, err := loadCorpus(ctx, setting, exclude, log)
	if err != nil {
		return nil, err
	}
	if err := corpuscache.Save(ctx, path, key, srcs, before, docs, skipped); err != nil {
		log.Debug("couldn't keep the loaded corpus", "path", path, "err", err)
		return &loadedCorpus{docs: docs, skipped: skipped}, nil
	}
	return &loadedCorpus{docs: docs, skipped: skipped, id: corpusID(key, before)}, nil
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
