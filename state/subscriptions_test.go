package state

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestSubscriptions(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	db, path := openTest(t, Options{Now: clock.Now})
	shanghai := mustZone(t, "Asia/Shanghai")
	add := func(t *testing.T, s Subscription) Subscription {
		t.Helper()
		got, err := db.AddSubscription(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a1 := add(t, Subscription{Chat: "tg:-100", ChatID: -100, ThreadID: 7, Topic: "summits", CreatedBy: 42,
		Schedule: Schedule{Every: Weekly, Day: time.Monday, Hour: 9, Minute: 30, Location: shanghai}})
	a2 := add(t, Subscription{Chat: "tg:-100", ChatID: -100, Topic: "ministers", CreatedBy: 43, Schedule: Schedule{Every: Daily, Hour: 8}})
	b1 := add(t, Subscription{Chat: "tg:5", ChatID: 5, Topic: "Lavrov", CreatedBy: 5, Schedule: Schedule{Every: Daily, Hour: 6}})

	ids := func(subs []Subscription) string {
		var s []string
		for _, x := range subs {
			s = append(s, x.ID)
		}
		return fmt.Sprint(s)
	}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"ids distinct and typeable", func(t *testing.T) {
			if a1.ID != "1" || a2.ID != "2" || b1.ID != "3" {
				t.Errorf("IDs %s %s %s", a1.ID, a2.ID, b1.ID)
			}
		}},
		{"list per chat", func(t *testing.T) {
			subs, err := db.Subscriptions(ctx, "tg:-100")
			if err != nil || ids(subs) != "[1 2]" {
				t.Fatalf("Subscriptions = %s, %v", ids(subs), err)
			}
			got := subs[0]
			if got.ChatID != -100 || got.ThreadID != 7 || got.Topic != "summits" || got.CreatedBy != 42 ||
				!got.CreatedAt.Equal(clock.Now()) || !got.LastSent.IsZero() ||
				got.Schedule.String() != "weekly mon 09:30 Asia/Shanghai" {
				t.Errorf("stored subscription came back as %+v", got)
			}
		}},
		{"all", func(t *testing.T) {
			subs, err := db.AllSubscriptions(ctx)
			if err != nil || ids(subs) != "[1 2 3]" {
				t.Errorf("AllSubscriptions = %s, %v", ids(subs), err)
			}
		}},
		{"mark sent", func(t *testing.T) {
			at := clock.Now().Add(time.Hour)
			if err := db.MarkSent(ctx, a2.ID, at); err != nil {
				t.Fatal(err)
			}
			subs, _ := db.Subscriptions(ctx, "tg:-100")
			if !subs[1].LastSent.Equal(at) || subs[1].Topic != "ministers" {
				t.Errorf("after MarkSent: %+v", subs[1])
			}
			if err := db.MarkSent(ctx, "99", at); !errors.Is(err, ErrNotFound) {
				t.Errorf("MarkSent of an unknown ID: %v", err)
			}
		}},
		{"another chat cannot remove it", func(t *testing.T) {
			if err := db.RemoveSubscription(ctx, "tg:5", a1.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("removed from the wrong chat: %v", err)
			}
		}},
		{"remove", func(t *testing.T) {
			if err := db.RemoveSubscription(ctx, "tg:-100", a1.ID); err != nil {
				t.Fatal(err)
			}
			if err := db.RemoveSubscription(ctx, "tg:-100", a1.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("second remove: %v", err)
			}
			for _, id := range []string{"", "x", "0", "-1"} {
				if err := db.RemoveSubscription(ctx, "tg:-100", id); !errors.Is(err, ErrNotFound) {
					t.Errorf("remove %q: %v", id, err)
				}
			}
			subs, _ := db.AllSubscriptions(ctx)
			if ids(subs) != "[2 3]" {
				t.Errorf("left %s", ids(subs))
			}
		}},
		{"new IDs are never reused", func(t *testing.T) {
			if s := add(t, Subscription{Chat: "tg:5", Topic: "t", Schedule: Schedule{Every: Daily}}); s.ID != "4" {
				t.Errorf("ID %s after a removal, want 4", s.ID)
			}
		}},
		{"bad subscriptions refused", func(t *testing.T) {
			for _, s := range []Subscription{
				{Topic: "no chat", Schedule: Schedule{Every: Daily}},
				{Chat: "c", Schedule: Schedule{Every: Daily}},
				{Chat: "c", Topic: "t", Schedule: Schedule{Every: "hourly"}},
				{Chat: "c", Topic: "t", Schedule: Schedule{Every: Daily, Hour: 24}},
				{Chat: "c", Topic: "t", Schedule: Schedule{Every: Weekly, Day: 7}},
				{Chat: "c", Topic: "t", Schedule: Schedule{Every: Daily, Location: time.Local}},
			} {
				if _, err := db.AddSubscription(ctx, s); err == nil {
					t.Errorf("AddSubscription(%+v) accepted", s)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}

	// The zone survives a restart by name, so Next still works in it.
	db.Close()
	db2, err := Open(ctx, path, Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	subs, err := db2.Subscriptions(ctx, "tg:5")
	if err != nil || len(subs) != 2 {
		t.Fatalf("after reopening: %d subscriptions, %v", len(subs), err)
	}
	if subs[0].Schedule.Location.String() != "UTC" {
		t.Errorf("zone %v", subs[0].Schedule.Location)
	}
}

func TestNextDigest(t *testing.T) {
	daily8 := Schedule{Every: Daily, Hour: 8}
	tests := []struct {
		name string
		sub  Subscription
		want string
	}{
		{"never sent: after creation", Subscription{Schedule: daily8, CreatedAt: utc("2026-03-01T09:00:00Z")}, "2026-03-02T08:00:00Z"},
		{"created before the hour", Subscription{Schedule: daily8, CreatedAt: utc("2026-03-01T07:00:00Z")}, "2026-03-01T08:00:00Z"},
		{"after the last sent", Subscription{Schedule: daily8, CreatedAt: utc("2026-01-01T00:00:00Z"), LastSent: utc("2026-03-05T08:00:03Z")}, "2026-03-06T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sub.NextDigest(); !got.Equal(utc(tt.want)) {
				t.Errorf("NextDigest = %v, want %s", got, tt.want)
			}
		})
	}
}
