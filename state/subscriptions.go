package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Subscription is a scheduled digest: a briefing on Topic sent to one chat
// on Schedule.
type Subscription struct {
	// ID is assigned by AddSubscription: a short number the reader types
	// to /unsubscribe.
	ID string
	// Chat is the bot's chat key; ChatID and ThreadID are where Telegram
	// delivers (ThreadID 0: no forum topic).
	Chat     string
	ChatID   int64
	ThreadID int
	Topic    string
	Schedule Schedule
	// CreatedBy is the Telegram user ID of who subscribed.
	CreatedBy int64
	// CreatedAt is set by AddSubscription when zero.
	CreatedAt time.Time
	// LastSent is when the last digest went out (zero: never); the next
	// digest covers what is new since then.
	LastSent time.Time
	// LastDocs are the reports the last digest sent: a report dated the
	// day of the last digest is not new again in the next.
	LastDocs []string
}

// NextDigest is when s's next digest is due: the schedule's first firing
// after the last one sent (after its creation when none was). A time in
// the past means it is due now, as after a restart that missed firings:
// send one digest, MarkSent with the time sent, and the one after follows
// from then, so missed firings are not sent one by one.
func (s Subscription) NextDigest() time.Time {
	from := s.LastSent
	if from.IsZero() {
		from = s.CreatedAt
	}
	return Next(s.Schedule, from)
}

