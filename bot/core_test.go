package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render"
)

func TestCoreCommands(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		kind     string
		contains []string
		asked    string // question the Asker gets; "" for none
	}{
		{name: "start", text: "/start", kind: KindInfo, contains: []string{"Shanghai Cooperation Organization", "王毅出席上海合作组织成员国外长理事会会议 — 2024-05-21", "王毅在杜尚别", "Try asking"}},
		{name: "help", text: "/help", kind: KindInfo, contains: []string{"/ask <question>", "/sources"}},
		{name: "sources", text: "/sources", kind: KindInfo, contains: []string{"— Ministry of Foreign Affairs of the PRC, 2021-07-14", "https://www.fmprc.gov.cn/eng/y.html"}},
		{name: "sources with bot name", text: "/sources@scobot", kind: KindInfo, contains: []string{"I answer from 2 reports"}},
		{name: "ask", text: "/ask  Who met Lavrov? ", kind: KindAnswer, asked: "Who met Lavrov?"},
		{name: "ask@bot", text: "/ask@scobot Who met Lavrov?", kind: KindAnswer, asked: "Who met Lavrov?"},
		{name: "ask without question", text: "/ask", kind: KindUsage, contains: []string{"Usage: /ask <question>"}},
		{name: "plain text", text: "什么是“钢铁驼队”?", kind: KindAnswer, asked: "什么是“钢铁驼队”?"},
		{name: "brief placeholder", text: "/brief Astana 2024", kind: KindInfo, contains: []string{"Briefings are coming"}},
		{name: "unknown command", text: "/weather", kind: KindUsage, contains: []string{"/weather", "/help"}},
		{name: "path is a question", text: "/usr/bin is not a command?", kind: KindAnswer, asked: "/usr/bin is not a command?"},
		{name: "too long", text: strings.Repeat("问", 1001), kind: KindUsage, contains: []string{"1001 characters", "under 1000"}},
		{name: "blank", text: "   ", kind: KindInfo, contains: []string{"Ask a question"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asker := &fakeAsker{}
			c := NewCore(asker, testDocs, CoreOptions{})
			r := c.Handle(context.Background(), Input{Chat: "1", Text: tt.text})
			if r.Kind != tt.kind {
				t.Errorf("kind = %q, want %q", r.Kind, tt.kind)
			}
			plain := render.Plain(r)
			for _, want := range tt.contains {
				if !strings.Contains(plain, want) {
					t.Errorf("reply lacks %q:\n%s", want, plain)
				}
			}
			qs := asker.questions()
			switch {
			case tt.asked == "" && len(qs) > 0:
				t.Errorf("asked %q, want no question", qs)
			case tt.asked != "" && (len(qs) != 1 || qs[0] != tt.asked):
				t.Errorf("asked %q, want %q", qs, tt.asked)
			}
		})
	}
}

