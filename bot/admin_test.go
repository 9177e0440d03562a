package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLibrary records what editors add and remove.
type fakeLibrary struct {
	mu    sync.Mutex
	calls []string
}

var _ Library = (*fakeLibrary)(nil)

func (l *fakeLibrary) record(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, s)
}

func (l *fakeLibrary) got() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.calls...)
}

func (l *fakeLibrary) AddURL(_ context.Context, url string) (AddedReport, error) {
	l.record("url " + url)
	if strings.Contains(url, "404") {
		return AddedReport{}, errors.New("couldn't fetch " + url + ": the server answered 404 Not Found")
	}
	return AddedReport{ID: "news_example_a", Title: "SCO summit opens", Date: "2025-08-31", Publisher: "Example News", Langs: []string{"en"}, Chunks: 2}, nil
}

func (l *fakeLibrary) AddFile(_ context.Context, name string, data []byte) (AddedReport, error) {
	l.record("file " + name + " " + string(data))
	return AddedReport{ID: strings.TrimSuffix(name, ".txt"), Chunks: 1}, nil
}

func (l *fakeLibrary) AddText(_ context.Context, name, text string) (AddedReport, error) {
	l.record("text " + name + " " + text)
	return AddedReport{ID: name, Chunks: 1}, nil
}

func (l *fakeLibrary) Remove(_ context.Context, id string) error {
	l.record("remove " + id)
	return nil
}

// TestEditorsAddAndRemoveReports: through the real client against the
// fake Bot API, an editor adds reports by URL, as a file and by
// forwarding a message, and removes one; everyone else is refused
// politely and nothing is added.
func TestEditorsAddAndRemoveReports(t *testing.T) {
	const editor, reader = 7, 8
	f := newFakeTG(t)
	lib := &fakeLibrary{}
	tb := startBotWithCore(t, f, &fakeAsker{}, func(c *Config) { c.AdminUsers = []int64{editor}; c.NoticeInterval = time.Nanosecond }, CoreOptions{Library: lib})
	defer func() {
		if t.Failed() {
			t.Log(tb.logs.String())
		}
	}()
	f.addFile("f1", []byte("Tianjin, Sept 1 (Xinhua) -- The SCO summit opened."))
	// Updates are made as they are sent: Telegram's update IDs only grow.
	forwarded := func() map[string]any {
		u := privateMsg(editor, 4, "The SCO Secretariat marked its anniversary in Beijing.")
		u["message"].(map[string]any)["forward_date"] = 1700000000
		return u
	}
	document := func(user int64, msgID int, caption string) func() map[string]any {
		return func() map[string]any {
			u := privateMsg(user, msgID, "")
			msg := u["message"].(map[string]any)
			delete(msg, "text")
			msg["caption"] = caption
			msg["document"] = map[string]any{"file_id": "f1", "file_unique_id": "u1", "file_name": "tianjin.txt", "file_size": 50}
			return u
		}
	}
	text := func(user int64, msgID int, s string) func() map[string]any {
		return func() map[string]any { return privateMsg(user, msgID, s) }
	}

	steps := []struct {
		name  string
		upd   func() map[string]any
		reply string // in the reply
		call  string // the library's call; "" for none
	}{
		{"an editor adds a URL", text(editor, 1, "/add https://news.example/a"), "Added news_example_a", "url https://news.example/a"},
		{"a URL that fails", text(editor, 2, "/add https://news.example/404"), "Not added: couldn't fetch https://news.example/404: the server answered 404 Not Found", "url https://news.example/404"},
		{"an editor sends a file", document(editor, 3, "/add"), "Added tianjin", "file tianjin.txt Tianjin, Sept 1 (Xinhua) -- The SCO summit opened."},
		{"an editor forwards a message", forwarded, "Added telegram-7-4", "text telegram-7-4 The SCO Secretariat marked its anniversary in Beijing."},
		{"an editor removes a report", text(editor, 5, "/remove news_example_a"), "Removed news_example_a", "remove news_example_a"},
		{"a reader tries to add", text(reader, 6, "/add https://news.example/b"), "Only the newsroom's editors can add or remove reports", ""},
		{"a reader sends a file", document(reader, 7, ""), "I can only read text", ""},
		{"a reader tries to remove", text(reader, 8, "/remove news_example_a"), "Only the newsroom's editors", ""},
	}
	for i, s := range steps {
		before := len(lib.got())
		f.push(s.upd())
		sent := f.waitSent(i + 1)
		if got := sent[len(sent)-1].form.Get("text"); !strings.Contains(got, s.reply) {
			t.Errorf("%s: reply %q, want %q in it", s.name, got, s.reply)
		}
		calls := lib.got()[before:]
		switch {
		case s.call == "" && len(calls) != 0:
			t.Errorf("%s: the library was called: %q", s.name, calls)
		case s.call != "" && (len(calls) != 1 || calls[0] != s.call):
			t.Errorf("%s: library calls %q, want %q", s.name, calls, s.call)
		}
	}
}
