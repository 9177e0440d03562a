package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/scobot/scobot/internal/atomicfile"
	"github.com/scobot/scobot/rag/corpuscache"
	"github.com/scobot/scobot/rag/store"
)

// syncedName is the file, in the index folder, recording which corpus the
// index was last synced with. It starts with the snapshot's name, so the
// store's start-up clean-up removes its stray temporary files too.
const syncedName = store.SnapshotName + ".synced"

// syncedRecord says that the index whose ContentSig is Index holds exactly
// the chunks of the corpus identified by Corpus (corpusID): when both still
// match, nothing needs chunking or syncing again.
type syncedRecord struct {
	Corpus string `json:"corpus"`
	Index  string `json:"index"`
}

// corpusID identifies a corpus as the corpus cache trusts it: the cache key
// (exclusions and the binary, so also the chunker) and every file's source,
// path, size, modification time and type. "" when there is nothing to
// identify.
func corpusID(key string, files []corpuscache.File) string {
	if len(files) == 0 {
		return ""
	}
	h := sha256.New()
	put := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	put(key)
	for _, f := range files {
		put(f.Source)
		put(f.Path)
		put(fmt.Sprintf("%d %d %d", f.Size, f.ModTime, f.Mode))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readSynced returns the record in dbDir; false when there is none or it
// cannot be read (the corpus is then chunked and synced as usual).
func readSynced(dbDir string) (syncedRecord, bool) {
	b, err := os.ReadFile(filepath.Join(dbDir, syncedName))
	if err != nil {
		return syncedRecord{}, false
	}
	var r syncedRecord
	if err := json.Unmarshal(b, &r); err != nil || r.Corpus == "" || r.Index == "" {
		return syncedRecord{}, false
	}
	return r, true
}

// writeSynced records r in dbDir, atomically; "" in either field removes
// the record instead.
func writeSynced(dbDir string, r syncedRecord) error {
	path := filepath.Join(dbDir, syncedName)
	if r.Corpus == "" || r.Index == "" {
		return atomicfile.Remove(path)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("couldn't encode the sync record: %w", err)
	}
	return atomicfile.Write(path, b)
}
