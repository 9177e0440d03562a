package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// fakeBotAPI is a fake Telegram Bot API on loopback for whole-command
// tests of serve, driven through the real go-telegram-bot-api client:
// getUpdates with Telegram's offset rule and a short long-poll, every
// sendMessage and editMessageText recorded by the message it replies to,
// anything else answered true.
type fakeBotAPI struct {
	srv *httptest.Server

	mu         sync.Mutex
	updates    []map[string]any // not yet confirmed
	nextUpd    int
	nextMsg    int
	polled     chan struct{} // closed at the first getUpdates
	once       sync.Once
	replies    map[int][]string // question message ID → texts sent in reply (edits included)
	replyOf    map[int]int      // bot message ID → question message ID
	markups    map[int]string   // question message ID → the last reply_markup sent in reply
	botMsg     map[int]int      // question message ID → the bot message replying to it
	answered   int              // answerCallbackQuery calls
	chatOf     map[int]int64    // message ID → its chat
	admins     map[int64]bool
	transcript []string // what users sent and the bot's final texts, in order
}

func newFakeBotAPI(t *testing.T) *fakeBotAPI {
	f := &fakeBotAPI{nextUpd: 1, nextMsg: 1, polled: make(chan struct{}), replies: map[int][]string{}, replyOf: map[int]int{}, markups: map[int]string{}, botMsg: map[int]int{}, chatOf: map[int]int64{}, admins: map[int64]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// ask enqueues a private message from user 7 and returns its message ID.
func (f *fakeBotAPI) ask(text string) int { return f.askAs(7, text) }

// askAs enqueues a private message from user and returns its message ID.
func (f *fakeBotAPI) askAs(user int64, text string) int { return f.say(user, user, "", text) }

// say enqueues a message from user, whose Telegram is in lang, in chat
// (private when it is the user's own, else a group) and returns its ID. In
// a group, a command or a mention of the bot is marked as Telegram marks
// it. The transcript records it.
func (f *fakeBotAPI) say(chat, user int64, lang, text string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextMsg
	f.nextMsg++
	from := map[string]any{"id": user, "is_bot": false, "first_name": "Reader" + strconv.FormatInt(user, 10)}
	if lang != "" {
		from["language_code"] = lang
	}
	c := map[string]any{"id": chat, "type": "private", "first_name": "Reader"}
	m := map[string]any{"message_id": id, "date": time.Now().Unix(), "text": text, "from": from, "chat": c}
	if chat != user {
		c["type"], c["title"] = "supergroup", "Newsroom"
		first, _, _ := strings.Cut(text, " ")
		switch {
		case strings.HasPrefix(text, "/"):
			m["entities"] = []map[string]any{{"type": "bot_command", "offset": 0, "length": len(utf16.Encode([]rune(first)))}}
		case strings.HasPrefix(text, "@"):
			m["entities"] = []map[string]any{{"type": "mention", "offset": 0, "length": len(utf16.Encode([]rune(first)))}}
		}
	}
	f.chatOf[id] = chat
	f.transcript = append(f.transcript, fmt.Sprintf("%d (%s) → %s", user, lang, text))
	f.updates = append(f.updates, map[string]any{"update_id": f.nextUpd, "message": m})
	f.nextUpd++
	return id
}

// reply waits up to limit for a reply to question msg and returns its
// texts so far joined ("" if none came).
func (f *fakeBotAPI) reply(msg int, limit time.Duration) string {
	deadline := time.Now().Add(limit)
	for {
		f.mu.Lock()
		texts := f.replies[msg]
		f.mu.Unlock()
		if len(texts) > 0 || time.Now().After(deadline) {
			return strings.Join(texts, "\n")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitPolling waits up to limit until the bot polls: it is ready.
func (f *fakeBotAPI) waitPolling(t *testing.T, limit time.Duration) {
	t.Helper()
	select {
	case <-f.polled:
	case <-time.After(limit):
		t.Fatal("the bot did not poll for updates")
	}
}

func (f *fakeBotAPI) serve(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	reply := func(result any) { _ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result}) }
	switch method {
	case "getMe":
		reply(map[string]any{"id": 1, "is_bot": true, "first_name": "Live", "username": "live_bot"})
	case "getUpdates":
		f.once.Do(func() { close(f.polled) })
		offset, _ := strconv.Atoi(r.FormValue("offset"))
		reply(f.getUpdates(r, offset))
	case "sendMessage", "editMessageText":
		reply(f.sent(r, method == "editMessageText"))
	case "getChatMember":
		user, _ := strconv.ParseInt(r.FormValue("user_id"), 10, 64)
		f.mu.Lock()
		status := "member"
		if f.admins[user] {
			status = "administrator"
		}
		f.mu.Unlock()
		reply(map[string]any{"status": status, "user": map[string]any{"id": user, "is_bot": false, "first_name": "Reader"}})
	case "answerCallbackQuery":
		f.mu.Lock()
		f.answered++
		f.mu.Unlock()
		reply(true)
	default:
		reply(true)
	}
}

// getUpdates drops the updates before offset and returns the rest,
// waiting up to 200 ms for one.
func (f *fakeBotAPI) getUpdates(r *http.Request, offset int) []map[string]any {
	end := time.Now().Add(200 * time.Millisecond)
	for {
		f.mu.Lock()
		kept := f.updates[:0]
		for _, u := range f.updates {
			if u["update_id"].(int) >= offset {
				kept = append(kept, u)
			}
		}
		f.updates = kept
		out := append([]map[string]any{}, f.updates...)
		f.mu.Unlock()
		if len(out) > 0 || time.Now().After(end) || r.Context().Err() != nil {
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sent records a sendMessage or an edit of one.
func (f *fakeBotAPI) sent(r *http.Request, edit bool) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	var id int
	if edit {
		id, _ = strconv.Atoi(r.FormValue("message_id"))
	} else {
		id = f.nextMsg
		f.nextMsg++
		f.replyOf[id], _ = strconv.Atoi(r.FormValue("reply_to_message_id"))
	}
	if r.FormValue("parse_mode") == "HTML" {
		f.transcript = append(f.transcript, "bot → "+r.FormValue("text"))
	}
	if q := f.replyOf[id]; q != 0 {
		f.replies[q] = append(f.replies[q], r.FormValue("text"))
		if m := r.FormValue("reply_markup"); m != "" {
			f.markups[q], f.botMsg[q] = m, id
		}
	}
	return map[string]any{"message_id": id, "date": time.Now().Unix(), "text": r.FormValue("text"),
		"chat": map[string]any{"id": chat, "type": "private"}}
}

// press enqueues user pressing the button with callback data under the
// bot's reply to question msg; it returns the question's ID that the
// button's own replies answer (the bot's message, replied to).
func (f *fakeBotAPI) press(user int64, msg int, label string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var mk struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(f.markups[msg]), &mk); err != nil {
		return 0, err
	}
	for _, row := range mk.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				f.updates = append(f.updates, map[string]any{"update_id": f.nextUpd, "callback_query": map[string]any{
					"id": strconv.Itoa(f.nextUpd), "chat_instance": "c", "data": b.CallbackData,
					"from":    map[string]any{"id": user, "is_bot": false, "first_name": "Reader"},
					"message": map[string]any{"message_id": f.botMsg[msg], "date": time.Now().Unix(), "text": "answer", "chat": f.chatJSON(msg, user)},
				}})
				f.nextUpd++
				f.transcript = append(f.transcript, fmt.Sprintf("%d presses [%s]", user, label))
				return f.botMsg[msg], nil
			}
		}
	}
	return 0, fmt.Errorf("no button %q under the reply to %d: %s", label, msg, f.markups[msg])
}

// labels returns the labels of the buttons under the bot's reply to msg,
// row after row.
func (f *fakeBotAPI) labels(msg int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var mk struct {
		InlineKeyboard [][]struct {
			Text string `json:"text"`
		} `json:"inline_keyboard"`
	}
	_ = json.Unmarshal([]byte(f.markups[msg]), &mk)
	var out []string
	for _, row := range mk.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// callbacksAnswered counts the answerCallbackQuery calls.
func (f *fakeBotAPI) callbacksAnswered() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answered
}

// startServe runs scobot serve with args against tg, with the settings
// vars (tg's URL and a bot token added unless given), until it is ready;
// it returns serve's log and a stop that ends it and fails the test
// unless it exits 0.
func startServe(t *testing.T, tg *fakeBotAPI, vars map[string]string, args ...string) (*lockedBuffer, func()) {
	t.Helper()
	return startServeWith(t, tg, vars, nil, args...)
}

// startServeWith is startServe with mod (nil: none) setting the Main's
// test hooks (its clock) first.
func startServeWith(t *testing.T, tg *fakeBotAPI, vars map[string]string, mod func(*Main), args ...string) (*lockedBuffer, func()) {
	t.Helper()
	env := map[string]string{"TELEGRAM_API_URL": tg.srv.URL, "TELEGRAM_BOT_TOKEN": "123:abc"}
	for k, v := range vars {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	errOut := &lockedBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: &lockedBuffer{}, Stderr: errOut, Getenv: func(k string) string { return env[k] }}
	if mod != nil {
		mod(m)
	}
	exited := make(chan int, 1)
	go func() { exited <- m.Run(ctx, append([]string{"serve"}, args...)) }()
	tg.waitPolling(t, 30*time.Second)
	return errOut, func() {
		t.Helper()
		cancel()
		if code := <-exited; code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	}
}

// chatJSON is the chat of question msg, as Telegram writes it.
func (f *fakeBotAPI) chatJSON(msg int, user int64) map[string]any {
	chat, ok := f.chatOf[msg]
	if !ok || chat == user {
		return map[string]any{"id": user, "type": "private"}
	}
	return map[string]any{"id": chat, "type": "supergroup", "title": "Newsroom"}
}

// sentCount is how many messages the bot has sent.
func (f *fakeBotAPI) sentCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nextMsg
}

// lines returns the transcript so far.
func (f *fakeBotAPI) lines() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.transcript...)
}
