package state

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TokenLen is the length of a callback token: 12 random bytes in URL-safe
// base64, 96 bits, well inside Telegram's 64 bytes of callback_data.
const TokenLen = 16

// MaxCallbackPayload bounds what one button may carry.
const MaxCallbackPayload = 64 << 10

// ErrExpired is returned for a callback token whose time has passed (the
// button is too old); errors.Is tells it from ErrNotFound.
var ErrExpired = errors.New("expired")

// Stored callback values: 8 bytes of expiry (Unix nanoseconds, big endian)
// then the payload. The schema version in "meta" covers this layout.

// PutCallback stores payload for ttl and returns the token to put in a
// button's callback_data: TokenLen characters from crypto/rand, so a token
// cannot be guessed.
func (db *DB) PutCallback(ctx context.Context, payload []byte, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", fmt.Errorf("couldn't store the button: ttl %v is not positive", ttl)
	}
	if len(payload) > MaxCallbackPayload {
		return "", fmt.Errorf("couldn't store the button: %d bytes is more than %d", len(payload), MaxCallbackPayload)
	}
	var raw [12]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("couldn't store the button: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	val := binary.BigEndian.AppendUint64(nil, uint64(db.now().Add(ttl).UnixNano()))
	val = append(val, payload...)
	err := db.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCallbacks).Put([]byte(token), val)
	})
	if err != nil {
		return "", fmt.Errorf("couldn't store the button: %w", err)
	}
	return token, nil
}

// GetCallback returns the payload stored under token and leaves it there
// (for a button that may be pressed again). Its error matches ErrNotFound
// for an unknown token and ErrExpired for one past its ttl.
func (db *DB) GetCallback(ctx context.Context, token string) ([]byte, error) {
	var out []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		p, err := db.callback(tx, token)
		out = p
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("couldn't read the button: %w", err)
	}
	return out, nil
}

// TakeCallback returns the payload stored under token and deletes it, so a
// second press finds nothing (ErrNotFound). Its error matches ErrNotFound
// for an unknown or taken token and ErrExpired for one past its ttl.
func (db *DB) TakeCallback(ctx context.Context, token string) ([]byte, error) {
	var out []byte
	expired := false
	err := db.update(ctx, func(tx *bolt.Tx) error {
		p, err := db.callback(tx, token)
		switch {
		case errors.Is(err, ErrExpired):
			expired = true // deleted all the same: it is of no more use
		case err != nil:
			return err
		}
		out = p
		return tx.Bucket(bucketCallbacks).Delete([]byte(token))
	})
	if err == nil && expired {
		err = ErrExpired
	}
	if err != nil {
		return nil, fmt.Errorf("couldn't read the button: %w", err)
	}
	return out, nil
}

// callback reads one token's payload (a copy, valid after tx ends).
func (db *DB) callback(tx *bolt.Tx, token string) ([]byte, error) {
	if len(token) != TokenLen {
		return nil, ErrNotFound
	}
	v := tx.Bucket(bucketCallbacks).Get([]byte(token))
	if len(v) < 8 {
		return nil, ErrNotFound
	}
	if !db.now().Before(time.Unix(0, int64(binary.BigEndian.Uint64(v)))) {
		return nil, ErrExpired
	}
	return append([]byte{}, v[8:]...), nil
}

// beUint64 reads an 8-byte big-endian key.
func beUint64(k []byte) uint64 {
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}
