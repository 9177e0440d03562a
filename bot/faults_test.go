package bot

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render/words"
)

// TestAPIURLPasswordRedacted: a TELEGRAM_API_URL with user:pass@ never
// shows its password, neither in New's errors nor in the logs.
func TestAPIURLPasswordRedacted(t *testing.T) {
	const pass = "hunter2-very-secret"
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	hostPort := strings.TrimPrefix(closed.URL, "http://")
	core := NewCore(&fakeAsker{}, nil, CoreOptions{})
	for _, apiURL := range []string{
		"http://admin:" + pass + "@" + hostPort,          // unreachable
		"ftp://admin:" + pass + "@" + hostPort,           // bad scheme
		"http://admin:" + pass + "@" + hostPort + "/%zz", // does not parse
	} {
		logs := &syncBuffer{}
		_, err := New(context.Background(), Config{Token: NewToken(testToken), APIURL: apiURL, Logger: slog.New(slog.NewTextHandler(logs, nil))}, core)
		if err == nil {
			t.Fatalf("New(%q) succeeded", apiURL)
		}
		for what, s := range map[string]string{"error": err.Error(), "logs": logs.String()} {
			if strings.Contains(s, pass) {
				t.Errorf("New(%q): the password is in the %s: %s", apiURL, what, s)
			}
		}
		if !strings.Contains(err.Error(), "admin:xxxxx@") && !strings.Contains(err.Error(), "xxxxx@") {
			t.Errorf("New(%q): the error does not say where the API is: %v", apiURL, err)
		}
	}

	// Through a working server the password still never shows, even when
	// every poll fails.
	f := newFakeTG(t)
	f.setHook(func(method string, _ url.Values) (int, string, bool) {
		if method == "getUpdates" {
			return 502, "<html>Bad Gateway</html>", true
		}
		return 0, "", false
	})
	withPass := strings.Replace(f.apiURL(), "http://", "http://admin:"+pass+"@", 1)
	tb := startBot(t, f, &fakeAsker{}, func(c *Config) { c.APIURL = withPass })
	f.waitFor(func(cs []apiCall) bool { return len(cs) >= 3 }, "getUpdates")
	tb.stop(t)
	if logs := tb.logs.String(); strings.Contains(logs, pass) {
		t.Errorf("the password is in the logs:\n%s", logs)
	}
}

// hangingAsker is a language model that does not answer: each Ask waits
// for its context to end and then falls back (as rag/answer's Assistant
// does), except questions containing "stuck", which ignore the context
// until release is closed.
type hangingAsker struct {
	started chan string // receives each question as its Ask begins
	release chan struct{}
	onText  func(req rag.Request) // called first, if set: the streamed text
}

var _ Asker = (*hangingAsker)(nil)

func (a *hangingAsker) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	if a.onText != nil {
		a.onText(req)
	}
	if a.started != nil {
		a.started <- req.Question
	}
	if strings.Contains(req.Question, "stuck") {
		<-a.release
	} else {
		<-ctx.Done()
	}
	ans := testAnswer(req.Question)
	ans.Text = "Fallback: Wang Yi met Lavrov in Astana [1]."
	ans.Note = "The language model did not answer; these are quoted sentences."
	return ans, nil
}

func (f *fakeTG) ackedOffset() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.acked
}

