package bot

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render"
	"github.com/scobot/scobot/render/rendertest"
	"github.com/scobot/scobot/render/words"
)

func TestPrivateQuestionAnswered(t *testing.T) {
	f := newFakeTG(t)
	tb := startBot(t, f, &fakeAsker{}, nil)
	f.push(privateMsg(42, 7, "Which foreign ministers did Wang Yi meet in Astana?"))

	sent := f.waitSent(1)[0].form
	t.Logf("private exchange:\n> Which foreign ministers did Wang Yi meet in Astana?\n< %s", sent.Get("text"))
	for _, want := range []string{"Wang Yi met Lavrov in Astana [1].", "<b>Sources</b>",
		`[1] <a href="https://www.fmprc.gov.cn/eng/x.html">Wang Yi attends the SCO foreign ministers&#39; meeting</a>`} {
		if !strings.Contains(sent.Get("text"), want) && !strings.Contains(sent.Get("text"), strings.ReplaceAll(want, "&#39;", "'")) {
			t.Errorf("reply lacks %q:\n%s", want, sent.Get("text"))
		}
	}
	if got := sent.Get("parse_mode"); got != "HTML" {
		t.Errorf("parse_mode = %q, want HTML", got)
	}
	if got := sent.Get("chat_id"); got != "42" {
		t.Errorf("chat_id = %q, want 42", got)
	}
	if got := sent.Get("reply_to_message_id"); got != "7" {
		t.Errorf("reply_to_message_id = %q, want 7", got)
	}
	if sent.Has("message_thread_id") {
		t.Errorf("message_thread_id set outside a forum topic")
	}
	if err := rendertest.CheckTelegramHTML(sent.Get("text")); err != nil {
		t.Error(err)
	}
	if cmds := f.waitFor(func(cs []apiCall) bool { return len(cs) > 0 }, "setMyCommands"); !strings.Contains(cmds[0].form.Get("commands"), `"ask"`) {
		t.Errorf("setMyCommands without /ask: %v", cmds[0].form)
	}
	if err := tb.stop(t); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

func TestGroupRouting(t *testing.T) {
	const chat = -1001
	topic := map[string]any{"message_thread_id": 77, "is_topic_message": true}
	mention := func(text string) map[string]any {
		return map[string]any{"entities": []map[string]any{{"type": "mention", "offset": render.UTF16Len(text[:strings.Index(text, "@")]), "length": len("@" + botName)}}}
	}
	replyToBot := map[string]any{"reply_to_message": map[string]any{"message_id": 5, "date": 1,
		"from": map[string]any{"id": botID, "is_bot": true, "first_name": "SCO bot"}, "chat": map[string]any{"id": chat, "type": "supergroup"}}}
	replyToOther := map[string]any{"reply_to_message": map[string]any{"message_id": 6, "date": 1,
		"from": map[string]any{"id": 55, "is_bot": false, "first_name": "Eve"}, "chat": map[string]any{"id": chat, "type": "supergroup"}}}
	tests := []struct {
		name      string
		text      string
		extra     map[string]any
		answered  bool
		question  string // what the Asker is asked
		thread    string
		wantReply bool
	}{
		{name: "chatter", text: "lunch anyone?"},
		{name: "other bot's command", text: "/ask@otherbot who won?"},
		{name: "bare help", text: "/help"},
		{name: "reply to someone else", text: "agreed", extra: replyToOther},
		{name: "ask", text: "/ask Who briefed the media?", answered: true, question: "Who briefed the media?"},
		{name: "ask@bot in a topic", text: "/ask@scobot Where was the 2021 meeting?", extra: topic, answered: true, question: "Where was the 2021 meeting?", thread: "77"},
		{name: "ask@BOT any case", text: "/ask@SCOBOT When is the summit?", answered: true, question: "When is the summit?"},
		{name: "mention", text: "@scobot what is the steel camel caravan?", extra: mention("@scobot what"), answered: true, question: "what is the steel camel caravan?"},
		{name: "mention after CJK", text: "请问 @scobot 钢铁驼队是什么？", extra: mention("请问 @scobot"), answered: true, question: "请问  钢铁驼队是什么？"},
		{name: "reply to the bot", text: "and in 2021?", extra: replyToBot, answered: true, question: "and in 2021?"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTG(t)
			asker := &fakeAsker{}
			startBot(t, f, asker, nil)
			extra := map[string]any{}
			for k, v := range tt.extra {
				extra[k] = v
			}
			if m, ok := tt.extra["entities"]; ok {
				extra["entities"] = m
			}
			f.push(groupMsg(chat, 10, 100+i, tt.text, extra))
			// A second, addressed message in the same chat: replies keep
			// the chat's order, so once it is answered the first was handled.
			f.push(groupMsg(chat, 10, 500, "/ask@scobot marker question", nil))
			sent := f.waitFor(func(cs []apiCall) bool {
				for _, c := range cs {
					if c.form.Get("reply_to_message_id") == "500" {
						return true
					}
				}
				return false
			}, "sendMessage")
			qs := asker.questions()
			if tt.answered {
				if len(sent) != 2 || len(qs) != 2 {
					t.Fatalf("got %d replies, %d questions (%q); want 2", len(sent), len(qs), qs)
				}
				if qs[0] != tt.question {
					t.Errorf("asked %q, want %q", qs[0], tt.question)
				}
				first := sent[0].form
				if got, want := first.Get("reply_to_message_id"), strconv.Itoa(100+i); got != want {
					t.Errorf("reply_to_message_id = %q, want %q", got, want)
				}
				if got := first.Get("message_thread_id"); got != tt.thread {
					t.Errorf("message_thread_id = %q, want %q", got, tt.thread)
				}
				if tt.thread != "" {
					t.Logf("group exchange (topic %s):\n> %s\n< %s", tt.thread, tt.text, first.Get("text"))
				}
			} else if len(sent) != 1 || len(qs) != 1 {
				t.Errorf("chatter answered: %d replies, questions %q", len(sent), qs)
			}
		})
	}
}

