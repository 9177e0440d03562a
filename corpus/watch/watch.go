// Package watch tells when the files of a corpus change. It watches folders
// (and the folders inside them) with fsnotify where the system allows it,
// and rescans their listing — each file's size and modification time — on
// an interval everywhere, as the fallback where events never come (a
// network file system, a watch limit reached, a folder that appears later).
// A burst of changes (an editor's write and rename, a copy of many files)
// is reported once, after it settles.
package watch

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults of Options.
const (
	DefaultDebounce = 300 * time.Millisecond
	DefaultRescan   = 30 * time.Second
)

// Options tune a watch. The zero value is usable.
type Options struct {
	// Debounce is how long the folders must stay quiet after a change
	// before it is reported; 0 → DefaultDebounce. A burst that never
	// settles is reported after ten times Debounce all the same.
	Debounce time.Duration
	// Rescan is the interval of the listing rescan; 0 → DefaultRescan.
	Rescan time.Duration
	// NoNotify leaves fsnotify out: the rescan alone sees changes.
	NoNotify bool
	// Relevant says which files count, by path; nil → every file. Folders
	// always count (a folder removed or renamed in may hold files that do).
	Relevant func(path string) bool
	// Logger receives what the watch could not do (Debug) and the fallback
	// it took (Info); nil → discard.
	Logger *slog.Logger
}

// Run watches dirs until ctx ends and calls changed once after each burst
// of changes to their relevant files: created, written, renamed in or out,
// removed. changed is called from one goroutine, one call at a time; the
// changes that come while it runs are reported by one more call after it
// returns. A folder of dirs that is missing is watched once it appears
// (by the rescan). Run returns when ctx ends, after the last call of
// changed has returned.
func Run(ctx context.Context, dirs []string, opts Options, changed func()) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Rescan <= 0 {
		opts.Rescan = DefaultRescan
	}
	if opts.Relevant == nil {
		opts.Relevant = func(string) bool { return true }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	w := &watcher{opts: opts, roots: cleanDirs(dirs), watched: map[string]bool{}, log: opts.Logger}
	if !opts.NoNotify {
		n, err := fsnotify.NewWatcher()
		if err != nil {
			w.log.Info("couldn't watch the corpus folders; rescanning them instead", "every", opts.Rescan, "err", err)
		} else {
			w.notify = n
			defer n.Close()
		}
	}
	w.last = w.list()
	w.addWatches(w.last)

	pending := make(chan struct{}, 1) // a report waiting: more coalesce into it
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-pending:
				changed()
			}
		}
	}()
	w.loop(ctx, pending)
	<-done
}

// watcher is the state of one Run.
type watcher struct {
	opts    Options
	roots   []string
	notify  *fsnotify.Watcher // nil: rescan only
	watched map[string]bool   // folders fsnotify watches
	last    listing
	log     *slog.Logger
}

// listing is what a rescan saw: every relevant file's size and
// modification time, and every folder.
type listing struct {
	files map[string]stamp
	dirs  []string
}

type stamp struct {
	size int64
	mod  time.Time
}

// loop gathers changes, settles them and posts one report to pending.
func (w *watcher) loop(ctx context.Context, pending chan<- struct{}) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w.notify != nil {
		events, errs = w.notify.Events, w.notify.Errors
	}
	rescan := time.NewTicker(w.opts.Rescan)
	defer rescan.Stop()
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	var first time.Time // first change not yet reported; zero: none
	touch := func() {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		wait := min(w.opts.Debounce, 10*w.opts.Debounce-now.Sub(first))
		settle.Reset(max(wait, 0))
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.event(ev) {
				touch()
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// An overflow lost events: say something changed, and let
			// the rescan find the rest.
			w.log.Debug("file watching reported an error", "err", err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				touch()
			}
		case <-rescan.C:
			now := w.list()
			w.addWatches(now)
			if !sameFiles(w.last.files, now.files) {
				touch()
			}
			w.last = now
		case <-settle.C:
			first = time.Time{}
			// The listing as reported, so the next rescan compares with it
			// and does not report what an event already did.
			w.last = w.list()
			select {
			case pending <- struct{}{}:
			default: // one is waiting already: it covers this one
			}
		}
	}
}

// event handles one fsnotify event and reports whether it is a change
// worth reporting.
func (w *watcher) event(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false // a touch of permissions or times alone changes no text
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			// A folder renamed or copied in: watch it and what it holds.
			w.addWatches(w.listUnder([]string{ev.Name}))
			return true
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if w.watched[ev.Name] {
			delete(w.watched, ev.Name)
			return true
		}
	}
	return w.opts.Relevant(ev.Name)
}

// addWatches has fsnotify watch every folder of l it does not watch yet.
func (w *watcher) addWatches(l listing) {
	if w.notify == nil {
		return
	}
	for _, d := range l.dirs {
		if w.watched[d] {
			continue
		}
		if err := w.notify.Add(d); err != nil {
			w.log.Debug("couldn't watch a corpus folder; the rescan covers it", "dir", d, "every", w.opts.Rescan, "err", err)
			continue
		}
		w.watched[d] = true
	}
}

// list lists the roots.
func (w *watcher) list() listing { return w.listUnder(w.roots) }

// listUnder lists the relevant files and the folders under dirs; what
// cannot be read is left out (a missing root lists nothing).
func (w *watcher) listUnder(dirs []string) listing {
	l := listing{files: map[string]stamp{}}
	for _, root := range dirs {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() && p != root {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				l.dirs = append(l.dirs, p)
				return nil
			}
			if !w.opts.Relevant(p) {
				return nil
			}
			fi, err := os.Stat(p) // through a link, as the corpus loader reads it
			if err != nil {
				return nil
			}
			l.files[p] = stamp{size: fi.Size(), mod: fi.ModTime()}
			return nil
		})
	}
	return l
}

// sameFiles reports whether two listings hold the same files with the same
// sizes and times.
func sameFiles(a, b map[string]stamp) bool {
	if len(a) != len(b) {
		return false
	}
	for p, s := range a {
		if t, ok := b[p]; !ok || t.size != s.size || !t.mod.Equal(s.mod) {
			return false
		}
	}
	return true
}

// cleanDirs returns dirs cleaned and absolute where possible.
func cleanDirs(dirs []string) []string {
	out := make([]string, 0, len(dirs))
	for _, d := range dirs {
		if abs, err := filepath.Abs(d); err == nil {
			d = abs
		}
		out = append(out, filepath.Clean(d))
	}
	return out
}
