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
