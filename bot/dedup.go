package bot

import "sync"

// webhookDedupWindow is how many recent webhook update IDs are remembered
// to recognise an update Telegram posts again.
const webhookDedupWindow = 4096

// recentIDs remembers the last n update IDs taken, in a ring. Safe for
// concurrent use.
type recentIDs struct {
	mu   sync.Mutex
	ring []int       // IDs in the order taken; 0 for a free slot
	next int         // slot the next ID goes to
	pos  map[int]int // ID → its slot
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{ring: make([]int, n), pos: make(map[int]int, n)}
}

// add records id and reports whether it is new, that is not among the
// last n IDs added (and not removed).
func (r *recentIDs) add(id int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.pos[id]; ok {
		return false
	}
	if old := r.ring[r.next]; old != 0 && r.pos[old] == r.next {
		delete(r.pos, old)
	}
	r.ring[r.next] = id
	r.pos[id] = r.next
	r.next = (r.next + 1) % len(r.ring)
	return true
}

// remove forgets id, so it is new again (an update that could not be
// queued, which Telegram will post again).
func (r *recentIDs) remove(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.pos, id)
}

// ids returns the IDs remembered, oldest first.
func (r *recentIDs) ids() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for i := range r.ring {
		id := r.ring[(r.next+i)%len(r.ring)]
		if id != 0 && r.pos[id] == (r.next+i)%len(r.ring) {
			out = append(out, id)
		}
	}
	return out
}
