package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"
)

// memSampleEvery is how often startMemProfile looks at the heap's size.
const memSampleEvery = 20 * time.Millisecond

// memGrowth is how much larger than at the last profile taken the heap
// must be for startMemProfile to take the profile again.
const memGrowth = 1.05

// heapObjectsMetric is the bytes of heap objects, live or not yet swept:
// what a command's heap holds, read without stopping the world.
const heapObjectsMetric = "/memory/classes/heap/objects:bytes"

// startMemProfile watches the heap while the command runs and, each time it
// has grown past memGrowth of its size at the last profile, takes the heap
// profile again; the returned function stops watching and writes the last
// profile taken — the one nearest the heap's peak — to path. Its in-use
// figures are those of the garbage collection before it was taken (as
// `go tool pprof -sample_index=inuse_space` shows them); its allocation
// figures count everything allocated until then.
func startMemProfile(path string) (stop func() error, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("couldn't create the heap profile %s: %w", path, err)
	}
	var (
		mu   sync.Mutex // guards prof
		prof bytes.Buffer
	)
	take := func() {
		var b bytes.Buffer
		if pprof.Lookup("heap").WriteTo(&b, 0) == nil {
			mu.Lock()
			prof = b
			mu.Unlock()
		}
	}
	sample := []metrics.Sample{{Name: heapObjectsMetric}}
	heap := func() float64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return float64(sample[0].Value.Uint64())
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(memSampleEvery)
		defer t.Stop()
		peak := heap()
		take()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if h := heap(); h > peak*memGrowth {
				peak = h
				take()
			}
		}
	})
	return func() error {
		close(done)
		wg.Wait()
		defer f.Close()
		mu.Lock()
		defer mu.Unlock()
		if _, err := f.Write(prof.Bytes()); err != nil {
			return fmt.Errorf("couldn't write the heap profile %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("couldn't write the heap profile %s: %w", path, err)
		}
		return nil
	}, nil
}
