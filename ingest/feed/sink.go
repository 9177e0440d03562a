package feed

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/scobot/scobot/internal/atomicfile"
)

// Sink takes the reports a Poller adds: name is the file name
// corpus.PageFile gives ("<PageID>.html" or ".txt") and data its content.
// AddPage returns the report's document ID. A report that is already there
// is refused with an error that wraps fs.ErrExist, and the Poller counts it
// as a duplicate; any other error counts the item as failed. The Poller
// calls AddPage from one goroutine at a time.
type Sink interface {
	AddPage(ctx context.Context, name string, data []byte) (id string, err error)
}

// DirSink is a Sink that writes each report as a file into the folder
// Dir, atomically (a reader sees the whole file or none), and never
// overwrites a file already there.
type DirSink struct {
	// Dir is the corpus folder written into; it must exist.
	Dir string
}

var _ Sink = DirSink{}

// AddPage writes data to Dir/name and returns the document ID (name
// without its extension). A name with a path separator, or "." or "..",
// is refused; a file already there is left as it is, with an error that
// wraps fs.ErrExist.
func (s DirSink) AddPage(ctx context.Context, name string, data []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("couldn't add %s: %w", name, err)
	}
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("couldn't add %q: not a plain file name", name)
	}
	path := filepath.Join(s.Dir, name)
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("couldn't add %s: %w", name, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("couldn't add %s: %w", name, err)
	}
	if err := atomicfile.Write(path, data); err != nil {
		return "", fmt.Errorf("couldn't add %s: %w", name, err)
	}
	return strings.TrimSuffix(name, filepath.Ext(name)), nil
}
