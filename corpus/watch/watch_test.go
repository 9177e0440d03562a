package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder counts the reports of a Run.
type recorder struct {
	mu    sync.Mutex
	n     int
	calls chan struct{}
}

func newRecorder() *recorder { return &recorder{calls: make(chan struct{}, 100)} }

func (r *recorder) changed() {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	r.calls <- struct{}{}
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// wait waits up to limit for one more report.
func (r *recorder) wait(limit time.Duration) bool {
	select {
	case <-r.calls:
		return true
	case <-time.After(limit):
		return false
	}
}

// start runs a watch of dir until the test ends.
func start(t *testing.T, dir string, opts Options) *recorder {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := newRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, []string{dir}, opts, r.changed)
	}()
	t.Cleanup(func() { cancel(); <-done })
	// Let Run take its first listing and set its watches before the test
	// changes anything (a change before that would be the baseline).
	time.Sleep(100 * time.Millisecond)
	return r
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func relevantTxt(p string) bool { return strings.HasSuffix(p, ".txt") }

// TestRunReportsChanges: a file created, edited, renamed in, removed, and
// one created in a new subfolder, are each reported — by fsnotify alone
// (the rescan set to an hour) and by the rescan alone (fsnotify off).
func TestRunReportsChanges(t *testing.T) {
	changes := []struct {
		name   string
		setup  func(t *testing.T, dir, outside string)
		change func(t *testing.T, dir, outside string)
	}{
		{"created", nil, func(t *testing.T, dir, _ string) { write(t, filepath.Join(dir, "new.txt"), "new report") }},
		{"edited", func(t *testing.T, dir, _ string) { write(t, filepath.Join(dir, "a.txt"), "first") },
			func(t *testing.T, dir, _ string) { write(t, filepath.Join(dir, "a.txt"), "second, longer") }},
		{"renamed in", func(t *testing.T, _, outside string) { write(t, filepath.Join(outside, "b.txt"), "moved") },
			func(t *testing.T, dir, outside string) {
				if err := os.Rename(filepath.Join(outside, "b.txt"), filepath.Join(dir, "b.txt")); err != nil {
					t.Fatal(err)
				}
			}},
		{"removed", func(t *testing.T, dir, _ string) { write(t, filepath.Join(dir, "c.txt"), "going") },
			func(t *testing.T, dir, _ string) {
				if err := os.Remove(filepath.Join(dir, "c.txt")); err != nil {
					t.Fatal(err)
				}
			}},
		{"created in a new subfolder", nil, func(t *testing.T, dir, _ string) {
			sub := filepath.Join(dir, "2025")
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(sub, "d.txt"), "nested")
		}},
	}
	modes := []struct {
		name string
		opts Options
	}{
		{"fsnotify", Options{Debounce: 50 * time.Millisecond, Rescan: time.Hour, Relevant: relevantTxt}},
		{"rescan", Options{Debounce: 50 * time.Millisecond, Rescan: 40 * time.Millisecond, NoNotify: true, Relevant: relevantTxt}},
	}
	for _, m := range modes {
		for _, c := range changes {
			t.Run(m.name+"/"+c.name, func(t *testing.T) {
				dir, outside := t.TempDir(), t.TempDir()
				if c.setup != nil {
					c.setup(t, dir, outside)
				}
				r := start(t, dir, m.opts)
				c.change(t, dir, outside)
				if !r.wait(5 * time.Second) {
					t.Fatalf("no report of the change within 5 s")
				}
			})
		}
	}
}

// TestRunDebouncesABurst: twenty files written in a burst are reported
// once; a file no one reads (an editor's swap file) is not reported at all.
func TestRunDebouncesABurst(t *testing.T) {
	for _, m := range []struct {
		name string
		opts Options
	}{
		{"fsnotify", Options{Debounce: 300 * time.Millisecond, Rescan: time.Hour, Relevant: relevantTxt}},
		{"rescan", Options{Debounce: 300 * time.Millisecond, Rescan: 20 * time.Millisecond, NoNotify: true, Relevant: relevantTxt}},
	} {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			r := start(t, dir, m.opts)
			for i := range 20 {
				write(t, filepath.Join(dir, fmt.Sprintf("r%02d.txt", i)), "report")
				time.Sleep(5 * time.Millisecond)
			}
			if !r.wait(5 * time.Second) {
				t.Fatal("no report of the burst within 5 s")
			}
			time.Sleep(time.Second) // room for any second report
			if n := r.count(); n != 1 {
				t.Errorf("the burst was reported %d times, want once", n)
			}

			write(t, filepath.Join(dir, ".r00.txt.swp"), "swap")
			if r.wait(time.Second) {
				t.Errorf("a swap file's write was reported")
			}
		})
	}
}

// TestRunReportsAgainAfterASlowReport: changes that come while changed
// runs cause exactly one more call after it, never two calls at once.
func TestRunReportsAgainAfterASlowReport(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	running, overlapped, calls := false, false, 0
	first := make(chan struct{})
	release := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, []string{dir}, Options{Debounce: 30 * time.Millisecond, Rescan: time.Hour, Relevant: relevantTxt}, func() {
			mu.Lock()
			overlapped = overlapped || running
			running = true
			calls++
			n := calls
			mu.Unlock()
			if n == 1 {
				close(first)
				<-release
			}
			mu.Lock()
			running = false
			mu.Unlock()
		})
	}()
	defer func() { cancel(); <-done }()
	time.Sleep(100 * time.Millisecond)
	write(t, filepath.Join(dir, "a.txt"), "a")
	select {
	case <-first:
	case <-time.After(5 * time.Second):
		t.Fatal("no first report")
	}
	for i := range 5 { // several bursts while the first report runs
		write(t, filepath.Join(dir, fmt.Sprintf("b%d.txt", i)), "b")
		time.Sleep(80 * time.Millisecond)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := calls
		mu.Unlock()
		if n >= 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 || overlapped {
		t.Errorf("%d calls (want 2: the first and one for everything during it), overlapped %v", calls, overlapped)
	}
}

// TestRunWatchesAFolderThatAppearsLater: a corpus folder missing at the
// start is picked up by the rescan once it exists.
func TestRunWatchesAFolderThatAppearsLater(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "added")
	r := start(t, dir, Options{Debounce: 30 * time.Millisecond, Rescan: 40 * time.Millisecond, Relevant: relevantTxt})
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "a.txt"), "a")
	if !r.wait(5 * time.Second) {
		t.Fatal("no report for a file in a folder created after the start")
	}
}
