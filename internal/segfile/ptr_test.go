package segfile

import "unsafe"

// uintptrOf returns the address of b's first byte (0 for an empty b).
func uintptrOf(b []byte) uintptr {
	if len(b) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&b[0]))
}
