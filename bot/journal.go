package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/scobot/scobot/internal/atomicfile"
)

// journal is what the bot keeps across a restart, in a file of
// Config.StateDir written on shutdown and read, then removed, at the next
// start:
//   - Answered: polled updates answered at or past the offset it could
//     confirm. Telegram sends them again (the offset confirms only what is
//     below it); the next start must not answer them twice.
//   - Pending: webhook updates taken (Telegram got its 200 and will not post
//     them again) but not finished; the next start answers them.
//   - Recent: the webhook update IDs taken lately, so that an update
//     Telegram posts again across the restart is still recognised.
type journal struct {
	BotID    int64             `json:"bot_id"`
	Answered []int             `json:"answered,omitempty"`
	Pending  []json.RawMessage `json:"pending,omitempty"`
	Recent   []int             `json:"recent,omitempty"`
}

// empty reports whether the journal holds nothing to carry over.
func (j journal) empty() bool {
	return len(j.Answered) == 0 && len(j.Pending) == 0 && len(j.Recent) == 0
}

// journalPath is the journal's file for the bot with ID botID in dir: one
// per bot, as update IDs are per bot.
func journalPath(dir string, botID int64) string {
	return filepath.Join(dir, fmt.Sprintf("telegram-%d.json", botID))
}

// readJournal reads and removes the journal in dir; no file is an empty
// journal.
func readJournal(dir string, botID int64) (journal, error) {
	path := journalPath(dir, botID)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return journal{}, nil
	}
	if err != nil {
		return journal{}, fmt.Errorf("couldn't read the bot's state %s: %w", path, err)
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil {
		return journal{}, fmt.Errorf("couldn't read the bot's state %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return journal{}, fmt.Errorf("couldn't remove the bot's state %s once read: %w", path, err)
	}
	if j.BotID != botID {
		return journal{}, nil
	}
	return j, nil
}

// writeJournal writes j to dir (atomically: a temporary file renamed over
// it); an empty journal removes the file.
func writeJournal(dir string, j journal) error {
	path := journalPath(dir, j.BotID)
	if j.empty() {
		return atomicfile.Remove(path)
	}
	b, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("couldn't encode the bot's state: %w", err)
	}
	if err := atomicfile.Write(path, b); err != nil {
		return fmt.Errorf("couldn't keep the bot's state: %w", err)
	}
	return nil
}

// pendingUpdates holds the webhook updates taken and not yet finished, as
// Telegram posted them. Safe for concurrent use.
type pendingUpdates struct {
	mu  sync.Mutex
	raw map[int]json.RawMessage
}

func newPendingUpdates() *pendingUpdates {
	return &pendingUpdates{raw: map[int]json.RawMessage{}}
}

func (p *pendingUpdates) add(id int, raw json.RawMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.raw[id] = raw
}

func (p *pendingUpdates) done(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.raw, id)
}

// list returns the pending updates in update order.
func (p *pendingUpdates) list() []json.RawMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	ids := make([]int, 0, len(p.raw))
	for id := range p.raw {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]json.RawMessage, len(ids))
	for i, id := range ids {
		out[i] = p.raw[id]
	}
	return out
}
