package state

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ValidLanguage reports whether code is a language the bot speaks: "zh",
// "en" or "ru".
func ValidLanguage(code string) bool {
	switch code {
	case "zh", "en", "ru":
		return true
	}
	return false
}

// Language returns the language chosen for chat with /lang; ok is false
// when none was chosen (the caller then follows the user's Telegram
// language).
func (db *DB) Language(ctx context.Context, chat string) (code string, ok bool, err error) {
	err = db.view(ctx, func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketLanguages).Get([]byte(chat)); v != nil {
			code, ok = string(v), true
		}
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("couldn't read the chat's language: %w", err)
	}
	return code, ok, nil
}

// SetLanguage records chat's language choice; code must be one that
// ValidLanguage accepts.
func (db *DB) SetLanguage(ctx context.Context, chat, code string) error {
	if chat == "" {
		return errors.New("couldn't set the chat's language: no chat key")
	}
	if !ValidLanguage(code) {
		return fmt.Errorf("couldn't set the chat's language: %q is not one of zh, en, ru", code)
	}
	err := db.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLanguages).Put([]byte(chat), []byte(code))
	})
	if err != nil {
		return fmt.Errorf("couldn't set the chat's language: %w", err)
	}
	return nil
}

// ClearLanguage forgets chat's language choice; clearing a chat with none
// is not an error.
func (db *DB) ClearLanguage(ctx context.Context, chat string) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLanguages).Delete([]byte(chat))
	})
	if err != nil {
		return fmt.Errorf("couldn't clear the chat's language: %w", err)
	}
	return nil
}
