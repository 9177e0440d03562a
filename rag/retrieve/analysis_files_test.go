package retrieve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/scobot/scobot/internal/framelog"
	"github.com/scobot/scobot/internal/segfile"
	"github.com/scobot/scobot/rag"
)

// docChunks returns n chunks of document id, their texts made of text.
func docChunks(id string, n int, text string) []rag.Chunk {
	out := make([]rag.Chunk, n)
	for i := range out {
		out[i] = rag.Chunk{ID: fmt.Sprintf("%s#%d", id, i), Doc: id, Pos: i, Lang: "en", Date: "2031-05-06",
			Text: fmt.Sprintf("%s, part %d: Lavrov met Wang Yi in Samarkand in 2031.", text, i)}
	}
	return out
}

// readFile returns the file's bytes; nil when it is missing.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return b
}

// analysisFiles returns the analysis files at path (base, log, built
// structures), as strings to compare.
func analysisFiles(t *testing.T, path string) [3]string {
	t.Helper()
	return [3]string{string(readFile(t, path)), string(readFile(t, path+AnalysisLogSuffix)), string(readFile(t, path+AnalysisBuiltSuffix))}
}

// checkBuild builds an engine over chunks from the analysis at path, saving
// it, and checks it is the engine built from the text and analysed want
// chunks.
func checkBuild(t *testing.T, step, path string, chunks []rag.Chunk, want int) *Engine {
	t.Helper()
	return checkBuildAgainst(t, step, path, chunks, NewEngine(Config{Chunks: chunks}), want)
}

// checkBuildAgainst is checkBuild with the engine built from the text
// given.
func checkBuildAgainst(t *testing.T, step, path string, chunks []rag.Chunk, ref *Engine, want int) *Engine {
	t.Helper()
	e := buildSaving(t, path, Config{Chunks: chunks})
	sameEngine(t, e, ref)
	if e.AnalysedChunks() != want {
		t.Errorf("%s: analysed %d chunks, want %d", step, e.AnalysedChunks(), want)
	}
	return e
}

// TestAnalysisLogAppendIsSmall: adding, editing or removing one document
// appends a record of that document to the log, the same number of bytes
// whatever the size of the analysis, and leaves the base and the built
// structures alone; the next start over the same chunks writes the built
// structures, and the one after writes nothing.
func TestAnalysisLogAppendIsSmall(t *testing.T) {
	written := map[int][3]int64{} // chunks → log bytes added by each change
	for _, n := range []int{150, 1500} {
		path := filepath.Join(t.TempDir(), "analysis")
		chunks := indexChunks(n)
		checkBuild(t, "first", path, chunks, n)
		base, built := readFile(t, path), readFile(t, path+AnalysisBuiltSuffix)
		logSize := func() int64 { return int64(len(readFile(t, path+AnalysisLogSuffix))) }

		var sizes [3]int64
		added := append(append([]rag.Chunk(nil), chunks...), docChunks("new", 3, "A report added")...)
		checkBuild(t, "added", path, added, 3)
		lg, err := framelog.Split(readFile(t, path+AnalysisLogSuffix), analysisLogMagic, analysisLogVersion)
		if err != nil {
			t.Fatal(err)
		}
		sizes[0] = logSize() - lg.Ends[0] // the header names the base's size
		edited := append(docChunks("d0000", 3, "A report edited"), added[3:]...)
		checkBuild(t, "edited", path, edited, 3)
		sizes[1] = logSize() - lg.Ends[1]
		removed := edited[3:]
		checkBuild(t, "removed", path, removed, 0)
		sizes[2] = logSize() - lg.Ends[1] - sizes[1]
		written[n] = sizes
		if !bytes.Equal(readFile(t, path), base) || !bytes.Equal(readFile(t, path+AnalysisBuiltSuffix), built) {
			t.Errorf("n=%d: the base or the built structures were written again", n)
		}
		if logSize() > 4<<10 {
			t.Errorf("n=%d: log of %d bytes after three one-document changes, want a few kilobytes", n, logSize())
		}
		t.Logf("n=%d: base %d B, built %d B; the changes appended %v B", n, len(base), len(built), sizes)

		// The built structures are written by the next start, lazily.
		if e := checkBuild(t, "next start", path, removed, 0); e.ReusedAnalysis() {
			t.Errorf("n=%d: the built structures of other chunks were used", n)
		}
		if bytes.Equal(readFile(t, path+AnalysisBuiltSuffix), built) {
			t.Errorf("n=%d: the start after the changes did not write the built structures", n)
		}
		before := analysisFiles(t, path)
		if e := checkBuild(t, "start after", path, removed, 0); !e.ReusedAnalysis() {
			t.Errorf("n=%d: the built structures written were not used", n)
		}
		if analysisFiles(t, path) != before {
			t.Errorf("n=%d: a start that changed nothing wrote its analysis", n)
		}
	}
	if written[150] != written[1500] {
		t.Errorf("bytes appended by one change: %v at 150 chunks, %v at 1500; want the same", written[150], written[1500])
	}
}

