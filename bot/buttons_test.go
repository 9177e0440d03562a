package bot

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
)

// feedbackLog records the feedback given.
type feedbackLog struct {
	mu  sync.Mutex
	got []Feedback
}

func (l *feedbackLog) Record(_ context.Context, f Feedback) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, f)
	return nil
}

func (l *feedbackLog) all() []Feedback {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Feedback(nil), l.got...)
}

// callbackUpdate is a button pressed by user under bot message msg in
// chat, with data.
func callbackUpdate(chat, user int64, msg int, data string) map[string]any {
	return map[string]any{"update_id": updateID(), "callback_query": map[string]any{
		"id": "cb" + data, "chat_instance": "ci", "data": data,
		"from":    map[string]any{"id": user, "is_bot": false, "first_name": "Ann"},
		"message": map[string]any{"message_id": msg, "date": 1, "text": "answer", "chat": map[string]any{"id": chat, "type": "private"}},
	}}
}

// keyboard reads an inline keyboard (reply_markup): the number of buttons
// in each row, and each button's callback data by its label.
func keyboard(t *testing.T, markup string) (rows []int, data map[string]string) {
	t.Helper()
	var mk struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &mk); err != nil {
		t.Fatalf("reply_markup %q: %v", markup, err)
	}
	data = map[string]string{}
	for _, row := range mk.InlineKeyboard {
		rows = append(rows, len(row))
		for _, b := range row {
			if len(b.CallbackData) > 64 {
				t.Errorf("callback_data %q is longer than Telegram allows", b.CallbackData)
			}
			data[b.Text] = b.CallbackData
		}
	}
	return rows, data
}

// TestAnswerButtons: through the real client against the fake Bot API, an
// answer comes with 👍, 👎, full quotes, briefing and its follow-ups; each
// button pressed does what it says, and one whose token is unknown says it
// has expired.
func TestAnswerButtons(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		a := testAnswer(req.Question)
		a.Passages = []rag.Passage{{Chunk: rag.Chunk{ID: "001_14086ad8159a262e#3", Doc: "001_14086ad8159a262e", Text: "王毅分别同俄罗斯外长拉夫罗夫举行了双边会谈。"}}}
		a.FollowUps = []string{"What else did Lavrov say?", "What happened in Astana?"}
		return a
	}}
	fb := &feedbackLog{}
	startBotWith(t, f, asker, func(c *Config) { c.Feedback = fb })
	f.push(privateMsg(42, 1, "Which foreign ministers did Wang Yi meet in Astana?"))
	sent := f.waitSent(1)
	rows, data := keyboard(t, sent[0].form.Get("reply_markup"))
	if len(rows) != 3 || rows[0] != 4 {
		t.Fatalf("reply_markup %q: want a row of four buttons and one row per follow-up", sent[0].form.Get("reply_markup"))
	}
	answerMsg := 1000 // the fake's first message ID
	press := func(label string) {
		t.Helper()
		d, ok := data[label]
		if !ok {
			t.Fatalf("no button %q in %v", label, data)
		}
		f.push(callbackUpdate(42, 42, answerMsg, d))
	}
	toasts := func() []string {
		var out []string
		for _, c := range f.callsOf("answerCallbackQuery") {
			out = append(out, c.form.Get("text"))
		}
		return out
	}

	press("👍")
	f.waitFor(func(cs []apiCall) bool { return len(cs) >= 1 }, "answerCallbackQuery")
	press("👎")
	f.waitFor(func(cs []apiCall) bool { return len(cs) >= 2 }, "answerCallbackQuery")
	if got := fb.all(); len(got) != 2 || !got[0].Good || got[1].Good || got[1].Question != "Which foreign ministers did Wang Yi meet in Astana?" || len(got[1].Citations) != 1 || got[1].Chat != "42" {
		t.Errorf("feedback %+v", got)
	}
	if ts := toasts(); ts[0] != "Thank you: noted." {
		t.Errorf("toasts %q", ts)
	}

	press("📄 Full quotes")
	sent = f.waitSent(2)
	if q := sent[1].form.Get("text"); !strings.Contains(q, "拉夫罗夫") || !strings.Contains(q, "[1] Wang Yi attends the SCO foreign ministers") {
		t.Errorf("full quotes: %q", q)
	}

	press("📋 Briefing")
	sent = f.waitSent(3)
	if b := sent[2].form.Get("text"); !strings.Contains(b, "Briefings are coming soon") {
		t.Errorf("briefing: %q", b)
	}

	press("What else did Lavrov say?")
	sent = f.waitSent(4)
	if qs := asker.questions(); len(qs) != 2 || qs[1] != "What else did Lavrov say?" {
		t.Errorf("the follow-up asked %q", qs)
	}
	if sent[3].form.Get("reply_markup") == "" {
		t.Errorf("the follow-up's answer has no buttons")
	}

	f.push(callbackUpdate(42, 42, answerMsg, "NOSUCHTOKEN:up"))
	f.waitFor(func(cs []apiCall) bool { return len(cs) >= 6 }, "answerCallbackQuery")
	if ts := toasts(); ts[len(ts)-1] != "This button has expired; please ask again." {
		t.Errorf("an unknown token: toast %q", ts[len(ts)-1])
	}
	if len(fb.all()) != 2 {
		t.Errorf("an unknown token recorded feedback")
	}
}

