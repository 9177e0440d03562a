package parallel

import (
	"errors"
	"sync/atomic"
	"testing"
)

// Every index is visited once; an error is returned; a panic reaches the
// caller.
func TestFor(t *testing.T) {
	const n = 1000
	var seen [n]atomic.Int32
	if err := For(n, func(i int) error { seen[i].Add(1); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if seen[i].Load() != 1 {
			t.Fatalf("index %d visited %d times", i, seen[i].Load())
		}
	}
	boom := errors.New("boom")
	if err := For(n, func(i int) error {
		if i == 500 {
			return boom
		}
		return nil
	}); !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	if err := For(0, func(int) error { t.Error("called for n = 0"); return nil }); err != nil {
		t.Error(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("the panic did not reach the caller")
		}
	}()
	For(10, func(i int) error {
		if i == 3 {
			panic("bad")
		}
		return nil
	})
}
