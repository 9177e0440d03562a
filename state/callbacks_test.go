package state

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCallbacks(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	db, _ := openTest(t, Options{Now: clock.Now})
	put := func(t *testing.T, p string, ttl time.Duration) string {
		tok, err := db.PutCallback(ctx, []byte(p), ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"token short and URL-safe", func(t *testing.T) {
			tok := put(t, "fb:down:42", time.Hour)
			if len(tok) != TokenLen || len(tok) > 16 {
				t.Errorf("token %q is %d characters", tok, len(tok))
			}
			for _, r := range tok {
				if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
					t.Errorf("token %q has %q", tok, r)
				}
			}
		}},
		{"tokens unique", func(t *testing.T) {
			seen := map[string]bool{}
			for i := 0; i < 1000; i++ {
				tok := put(t, "x", time.Hour)
				if seen[tok] {
					t.Fatalf("token %q given twice", tok)
				}
				seen[tok] = true
			}
		}},
		{"get leaves it, take is single-use", func(t *testing.T) {
			tok := put(t, "payload", time.Hour)
			for i := 0; i < 2; i++ {
				if p, err := db.GetCallback(ctx, tok); err != nil || string(p) != "payload" {
					t.Fatalf("Get #%d = %q, %v", i+1, p, err)
				}
			}
			if p, err := db.TakeCallback(ctx, tok); err != nil || string(p) != "payload" {
				t.Fatalf("Take = %q, %v", p, err)
			}
			if _, err := db.TakeCallback(ctx, tok); !errors.Is(err, ErrNotFound) {
				t.Errorf("second Take: %v, want ErrNotFound", err)
			}
			if _, err := db.GetCallback(ctx, tok); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get after Take: %v, want ErrNotFound", err)
			}
		}},
		{"expires", func(t *testing.T) {
			tok := put(t, "p", 10*time.Minute)
			tok2 := put(t, "p", 10*time.Minute)
			clock.Advance(9 * time.Minute)
			if _, err := db.GetCallback(ctx, tok); err != nil {
				t.Fatalf("before expiry: %v", err)
			}
			clock.Advance(time.Minute)
			if _, err := db.GetCallback(ctx, tok); !errors.Is(err, ErrExpired) {
				t.Errorf("Get after expiry: %v, want ErrExpired", err)
			}
			if _, err := db.TakeCallback(ctx, tok2); !errors.Is(err, ErrExpired) {
				t.Errorf("Take after expiry: %v, want ErrExpired", err)
			}
			if _, err := db.GetCallback(ctx, tok2); !errors.Is(err, ErrNotFound) {
				t.Errorf("an expired token taken is still there: %v", err)
			}
		}},
		{"unknown and malformed tokens", func(t *testing.T) {
			for _, tok := range []string{"", "AAAAAAAAAAAAAAAA", "short", "much-too-long-for-a-token"} {
				if _, err := db.TakeCallback(ctx, tok); !errors.Is(err, ErrNotFound) {
					t.Errorf("Take(%q): %v, want ErrNotFound", tok, err)
				}
			}
		}},
		{"bad ttl and payload refused", func(t *testing.T) {
			if _, err := db.PutCallback(ctx, []byte("x"), 0); err == nil {
				t.Error("ttl 0 accepted")
			}
			if _, err := db.PutCallback(ctx, make([]byte, MaxCallbackPayload+1), time.Hour); err == nil {
				t.Error("an oversized payload accepted")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func BenchmarkCallbackPutTake(b *testing.B) {
	ctx := context.Background()
	db, _ := openTest(b, Options{})
	payload := []byte(`{"kind":"quotes","answer":"a1b2c3","docs":["sco-astana-2024","xinhua-0704"]}`)
	for b.Loop() {
		tok, err := db.PutCallback(ctx, payload, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.TakeCallback(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
