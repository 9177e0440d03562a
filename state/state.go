// Package state keeps what scobot must remember across restarts: chat
// histories (bounded and expiring), language choices, answer feedback,
// digest subscriptions and the payloads behind inline buttons.
//
// It is one bbolt file in the data directory, opened by one process at a
// time: a second Open of the same file fails at once with an error saying
// another scobot is using it. A *DB is safe for concurrent use by many
// goroutines; every write is one fsynced transaction, so what a method has
// returned survives a crash.
//
// The file carries a schema version (bucket "meta", key "schema"); Open
// refuses a file written by a newer scobot, one that is not a scobot state
// file, and a corrupt one, each with an error naming the path and what to do.
package state

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the layout this package writes. A file of
// an older version is migrated by Open; a newer one is refused.
const SchemaVersion = 1

// appName marks a bbolt file as scobot's state, so another program's bbolt
// file is refused rather than written into.
const appName = "scobot-state"

// Bucket names. Each kind of record has its own top-level bucket.
var (
	bucketMeta      = []byte("meta")
	bucketHistory   = []byte("history")
	bucketLanguages = []byte("languages")
	bucketFeedback  = []byte("feedback")
	// bucketFeedbackIndex maps answer ID and user to a feedback key.
	bucketFeedbackIndex = []byte("feedback-by-answer")
	bucketSubs          = []byte("subscriptions")
	bucketCallbacks     = []byte("callbacks")

	keyApp    = []byte("app")
	keySchema = []byte("schema")
)

// allBuckets are created by Open when missing.
func allBuckets() [][]byte {
	return [][]byte{bucketMeta, bucketHistory, bucketLanguages, bucketFeedback, bucketFeedbackIndex, bucketSubs, bucketCallbacks}
}

// Defaults for Options left zero.
const (
	// DefaultHistoryTurns is the turns kept per chat.
	DefaultHistoryTurns = 10
	// DefaultHistoryTTL is how long a turn is kept.
	DefaultHistoryTTL = 24 * time.Hour
	// DefaultLockTimeout is how long Open waits for another process.
	DefaultLockTimeout = time.Second
)

// Options configure a DB. The zero value is usable: every field has a
// default.
type Options struct {
	// HistoryTurns is how many turns of each chat's history are kept (the
	// newest ones); DefaultHistoryTurns when zero or negative.
	HistoryTurns int
	// HistoryTTL is how long a turn is kept; older turns are not returned
	// and are deleted on the next write to that chat or the next Prune.
	// DefaultHistoryTTL when zero or negative.
	HistoryTTL time.Duration
	// LockTimeout is how long Open waits for another process to let go of
	// the file before failing with ErrInUse; DefaultLockTimeout when zero
	// or negative.
	LockTimeout time.Duration
	// Now is the clock (time.Now when nil); tests pass a fake one.
	Now func() time.Time
	// Logger receives what PruneEvery does (nothing is logged when nil).
	Logger *slog.Logger
}

// DB is scobot's state file, open. Its methods are safe for concurrent use
// by many goroutines.
type DB struct {
	bolt  *bolt.DB
	path  string
	turns int
	ttl   time.Duration
	now   func() time.Time
	log   *slog.Logger
}

// ErrInUse is what Open's error matches (errors.Is) when another process
// holds the state file.
var ErrInUse = errors.New("another scobot is using the state file")

// ErrNotFound is returned for a callback token, a subscription or another
// record that does not exist.
var ErrNotFound = errors.New("not found")

// InUseError is Open's error when another process holds the file. It
// matches ErrInUse.
type InUseError struct {
	Path string
}

// Error says which file is taken and what to do.
func (e *InUseError) Error() string {
	return fmt.Sprintf("another scobot is using %s: stop it, or give this one another data directory", e.Path)
}

// Is makes errors.Is(err, ErrInUse) true.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// ErrBadFile is what Open's error matches (errors.Is) when the file is not
// a state file this scobot can read: corrupt, another program's, or written
// by a newer scobot.
var ErrBadFile = errors.New("not a state file this scobot can read")

