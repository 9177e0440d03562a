package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"

	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag/store"
)

// analysisName is the file, in the index folder, that keeps the engine's
// analysis of the index's chunks (retrieve.Config.Analysis), so that the
// next start over the same corpus and index decodes it rather than
// tokenising every chunk again. It starts with the snapshot's name, so the
// store's start-up clean-up removes its stray temporary files too.
const analysisName = store.SnapshotName + ".analysis"

// analysisVersion is the layout of the analysis file's sections.
const analysisVersion = 1

// Sections of the analysis file: the sync record it was made for (JSON),
// and the analysis itself.
const (
	analysisTag  = "synced"
	analysisData = "analysis"
)

// readAnalysis returns the analysis kept in dbDir for the corpus and index
// of r, or nil when there is none for them (missing, damaged, of another
// corpus, index or version: the engine then analyses the chunks), and the
// function that releases it (the file is mapped into memory): call it once
// the engine is built, which copies what it takes.
func readAnalysis(dbDir string, r syncedRecord, log *slog.Logger) ([]byte, func()) {
	none := func() {}
	if dbDir == "" || r.Corpus == "" || r.Index == "" {
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
	release := func() {
		if err := f.Close(); err != nil {
			log.Debug("couldn't release the saved analysis", "path", path, "err", err)
		}
	}
	tag, _ := f.Section(analysisTag)
	var got syncedRecord
	if err := json.Unmarshal(tag, &got); err != nil || got != r {
		log.Debug("ignoring the saved analysis of the chunks: made for another corpus or index", "path", path)
		release()
		return nil, none
	}
	data, _ := f.Section(analysisData)
	return data, release
}

// writeAnalysis keeps data, the engine's analysis of the chunks of the
// corpus and index of r, in dbDir, atomically.
func writeAnalysis(dbDir string, r syncedRecord, data []byte) error {
	tag, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("couldn't encode the analysis's sync record: %w", err)
	}
	bytesSection := func(name string, b []byte) segfile.Section {
		return segfile.Section{Name: name, Write: func(w io.Writer) error { _, err := w.Write(b); return err }}
	}
	return segfile.WriteFile(filepath.Join(dbDir, analysisName), analysisVersion,
		[]segfile.Section{bytesSection(analysisTag, tag), bytesSection(analysisData, data)})
}
