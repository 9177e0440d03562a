package state

import (
	"context"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestHistoryBoundedAndExpiring(t *testing.T) {
	type step struct {
		advance time.Duration
		append  string // a question to append ("" = none)
	}
	tests := []struct {
		name  string
		turns int
		ttl   time.Duration
		steps []step
		want  []string // questions History returns, oldest first
	}{
		{"empty", 3, time.Hour, nil, nil},
		{"under the bound", 3, time.Hour, []step{{0, "q1"}, {time.Minute, "q2"}}, []string{"q1", "q2"}},
		{"bounded to the newest", 3, time.Hour,
			[]step{{0, "q1"}, {0, "q2"}, {0, "q3"}, {0, "q4"}, {0, "q5"}}, []string{"q3", "q4", "q5"}},
		{"old turns expire", 10, time.Hour,
			[]step{{0, "q1"}, {40 * time.Minute, "q2"}, {40 * time.Minute, "q3"}}, []string{"q2", "q3"}},
		{"all expire with no write", 10, time.Hour,
			[]step{{0, "q1"}, {0, "q2"}, {2 * time.Hour, ""}}, nil},
		{"exactly at the TTL is kept", 10, time.Hour,
			[]step{{0, "q1"}, {time.Hour, ""}}, []string{"q1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := newFakeClock()
			db, _ := openTest(t, Options{Now: clock.Now, HistoryTurns: tt.turns, HistoryTTL: tt.ttl})
			for _, s := range tt.steps {
				clock.Advance(s.advance)
				if s.append != "" {
					if err := db.AppendTurn(ctx, "chat", s.append, "answer to "+s.append); err != nil {
						t.Fatal(err)
					}
				}
			}
			h, err := db.History(ctx, "chat")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, turn := range h {
				got = append(got, turn.Question)
				if turn.Answer != "answer to "+turn.Question {
					t.Errorf("turn %q has answer %q", turn.Question, turn.Answer)
				}
				if !turn.At.Equal(clock.Now()) && turn.At.After(clock.Now()) {
					t.Errorf("turn %q stamped in the future", turn.Question)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("History = %v, want %v", got, tt.want)
			}
			if n := storedTurns(t, db, "chat"); n > tt.turns {
				t.Errorf("%d turns stored, more than the bound %d", n, tt.turns)
			}
		})
	}
}

// storedTurns counts what the file holds for chat, expired or not.
func storedTurns(t *testing.T, db *DB, chat string) int {
	t.Helper()
	n := 0
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketHistory).Bucket([]byte(chat)); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHistoryPrunedOnWriteAndByPrune(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	db, _ := openTest(t, Options{Now: clock.Now, HistoryTurns: 10, HistoryTTL: time.Hour})
	for _, chat := range []string{"a", "b"} {
		for i := 0; i < 3; i++ {
			if err := db.AppendTurn(ctx, chat, "q", "a"); err != nil {
				t.Fatal(err)
			}
		}
	}
	tok, err := db.PutCallback(ctx, []byte("x"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	if err := db.AppendTurn(ctx, "a", "new", "a"); err != nil {
		t.Fatal(err)
	}
	if n := storedTurns(t, db, "a"); n != 1 {
		t.Errorf("chat a holds %d turns after a write past the TTL, want 1", n)
	}
	if n := storedTurns(t, db, "b"); n != 3 {
		t.Errorf("chat b holds %d turns before Prune, want 3 (nothing wrote to it)", n)
	}
	p, err := db.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Pruned{Turns: 3, Chats: 1, Callbacks: 1}); p != want {
		t.Errorf("Prune = %+v, want %+v", p, want)
	}
	if n := storedTurns(t, db, "b"); n != 0 {
		t.Errorf("chat b holds %d turns after Prune", n)
	}
	if _, err := db.GetCallback(ctx, tok); err == nil {
		t.Error("a pruned callback is still there")
	}
}

func TestReset(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t, Options{})
	for _, chat := range []string{"a", "b"} {
		if err := db.AppendTurn(ctx, chat, "q-"+chat, "a"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		reset string
		wantA int
		wantB int
	}{
		{"reset a", "a", 0, 1},
		{"reset a again", "a", 0, 1},
		{"reset an unknown chat", "zzz", 0, 1},
		{"reset b", "b", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.Reset(ctx, tt.reset); err != nil {
				t.Fatal(err)
			}
			ha, _ := db.History(ctx, "a")
			hb, _ := db.History(ctx, "b")
			if len(ha) != tt.wantA || len(hb) != tt.wantB {
				t.Errorf("after Reset(%q): a has %d turns, b %d; want %d, %d", tt.reset, len(ha), len(hb), tt.wantA, tt.wantB)
			}
		})
	}
	if err := db.AppendTurn(ctx, "a", "again", "a"); err != nil {
		t.Fatalf("append after Reset: %v", err)
	}
	if h, _ := db.History(ctx, "a"); len(h) != 1 {
		t.Errorf("a has %d turns after one append past a Reset, want 1", len(h))
	}
}

func BenchmarkAppendTurn(b *testing.B) {
	ctx := context.Background()
	db, _ := openTest(b, Options{HistoryTurns: 10})
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := db.AppendTurn(ctx, fmt.Sprintf("chat-%d", i%50), "Which foreign ministers did Wang Yi meet in Astana?",
			"Wang Yi met Lavrov and the other SCO foreign ministers in Astana [1][2]."); err != nil {
			b.Fatal(err)
		}
	}
}
