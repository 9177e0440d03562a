package bot

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
)

// stuckAsker hangs on a question with "stuck" in it until release, and
// answers any other at once.
type stuckAsker struct {
	started chan string
	release chan struct{}
}

func (a *stuckAsker) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	a.started <- req.Question
	if strings.Contains(req.Question, "stuck") {
		<-a.release
	}
	return testAnswer(req.Question), nil
}

// TestAnsweredUpdatesNotRepeatedAtRestart: an update left unfinished at
// shutdown is kept (handed off to the journal, the offset passing it) and
// the updates Telegram may send again are recognised; the next start
// answers only the one left.
func TestAnsweredUpdatesNotRepeatedAtRestart(t *testing.T) {
	f := newFakeTG(t)
	dir := t.TempDir()
	hung := &stuckAsker{started: make(chan string, 4), release: make(chan struct{})}
	t.Cleanup(func() { close(hung.release) })
	short := func(c *Config) {
		c.StateDir = dir
		quickShutdown(c)
	}
	tb := startBotWith(t, f, hung, short)
	stuck, quick := privateMsg(42, 1, "stuck question"), privateMsg(43, 2, "quick question")
	f.push(stuck)
	f.push(quick)
	f.waitSent(1)
	waitUntil(t, "the quick update finished", func() bool { return tb.acks.unfinished() == 0 && len(tb.pending.list()) == 1 })
	tb.stop(t)
	j, err := readJournal(dir, botID)
	if err != nil || len(j.Pending) != 1 || !strings.Contains(string(j.Pending[0]), "stuck question") {
		t.Fatalf("journal %+v, %v; want the unfinished update pending", j, err)
	}
	if err := writeJournal(dir, j); err != nil {
		t.Fatal(err)
	}

	asker := &fakeAsker{}
	startBot(t, f, asker, short)
	waitUntil(t, "the unfinished update answered", func() bool { return f.repliesPerMessage()["1"] == 1 })
	if qs := asker.questions(); len(qs) != 1 || qs[0] != "stuck question" {
		t.Errorf("the restart asked %q, want only the update left unfinished", qs)
	}
	if per := f.repliesPerMessage(); per["1"] != 1 || per["2"] != 1 {
		t.Errorf("replies per message %v, want one each", per)
	}
}

// repliesPerMessage counts the messages sent in reply to each message ID.
func (f *fakeTG) repliesPerMessage() map[string]int {
	per := map[string]int{}
	for _, c := range f.callsOf("sendMessage") {
		per[c.form.Get("reply_to_message_id")]++
	}
	return per
}

// waitUntil waits for cond, failing the test after a while.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}

