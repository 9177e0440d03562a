//go:build !unix

package segfile

import (
	"errors"
	"os"
)

// mapFile is not available here: Read reads files into memory.
func mapFile(*os.File, int) ([]byte, func() error, error) {
	return nil, nil, errors.New("no memory mapping on this system")
}

// dropPages does nothing where files are read rather than mapped.
func dropPages([]byte) error { return nil }