func TestCoreHistory(t *testing.T) {
	asker := &fakeAsker{answer: func(req rag.Request) rag.Answer {
		a := testAnswer(req.Question)
		a.Resolved = "resolved: " + req.Question
		a.Text = "answer to " + req.Question
		return a
	}}
	c := NewCore(asker, nil, CoreOptions{HistoryTurns: 2, MaxChats: 2})
	ctx := context.Background()
	for _, q := range []string{"q1", "q2", "q3"} {
		c.Handle(ctx, Input{Chat: "A", Text: q})
	}
	c.Handle(ctx, Input{Chat: "A", Text: "q4"})
	got := asker.reqs[3].History
	want := []rag.Turn{{Question: "resolved: q2", Answer: "answer to q2"}, {Question: "resolved: q3", Answer: "answer to q3"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history = %v, want %v", got, want)
	}
	if h := asker.reqs[0].History; h != nil {
		t.Errorf("first question had history %v", h)
	}
	// Chats are separate, and the least recently used is forgotten.
	c.Handle(ctx, Input{Chat: "B", Text: "b1"})
	if h := asker.reqs[4].History; len(h) != 0 {
		t.Errorf("chat B saw chat A's history: %v", h)
	}
	c.Handle(ctx, Input{Chat: "C", Text: "c1"})
	if n := c.history.(*historyLRU).len(); n != 2 {
		t.Errorf("%d chats kept, want 2", n)
	}
	c.Handle(ctx, Input{Chat: "A", Text: "a again"})
	if h := asker.reqs[6].History; len(h) != 0 {
		t.Errorf("chat A, least recently used, still has history %v", h)
	}
}

func TestCoreErrors(t *testing.T) {
	tests := []struct {
		name, want string
		err        error
	}{
		{"internal", "something went wrong", errors.New("index at /secret/path unreadable")},
		{"timeout", "took too long", fmt.Errorf("retrieve: %w", context.DeadlineExceeded)},
		{"too long", "too long", rag.ErrQuestionTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			c := NewCore(&fakeAsker{err: tt.err}, nil, CoreOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			r := c.Handle(context.Background(), Input{Chat: "1", User: "42", Text: "q"})
			plain := render.Plain(r)
			if !strings.Contains(plain, tt.want) || strings.Contains(plain, "/secret/path") || strings.Count(strings.TrimSpace(plain), "\n") > 0 {
				t.Errorf("reply %q: want one polite line with %q", plain, tt.want)
			}
			if tt.name == "internal" && !strings.Contains(logs.String(), "/secret/path") {
				t.Errorf("cause not logged: %s", logs.String())
			}
		})
	}
}

// fakeBriefer records the topic (or filter) and language it was asked.
type fakeBriefer struct{ topic, lang string }

var (
	_ Briefer   = (*fakeBriefer)(nil)
	_ Timeliner = (*fakeBriefer)(nil)
)

func (b *fakeBriefer) Brief(ctx context.Context, topic, lang string) (rag.Answer, error) {
	b.topic, b.lang = topic, lang
	return testAnswer(topic), nil
}

func TestCoreBriefHook(t *testing.T) {
	br := &fakeBriefer{}
	c := NewCore(&fakeAsker{}, nil, CoreOptions{Briefer: br})
	r := c.Handle(context.Background(), Input{Chat: "1", Text: "/brief Astana 2024"})
	if r.Kind != KindAnswer || br.topic != "Astana 2024" || br.lang != "" {
		t.Errorf("brief: kind %q, topic %q, lang %q", r.Kind, br.topic, br.lang)
	}
	// A reader who chose Russian gets a Russian briefing on any topic.
	c.Handle(context.Background(), Input{Chat: "1", User: "7", Text: "/lang ru"})
	c.Handle(context.Background(), Input{Chat: "1", User: "7", Text: "/brief Astana 2024"})
	if br.lang != "ru" {
		t.Errorf("brief for a reader who chose ru: lang %q", br.lang)
	}
}

func (b *fakeBriefer) Timeline(ctx context.Context, filter, lang string) (rag.Answer, error) {
	b.topic, b.lang = "timeline:"+filter, lang
	return testAnswer(filter), nil
}

func TestCoreTimelineHook(t *testing.T) {
	br := &fakeBriefer{}
	c := NewCore(&fakeAsker{}, nil, CoreOptions{Timeliner: br})
	r := c.Handle(context.Background(), Input{Chat: "1", Text: "/timeline 2021"})
	if r.Kind != KindAnswer || br.topic != "timeline:2021" || br.lang != "" {
		t.Errorf("timeline: kind %q, got %q, lang %q", r.Kind, br.topic, br.lang)
	}
	// A timeline of everything is in the reader's language, chosen or
	// their Telegram client's.
	c.Handle(context.Background(), Input{Chat: "1", User: "8", Lang: "ru-RU", Text: "/timeline"})
	if br.lang != "ru" {
		t.Errorf("timeline for a ru-RU client: lang %q", br.lang)
	}
	c.Handle(context.Background(), Input{Chat: "1", User: "7", Text: "/lang ru"})
	c.Handle(context.Background(), Input{Chat: "1", User: "7", Text: "/timeline Astana"})
	if br.lang != "ru" {
		t.Errorf("timeline for a reader who chose ru: lang %q", br.lang)
	}
	none := NewCore(&fakeAsker{}, nil, CoreOptions{})
	if r := none.Handle(context.Background(), Input{Chat: "1", Text: "/timeline"}); r.Kind != KindInfo {
		t.Errorf("without a Timeliner: kind %q, want info", r.Kind)
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct{ in, cmd, args string }{
		{"/ask q", "ask", "q"},
		{"/ASK@Scobot  q r ", "ask", "q r"},
		{"/start", "start", ""},
		{"hello /ask", "", "hello /ask"},
		{"/", "", "/"},
		{"/中文 x", "", "/中文 x"},
		{"/a-b x", "", "/a-b x"},
	}
	for _, tt := range tests {
		cmd, args := ParseCommand(tt.in)
		if cmd != tt.cmd || args != tt.args {
			t.Errorf("ParseCommand(%q) = %q, %q; want %q, %q", tt.in, cmd, args, tt.cmd, tt.args)
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		err  bool
	}{
		{"5/min", Rate{5, time.Minute}, false},
		{"20/m", Rate{20, time.Minute}, false},
		{"1/s", Rate{1, time.Second}, false},
		{"100/hour", Rate{100, time.Hour}, false},
		{"3/10s", Rate{3, 10 * time.Second}, false},
		{"", Rate{}, false},
		{"off", Rate{}, false},
		{"0/min", Rate{}, false},
		{"5", Rate{}, true},
		{"five/min", Rate{}, true},
		{"5/fortnight", Rate{}, true},
		{"-1/min", Rate{}, true},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if s := (Rate{5, time.Minute}).String(); s != "5/min" {
		t.Errorf("String = %q", s)
	}
}

func TestParseIDs(t *testing.T) {
	got, err := ParseIDs(" 12345, -1001234567890 ;7 ")
	if err != nil || fmt.Sprint(got) != "[12345 -1001234567890 7]" {
		t.Errorf("ParseIDs = %v, %v", got, err)
	}
	for _, bad := range []string{"12a", "0", "1,,x"} {
		if _, err := ParseIDs(bad); err == nil {
			t.Errorf("ParseIDs(%q) accepted", bad)
		}
	}
	if got, err := ParseIDs(""); got != nil || err != nil {
		t.Errorf("ParseIDs(\"\") = %v, %v", got, err)
	}
}

func TestLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	l := newLimiter(Rate{2, time.Minute}, Rate{3, time.Minute}, Rate{}, time.Minute, clock.now)
	step := func(user, chat int64) string {
		ok, warn, _ := l.allow(user, chat)
		return fmt.Sprint(ok, warn)
	}
	got := []string{step(1, 9), step(1, 9), step(1, 9), step(1, 9), step(2, 9), step(3, 9)}
	want := []string{"true false", "true false", "false true", "false false", "true false", "false true"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("allow: %v, want %v", got, want)
	}
	clock.advance(30 * time.Second) // one user token, 1.5 chat tokens back
	if s := step(1, 9); s != "true false" {
		t.Errorf("after refill: %s", s)
	}
	// Pruning keeps memory bounded without forgetting anyone still limited.
	l.limit = 2
	clock.advance(time.Hour)
	step(5, 10)
	step(6, 11)
	if n := len(l.user.buckets); n > 3 {
		t.Errorf("%d user buckets after pruning", n)
	}
}

func TestEveryListedCommandIsHandled(t *testing.T) {
	c := NewCore(&fakeAsker{}, testDocs, CoreOptions{})
	listed := func(admin bool) map[string]bool {
		help := c.Handle(context.Background(), Input{Text: "/help", Admin: admin})
		out := map[string]bool{}
		for _, b := range help.Blocks {
			for _, it := range b.Items {
				out[strings.Fields(it.Label)[0]] = true
			}
		}
		return out
	}
	forAll, forEditors := listed(false), listed(true)
	for _, cmd := range Commands {
		if !forEditors["/"+cmd.Name] {
			t.Errorf("an editor's /help does not list /%s", cmd.Name)
		}
		// The editors' commands are neither in others' /help nor in the
		// menu.
		if forAll["/"+cmd.Name] == cmd.Editors {
			t.Errorf("/%s (editors only: %v) listed in others' /help: %v", cmd.Name, cmd.Editors, forAll["/"+cmd.Name])
		}
		if cmd.Editors && cmd.Menu != "" {
			t.Errorf("/%s is for editors only but in the menu", cmd.Name)
		}
		r := c.Handle(context.Background(), Input{Text: "/" + cmd.Name + " 2024"})
		for _, b := range r.Blocks {
			if strings.Contains(b.Text, "I don't know the command") {
				t.Errorf("/%s is listed but not handled", cmd.Name)
			}
		}
	}
}

// TestReset: /reset forgets the chat's history (only that chat's), so the
// next question is read on its own.
func TestReset(t *testing.T) {
	asker := &fakeAsker{}
	c := NewCore(asker, testDocs, CoreOptions{})
	ctx := context.Background()
	c.Handle(ctx, Input{Chat: "A", Text: "What did Wang Yi propose in Dushanbe?"})
	c.Handle(ctx, Input{Chat: "B", Text: "What about Astana?"})
	r := c.Handle(ctx, Input{Chat: "A", Text: "/reset", Lang: "zh"})
	if !strings.Contains(r.Blocks[0].Text, "已清除") {
		t.Errorf("/reset replied %q", r.Blocks[0].Text)
	}
	c.Handle(ctx, Input{Chat: "A", Text: "and in 2021?"})
	c.Handle(ctx, Input{Chat: "B", Text: "and in 2021?"})
	if h := asker.reqs[2].History; len(h) != 0 {
		t.Errorf("after /reset, chat A still had history %v", h)
	}
	if h := asker.reqs[3].History; len(h) != 1 {
		t.Errorf("chat B lost its history: %v", h)
	}
}