// TestShutdownWithHangingModel: on shutdown every accepted update is
// answered (the model gives up and the fallback is sent with a context of
// its own) or left unacknowledged: the offset the bot confirms stops at
// the first update without a sent reply.
func TestShutdownWithHangingModel(t *testing.T) {
	tests := []struct {
		name      string
		questions []string
		failChat  int64 // sendMessage to this chat fails (500)
		wantSent  int   // replies sent
		wantAck   int   // index of the first update left unacknowledged; len = none
	}{
		{"all fall back", []string{"q1", "q2", "q3", "q4", "q5"}, 0, 5, 5},
		{"one stuck", []string{"q1", "q2", "stuck q3", "q4", "q5"}, 0, 4, 2},
		{"one reply cannot be sent", []string{"q1", "q2", "q3", "q4", "q5"}, 11, 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTG(t)
			if tt.failChat != 0 {
				f.setHook(func(method string, form url.Values) (int, string, bool) {
					if method == "sendMessage" && form.Get("chat_id") == strconv.FormatInt(tt.failChat, 10) {
						return 500, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, true
					}
					return 0, "", false
				})
			}
			asker := &hangingAsker{started: make(chan string, len(tt.questions)), release: make(chan struct{})}
			t.Cleanup(func() { close(asker.release) })
			tb := startBotWith(t, f, asker, func(c *Config) {
				c.ShutdownGrace = 20 * time.Millisecond
				c.FallbackTime = 50 * time.Millisecond
				c.DeliveryTimeout = time.Second // ample: the stuck case waits it out
				c.RepollInterval = 5 * time.Millisecond
			})
			var ids []int
			for i, q := range tt.questions {
				up := privateMsg(int64(10+i), i+1, q)
				ids = append(ids, up["update_id"].(int))
				f.push(up)
			}
			for range tt.questions {
				<-asker.started
			}
			if got := f.ackedOffset(); got > ids[0] {
				t.Fatalf("offset %d confirmed while every update was in work (first %d)", got, ids[0])
			}
			if err := tb.stop(t); err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
			var sent int
			for _, c := range f.callsOf("sendMessage") {
				if strings.Contains(c.form.Get("text"), "Fallback:") && c.form.Get("chat_id") != strconv.FormatInt(tt.failChat, 10) {
					sent++
				}
			}
			if sent != tt.wantSent {
				t.Errorf("%d fallback replies sent, want %d", sent, tt.wantSent)
			}
			want := ids[len(ids)-1] + 1
			if tt.wantAck < len(ids) {
				want = ids[tt.wantAck]
			}
			if got := f.ackedOffset(); got != want {
				t.Errorf("confirmed offset %d, want %d (updates %v)", got, want, ids)
			}
			left := len(tt.questions) - tt.wantSent
			if logs := tb.logs.String(); left > 0 && !strings.Contains(logs, "updates left unacknowledged at shutdown") {
				t.Errorf("the updates left are not logged:\n%s", logs)
			} else if left > 0 && !strings.Contains(logs, "count="+strconv.Itoa(left)) {
				t.Errorf("the log does not say %d were left:\n%s", left, logs)
			}
		})
	}
}

