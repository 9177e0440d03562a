package segfile

import (
	"encoding/binary"
	"errors"
)

// ErrCutShort is a Decoder's error for a number or a byte string that
// runs past the end of what it reads.
var ErrCutShort = errors.New("cut short")

// Decoder reads what a section holds as varints and length-prefixed byte
// strings (encoding/binary's AppendUvarint and AppendVarint). Its first
// error sticks: later reads give zero values, so a caller checks Err once
// after reading a run. Not for concurrent use.
type Decoder struct {
	b   []byte
	err error
}

// NewDecoder returns a Decoder reading b (which it never modifies).
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err returns the first error met, nil if none.
func (d *Decoder) Err() error { return d.err }

// Fail records err as the Decoder's error, unless it has one already.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// Done reports whether everything was read.
func (d *Decoder) Done() bool { return len(d.b) == 0 }

// Left returns how many bytes are left to read.
func (d *Decoder) Left() int { return len(d.b) }

// Uvarint reads an unsigned varint.
func (d *Decoder) Uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = ErrCutShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

// Varint reads a signed varint.
func (d *Decoder) Varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = ErrCutShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

// Bytes reads a byte string: its length as an unsigned varint, then its
// bytes, returned as a view of what the Decoder reads (nil for none).
func (d *Decoder) Bytes() []byte {
	n := d.Uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = ErrCutShort
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	if n == 0 {
		return nil
	}
	return v
}

// AppendString appends s as a Decoder's Bytes reads it: its length as an
// unsigned varint, then its bytes.
func AppendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
