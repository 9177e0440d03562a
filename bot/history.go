package bot

import (
	"container/list"
	"context"
	"sync"

	"github.com/scobot/scobot/rag"
)

// History keeps each conversation's last turns, for follow-ups. The Core
// keeps them in memory (historyLRU) unless given one that survives a
// restart. Implementations must be safe for concurrent use; their
// failures lose only the context of a follow-up, so they are logged, not
// returned.
type History interface {
	// Turns returns the chat's turns, oldest first.
	Turns(ctx context.Context, chat string) []rag.Turn
	// Add appends a turn to the chat's history.
	Add(ctx context.Context, chat string, t rag.Turn)
	// Reset forgets the chat's history.
	Reset(ctx context.Context, chat string)
}

// historyLRU keeps the last turns of each chat, for at most maxChats chats:
// adding to a new chat beyond that forgets the least recently used one.
// Safe for concurrent use.
type historyLRU struct {
	mu       sync.Mutex
	maxChats int
	maxTurns int
	order    *list.List               // of *chatHistory, most recently used first
	byChat   map[string]*list.Element // chat key → element of order
}

type chatHistory struct {
	chat  string
	turns []rag.Turn
}

func newHistoryLRU(maxChats, maxTurns int) *historyLRU {
	return &historyLRU{maxChats: maxChats, maxTurns: maxTurns, order: list.New(), byChat: map[string]*list.Element{}}
}

// get returns a copy of the chat's turns, oldest first; nil for none.
func (h *historyLRU) get(chat string) []rag.Turn {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.byChat[chat]
	if !ok {
		return nil
	}
	h.order.MoveToFront(e)
	turns := e.Value.(*chatHistory).turns
	return append([]rag.Turn(nil), turns...)
}

// add appends a turn to the chat's history, keeping the last maxTurns.
func (h *historyLRU) add(chat string, t rag.Turn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.byChat[chat]
	if !ok {
		e = h.order.PushFront(&chatHistory{chat: chat})
		h.byChat[chat] = e
		for h.order.Len() > h.maxChats {
			old := h.order.Back()
			h.order.Remove(old)
			delete(h.byChat, old.Value.(*chatHistory).chat)
		}
	}
	h.order.MoveToFront(e)
	ch := e.Value.(*chatHistory)
	ch.turns = append(ch.turns, t)
	if len(ch.turns) > h.maxTurns {
		// Copy so the dropped turns' strings can be collected.
		ch.turns = append([]rag.Turn(nil), ch.turns[len(ch.turns)-h.maxTurns:]...)
	}
}

// Turns is get, for History.
func (h *historyLRU) Turns(_ context.Context, chat string) []rag.Turn { return h.get(chat) }

// Add is add, for History.
func (h *historyLRU) Add(_ context.Context, chat string, t rag.Turn) { h.add(chat, t) }

// Reset forgets the chat's turns.
func (h *historyLRU) Reset(_ context.Context, chat string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e, ok := h.byChat[chat]; ok {
		h.order.Remove(e)
		delete(h.byChat, chat)
	}
}

// len returns the number of chats with history.
func (h *historyLRU) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.order.Len()
}