func TestLongAnswerSplit(t *testing.T) {
	para := strings.Repeat("The ministers agreed to deepen cooperation & <trust> [1]. ", 20) // ~1180 chars
	long := strings.TrimSpace(strings.Repeat(para+"\n\n", 5))
	f := newFakeTG(t)
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		a := testAnswer(req.Question)
		a.Text = long
		return a
	}}
	startBot(t, f, asker, nil)
	f.push(privateMsg(42, 8, "Tell me everything"))
	sent := f.waitFor(func(cs []apiCall) bool {
		return len(cs) > 0 && strings.Contains(cs[len(cs)-1].form.Get("text"), "Sources")
	}, "sendMessage")
	if len(sent) < 2 {
		t.Fatalf("a %d-character answer came in %d message(s)", len(long), len(sent))
	}
	var all strings.Builder
	for i, c := range sent {
		text := c.form.Get("text")
		if n := render.UTF16Len(text); n > render.MaxMessageUTF16 {
			t.Errorf("part %d: %d UTF-16 units", i+1, n)
		}
		if err := rendertest.CheckTelegramHTML(text); err != nil {
			t.Errorf("part %d: %v", i+1, err)
		}
		if c.form.Get("reply_to_message_id") != "8" {
			t.Errorf("part %d is not a reply to the question", i+1)
		}
		all.WriteString(render.HTMLToPlain(text) + "\n\n")
	}
	if got, want := rendertest.Squash(all.String()), rendertest.Squash(long); !strings.Contains(got, want) {
		t.Errorf("the parts do not hold the whole answer")
	}
}

func TestSourceTitleEscaped(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		a := testAnswer(req.Question)
		a.Citations[0].Title = `<b>& "quoted"`
		a.Citations[0].URL = `https://example.org/a?x=1&y="2"`
		return a
	}}
	startBot(t, f, asker, nil)
	f.push(privateMsg(42, 9, "q"))
	text := f.waitSent(1)[0].form.Get("text")
	for _, want := range []string{`&lt;b&gt;&amp; "quoted"`, `href="https://example.org/a?x=1&amp;y=&quot;2&quot;"`} {
		if !strings.Contains(text, want) {
			t.Errorf("reply lacks %q:\n%s", want, text)
		}
	}
	if err := rendertest.CheckTelegramHTML(text); err != nil {
		t.Error(err)
	}
}

