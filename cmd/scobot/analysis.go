package main

import (
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag/store"
)

// analysisName is the file, in the index folder, that keeps the engine's
// analysis of the index's chunks (retrieve.Config.Analysis), so that the
// next start decodes the analysis of every document whose chunks are
// unchanged rather than tokenising them again. It starts with the
// snapshot's name, so the store's start-up clean-up removes its stray
// temporary files too.
const analysisName = store.SnapshotName + ".analysis"

// analysisVersion is the layout of the analysis file's sections.
const analysisVersion = 2

// analysisData is the analysis file's one section: the analysis.
const analysisData = "analysis"

// readAnalysis returns the analysis kept in dbDir, or nil when there is
// none (missing, damaged, of another version: the engine then analyses
// every chunk; one of other chunks serves those documents it describes),
// and the function that releases it (the file is mapped into memory): call
// it once the engine is built, which copies what it takes.
func readAnalysis(dbDir string, log *slog.Logger) ([]byte, func()) {
	none := func() {}
	if dbDir == "" {
		return nil, none
	}
	path := filepath.Join(dbDir, analysisName)
	f, err := segfile.Read(path, analysisVersion)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Debug("ignoring the saved analysis of the chunks", "path", path, "err", err)
		}
		return nil, none
	}
	data, _ := f.Section(analysisData)
	return data, func() {
		if err := f.Close(); err != nil {
			log.Debug("couldn't release the saved analysis", "path", path, "err", err)
		}
	}
}

// writeAnalysis keeps data, the engine's analysis of the chunks, in dbDir,
// atomically.
func writeAnalysis(dbDir string, data []byte) error {
	return segfile.WriteFile(filepath.Join(dbDir, analysisName), analysisVersion, []segfile.Section{{
		Name:  analysisData,
		Write: func(w io.Writer) error { _, err := w.Write(data); return err },
	}})
}