// freeAddr returns a loopback address no one listens on (for a moment).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestWebhookUnfinishedAnsweredAtRestart: a webhook update got its 200
// (Telegram will not post it again) but was not finished at shutdown; the
// next start answers it, and recognises it when Telegram posts it again
// all the same.
func TestWebhookUnfinishedAnsweredAtRestart(t *testing.T) {
	f := newFakeTG(t)
	dir := t.TempDir()
	stuck := `{"update_id":9001,"message":{"message_id":1,"date":1,"text":"stuck question","chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"}}}`
	quick := `{"update_id":9002,"message":{"message_id":2,"date":1,"text":"quick question","chat":{"id":43,"type":"private"},"from":{"id":43,"is_bot":false,"first_name":"B"}}}`
	post := func(addr, body string) int {
		t.Helper()
		for range 200 { // the server may not listen yet
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", strings.NewReader(body))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				return resp.StatusCode
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("no webhook server on %s", addr)
		return 0
	}
	hook := func(addr string) func(*Config) {
		return func(c *Config) {
			c.StateDir = dir
			c.WebhookURL, c.WebhookListen, c.WebhookSecret = "https://example.org/hook", addr, NewToken("s3cret")
			c.ShutdownGrace = 10 * time.Millisecond
			c.FallbackTime = 10 * time.Millisecond
			c.DeliveryTimeout = 100 * time.Millisecond
		}
	}
	hung := &stuckAsker{started: make(chan string, 4), release: make(chan struct{})}
	t.Cleanup(func() { close(hung.release) })
	addr := freeAddr(t)
	tb := startBotWith(t, f, hung, hook(addr))
	for _, body := range []string{stuck, quick} {
		if code := post(addr, body); code != http.StatusOK {
			t.Fatalf("post: %d", code)
		}
	}
	f.waitSent(1) // the quick one
	waitUntil(t, "the quick update finished", func() bool { return len(tb.pending.list()) == 1 })
	tb.stop(t)
	if n := len(f.callsOf("sendMessage")); n != 1 {
		t.Fatalf("%d replies from the hung run, want 1", n)
	}

	asker := &fakeAsker{}
	addr = freeAddr(t)
	startBot(t, f, asker, hook(addr))
	f.waitSent(2)
	for _, body := range []string{stuck, quick} { // Telegram's retries, all the same
		if code := post(addr, body); code != http.StatusOK {
			t.Fatalf("post again: %d", code)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if qs := asker.questions(); len(qs) != 1 || qs[0] != "stuck question" {
		t.Errorf("the restart asked %q, want the update left unfinished, once", qs)
	}
	if per := f.repliesPerMessage(); per["1"] != 1 || per["2"] != 1 {
		t.Errorf("replies per message %v, want one each", per)
	}
}

// TestJournalIsPerBotAndReadOnce: a journal is read once (removed as it
// is read), and another bot's is not taken.
func TestJournalIsPerBotAndReadOnce(t *testing.T) {
	dir := t.TempDir()
	if err := writeJournal(dir, journal{BotID: 7, Answered: []int{5, 6}}); err != nil {
		t.Fatal(err)
	}
	if j, err := readJournal(dir, 8); err != nil || !j.empty() {
		t.Errorf("another bot read %+v, %v", j, err)
	}
	if j, err := readJournal(dir, 7); err != nil || fmt.Sprint(j.Answered) != "[5 6]" {
		t.Errorf("read %+v, %v; want answered [5 6]", j, err)
	}
	if j, err := readJournal(dir, 7); err != nil || !j.empty() {
		t.Errorf("read again: %+v, %v; want nothing", j, err)
	}
}

// TestUnfinishedHoldsOffsetWithoutState: with nowhere to keep an update in
// work (no state folder), the offset stays at it, so that Telegram keeps
// it for the next start, as long as the batch is not full.
func TestUnfinishedHoldsOffsetWithoutState(t *testing.T) {
	f := newFakeTG(t)
	hung := &stuckAsker{started: make(chan string, 4), release: make(chan struct{})}
	t.Cleanup(func() { close(hung.release) })
	tb := startBotWith(t, f, hung, func(c *Config) {
		quickShutdown(c)
	})
	stuck := privateMsg(42, 1, "stuck question")
	f.push(stuck)
	f.push(privateMsg(43, 2, "quick question"))
	f.waitSent(1)
	waitUntil(t, "the quick update finished", func() bool { return len(tb.acks.answeredFrom(0)) == 1 })
	tb.stop(t)
	if got := f.ackedOffset(); got > stuck["update_id"].(int) {
		t.Fatalf("the unfinished update was confirmed (offset %d)", got)
	}
}

// TestSlowAnswerDoesNotStopPolling: one answer in work, then more than a
// batch of newer updates: the bot hands the one in work off and keeps
// taking newer updates (without it Telegram sends the same pollLimit
// updates again and again), and the slow one, still unfinished at
// shutdown, is answered once by the next start.
func TestSlowAnswerDoesNotStopPolling(t *testing.T) {
	f := newFakeTG(t)
	dir := t.TempDir()
	hung := &stuckAsker{started: make(chan string, 2*pollLimit), release: make(chan struct{})}
	t.Cleanup(func() { close(hung.release) })
	short := func(c *Config) {
		c.StateDir = dir
		c.ShutdownGrace = 10 * time.Millisecond
		c.FallbackTime = 10 * time.Millisecond
		c.DeliveryTimeout = time.Second
		c.RepollInterval = 5 * time.Millisecond
	}
	tb := startBotWith(t, f, hung, short)
	f.push(privateMsg(42, 1, "stuck question"))
	<-hung.started
	for i := range pollLimit {
		f.push(privateMsg(int64(1000+i), 10+i, fmt.Sprintf("quick question %d", i)))
	}
	late := privateMsg(43, 2, "late question")
	f.push(late)
	waitUntil(t, "every quick and the late question answered", func() bool { return len(f.callsOf("sendMessage")) == pollLimit+1 })
	waitUntil(t, "only the stuck one in work", func() bool { return tb.acks.unfinished() == 0 && len(tb.pending.list()) == 1 })
	// Kept on disk while running, not only at shutdown: a crash now
	// leaves it to the next start.
	if raw, err := os.ReadFile(journalPath(dir, botID)); err != nil || !strings.Contains(string(raw), "stuck question") {
		t.Fatalf("journal while running: %s, %v; want the stuck question pending", raw, err)
	}
	tb.stop(t)
	if per := f.repliesPerMessage(); per["2"] != 1 || per["1"] != 0 {
		t.Fatalf("replies per message: late %d, stuck %d; want the late one answered and the stuck one not", per["2"], per["1"])
	}

	asker := &fakeAsker{}
	startBot(t, f, asker, short)
	waitUntil(t, "the stuck question answered", func() bool { return f.repliesPerMessage()["1"] == 1 })
	if qs := asker.questions(); len(qs) != 1 || qs[0] != "stuck question" {
		t.Errorf("the restart asked %q, want only the stuck question", qs)
	}
	for msg, n := range f.repliesPerMessage() {
		if n != 1 {
			t.Errorf("message %s got %d replies, want 1", msg, n)
		}
	}
}
