package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTest opens a state file in a fresh directory; it is closed when the
// test ends.
func openTest(t testing.TB, opts Options) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "state.db")
	db, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestPersistsAcrossCloseAndOpen(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	opts := Options{Now: clock.Now}
	db, path := openTest(t, opts)
	if err := db.AppendTurn(ctx, "c1", "Who met in Astana?", "Wang Yi and Lavrov [1]"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetLanguage(ctx, "c1", "ru"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddFeedback(ctx, Feedback{Vote: VoteDown, Question: "q", Chat: "c1"}); err != nil {
		t.Fatal(err)
	}
	sub, err := db.AddSubscription(ctx, Subscription{Chat: "c1", ChatID: -100, Topic: "summits", Schedule: Schedule{Every: Daily, Hour: 8}})
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.PutCallback(ctx, []byte("payload"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name  string
		check func() (bool, error)
	}{
		{"history", func() (bool, error) {
			h, err := db.History(ctx, "c1")
			return len(h) == 1 && h[0].Question == "Who met in Astana?", err
		}},
		{"language", func() (bool, error) {
			code, ok, err := db.Language(ctx, "c1")
			return ok && code == "ru", err
		}},
		{"feedback", func() (bool, error) {
			fs, err := db.ListFeedback(ctx, FeedbackFilter{})
			return len(fs) == 1 && fs[0].Vote == VoteDown, err
		}},
		{"subscription", func() (bool, error) {
			subs, err := db.Subscriptions(ctx, "c1")
			return len(subs) == 1 && subs[0].ID == sub.ID && subs[0].Topic == "summits", err
		}},
		{"callback", func() (bool, error) {
			p, err := db.GetCallback(ctx, token)
			return string(p) == "payload", err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := tt.check()
			if err != nil || !ok {
				t.Errorf("not kept across Close and Open (err %v)", err)
			}
		})
	}
}

func TestSecondOpenFailsClearly(t *testing.T) {
	db, path := openTest(t, Options{})
	_ = db
	start := time.Now()
	_, err := Open(context.Background(), path, Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: got %v, want ErrInUse", err)
	}
	if want := "another scobot is using " + path; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v: it should fail after its timeout, not hang", d)
	}
}

func TestOpenRefusesBadFiles(t *testing.T) {
	foreign := func(t *testing.T, path string) {
		b, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if err := b.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("widgets"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	newer := func(t *testing.T, path string) {
		db, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.bolt.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, []byte("99"))
		}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		make  func(t *testing.T, path string)
		wants []string
	}{
		{"garbage", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, []string{"not a scobot state file or it is corrupt", "move it aside"}},
		{"another program's bbolt file", foreign, []string{"another program's database", "move it aside"}},
		{"newer schema", newer, []string{"newer scobot", "schema 99"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			tt.make(t, path)
			_, err := Open(context.Background(), path, Options{})
			if !errors.Is(err, ErrBadFile) {
				t.Fatalf("Open: got %v, want ErrBadFile", err)
			}
			for _, w := range append(tt.wants, path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestOpenWritesSchemaVersion(t *testing.T) {
	db, _ := openTest(t, Options{})
	var got string
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		got = string(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got != "1" {
		t.Errorf("schema version %q, want 1", got)
	}
}

func TestContextDone(t *testing.T) {
	db, _ := openTest(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.AppendTurn(ctx, "c", "q", "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("AppendTurn with a cancelled context: %v", err)
	}
	if _, err := db.History(ctx, "c"); !errors.Is(err, context.Canceled) {
		t.Errorf("History with a cancelled context: %v", err)
	}
}

func TestLanguages(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t, Options{})
	tests := []struct {
		name    string
		do      func() error
		chat    string
		want    string
		wantOK  bool
		wantErr bool
	}{
		{"unset", func() error { return nil }, "a", "", false, false},
		{"set zh", func() error { return db.SetLanguage(ctx, "a", "zh") }, "a", "zh", true, false},
		{"other chat untouched", func() error { return nil }, "b", "", false, false},
		{"change to en", func() error { return db.SetLanguage(ctx, "a", "en") }, "a", "en", true, false},
		{"bad code refused", func() error { return db.SetLanguage(ctx, "a", "fr") }, "a", "en", true, true},
		{"clear", func() error { return db.ClearLanguage(ctx, "a") }, "a", "", false, false},
		{"clear again", func() error { return db.ClearLanguage(ctx, "a") }, "a", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.do(); (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			code, ok, err := db.Language(ctx, tt.chat)
			if err != nil || code != tt.want || ok != tt.wantOK {
				t.Errorf("Language(%q) = %q, %v, %v; want %q, %v", tt.chat, code, ok, err, tt.want, tt.wantOK)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	db, _ := openTest(t, Options{Now: clock.Now, HistoryTurns: 5})
	const workers, rounds = 16, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			chat := string(rune('a' + w%4)) // four chats shared by four goroutines each
			for i := 0; i < rounds; i++ {
				if err := db.AppendTurn(ctx, chat, "q", "a"); err != nil {
					errs <- err
				}
				if _, err := db.History(ctx, chat); err != nil {
					errs <- err
				}
				tok, err := db.PutCallback(ctx, []byte{byte(w), byte(i)}, time.Hour)
				if err != nil {
					errs <- err
					continue
				}
				p, err := db.TakeCallback(ctx, tok)
				if err != nil || len(p) != 2 || p[0] != byte(w) || p[1] != byte(i) {
					errs <- errors.New("a callback came back wrong")
				}
				if _, err := db.AddFeedback(ctx, Feedback{Vote: VoteUp, Question: "q"}); err != nil {
					errs <- err
				}
				if err := db.SetLanguage(ctx, chat, "zh"); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	fs, err := db.ListFeedback(ctx, FeedbackFilter{})
	if err != nil || len(fs) != workers*rounds {
		t.Errorf("%d feedback records (err %v), want %d", len(fs), err, workers*rounds)
	}
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.ID] {
			t.Fatalf("feedback ID %s given twice", f.ID)
		}
		seen[f.ID] = true
	}
	for _, chat := range []string{"a", "b", "c", "d"} {
		h, err := db.History(ctx, chat)
		if err != nil || len(h) != 5 {
			t.Errorf("chat %s: %d turns (err %v), want the bound 5", chat, len(h), err)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	db, path := openTest(t, Options{})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	db2, err := Open(context.Background(), path, Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	db2.Close()
}
