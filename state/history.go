package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Turn is one exchange of a chat: the question and the answer text, and
// when it was answered.
type Turn struct {
	Question string
	Answer   string
	At       time.Time
}

// storedTurn is a Turn as it is written (JSON, versioned).
type storedTurn struct {
	V        int       `json:"v"`
	Question string    `json:"q"`
	Answer   string    `json:"a"`
	At       time.Time `json:"at"`
}

// AppendTurn adds a turn to chat's history, stamped with the DB's clock,
// and in the same transaction drops the chat's turns beyond
// Options.HistoryTurns and those older than Options.HistoryTTL.
func (db *DB) AppendTurn(ctx context.Context, chat, question, answer string) error {
	if chat == "" {
		return errors.New("couldn't save the chat history: no chat key")
	}
	now := db.now()
	val, err := json.Marshal(storedTurn{V: 1, Question: question, Answer: answer, At: now})
	if err != nil {
		return fmt.Errorf("couldn't save the chat history: %w", err)
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketHistory).CreateBucketIfNotExists([]byte(chat))
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		if err := b.Put(seqKey(seq), val); err != nil {
			return err
		}
		_, err = db.trimChat(b, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("couldn't save the chat history: %w", err)
	}
	return nil
}

// trimChat deletes the turns of one chat's bucket beyond the bound or past
// the TTL, and reports how many it deleted.
func (db *DB) trimChat(b *bolt.Bucket, now time.Time) (int, error) {
	var drop [][]byte
	kept := 0
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if kept < db.turns && !db.expired(v, now) {
			kept++
			continue
		}
		drop = append(drop, append([]byte(nil), k...))
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(drop), nil
}

// expired reports whether a stored turn is older than the TTL (an
// unreadable one counts as expired, so it is cleaned away).
func (db *DB) expired(v []byte, now time.Time) bool {
	var t storedTurn
	if err := json.Unmarshal(v, &t); err != nil {
		return true
	}
	return now.Sub(t.At) > db.ttl
}

// History returns chat's turns, oldest first: at most
// Options.HistoryTurns, none older than Options.HistoryTTL. A chat with no
// history gives an empty slice and no error.
func (db *DB) History(ctx context.Context, chat string) ([]Turn, error) {
	now := db.now()
	var out []Turn
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHistory).Bucket([]byte(chat))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < db.turns; k, v = c.Prev() {
			var t storedTurn
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("turn %x: %w", k, err)
			}
			if now.Sub(t.At) > db.ttl {
				break // older ones are older still
			}
			out = append(out, Turn{Question: t.Question, Answer: t.Answer, At: t.At})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("couldn't read the chat history: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// Reset forgets chat's history (what /reset does). Resetting a chat with
// no history is not an error.
func (db *DB) Reset(ctx context.Context, chat string) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		h := tx.Bucket(bucketHistory)
		if h.Bucket([]byte(chat)) == nil {
			return nil
		}
		return h.DeleteBucket([]byte(chat))
	})
	if err != nil {
		return fmt.Errorf("couldn't reset the chat history: %w", err)
	}
	return nil
}
