package main

import (
	"log/slog"
	"path/filepath"

	"github.com/scobot/scobot/rag/retrieve"
	"github.com/scobot/scobot/rag/store"
)

// analysisName is the file, in the index folder, that keeps the engine's
// analysis of the index's chunks (retrieve.ReadAnalysis, with its change
// log and built structures beside it), so that the next start takes the
// analysis of every document whose chunks are unchanged rather than
// tokenising them again. It starts with the snapshot's name, so the
// store's start-up clean-up removes its stray temporary files too.
const analysisName = store.SnapshotName + ".analysis"

// readAnalysis returns the analysis kept in dbDir (nil when dbDir is "":
// an index in memory), and the function that releases it: call it once
// the engine is built, which copies what it takes.
func readAnalysis(dbDir string, log *slog.Logger) (*retrieve.SavedAnalysis, func()) {
	if dbDir == "" {
		return nil, func() {}
	}
	saved := retrieve.ReadAnalysis(filepath.Join(dbDir, analysisName), log)
	return saved, func() {
		if err := saved.Close(); err != nil {
			log.Debug("couldn't release the saved analysis", "err", err)
		}
	}
}

// writeAnalysis keeps the engine's analysis of the chunks in dbDir: what
// changed since saved, which it was built from.
func writeAnalysis(dbDir string, saved *retrieve.SavedAnalysis, engine *retrieve.Engine) error {
	return retrieve.SaveAnalysis(filepath.Join(dbDir, analysisName), saved, engine)
}
