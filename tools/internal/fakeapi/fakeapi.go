// Package fakeapi holds what the whole-process tools (tools/soak,
// tools/loadrun) share to run the built bot against fakes on loopback: a
// fake Telegram Bot API that records the final answers, the pieces of a
// fake OpenAI-compatible chat model, and small helpers.
package fakeapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Serve serves h on a loopback port and returns its URL and a function that
// stops it.
func Serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// Tail returns the last 3000 bytes of the file at path, after a newline,
// to append to an error (a log's end).
func Tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return "\n" + string(b)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Telegram is a fake Bot API: getUpdates with Telegram's offset rule (an
// offset confirms every update before it) and its long-poll wait,
// sendMessage and editMessageText recorded, everything else answered true.
// A final answer is a message or an edit sent with parse_mode HTML in reply
// to a question (the bot's streamed previews are plain text); the first
// such text of each bot message is recorded as an Answer of that question.
// Set the exported fields before serving it.
type Telegram struct {
	// Name and Username are what getMe answers.
	Name, Username string
	// PollEvery is how often a waiting getUpdates looks for updates.
	PollEvery time.Duration
	// Refuse, when set, is called for every sendMessage, one at a time
	// with the fake's lock held (it must not call the Telegram's methods);
	// true refuses that call with a 429, retry after 1 s.
	Refuse func() bool

	mu      sync.Mutex
	updates []update // unconfirmed, by ID
	nextUpd int
	nextMsg int
	confirm int              // every update before it is confirmed
	asked   []int            // the questions' message IDs, in order
	replyOf map[int]int      // bot message → question message it answers
	answers map[int][]Answer // question message → its final answers
	polled  chan struct{}    // closed at the first getUpdates
	once    sync.Once
}

type update struct {
	ID   int
	Chat int64
	Msg  int
	Text string
}

// Answer is a final answer to a question: the bot message that holds it,
// its first HTML text and when that came.
type Answer struct {
	Msg  int
	Text string
	At   time.Time
}

// NewTelegram returns a fake Bot API whose bot is called name (username
// username) and whose waiting getUpdates looks every 20 ms.
func NewTelegram(name, username string) *Telegram {
	return &Telegram{Name: name, Username: username, PollEvery: 20 * time.Millisecond,
		nextUpd: 1, nextMsg: 1, replyOf: map[int]int{}, answers: map[int][]Answer{}, polled: make(chan struct{})}
}

// Enqueue adds an update: a private message text from chat, whose sender's
// ID is the chat's.
func (t *Telegram) Enqueue(chat int64, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := update{ID: t.nextUpd, Chat: chat, Msg: t.nextMsg, Text: text}
	t.nextUpd++
	t.nextMsg++
	t.updates = append(t.updates, u)
	t.asked = append(t.asked, u.Msg)
}

// WaitPolling waits up to limit until the bot polls for updates: it is
// ready.
func (t *Telegram) WaitPolling(limit time.Duration) error {
	select {
	case <-t.polled:
		return nil
	case <-time.After(limit):
		return errors.New("the bot did not poll for updates")
	}
}

// Acked is the ID of the last update the bot has confirmed (-1 before
// its first offset).
func (t *Telegram) Acked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.confirm - 1
}

// Answered is how many questions have a final answer.
func (t *Telegram) Answered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.answers)
}

// Questions returns the message IDs of the questions enqueued, in order.
func (t *Telegram) Questions() []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]int(nil), t.asked...)
}

// Answers returns, for every question with a final answer, its final
// answers, one for each bot message, in the order they came.
func (t *Telegram) Answers() map[int][]Answer {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[int][]Answer, len(t.answers))
	for q, as := range t.answers {
		out[q] = append([]Answer(nil), as...)
	}
	return out
}

// ServeHTTP answers a Bot API call, /bot<token>/<method>.
func (t *Telegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		_ = r.ParseForm()
	}
	reply := func(result any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}
	switch method {
	case "getMe":
		reply(map[string]any{"id": 1, "is_bot": true, "first_name": t.Name, "username": t.Username})
	case "getUpdates":
		t.once.Do(func() { close(t.polled) })
		reply(t.getUpdates(r.Context(), atoi(r.FormValue("offset")), atoi(r.FormValue("timeout"))))
	case "sendMessage":
		if t.refuse() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
			return
		}
		reply(t.sent(r, 0))
	case "editMessageText":
		reply(t.sent(r, atoi(r.FormValue("message_id"))))
	default:
		reply(true)
	}
}

func (t *Telegram) refuse() bool {
	if t.Refuse == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.Refuse()
}

// getUpdates confirms the updates before offset and returns up to 100 of
// the rest, waiting for one up to a second (at most timeout seconds).
func (t *Telegram) getUpdates(ctx context.Context, offset, timeout int) []map[string]any {
	t.mu.Lock()
	defer t.mu.Unlock()
	if offset > t.confirm {
		t.confirm = offset
		kept := t.updates[:0]
		for _, u := range t.updates {
			if u.ID >= offset {
				kept = append(kept, u)
			}
		}
		t.updates = kept
	}
	end := time.Now().Add(time.Duration(min(timeout, 1)) * time.Second)
	for len(t.updates) == 0 && time.Now().Before(end) && ctx.Err() == nil {
		t.mu.Unlock()
		time.Sleep(t.PollEvery)
		t.mu.Lock()
	}
	var out []map[string]any
	for _, u := range t.updates {
		if len(out) == 100 {
			break
		}
		out = append(out, map[string]any{"update_id": u.ID, "message": map[string]any{
			"message_id": u.Msg, "date": time.Now().Unix(), "text": u.Text,
			"from": map[string]any{"id": u.Chat, "is_bot": false, "first_name": "Reader", "language_code": "en"},
			"chat": map[string]any{"id": u.Chat, "type": "private", "first_name": "Reader"},
		}})
	}
	return out
}

// sent records a sendMessage (edit 0) or an editMessageText of message edit.
func (t *Telegram) sent(r *http.Request, edit int) map[string]any {
	t.mu.Lock()
	defer t.mu.Unlock()
	chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	id := edit
	if edit == 0 {
		id = t.nextMsg
		t.nextMsg++
		t.replyOf[id] = atoi(r.FormValue("reply_to_message_id"))
	}
	if q := t.replyOf[id]; q != 0 && r.FormValue("parse_mode") == "HTML" && !t.hasAnswer(q, id) {
		t.answers[q] = append(t.answers[q], Answer{Msg: id, Text: r.FormValue("text"), At: time.Now()})
	}
	return map[string]any{"message_id": id, "date": time.Now().Unix(), "text": r.FormValue("text"),
		"chat": map[string]any{"id": chat, "type": "private"}}
}

// hasAnswer reports whether bot message msg is already recorded as a final
// answer of question q.
func (t *Telegram) hasAnswer(q, msg int) bool {
	for _, a := range t.answers[q] {
		if a.Msg == msg {
			return true
		}
	}
	return false
}
