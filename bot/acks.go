package bot

import (
	"slices"
	"sync"
)

// updateState is where a polled update stands.
type updateState int

const (
	stateInFlight  updateState = iota // accepted, not finished
	stateSent                         // finished: replied to, or nothing to reply
	stateFailed                       // finished, but its reply could not be sent
	stateHandedOff                    // in work, no longer holding the offset (see handOff)
)

// acks tracks the updates taken by polling, so that the getUpdates offset
// confirms to Telegram only updates that are finished. Telegram confirms
// every update below the offset, so the offset is held at the oldest
// unfinished update, and the updates Telegram then sends again are
// recognised and skipped. Safe for concurrent use.
type acks struct {
	mu    sync.Mutex
	floor int                 // every update below it is confirmed or finished
	top   int                 // highest update ID accepted
	state map[int]updateState // updates at or above floor that were accepted
	wake  chan struct{}       // receives (without blocking) when an update finishes
}

func newAcks() *acks {
	return &acks{state: map[int]updateState{}, wake: make(chan struct{}, 1)}
}

// accept records that update id is taken. It returns false when the update
// was taken already (Telegram sent it again while the offset was held).
func (a *acks) accept(id int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if id < a.floor {
		return false
	}
	if _, ok := a.state[id]; ok {
		return false
	}
	a.state[id] = stateInFlight
	a.top = max(a.top, id)
	return true
}

// finish records that update id is finished; sent says whether its reply
// was sent (or none was needed). An update the offset has passed already
// (handed off, then forgotten) is not recorded again.
func (a *acks) finish(id int, sent bool) {
	a.mu.Lock()
	if _, ok := a.state[id]; !ok {
		a.mu.Unlock()
		return
	}
	if sent {
		a.state[id] = stateSent
	} else {
		a.state[id] = stateFailed
	}
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// offset returns the getUpdates offset that confirms only finished
// updates: the oldest unfinished update, or one past the newest when all
// are finished; 0 before any update. While running, an update whose reply
// failed counts as finished (it is logged; holding the offset for it would
// stop the bot); with final set, on shutdown, it does not, so Telegram
// sends it again at the next start.
func (a *acks) offset(final bool) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.top == 0 {
		return a.floor
	}
	low := a.top + 1
	for id, s := range a.state {
		if s == stateInFlight || (final && s == stateFailed) {
			low = min(low, id)
		}
	}
	for id := range a.state {
		if id < low {
			delete(a.state, id)
		}
	}
	a.floor = max(a.floor, low)
	return low
}

// unfinished counts the updates accepted and not finished, the failed
// ones included, those handed off excepted.
func (a *acks) unfinished() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, s := range a.state {
		if s == stateInFlight || s == stateFailed {
			n++
		}
	}
	return n
}

// inWork reports whether update id is accepted, not finished and holding
// the offset.
func (a *acks) inWork(id int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.state[id]
	return ok && s == stateInFlight
}

// handOff lets the offset pass update id while it is still in work, and
// reports whether it did: false when id is not in work (finished already).
// The caller must keep the update beforehand (the journal's Pending) and
// drop it again when handOff returns false.
func (a *acks) handOff(id int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.state[id]; !ok || s != stateInFlight {
		return false
	}
	a.state[id] = stateHandedOff
	return true
}

// answeredFrom returns the updates from offset on whose reply was sent:
// Telegram sends them again after a shutdown at that offset.
func (a *acks) answeredFrom(offset int) []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []int
	for id, s := range a.state {
		if id >= offset && s == stateSent {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
