package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/rag/chunk"
)

// envAdmins are the Telegram user IDs of the editors, who may add and
// remove reports through the bot.
const envAdmins = "ADMIN_USER_IDS"

// library is the bot's Library over the folder of added reports: a report
// an editor sends is admitted as scobot add admits it, and the live app
// reloads at once, so the next question is answered from it (the watcher
// would reload too, a moment later). One addition or removal at a time.
type library struct {
	cfg   config
	fetch pageFetcher
	live  *liveApp
	mu    sync.Mutex
}

var _ bot.Library = (*library)(nil)

// AddURL fetches the page at url and adds it.
func (l *library) AddURL(ctx context.Context, url string) (bot.AddedReport, error) {
	name, body, err := l.fetch(ctx, url)
	if err != nil {
		return bot.AddedReport{}, err
	}
	return l.admit(ctx, name, body)
}

// AddFile adds a report sent as a file.
func (l *library) AddFile(ctx context.Context, name string, data []byte) (bot.AddedReport, error) {
	return l.admit(ctx, name, data)
}

// AddText adds a report sent as a message's text, as name.txt.
func (l *library) AddText(ctx context.Context, name, text string) (bot.AddedReport, error) {
	return l.admit(ctx, name+".txt", []byte(strings.TrimSpace(text)+"\n"))
}

func (l *library) admit(ctx context.Context, name string, body []byte) (bot.AddedReport, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	origins, err := corpusOrigins(l.cfg)
	if err != nil {
		return bot.AddedReport{}, err
	}
	doc, _, err := admitReport(ctx, l.cfg.Added, name, body, origins, false)
	if ab, ok := errors.AsType[*addedBeforeError](err); ok {
		return bot.AddedReport{}, fmt.Errorf("a report with the ID %s was added before; /remove %s first to replace it", ab.id, ab.id)
	}
	if err != nil {
		return bot.AddedReport{}, err
	}
	l.live.reload(ctx)
	return bot.AddedReport{ID: doc.ID, Title: doc.Title, Date: doc.Date, Publisher: doc.Source, Langs: doc.Langs,
		Chunks: len(chunk.Document(doc, chunk.Options{}))}, nil
}

// Remove removes an added report.
func (l *library) Remove(ctx context.Context, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	origins, err := corpusOrigins(l.cfg)
	if err != nil {
		return err
	}
	if err := removeReport(io.Discard, l.cfg.Added, id, origins); err != nil {
		return err
	}
	l.live.reload(ctx)
	return nil
}

// addedTimes returns when each report of the folder of added reports was
// added (its file's modification time), by ID.
func addedTimes(dir string) map[string]time.Time {
	out := map[string]time.Time{}
	if dir == "" {
		return out
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() {
			continue
		}
		id := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		out[id] = info.ModTime()
	}
	return out
}
