package segfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// bytesSection is a Section that writes b.
func bytesSection(name string, b []byte) Section {
	return Section{Name: name, Write: func(w io.Writer) error { _, err := w.Write(b); return err }}
}

// encoded returns a file of version 3 with three sections.
func encoded(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := Encode(&buf, 3, []Section{
		bytesSection("meta", []byte(`{"a":1}`)),
		bytesSection("empty", nil),
		bytesSection("vectors", bytes.Repeat([]byte{1, 2, 3, 4, 5}, 100)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.seg")
	if err := os.WriteFile(path, encoded(t), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"meta": []byte(`{"a":1}`), "empty": {}, "vectors": bytes.Repeat([]byte{1, 2, 3, 4, 5}, 100)}
	for name, w := range want {
		got, ok := f.Section(name)
		if !ok || !bytes.Equal(got, w) {
			t.Errorf("section %q = %v, %v; want %v", name, got, ok, w)
		}
	}
	if _, ok := f.Section("other"); ok {
		t.Error("a section never written is found")
	}
	if got := f.Names(); len(got) != 3 || got[0] != "meta" || got[2] != "vectors" {
		t.Errorf("Names = %v", got)
	}
	b, _ := f.Section("vectors")
	if off := uintptrOf(b) % 8; off != 0 {
		t.Errorf("section not 8-byte aligned in Read's buffer (off by %d)", off)
	}
}

func TestDamage(t *testing.T) {
	good := encoded(t)
	tests := []struct {
		name string
		data func() []byte
		want error
	}{
		{"wrong version", func() []byte { b := bytes.Clone(good); b[8] = 4; return b }, ErrVersion},
		{"bad magic", func() []byte { b := bytes.Clone(good); b[0] = 'x'; return b }, ErrCorrupt},
		{"byte of a section", func() []byte { b := bytes.Clone(good); b[Align+2] ^= 0x40; return b }, ErrCorrupt},
		{"byte of the table", func() []byte { b := bytes.Clone(good); b[len(b)-footerSize-3] ^= 1; return b }, ErrCorrupt},
		{"truncated", func() []byte { return good[:len(good)-1] }, ErrCorrupt},
		{"cut in half", func() []byte { return good[:len(good)/2] }, ErrCorrupt},
		{"empty", func() []byte { return nil }, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.data(), 3); !errors.Is(err, tt.want) {
				t.Errorf("Parse = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestEncodeRejectsBadNames(t *testing.T) {
	for _, names := range [][]string{{""}, {"a", "a"}, {string(make([]byte, 256))}} {
		var ss []Section
		for _, n := range names {
			ss = append(ss, bytesSection(n, nil))
		}
		if err := Encode(io.Discard, 1, ss); err == nil {
			t.Errorf("Encode(%q) = nil, want an error", names)
		}
	}
}

func FuzzParse(f *testing.F) {
	good := encoded(f)
	f.Add(good)
	f.Add(good[:len(good)-footerSize])
	f.Add(good[len(good)-footerSize-40:])
	var one bytes.Buffer
	if err := Encode(&one, 3, []Section{bytesSection("s", []byte("x"))}); err != nil {
		f.Fatal(err)
	}
	f.Add(one.Bytes())
	f.Add([]byte("SCOBSEG\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := Parse(data, 3)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("Parse error %v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			return
		}
		// Whatever parses writes back to the same sections.
		var ss []Section
		for _, n := range sf.Names() {
			b, _ := sf.Section(n)
			ss = append(ss, bytesSection(n, b))
		}
		var buf bytes.Buffer
		if err := Encode(&buf, 3, ss); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := Parse(buf.Bytes(), 3)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		for _, n := range sf.Names() {
			a, _ := sf.Section(n)
			b, _ := again.Section(n)
			if !bytes.Equal(a, b) {
				t.Fatalf("section %q changed in a round trip", n)
			}
		}
	})
}

// TestDecoder: what encoding/binary appends reads back, and a number or a
// byte string cut short is an error that sticks.
func TestDecoder(t *testing.T) {
	var b []byte
	b = binary.AppendUvarint(b, 300)
	b = binary.AppendVarint(b, -7)
	b = binary.AppendUvarint(b, 3)
	b = append(b, "abc"...)
	b = binary.AppendUvarint(b, 0)
	d := NewDecoder(b)
	if u, v, s, e := d.Uvarint(), d.Varint(), string(d.Bytes()), d.Bytes(); u != 300 || v != -7 || s != "abc" || e != nil || !d.Done() || d.Err() != nil {
		t.Fatalf("read %d %d %q %v, done %v, err %v", u, v, s, e, d.Done(), d.Err())
	}
	cut := NewDecoder(append(binary.AppendUvarint(nil, 9), "short"...))
	if got := cut.Bytes(); got != nil || !errors.Is(cut.Err(), ErrCutShort) {
		t.Errorf("a string cut short: %q, %v", got, cut.Err())
	}
	if cut.Uvarint() != 0 || !errors.Is(cut.Err(), ErrCutShort) {
		t.Errorf("the error does not stick")
	}
}

// Files of either checksum kind are read, each checked with its own: one
// written with CRC-32C (before CRC-32 IEEE) reads, and a file whose kind is
// changed without its checksums fails them.
func TestChecksumKinds(t *testing.T) {
	payload := bytes.Repeat([]byte("scobot"), 50)
	for kind := range uint32(len(tables)) {
		var buf bytes.Buffer
		if err := encode(&buf, 3, kind, []Section{bytesSection("s", payload)}); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if got := binary.LittleEndian.Uint32(data[12:]); got != kind {
			t.Fatalf("kind %d written as %d", kind, got)
		}
		f, err := Parse(bytes.Clone(data), 3)
		if err != nil {
			t.Fatalf("kind %d: %v", kind, err)
		}
		if s, _ := f.Section("s"); !bytes.Equal(s, payload) {
			t.Errorf("kind %d: section %q", kind, s)
		}
		other := bytes.Clone(data)
		binary.LittleEndian.PutUint32(other[12:], 1-kind)
		if _, err := Parse(other, 3); !errors.Is(err, ErrCorrupt) {
			t.Errorf("kind %d read as %d: err %v, want ErrCorrupt", kind, 1-kind, err)
		}
	}
	var buf bytes.Buffer
	if err := Encode(&buf, 3, nil); err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint32(buf.Bytes()[12:]); got != writeKind {
		t.Errorf("Encode writes kind %d, want %d", got, writeKind)
	}
	bad := bytes.Clone(buf.Bytes())
	binary.LittleEndian.PutUint32(bad[12:], 7)
	if _, err := Parse(bad, 3); !errors.Is(err, ErrCorrupt) {
		t.Errorf("unknown kind: err %v, want ErrCorrupt", err)
	}
}

// BenchmarkRead reads a 64 MiB section back, checksums and all, in a file
// of each checksum kind (kind=0 CRC-32C, kind=1 CRC-32 IEEE, the one
// written).
func BenchmarkRead(b *testing.B) {
	big := bytes.Repeat([]byte{7}, 64<<20)
	for kind := range uint32(len(tables)) {
		b.Run(fmt.Sprintf("kind=%d", kind), func(b *testing.B) {
			var buf bytes.Buffer
			if err := encode(&buf, 1, kind, []Section{bytesSection("big", big)}); err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(b.TempDir(), "big.seg")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(big)))
			for b.Loop() {
				f, err := Read(path, 1)
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}

// A File Read gives keeps its bytes while WriteFile replaces the file
// (renaming a new one over it, never changing it in place); Close lets go
// of them, and a second Close does nothing.
func TestReadKeepsBytesAcrossReplaceAndCloses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.seg")
	if err := WriteFile(path, 1, []Section{bytesSection("s", []byte("old bytes"))}); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := f.Section("s")
	if err := WriteFile(path, 1, []Section{bytesSection("s", []byte("new bytes, longer"))}); err != nil {
		t.Fatal(err)
	}
	if string(old) != "old bytes" {
		t.Errorf("the section read before the file was replaced says %q", old)
	}
	g, err := Read(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := g.Section("s"); string(s) != "new bytes, longer" {
		t.Errorf("read after the replace: %q", s)
	}
	for _, x := range []*File{f, g} {
		if err := x.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if _, ok := x.Section("s"); ok {
			t.Error("a closed File still gives its sections")
		}
		if err := x.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}
}
