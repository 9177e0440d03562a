package state

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Pruned counts what one Prune deleted.
type Pruned struct {
	Turns     int // history turns past the TTL or the bound
	Chats     int // chats left with no history, removed whole
	Callbacks int // expired callback tokens
}

// Prune deletes the history turns older than Options.HistoryTTL (or
// beyond Options.HistoryTurns) in every chat, and every expired callback
// token, in one transaction. Reads never return what Prune would delete;
// it only keeps the file from growing.
func (db *DB) Prune(ctx context.Context) (Pruned, error) {
	now := db.now()
	var p Pruned
	err := db.update(ctx, func(tx *bolt.Tx) error {
		h := tx.Bucket(bucketHistory)
		var chats [][]byte
		if err := h.ForEachBucket(func(k []byte) error {
			chats = append(chats, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, chat := range chats {
			b := h.Bucket(chat)
			n, err := db.trimChat(b, now)
			if err != nil {
				return err
			}
			p.Turns += n
			if k, _ := b.Cursor().First(); k == nil {
				if err := h.DeleteBucket(chat); err != nil {
					return err
				}
				p.Chats++
			}
		}
		cb := tx.Bucket(bucketCallbacks)
		var dead [][]byte
		if err := cb.ForEach(func(k, v []byte) error {
			if len(v) < 8 || !now.Before(time.Unix(0, int64(binary.BigEndian.Uint64(v)))) {
				dead = append(dead, append([]byte(nil), k...))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range dead {
			if err := cb.Delete(k); err != nil {
				return err
			}
		}
		p.Callbacks = len(dead)
		return nil
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("couldn't prune the state file: %w", err)
	}
	return p, nil
}

// PruneEvery runs Prune every interval until ctx is done, logging what it
// deleted (at debug level) and its failures (at warn level) to
// Options.Logger. It returns when ctx is done; run it in its own goroutine.
func (db *DB) PruneEvery(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Hour
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p, err := db.Prune(ctx)
		if db.log == nil {
			continue
		}
		if err != nil {
			db.log.Warn("state prune failed", "path", db.path, "err", err)
			continue
		}
		db.log.Debug("state pruned", "path", db.path, "turns", p.Turns, "chats", p.Chats, "callbacks", p.Callbacks)
	}
}
