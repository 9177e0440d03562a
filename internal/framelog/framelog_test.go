package framelog

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var magic = [8]byte{'T', 'E', 'S', 'T', 'L', 'O', 'G', 0}

// log returns a log of header h and records recs.
func log(h string, recs ...string) []byte {
	b := Head(magic, 1, []byte(h))
	for _, r := range recs {
		b = append(b, Frame([]byte(r))...)
	}
	return b
}

// TestSplit: a whole log gives its header and records; one cut short or
// damaged gives the records before the damage and says why it stopped; a
// wrong magic or version is an error.
func TestSplit(t *testing.T) {
	whole := log("hdr", "one", "two")
	lg, err := Split(whole, magic, 1)
	if err != nil || string(lg.Header) != "hdr" || !reflect.DeepEqual(lg.Records, [][]byte{[]byte("one"), []byte("two")}) || lg.Stop != nil {
		t.Fatalf("Split = %+v, %v", lg, err)
	}
	if lg.Ends[2] != int64(len(whole)) || lg.Ends[1] != int64(len(log("hdr", "one"))) {
		t.Errorf("Ends = %v", lg.Ends)
	}
	lg, _ = Split(whole[:len(whole)-1], magic, 1)
	if len(lg.Records) != 1 || !errors.Is(lg.Stop, ErrTorn) {
		t.Errorf("cut short: %d records, stop %v", len(lg.Records), lg.Stop)
	}
	damaged := append([]byte(nil), whole...)
	damaged[len(damaged)-1] ^= 1
	if lg, _ = Split(damaged, magic, 1); len(lg.Records) != 1 || lg.Stop == nil || errors.Is(lg.Stop, ErrTorn) {
		t.Errorf("damaged: %d records, stop %v", len(lg.Records), lg.Stop)
	}
	if _, err := Split(whole, [8]byte{}, 1); err == nil {
		t.Error("another magic split")
	}
	if _, err := Split(whole, magic, 2); err == nil {
		t.Error("another version split")
	}
}

// TestAppendAt: a record written at an offset replaces whatever followed.
func TestAppendAt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, log("hdr", "one", "torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendAt(path, int64(len(log("hdr", "one"))), Frame([]byte("two"))); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(log("hdr", "one", "two")) {
		t.Errorf("log after AppendAt = %q", b)
	}
}