// storedSub is a Subscription as it is written (JSON, versioned); the
// time zone is kept by its IANA name.
type storedSub struct {
	V         int       `json:"v"`
	Chat      string    `json:"chat"`
	ChatID    int64     `json:"chat_id"`
	ThreadID  int       `json:"thread_id,omitempty"`
	Topic     string    `json:"topic"`
	Every     Frequency `json:"every"`
	Day       int       `json:"day,omitempty"`
	Hour      int       `json:"hour"`
	Minute    int       `json:"minute"`
	Zone      string    `json:"zone"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	LastSent  time.Time `json:"last_sent,omitzero"`
	LastDocs  []string  `json:"last_docs,omitempty"`
}

func toStored(s Subscription) storedSub {
	return storedSub{V: 1, Chat: s.Chat, ChatID: s.ChatID, ThreadID: s.ThreadID, Topic: s.Topic,
		Every: s.Schedule.Every, Day: int(s.Schedule.Day), Hour: s.Schedule.Hour, Minute: s.Schedule.Minute,
		Zone: s.Schedule.loc().String(), CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt, LastSent: s.LastSent, LastDocs: s.LastDocs}
}

func fromStored(id string, st storedSub) (Subscription, error) {
	loc, err := time.LoadLocation(st.Zone)
	if err != nil {
		return Subscription{}, fmt.Errorf("subscription %s: time zone %q: %w", id, st.Zone, err)
	}
	return Subscription{ID: id, Chat: st.Chat, ChatID: st.ChatID, ThreadID: st.ThreadID, Topic: st.Topic,
		Schedule:  Schedule{Every: st.Every, Day: time.Weekday(st.Day), Hour: st.Hour, Minute: st.Minute, Location: loc},
		CreatedBy: st.CreatedBy, CreatedAt: st.CreatedAt, LastSent: st.LastSent, LastDocs: st.LastDocs}, nil
}

// validSchedule checks what ParseSubscribe guarantees, for schedules built
// by hand.
func validSchedule(s Schedule) error {
	if s.Every != Daily && s.Every != Weekly {
		return fmt.Errorf("frequency %q is neither daily nor weekly", s.Every)
	}
	if s.Day < time.Sunday || s.Day > time.Saturday {
		return fmt.Errorf("day %d is not a day of the week", s.Day)
	}
	if s.Hour < 0 || s.Hour > 23 || s.Minute < 0 || s.Minute > 59 {
		return fmt.Errorf("%02d:%02d is not a time of day", s.Hour, s.Minute)
	}
	if s.loc().String() == "Local" {
		return errors.New("the time zone must be named (an IANA name, not Local)")
	}
	return nil
}

// AddSubscription stores s and returns it with its ID (and CreatedAt, when
// it was zero). Its chat and topic must not be empty and its schedule must
// be valid.
func (db *DB) AddSubscription(ctx context.Context, s Subscription) (Subscription, error) {
	if s.Chat == "" || strings.TrimSpace(s.Topic) == "" {
		return Subscription{}, errors.New("couldn't save the subscription: it needs a chat and a topic")
	}
	if err := validSchedule(s.Schedule); err != nil {
		return Subscription{}, fmt.Errorf("couldn't save the subscription: %w", err)
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	val, err := json.Marshal(toStored(s))
	if err != nil {
		return Subscription{}, fmt.Errorf("couldn't save the subscription: %w", err)
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubs)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		s.ID = strconv.FormatUint(seq, 10)
		return b.Put(seqKey(seq), val)
	})
	if err != nil {
		return Subscription{}, fmt.Errorf("couldn't save the subscription: %w", err)
	}
	return s, nil
}

// subKey turns an ID back into its key; ok is false for an ID that is not
// one AddSubscription gives.
func subKey(id string) ([]byte, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return nil, false
	}
	return seqKey(n), true
}

// Subscriptions returns chat's subscriptions, oldest first.
func (db *DB) Subscriptions(ctx context.Context, chat string) ([]Subscription, error) {
	subs, err := db.subscriptions(ctx, func(s storedSub) bool { return s.Chat == chat })
	if err != nil {
		return nil, fmt.Errorf("couldn't read the chat's subscriptions: %w", err)
	}
	return subs, nil
}

// AllSubscriptions returns every chat's subscriptions, oldest first (what
// the digest scheduler walks).
func (db *DB) AllSubscriptions(ctx context.Context) ([]Subscription, error) {
	subs, err := db.subscriptions(ctx, func(storedSub) bool { return true })
	if err != nil {
		return nil, fmt.Errorf("couldn't read the subscriptions: %w", err)
	}
	return subs, nil
}

func (db *DB) subscriptions(ctx context.Context, keep func(storedSub) bool) ([]Subscription, error) {
	var out []Subscription
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).ForEach(func(k, v []byte) error {
			id := strconv.FormatUint(beUint64(k), 10)
			var st storedSub
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("subscription %s: %w", id, err)
			}
			if !keep(st) {
				return nil
			}
			s, err := fromStored(id, st)
			if err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

// RemoveSubscription deletes chat's subscription id. It returns an error
// matching ErrNotFound when chat has no such subscription (one chat cannot
// remove another's).
func (db *DB) RemoveSubscription(ctx context.Context, chat, id string) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubs)
		k, st, err := loadSub(b, id)
		if err != nil {
			return err
		}
		if st.Chat != chat {
			return ErrNotFound
		}
		return b.Delete(k)
	})
	if err != nil {
		return fmt.Errorf("couldn't remove subscription %s: %w", id, err)
	}
	return nil
}

// MarkSent records that subscription id's digest went out at at, with
// the reports docs. It
// returns an error matching ErrNotFound when there is no such
// subscription (it was removed meanwhile).
func (db *DB) MarkSent(ctx context.Context, id string, at time.Time, docs ...string) error {
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubs)
		k, st, err := loadSub(b, id)
		if err != nil {
			return err
		}
		st.V, st.LastSent, st.LastDocs = 1, at, docs
		val, err := json.Marshal(st)
		if err != nil {
			return err
		}
		return b.Put(k, val)
	})
	if err != nil {
		return fmt.Errorf("couldn't record subscription %s as sent: %w", id, err)
	}
	return nil
}

// loadSub reads subscription id from the bucket b: its key and what is
// stored; ErrNotFound when there is none.
func loadSub(b *bolt.Bucket, id string) ([]byte, storedSub, error) {
	var st storedSub
	k, ok := subKey(id)
	if !ok {
		return nil, st, ErrNotFound
	}
	v := b.Get(k)
	if v == nil {
		return nil, st, ErrNotFound
	}
	if err := json.Unmarshal(v, &st); err != nil {
		return nil, st, fmt.Errorf("subscription %s: %w", id, err)
	}
	return k, st, nil
}