// logFixture keeps the analysis of chunks at path, then appends two
// changes: one document added, then another. It returns the chunks
// after each, and the log's bytes with the end of the header and of each
// record.
func logFixture(t *testing.T, path string) (first, second []rag.Chunk, log []byte, ends []int64) {
	t.Helper()
	chunks := indexChunks(30)
	checkBuild(t, "base", path, chunks, 30)
	first = append(append([]rag.Chunk(nil), chunks...), docChunks("x", 3, "The first report")...)
	checkBuild(t, "first change", path, first, 3)
	second = append(docChunks("y", 2, "The second report"), first...)
	checkBuild(t, "second change", path, second, 2)
	log = readFile(t, path+AnalysisLogSuffix)
	lg, err := framelog.Split(log, analysisLogMagic, analysisLogVersion)
	if err != nil || len(lg.Records) != 2 || lg.Stop != nil {
		t.Fatalf("log of %d records (%v, %v), want 2", len(lg.Records), err, lg.Stop)
	}
	return first, second, log, lg.Ends
}

// TestAnalysisLogEveryCut: the log cut anywhere in its last record (a
// crash in an append), or in the one before,
// serves up to the last whole record: the engine analyses only the
// documents of the record cut, is the one built from the text, and its
// save mends the log so that the next start analyses nothing.
func TestAnalysisLogEveryCut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "analysis")
	_, second, log, ends := logFixture(t, path)
	// The base is never written again here (its time ties the log to it).
	files := map[string][]byte{path + AnalysisBuiltSuffix: readFile(t, path+AnalysisBuiltSuffix)}
	ref := NewEngine(Config{Chunks: second})
	// Every cut of the last record, and a few of the first.
	cuts := []int64{ends[0], ends[0] + 1, ends[0] + 8, (ends[0] + ends[1]) / 2, ends[1] - 1}
	for cut := ends[1]; cut <= int64(len(log)); cut++ {
		cuts = append(cuts, cut)
	}
	for _, cut := range cuts {
		want := 2 // the second record's document
		switch {
		case cut == int64(len(log)):
			want = 0
		case cut < ends[1]:
			want = 5 // both
		}
		files[path+AnalysisLogSuffix] = log[:cut]
		for p, b := range files { // back to the fixture's files, the log cut
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		checkBuildAgainst(t, fmt.Sprintf("log cut at %d of %d", cut, len(log)), path, second, ref, want)
		checkBuildAgainst(t, fmt.Sprintf("after the log was cut at %d", cut), path, second, ref, 0)
	}
}

// TestAnalysisLogDamaged: a damaged record ends the log there (what
// follows it is analysed again); a log with a damaged head, or of another
// base, is ignored; the engine is always the one built from the text.
func TestAnalysisLogDamaged(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string, log []byte, ends []int64)
		want   int // chunks analysed
	}{
		{"last record", func(t *testing.T, path string, log []byte, ends []int64) {
			flipAt(t, path+AnalysisLogSuffix, log, int(ends[2])-3)
		}, 2},
		{"first record", func(t *testing.T, path string, log []byte, ends []int64) {
			flipAt(t, path+AnalysisLogSuffix, log, int(ends[0])+9)
		}, 5},
		{"a record's length", func(t *testing.T, path string, log []byte, ends []int64) {
			flipAt(t, path+AnalysisLogSuffix, log, int(ends[1])+3)
		}, 2},
		{"magic", func(t *testing.T, path string, log []byte, ends []int64) { flipAt(t, path+AnalysisLogSuffix, log, 0) }, 5},
		{"header", func(t *testing.T, path string, log []byte, ends []int64) {
			flipAt(t, path+AnalysisLogSuffix, log, int(ends[0])-2)
		}, 5},
		{"another base", func(t *testing.T, path string, _ []byte, _ []int64) {
			rewriteSection(t, path, perDocSection, func(b []byte) []byte { return b })
		}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "analysis")
			_, second, log, ends := logFixture(t, path)
			tt.damage(t, path, log, ends)
			checkBuild(t, "damaged", path, second, tt.want)
			checkBuild(t, "after", path, second, 0)
		})
	}
}