// BadFileError is Open's error for a corrupt, foreign or newer file. It
// matches ErrBadFile.
type BadFileError struct {
	Path   string
	Reason string
	Err    error
}

// Error names the path, the reason and what to do.
func (e *BadFileError) Error() string {
	s := fmt.Sprintf("couldn't open the state file %s: %s", e.Path, e.Reason)
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrBadFile) true.
func (e *BadFileError) Is(target error) bool { return target == ErrBadFile }

// Unwrap returns the underlying bbolt error, if any.
func (e *BadFileError) Unwrap() error { return e.Err }

// Open opens the state file at path, creating it (and its directory) when
// missing. The caller chooses the path, normally a file in the data
// directory. It fails with an *InUseError (errors.Is ErrInUse) after
// Options.LockTimeout when another process has the file open, and with a
// *BadFileError (errors.Is ErrBadFile) when the file is corrupt, not
// scobot's, or of a newer schema.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("couldn't open the state file %s: %w", path, err)
	}
	if opts.HistoryTurns <= 0 {
		opts.HistoryTurns = DefaultHistoryTurns
	}
	if opts.HistoryTTL <= 0 {
		opts.HistoryTTL = DefaultHistoryTTL
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("couldn't create the state directory: %w", err)
		}
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &InUseError{Path: path}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrInvalidMapping):
		return nil, &BadFileError{Path: path, Reason: "it is not a scobot state file or it is corrupt; move it aside and scobot starts a new, empty one", Err: err}
	case err != nil:
		return nil, fmt.Errorf("couldn't open the state file %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path, turns: opts.HistoryTurns, ttl: opts.HistoryTTL, now: opts.Now, log: opts.Logger}
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// init checks the file's marker and schema version, creates what is
// missing and runs the migrations from an older version.
func (db *DB) init() error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return &BadFileError{Path: db.path, Reason: "it is another program's database, not a scobot state file; move it aside or give scobot another data directory"}
			}
			var err error
			if meta, err = tx.CreateBucket(bucketMeta); err != nil {
				return err
			}
			if err := meta.Put(keyApp, []byte(appName)); err != nil {
				return err
			}
			if err := meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
				return err
			}
		}
		if string(meta.Get(keyApp)) != appName {
			return &BadFileError{Path: db.path, Reason: "it is another program's database, not a scobot state file; move it aside or give scobot another data directory"}
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil || v < 1 {
			return &BadFileError{Path: db.path, Reason: fmt.Sprintf("its schema version %q is unreadable; move it aside and scobot starts a new, empty one", meta.Get(keySchema))}
		}
		if v > SchemaVersion {
			return &BadFileError{Path: db.path, Reason: fmt.Sprintf("it was written by a newer scobot (schema %d; this one reads up to %d); run the newer scobot, or move the file aside", v, SchemaVersion)}
		}
		for ; v < SchemaVersion; v++ {
			if err := migrate(tx, v); err != nil {
				return fmt.Errorf("couldn't migrate the state file %s from schema %d: %w", db.path, v, err)
			}
		}
		if err := meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
			return err
		}
		for _, name := range allBuckets() {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrBadFile) {
			return err
		}
		return fmt.Errorf("couldn't prepare the state file %s: %w", db.path, err)
	}
	return nil
}

// migrate turns a file of schema from into schema from+1. There is one
// schema so far; a later change adds its step here.
func migrate(tx *bolt.Tx, from int) error {
	return fmt.Errorf("no migration from schema %d", from)
}

// Path is the file the DB was opened from.
func (db *DB) Path() string { return db.path }

// Close closes the file and lets another process open it. Calls after the
// first return nil; the DB must not be used after Close.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("couldn't close the state file %s: %w", db.path, err)
	}
	return nil
}

// update runs fn in a write transaction unless ctx is already done.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(fn)
}

// view runs fn in a read transaction unless ctx is already done.
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.View(fn)
}

// seqKey is a bucket sequence number as a key that sorts in order.
func seqKey(n uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, n)
}