// TestDeadlineReplacesPreview: when the per-update deadline passes while
// the answer is streamed, the unchecked preview is replaced by the
// fallback answer, with its sources, although the job's context is over
// and the answer took longer than the delivery's own time limit.
func TestDeadlineReplacesPreview(t *testing.T) {
	f := newFakeTG(t)
	clock := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	asker := &hangingAsker{release: make(chan struct{}), onText: func(req rag.Request) {
		clock.advance(2 * time.Second)
		req.OnText("Wang Yi met Lav")
		for range 500 { // until the preview is sent
			if len(f.callsOf("sendMessage")) > 0 {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}}
	defer close(asker.release)
	startBotWith(t, f, asker, func(c *Config) {
		c.now = clock.now
		c.UpdateTimeout = 500 * time.Millisecond   // room for the preview to be sent first
		c.DeliveryTimeout = 250 * time.Millisecond // shorter than the answer took: counted from the delivery
		c.FallbackTime = 10 * time.Millisecond
	})
	f.push(privateMsg(42, 1, "q"))
	f.waitFor(func(cs []apiCall) bool {
		for _, c := range cs {
			if c.method == "deleteMessage" || c.form.Get("parse_mode") == "HTML" {
				return true
			}
		}
		return false
	}, "editMessageText", "deleteMessage")
	sends := f.callsOf("sendMessage")
	if len(sends) != 1 || sends[0].form.Has("parse_mode") {
		t.Fatalf("want one plain preview, got %d sends", len(sends))
	}
	edits := f.callsOf("editMessageText")
	final := edits[len(edits)-1].form
	if final.Get("message_id") != "1000" || !strings.Contains(final.Get("text"), "Fallback:") || !strings.Contains(final.Get("text"), "<b>Sources</b>") {
		t.Errorf("the preview was not replaced by the fallback with its sources: %v", final)
	}
}

// waitDone waits until the bot has confirmed every update up to id (so
// each was handled), or fails.
func (f *fakeTG) waitDone(id int) {
	f.t.Helper()
	f.waitFor(func([]apiCall) bool { return f.ackedOffset() > id }, "getUpdates")
}

// repliesTo returns the texts sent to a chat.
func (f *fakeTG) repliesTo(chat int64) []string {
	var out []string
	for _, c := range f.callsOf("sendMessage") {
		if c.form.Get("chat_id") == strconv.FormatInt(chat, 10) {
			out = append(out, c.form.Get("text"))
		}
	}
	return out
}

// TestRefusalFlooding: refusals and "please wait" replies are limited to
// one per user per notice interval, and /start, /help and /sources have
// their own limit: they neither count as questions nor stop working when
// the question limit is reached.
func TestRefusalFlooding(t *testing.T) {
	f := newFakeTG(t)
	clock := &fakeClock{t: time.Date(2024, 5, 21, 12, 0, 0, 0, time.UTC)}
	asker := &fakeAsker{}
	startBot(t, f, asker, func(c *Config) {
		c.now = clock.now
		c.AllowedUsers = []int64{1, 3}
		c.UserRate = Rate{N: 2, Per: time.Hour}
		c.InfoRate = Rate{N: 5, Per: time.Hour}
		c.NoticeInterval = time.Minute
		c.RepollInterval = time.Millisecond
	})
	last := func(u map[string]any) int { f.push(u); return u["update_id"].(int) }

	// A stranger's flood gets one refusal per interval.
	var id int
	for i := range 11 {
		id = last(privateMsg(2, i+1, "let me in"))
	}
	f.waitDone(id)
	if got := f.repliesTo(2); len(got) != 1 || got[0] != words.Text("en", words.Refused) {
		t.Errorf("a stranger's 11 messages got %d replies, want 1 refusal: %q", len(got), got)
	}
	clock.advance(time.Minute)
	f.waitDone(last(privateMsg(2, 20, "let me in")))
	if got := f.repliesTo(2); len(got) != 2 {
		t.Errorf("after the interval: %d refusals, want 2", len(got))
	}

	// An allowed user: two questions, then the limit; one please-wait for
	// the flood; /help keeps working and does not count.
	for i, text := range []string{"q1", "/help", "q2", "q3", "q4", "q5", "/help", "/sources"} {
		id = last(privateMsg(1, 100+i, text))
	}
	f.waitDone(id)
	var answers, waits, infos int
	for _, r := range f.repliesTo(1) {
		switch {
		case strings.Contains(r, "Please wait"):
			waits++
		case strings.Contains(r, "Wang Yi met Lavrov"):
			answers++
		default:
			infos++
		}
	}
	if answers != 2 || waits != 1 || infos != 3 {
		t.Errorf("replies: %d answers, %d please-wait, %d /help or /sources; want 2, 1, 3", answers, waits, infos)
	}

	// Informational commands do not use up the question limit.
	for i, text := range []string{"/start", "/help", "/sources", "/help", "q1", "q2"} {
		id = last(privateMsg(3, 200+i, text))
	}
	f.waitDone(id)
	if got := f.repliesTo(3); len(got) != 6 || !strings.Contains(got[5], "Wang Yi met Lavrov") {
		t.Errorf("user 3: %d replies, want 6 ending with an answer", len(got))
	}

	// Past their own limit, informational commands get one please-wait.
	for i := range 4 {
		id = last(privateMsg(3, 300+i, "/help"))
	}
	f.waitDone(id)
	if got := f.repliesTo(3); len(got) != 8 || !strings.Contains(got[7], "Please wait") || !strings.Contains(got[7], "5 commands per hour") {
		t.Errorf("user 3 past the command limit: %d replies, want 8, the last a please-wait: %q", len(got), got[len(got)-1])
	}
}

// TestWebhookDuplicateUpdate: an update posted twice, one after the other
// or at once, is answered once; an update refused while the queue was
// full is taken when posted again.
func TestWebhookDuplicateUpdate(t *testing.T) {
	f := newFakeTG(t)
	b, err := New(context.Background(), Config{Token: NewToken(testToken), APIURL: f.apiURL(),
		WebhookURL: "https://example.org/hook", WebhookSecret: NewToken("s3cret")}, NewCore(&fakeAsker{}, testDocs, CoreOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	b.disp = newDispatcher(context.Background(), 64, time.Minute, b.job)
	srv := httptest.NewServer(b.webhookHandler("s3cret"))
	defer srv.Close()
	post := func(updateID, msgID int) int {
		body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"text":"q","chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"}}}`, updateID, msgID)
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 2 {
		if code := post(7001, 1); code != http.StatusOK {
			t.Errorf("post: %d, want 200", code)
		}
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() { post(7002, 2) })
	}
	wg.Wait()
	post(7003, 3)
	b.disp.drain(time.Second, time.Second)
	if per := f.repliesPerMessage(); per["1"] != 1 || per["2"] != 1 || per["3"] != 1 || len(per) != 3 {
		t.Errorf("replies per message %v, want one each for 1, 2 and 3", per)
	}

	// Refused with a 503 (no room in the queue), then posted again: taken.
	b.disp = newDispatcher(context.Background(), 1, time.Minute, b.job)
	block := make(chan struct{})
	b.disp.slots <- struct{}{} // the queue is full
	go func() { <-block; <-b.disp.slots }()
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(`{"update_id":7004,"message":{"message_id":4,"date":1,"text":"q","chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"}}}`))
	r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the enqueue gives up at once
	w := httptest.NewRecorder()
	b.webhookHandler("s3cret").ServeHTTP(w, r.WithContext(ctx))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("full queue: %d, want 503", w.Code)
	}
	close(block)
	if code := post(7004, 4); code != http.StatusOK {
		t.Errorf("posted again: %d, want 200", code)
	}
	b.disp.drain(time.Second, time.Second)
	if n := len(f.callsOf("sendMessage")); n != 4 {
		t.Errorf("%d replies in all, want 4", n)
	}
}

// TestRecentIDsWindow: the de-duplication window is bounded: past n newer
// IDs an old one is new again, and a removed one is new at once.
func TestRecentIDsWindow(t *testing.T) {
	r := newRecentIDs(3)
	for _, id := range []int{1, 2, 3} {
		if !r.add(id) {
			t.Fatalf("add(%d) = false on first sight", id)
		}
	}
	if r.add(2) {
		t.Error("add(2) = true within the window")
	}
	r.add(4) // pushes 1 out
	if !r.add(1) {
		t.Error("add(1) = false after it left the window")
	}
	r.remove(3)
	if !r.add(3) {
		t.Error("add(3) = false after remove")
	}
	if len(r.pos) > 3 {
		t.Errorf("%d IDs remembered, want at most 3", len(r.pos))
	}
}

// TestUnfinishedUpdateRedeliveredAtRestart: an update left unacknowledged
// at shutdown (the model hung past the grace) is answered by the next
// start, from the offset the first run confirmed.
func TestUnfinishedUpdateRedeliveredAtRestart(t *testing.T) {
	f := newFakeTG(t)
	hung := &hangingAsker{started: make(chan string, 2), release: make(chan struct{})}
	t.Cleanup(func() { close(hung.release) })
	tb := startBotWith(t, f, hung, func(c *Config) {
		quickShutdown(c)
	})
	up := privateMsg(42, 1, "stuck question")
	f.push(up)
	<-hung.started
	tb.stop(t)
	if n := len(f.callsOf("sendMessage")); n != 0 {
		t.Fatalf("%d replies from the hung run, want none", n)
	}
	id := up["update_id"].(int)
	if got := f.ackedOffset(); got > id {
		t.Fatalf("the hung update %d was confirmed (offset %d)", id, got)
	}

	asker := &fakeAsker{}
	startBot(t, f, asker, nil)
	f.waitDone(id)
	if qs := asker.questions(); len(qs) != 1 || qs[0] != "stuck question" {
		t.Errorf("the restart asked %q, want the update left over", qs)
	}
	if sent := f.waitSent(1); sent[0].form.Get("reply_to_message_id") != "1" {
		t.Errorf("the reply does not answer the left-over message: %v", sent[0].form)
	}
}

// TestPreviewDeletedWhenFinalEditFails: if the streamed preview cannot be
// edited into the final answer, the answer is sent anew and the preview,
// never checked, is deleted.
func TestPreviewDeletedWhenFinalEditFails(t *testing.T) {
	f := newFakeTG(t)
	f.setHook(func(method string, form url.Values) (int, string, bool) {
		if method == "editMessageText" && form.Get("parse_mode") != "" {
			return 400, `{"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"}`, true
		}
		return 0, "", false
	})
	clock := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		clock.advance(2 * time.Second)
		req.OnText("Wang Yi met Lav")
		for range 500 {
			if len(f.callsOf("sendMessage")) > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		return testAnswer(req.Question)
	}}
	startBot(t, f, asker, func(c *Config) { c.now = clock.now })
	f.push(privateMsg(42, 1, "q"))
	dels := f.waitFor(func(cs []apiCall) bool { return len(cs) > 0 }, "deleteMessage")
	if dels[0].form.Get("message_id") != "1000" {
		t.Errorf("deleted message %s, want the preview 1000", dels[0].form.Get("message_id"))
	}
	sends := f.callsOf("sendMessage")
	if len(sends) != 2 || !strings.Contains(sends[1].form.Get("text"), "<b>Sources</b>") {
		t.Errorf("want the preview and the answer sent anew, got %d sends", len(sends))
	}
}
