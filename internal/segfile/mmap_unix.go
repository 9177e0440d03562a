//go:build unix

package segfile

import (
	"os"
	"syscall"
)

// mapFile maps the size bytes of f into memory, private and copy-on-write,
// and returns them with the function that unmaps them.
func mapFile(f *os.File, size int) ([]byte, func() error, error) {
	b, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return syscall.Munmap(b) }, nil
}

// dropPages tells the system that the mapped bytes b need not stay in the
// process's memory: their pages are the file's, read from the page cache
// again when next touched (b is never written, so nothing is lost).
func dropPages(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return syscall.Madvise(b, syscall.MADV_DONTNEED)
}