// TestMemCallbacksExpire: a token works until its time is up, and the
// oldest are dropped past the bound.
func TestMemCallbacksExpire(t *testing.T) {
	now := time.Unix(0, 0)
	m := newMemCallbacks(2, func() time.Time { return now })
	ctx := context.Background()
	a, _ := m.PutCallback(ctx, []byte("a"), time.Minute)
	if p, err := m.GetCallback(ctx, a); err != nil || string(p) != "a" {
		t.Fatalf("get: %q, %v", p, err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := m.GetCallback(ctx, a); err != ErrCallbackExpired {
		t.Errorf("after its ttl: %v", err)
	}
	b, _ := m.PutCallback(ctx, []byte("b"), time.Hour)
	m.PutCallback(ctx, []byte("c"), time.Hour)
	m.PutCallback(ctx, []byte("d"), time.Hour)
	if _, err := m.GetCallback(ctx, b); err != ErrCallbackExpired {
		t.Errorf("past the bound, the oldest stays: %v", err)
	}
}

// TestButtonRepliesInTheReadersLanguage: a Chinese reader's answer has
// Chinese buttons, and what they bring is in Chinese too, even when the
// press does not say the client's language (the fake Bot API's presses,
// like some clients', carry none); a reader whose client does say it
// gets their own.
func TestButtonRepliesInTheReadersLanguage(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		a := testAnswer(req.Question)
		a.Passages = []rag.Passage{{Chunk: rag.Chunk{ID: "001_14086ad8159a262e#3", Doc: "001_14086ad8159a262e", Text: "王毅分别同俄罗斯外长拉夫罗夫举行了双边会谈。"}}}
		return a
	}}
	startBot(t, f, asker, nil)
	q := privateMsg(42, 1, "王毅在阿斯塔纳会见了哪些外长？")
	q["message"].(map[string]any)["from"].(map[string]any)["language_code"] = "zh-hans"
	f.push(q)
	sent := f.waitSent(1)
	_, data := keyboard(t, sent[0].form.Get("reply_markup"))
	if data["📄 原文"] == "" || data["📋 简报"] == "" {
		t.Fatalf("the Chinese reader's buttons: %v", data)
	}
	answerMsg := 1000 // the fake's first message ID
	steps := []struct {
		label, code string // the button, the press's language_code
		want, not   string
	}{
		{"📄 原文", "", "<b>所引段落</b>", "The cited passages"},
		{"📋 简报", "", "简报功能即将推出", "Briefings"},
		{"📄 原文", "en", "<b>The cited passages</b>", "所引段落"},
	}
	for i, st := range steps {
		u := callbackUpdate(42, 42, answerMsg, data[st.label])
		if st.code != "" {
			u["callback_query"].(map[string]any)["from"].(map[string]any)["language_code"] = st.code
		}
		f.push(u)
		sent = f.waitSent(i + 2)
		if got := sent[i+1].form.Get("text"); !strings.Contains(got, st.want) || strings.Contains(got, st.not) {
			t.Errorf("%s pressed (language %q): %q, want %q", st.label, st.code, got, st.want)
		}
	}
}