func TestAllowlist(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{}
	tb := startBot(t, f, asker, func(c *Config) { c.AllowedUsers = []int64{1}; c.AllowedChats = []int64{-500} })
	f.push(privateMsg(2, 1, "hello?"))
	f.push(groupMsg(-500, 3, 2, "/ask allowed by the chat", nil))
	f.push(privateMsg(1, 3, "allowed by the user"))
	for _, c := range f.waitSent(3) {
		if refused := c.form.Get("text") == words.Text("en", words.Refused); refused != (c.form.Get("chat_id") == "2") {
			t.Errorf("chat %s got %q", c.form.Get("chat_id"), c.form.Get("text"))
		}
	}
	if qs := asker.questions(); len(qs) != 2 {
		t.Errorf("questions asked: %q, want the two allowed ones", qs)
	}
	if logs := tb.logs.String(); !strings.Contains(logs, "user_id=2") || !strings.Contains(logs, "refused") {
		t.Errorf("refusal not logged with the user's ID:\n%s", logs)
	}
	if strings.Contains(tb.logs.String(), "anyone who finds the bot") {
		t.Error("warned about open access with an allowlist set")
	}
}

func TestRateLimit(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{}
	now := time.Date(2024, 5, 21, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	startBot(t, f, asker, func(c *Config) { c.UserRate = Rate{N: 2, Per: time.Minute}; c.now = clock.now })
	for i := range 4 {
		f.push(privateMsg(42, i+1, "question"))
	}
	f.push(privateMsg(43, 9, "another user"))
	sent := f.waitSent(4)
	time.Sleep(50 * time.Millisecond) // a fifth reply would have come by now
	if n := len(f.callsOf("sendMessage")); n != 4 {
		t.Errorf("%d replies, want 4 (two answers, one please-wait, the other user's answer)", n)
	}
	var waits int
	for _, c := range sent {
		if strings.Contains(c.form.Get("text"), "Please wait") {
			waits++
			if !strings.Contains(c.form.Get("text"), "2 questions per minute") {
				t.Errorf("please-wait without the limit: %q", c.form.Get("text"))
			}
		}
	}
	if waits != 1 {
		t.Errorf("%d please-wait replies, want 1", waits)
	}
	if qs := asker.questions(); len(qs) != 3 {
		t.Errorf("asked %d questions, want 3", len(qs))
	}
}

func TestRetryAfter429(t *testing.T) {
	f := newFakeTG(t)
	failed := false
	f.setHook(func(method string, form url.Values) (int, string, bool) {
		if method == "sendMessage" && !failed {
			failed = true
			return 429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`, true
		}
		return 0, "", false
	})
	tb := startBot(t, f, &fakeAsker{}, nil)
	f.push(privateMsg(42, 1, "q"))
	sent := f.waitSent(2)
	if sent[0].form.Get("text") != sent[1].form.Get("text") {
		t.Error("the retry sent something else")
	}
	select {
	case d := <-tb.sleeps:
		if d != 7*time.Second {
			t.Errorf("waited %v, want retry_after 7s", d)
		}
	default:
		t.Error("no wait before the retry")
	}
}

func TestChatActionFailureStillAnswers(t *testing.T) {
	f := newFakeTG(t)
	// The answer waits for the chat action to have failed, so the test does
	// not depend on which goroutine runs first.
	failed := make(chan struct{})
	var once sync.Once
	f.setHook(func(method string, form url.Values) (int, string, bool) {
		if method == "sendChatAction" {
			once.Do(func() { close(failed) })
			return 400, `{"ok":false,"error_code":400,"description":"Bad Request: not enough rights"}`, true
		}
		return 0, "", false
	})
	startBot(t, f, &fakeAsker{block: failed}, nil)
	f.push(privateMsg(42, 1, "q"))
	f.waitSent(1)
	if len(f.callsOf("sendChatAction")) == 0 {
		t.Error("the chat action was never tried")
	}
}

func TestParseEntitiesFallback(t *testing.T) {
	f := newFakeTG(t)
	f.setHook(func(method string, form url.Values) (int, string, bool) {
		if method == "sendMessage" && form.Get("parse_mode") == "HTML" {
			return 400, `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: Unsupported start tag \"b\" at byte offset 0"}`, true
		}
		return 0, "", false
	})
	startBot(t, f, &fakeAsker{}, nil)
	f.push(privateMsg(42, 1, "q"))
	sent := f.waitSent(2)
	plain := sent[1].form
	if plain.Has("parse_mode") {
		t.Errorf("the resend kept parse_mode %q", plain.Get("parse_mode"))
	}
	want := "Wang Yi met Lavrov in Astana [1].\n\nSources\n[1] Wang Yi attends the SCO foreign ministers' meeting (https://www.fmprc.gov.cn/eng/x.html) — Ministry of Foreign Affairs of the PRC, 2024-05-21"
	if got := plain.Get("text"); got != want {
		t.Errorf("plain resend:\n got %q\nwant %q", got, want)
	}
	if plain.Get("reply_to_message_id") != "1" {
		t.Error("the plain resend is not a reply")
	}
}

func TestShutdownFinishesAnswerInFlight(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{started: make(chan struct{}, 1), block: make(chan struct{})}
	tb := startBot(t, f, asker, nil)
	up := privateMsg(42, 1, "slow question")
	f.push(up)
	<-asker.started
	tb.cancel() // SIGINT while the answer is being worked on
	time.Sleep(20 * time.Millisecond)
	close(asker.block)
	if err := tb.stop(t); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if n := len(f.callsOf("sendMessage")); n != 1 {
		t.Fatalf("%d replies after shutdown, want the answer in flight", n)
	}
	f.mu.Lock()
	acked := f.acked
	f.mu.Unlock()
	if want := up["update_id"].(int) + 1; acked != want {
		t.Errorf("acknowledged offset %d, want %d", acked, want)
	}
}

func TestTokenNeverInLogsOrErrors(t *testing.T) {
	// A transport error on every poll: the library's error carries the
	// request URL, token included.
	f := newFakeTG(t)
	f.setHook(func(method string, form url.Values) (int, string, bool) {
		if method == "getUpdates" || method == "sendChatAction" {
			return 502, "<html>Bad Gateway</html>", true
		}
		return 0, "", false
	})
	tb := startBot(t, f, &fakeAsker{}, nil)
	f.push(privateMsg(42, 1, "q"))
	f.waitFor(func(cs []apiCall) bool { return len(cs) >= 3 }, "getUpdates")

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	_, err := New(context.Background(), Config{Token: NewToken(testToken), APIURL: closed.URL}, NewCore(&fakeAsker{}, nil, CoreOptions{}))
	if err == nil {
		t.Fatal("New succeeded against a closed server")
	}
	tb.stop(t)
	logs := tb.logs.String()
	secret := testToken[strings.Index(testToken, ":")+1:]
	for what, s := range map[string]string{"logs": logs, "New's error": err.Error()} {
		if strings.Contains(s, secret) {
			t.Errorf("the token is in the %s:\n%s", what, s)
		}
	}
	if !strings.Contains(logs, "couldn't get updates") {
		t.Errorf("poll errors not logged:\n%s", logs)
	}
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("New's error does not show where the token was: %v", err)
	}
	if s := NewToken(testToken); s.String() != "[redacted]" || strings.Contains(s.GoString(), secret) || s.LogValue().String() != "[redacted]" {
		t.Error("Token prints its secret")
	}
}

func TestPollBacksOff(t *testing.T) {
	f := newFakeTG(t)
	f.setHook(func(method string, form url.Values) (int, string, bool) {
		if method == "getUpdates" {
			return 500, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, true
		}
		return 0, "", false
	})
	tb := startBot(t, f, &fakeAsker{}, nil)
	var waits []time.Duration
	for len(waits) < 4 {
		waits = append(waits, <-tb.sleeps)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] <= waits[i-1] {
			t.Errorf("waits %v do not grow", waits)
		}
	}
}

func TestStreamingEditsThenFinal(t *testing.T) {
	f := newFakeTG(t)
	clock := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		for _, s := range []string{"Wang", "Wang Yi", "Wang Yi met", "Wang Yi met Lavrov"} {
			clock.advance(600 * time.Millisecond)
			req.OnText(s)
			time.Sleep(20 * time.Millisecond) // let a send or edit happen
		}
		return testAnswer(req.Question)
	}}
	startBot(t, f, asker, func(c *Config) { c.now = clock.now })
	f.push(privateMsg(42, 1, "q"))
	f.waitFor(func(cs []apiCall) bool {
		return len(cs) > 0 && cs[len(cs)-1].form.Get("parse_mode") == "HTML"
	}, "editMessageText")
	sends := f.callsOf("sendMessage")
	edits := f.callsOf("editMessageText")
	if len(sends) != 1 || sends[0].form.Has("parse_mode") {
		t.Fatalf("want one plain streamed message, got %d sends", len(sends))
	}
	if len(edits) < 2 || len(edits) > 3 {
		t.Errorf("%d edits for 4 texts over 2.4 s, want 1-2 progress edits then the final", len(edits))
	}
	final := edits[len(edits)-1].form
	if !strings.Contains(final.Get("text"), "<b>Sources</b>") || final.Get("message_id") != "1000" {
		t.Errorf("final edit %v lacks the sources or edits the wrong message", final)
	}
}

func TestWebhook(t *testing.T) {
	f := newFakeTG(t)
	asker := &fakeAsker{}
	core := NewCore(asker, testDocs, CoreOptions{})
	b, err := New(context.Background(), Config{Token: NewToken(testToken), APIURL: f.apiURL(), WebhookURL: "https://example.org/hook", WebhookSecret: NewToken("s3cret")}, core)
	if err != nil {
		t.Fatal(err)
	}
	b.disp = newDispatcher(context.Background(), 4, time.Minute, b.job)
	h := b.webhookHandler("s3cret")
	post := func(secret string) int {
		body := `{"update_id":1,"message":{"message_id":3,"date":1,"text":"q","chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"}}}`
		r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	if code := post("wrong"); code != http.StatusForbidden {
		t.Errorf("wrong secret: %d, want 403", code)
	}
	if code := post("s3cret"); code != http.StatusOK {
		t.Errorf("right secret: %d, want 200", code)
	}
	b.disp.drain(time.Second, time.Second)
	if n := len(f.callsOf("sendMessage")); n != 1 {
		t.Errorf("%d replies, want 1", n)
	}
}

func TestNonTextMessages(t *testing.T) {
	f := newFakeTG(t)
	startBot(t, f, &fakeAsker{}, nil)
	photo := []map[string]any{{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}}
	g := groupMsg(-7, 10, 1, "", map[string]any{"photo": photo})
	f.push(g)
	p := privateMsg(42, 2, "")
	p["message"].(map[string]any)["photo"] = photo
	f.push(p)
	sent := f.waitSent(1)
	time.Sleep(30 * time.Millisecond)
	if n := len(f.callsOf("sendMessage")); n != 1 || sent[0].form.Get("chat_id") != "42" || sent[0].form.Get("text") != words.Text("en", words.NonText, defaultExamples[0]) {
		t.Errorf("want one hint, in the private chat; got %d replies, first %v", n, sent[0].form)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token", Config{}, "TELEGRAM_BOT_TOKEN"},
		{"bad API URL", Config{Token: NewToken("x"), APIURL: "api.telegram.org"}, "want http(s)"},
		{"bad secret", Config{Token: NewToken("x"), WebhookURL: "https://h/x", WebhookSecret: NewToken("a b")}, "webhook secret"},
		{"deadline shorter than the model's retry time", Config{Token: NewToken("x"), UpdateTimeout: 20 * time.Second, ModelTime: 2 * time.Minute}, "shorter than the language model's retry time 2m0s"},
		{"deadline leaving no time for the fallback", Config{Token: NewToken("x"), UpdateTimeout: 2 * time.Minute, ModelTime: 2 * time.Minute}, "at least 2m5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error about %q", err, tt.want)
			}
		})
	}
}

func TestErrorsKeepTheirType(t *testing.T) {
	a := &api{token: "tok"}
	inner := errors.New("post https://x/bottok/getMe: refused")
	err := a.scrub(inner)
	if strings.Contains(err.Error(), "tok/") || !errors.Is(err, inner) {
		t.Errorf("scrub(%v) = %v", inner, err)
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
