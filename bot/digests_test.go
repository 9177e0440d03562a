package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
)

// fakeDigests keeps subscriptions due every hour from their creation or
// last digest; Digest has something new only while fresh is set.
type fakeDigests struct {
	now   func() time.Time
	mu    sync.Mutex
	subs  []Subscription
	fresh bool
	sent  []time.Time
	since []time.Time
}

func (d *fakeDigests) Subscribe(_ context.Context, s Subscription, args string) (Subscription, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if strings.Contains(args, "never") {
		return Subscription{}, fmt.Errorf("%q is not a schedule", "never")
	}
	s.Since = d.now()
	s.ID, s.Topic, s.Schedule, s.Next = fmt.Sprint(len(d.subs)+1), args, "hourly", s.Since.Add(time.Hour)
	d.subs = append(d.subs, s)
	return s, nil
}

func (d *fakeDigests) Subscriptions(_ context.Context, chat string) ([]Subscription, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Subscription(nil), d.subs...), nil
}

func (d *fakeDigests) Unsubscribe(_ context.Context, chat, id string) error { return nil }

func (d *fakeDigests) Due(_ context.Context, now time.Time) ([]Subscription, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Subscription
	for _, s := range d.subs {
		if !s.Next.After(now) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (d *fakeDigests) Digest(_ context.Context, topic string, since time.Time, _ []string) (rag.Answer, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.since = append(d.since, since)
	if !d.fresh {
		return rag.Answer{}, true, nil
	}
	return testAnswer("briefing on " + topic), false, nil
}

func (d *fakeDigests) Sent(_ context.Context, id string, at time.Time, _ []string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sent = append(d.sent, at)
	for i := range d.subs {
		if d.subs[i].ID == id {
			d.subs[i].Since, d.subs[i].Next = at, at.Add(time.Hour)
		}
	}
	return nil
}

func (d *fakeDigests) sentCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.sent)
}

// TestDigestsFire: through the fake Bot API, /subscribe sets up a digest;
// by a fake clock it fires with what is new since the last one, and a
// second firing with nothing new sends nothing; a bad schedule and a group
// member who is no admin are told why.
func TestDigestsFire(t *testing.T) {
	f := newFakeTG(t)
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	d := &fakeDigests{fresh: true, now: clock}
	advance := func(by time.Duration) { mu.Lock(); now = now.Add(by); mu.Unlock() }
	startBotWithCore(t, f, &fakeAsker{}, func(c *Config) { c.Digests = d; c.DigestEvery = 5 * time.Millisecond; c.now = clock }, CoreOptions{Digests: d})

	f.push(privateMsg(42, 1, "/subscribe foreign ministers"))
	if r := f.waitSent(1)[0].form.Get("text"); !strings.Contains(r, "Subscribed (1)") {
		t.Fatalf("/subscribe: %q", r)
	}
	f.push(privateMsg(42, 2, "/subscribe heads of state never"))
	if r := f.waitSent(2)[1].form.Get("text"); !strings.Contains(r, "Not subscribed") || !strings.Contains(r, "never") {
		t.Errorf("a bad schedule: %q", r)
	}
	f.push(groupMsg(-100, 43, 3, "/subscribe@"+botName+" summits", nil))
	if r := f.waitSent(3)[2].form.Get("text"); !strings.Contains(r, "only its admins") {
		t.Errorf("a group member's /subscribe: %q", r)
	}

	advance(2 * time.Hour) // due
	sent := f.waitSent(4)
	if got := sent[3].form.Get("text"); sent[3].form.Get("chat_id") != "42" || !strings.Contains(got, "Digest: foreign ministers") || !strings.Contains(got, "Lavrov") {
		t.Errorf("the digest: chat %s, %q", sent[3].form.Get("chat_id"), got)
	}
	waitUntil(t, "the digest recorded", func() bool { return d.sentCount() == 1 })

	d.mu.Lock()
	d.fresh = false
	d.mu.Unlock()
	advance(2 * time.Hour) // due again, nothing new
	waitUntil(t, "the second firing", func() bool { return d.sentCount() == 2 })
	time.Sleep(20 * time.Millisecond)
	if n := len(f.callsOf("sendMessage")); n != 4 {
		t.Errorf("%d messages after a firing with nothing new, want 4", n)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.since) < 2 || !d.since[1].Equal(d.sent[0]) {
		t.Errorf("the second digest asked what is new since %v, want the first digest's time %v", d.since, d.sent)
	}
}
