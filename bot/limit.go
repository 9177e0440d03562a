package bot

import (
	"slices"
	"sync"
	"time"
)

// access decides who is answered.
type access struct {
	chats, users []int64
}

// open reports whether anyone may ask.
func (a access) open() bool { return len(a.chats) == 0 && len(a.users) == 0 }

// allows reports whether a message from user in chat is answered: anyone
// when no list is set, else when the chat or the user is listed.
func (a access) allows(chat, user int64) bool {
	return a.open() || slices.Contains(a.chats, chat) || (user != 0 && slices.Contains(a.users, user))
}

// maxBuckets bounds the rate limiter's memory: beyond it, buckets that
// have refilled are forgotten.
const maxBuckets = 10000

// limiter enforces with token buckets a per-user and a per-chat rate of
// questions, a per-user rate of informational commands, and at most one
// notice (a refusal, a "please wait") per sender per notice interval.
// Safe for concurrent use.
type limiter struct {
	mu     sync.Mutex
	user   bucketSet
	chat   bucketSet
	info   bucketSet // /start, /help, /sources, per user
	notice bucketSet // notices, per sender
	now    func() time.Time
	limit  int // buckets kept per set before pruning
}

type bucketSet struct {
	rate    Rate
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
	warned bool // the sender was told to wait since the last allowed event
}

func newLimiter(user, chat, info Rate, noticeInterval time.Duration, now func() time.Time) *limiter {
	return &limiter{
		user:   bucketSet{rate: user, buckets: map[int64]*bucket{}},
		chat:   bucketSet{rate: chat, buckets: map[int64]*bucket{}},
		info:   bucketSet{rate: info, buckets: map[int64]*bucket{}},
		notice: bucketSet{rate: Rate{N: 1, Per: noticeInterval}, buckets: map[int64]*bucket{}},
		now:    now,
		limit:  maxBuckets,
	}
}

// allowInfo takes one event from the sender's bucket of informational
// commands (the chat's when the sender is unknown), which questions do
// not share; limit is the rate when it refuses.
func (l *limiter) allowInfo(sender int64) (ok bool, limit Rate) {
	if l.take(&l.info, sender) {
		return true, Rate{}
	}
	return false, l.info.rate
}

// allowNotice reports whether the sender (the chat when the sender is
// unknown) may be sent a notice now, and if so counts it: at most one per
// notice interval, so a flood cannot make the bot flood back.
func (l *limiter) allowNotice(sender int64) bool {
	return l.take(&l.notice, sender)
}

// take takes one event from key's bucket of set, if it has one; a set
// without a limit always has one.
func (l *limiter) take(set *bucketSet, key int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := set.get(key, l.now(), l.limit)
	if b == nil {
		return true
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// allow takes one event from the user's and the chat's buckets if both
// have one. When it refuses, warn is true the first time since the last
// allowed event, so a flood gets one "please wait", not one per message.
// A user of 0 (unknown sender) is limited by the chat only.
func (l *limiter) allow(user, chat int64) (ok, warn bool, limit Rate) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var ub, cb *bucket
	if user != 0 {
		ub = l.user.get(user, now, l.limit)
	}
	cb = l.chat.get(chat, now, l.limit)
	for _, x := range []struct {
		b *bucket
		r Rate
	}{{ub, l.user.rate}, {cb, l.chat.rate}} {
		if x.b != nil && x.b.tokens < 1 {
			warn = !x.b.warned
			x.b.warned = true
			return false, warn, x.r
		}
	}
	for _, b := range []*bucket{ub, cb} {
		if b != nil {
			b.tokens--
			b.warned = false
		}
	}
	return true, false, Rate{}
}

// get returns key's bucket refilled to now, or nil when the set has no
// limit.
func (s *bucketSet) get(key int64, now time.Time, limit int) *bucket {
	if s.rate.Unlimited() {
		return nil
	}
	b, ok := s.buckets[key]
	if !ok {
		if len(s.buckets) >= limit {
			s.prune(now)
		}
		b = &bucket{tokens: float64(s.rate.N), last: now}
		s.buckets[key] = b
		return b
	}
	s.refill(b, now)
	return b
}

func (s *bucketSet) refill(b *bucket, now time.Time) {
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(float64(s.rate.N), b.tokens+float64(s.rate.N)*el.Seconds()/s.rate.Per.Seconds())
		b.last = now
	}
}

// prune forgets the buckets that are full again: forgetting them changes
// nothing.
func (s *bucketSet) prune(now time.Time) {
	for k, b := range s.buckets {
		s.refill(b, now)
		if b.tokens >= float64(s.rate.N) {
			delete(s.buckets, k)
		}
	}
}