// flipAt writes log to path with the byte at i changed.
func flipAt(t *testing.T, path string, log []byte, i int) {
	t.Helper()
	b := bytes.Clone(log)
	b[i] ^= 0x55
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAnalysisLogCompaction: the log never grows past its share of the
// base (or the writer's minLog); the save that would take it past writes
// the base afresh, with the built structures, and removes the log.
func TestAnalysisLogCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "analysis")
	chunks := indexChunks(300)
	checkBuild(t, "base", path, chunks, 300)
	base := readFile(t, path)
	w := newAnalysisWriter()
	w.minLog = 2 << 10
	compacted := false
	for i := 0; i < 100 && !compacted; i++ {
		chunks = append(chunks[:len(chunks):len(chunks)], docChunks(fmt.Sprintf("new%03d", i), 2, "Another report "+fmt.Sprint(i))...)
		saved := ReadAnalysis(path, nil)
		e := NewEngine(Config{Chunks: chunks, Analysis: saved, RecordAnalysis: true})
		saved.Close()
		if err := w.save(path, saved, e); err != nil {
			t.Fatal(err)
		}
		if e.AnalysedChunks() != 2 {
			t.Fatalf("change %d: analysed %d chunks, want 2", i, e.AnalysedChunks())
		}
		logSize := int64(len(readFile(t, path+AnalysisLogSuffix)))
		if limit := max(w.minLog, int64(analysisLogShare*float64(len(base)))); logSize > limit {
			t.Fatalf("change %d: log of %d bytes, over %d", i, logSize, limit)
		}
		if b := readFile(t, path); !bytes.Equal(b, base) {
			compacted = true
			if logSize != 0 {
				t.Errorf("change %d wrote a new base and left a log of %d bytes", i, logSize)
			}
			if e := checkBuild(t, "after the compaction", path, chunks, 0); !e.ReusedAnalysis() {
				t.Error("the compaction did not write the built structures")
			}
		}
	}
	if !compacted {
		t.Fatal("the log was never compacted")
	}
}

// TestAnalysisLogAppendFailure: an append that fails (half a record
// written) leaves the analysis whole: the save writes the base afresh
// instead; when that fails too, the save fails and the next start
// analyses only the document of the change lost.
func TestAnalysisLogAppendFailure(t *testing.T) {
	diskFull := errors.New("no space left on device")
	halfAppend := func(path string, off int64, rec []byte) error {
		if err := framelog.AppendAt(path, off, rec[:len(rec)/2]); err != nil {
			return err
		}
		return diskFull
	}
	save := func(t *testing.T, w analysisWriter, path string, chunks []rag.Chunk) error {
		saved := ReadAnalysis(path, nil)
		e := NewEngine(Config{Chunks: chunks, Analysis: saved, RecordAnalysis: true})
		saved.Close()
		return w.save(path, saved, e)
	}
	for _, baseFails := range []bool{false, true} {
		t.Run(fmt.Sprintf("base write fails %v", baseFails), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "analysis")
			_, second, _, _ := logFixture(t, path)
			third := append(docChunks("z", 4, "The third report"), second...)
			w := newAnalysisWriter()
			w.appendAt = halfAppend
			if baseFails {
				w.write = func(string, uint32, []segfile.Section) error { return diskFull }
			}
			err := save(t, w, path, third)
			if baseFails != (err != nil) {
				t.Fatalf("save: %v; want an error: %v", err, baseFails)
			}
			want := 0
			if baseFails {
				want = 4
			}
			checkBuild(t, "after the failed append", path, third, want)
			checkBuild(t, "next", path, third, 0)
		})
	}
}
