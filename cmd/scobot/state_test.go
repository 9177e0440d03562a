package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/state"
)

// TestStateSurvivesARestart: through the real client against the fake Bot
// API, a reader's /lang, a conversation and a 👎 are kept in the state
// file; after a restart the bot still speaks the reader's language and
// holds the conversation; scobot feedback export writes the 👎 as a
// question file that scobot eval reads; /reset forgets the conversation.
func TestStateSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{
		"ALLOWED_USER_IDS": "7", "RATE_LIMIT_USER": "off", "RATE_LIMIT_CHAT": "off", "RATE_LIMIT_INFO": "off",
		"CORPUS_WATCH": "off", "SCOBOT_ADDED": filepath.Join(dir, "added"), "SCOBOT_STATE": filepath.Join(dir, "state.db"),
		"TELEGRAM_BOT_TOKEN": "123:abc",
	}
	db := filepath.Join(dir, "db")
	serve := func(t *testing.T, steps func(tg *fakeBotAPI)) {
		t.Helper()
		tg := newFakeBotAPI(t)
		_, stop := startServe(t, tg, vars, "--db", db)
		defer stop()
		steps(tg)
	}
	const q = "Which foreign ministers did Wang Yi meet in Astana?"
	serve(t, func(tg *fakeBotAPI) {
		if r := tg.reply(tg.ask("/lang ru"), 10*time.Second); !strings.Contains(r, "по-русски") {
			t.Errorf("/lang ru: %q", r)
		}
		msg := tg.ask(q)
		if r := tg.reply(msg, 10*time.Second); !strings.Contains(r, "Lavrov") && !strings.Contains(r, "拉夫罗夫") {
			t.Fatalf("answer: %q", r)
		}
		if _, err := tg.press(7, msg, "👎"); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); tg.callbacksAnswered() == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the 👎 was not answered")
			}
		}
	})

	// The 👎, exported, is a question file scobot eval reads.
	code, out, errOut := run(t, vars, "", "feedback", "export")
	if code != 0 || !strings.Contains(out, q) || !strings.Contains(out, "needs-review") {
		t.Fatalf("feedback export: exit %d, %q, %s", code, out, errOut)
	}
	qa := filepath.Join(dir, "complaints.jsonl")
	if err := os.WriteFile(qa, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, vars, "", "eval", "--qa", qa, "--db", filepath.Join(dir, "evaldb")); code != 0 || !strings.Contains(out, "hybrid                         1") {
		t.Errorf("eval of the exported feedback: exit %d\n%s%s", code, out, errOut)
	}

	serve(t, func(tg *fakeBotAPI) {
		if r := tg.reply(tg.ask("/help"), 10*time.Second); !strings.Contains(r, "Команды") {
			t.Errorf("after the restart, /help is not in the reader's language: %q", r)
		}
	})
	st, err := state.Open(context.Background(), vars["SCOBOT_STATE"], state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	turns, err := st.History(context.Background(), "7")
	st.Close()
	if err != nil || len(turns) != 1 || turns[0].Question != q {
		t.Errorf("history after a restart: %+v, %v", turns, err)
	}

	serve(t, func(tg *fakeBotAPI) {
		if r := tg.reply(tg.ask("/reset"), 10*time.Second); !strings.Contains(r, "Готово") {
			t.Errorf("/reset: %q", r)
		}
	})
	st, err = state.Open(context.Background(), vars["SCOBOT_STATE"], state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if turns, err := st.History(context.Background(), "7"); err != nil || len(turns) != 0 {
		t.Errorf("history after /reset: %+v, %v", turns, err)
	}
}

// TestDigestsOverTheState: a subscription kept in the state file is due by
// its schedule, and its digest is a briefing of what is new since then:
// nothing when no report is that new.
func TestDigestsOverTheState(t *testing.T) {
	ctx := context.Background()
	st, err := state.Open(ctx, filepath.Join(t.TempDir(), "state.db"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := &cli{cfg: config{Corpus: builtinCorpus, DB: t.TempDir()}, log: slog.New(slog.DiscardHandler)}
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := &liveApp{}
	l.cur.Store(a)
	d := digests{db: st, live: l, zone: time.UTC}
	s, err := d.Subscribe(ctx, bot.Subscription{Chat: "42", ChatID: 42, CreatedBy: 42}, "foreign ministers daily 08:00")
	if err != nil {
		t.Fatal(err)
	}
	if s.Topic != "foreign ministers" || s.Next.Hour() != 8 {
		t.Errorf("subscription %+v", s)
	}
	if due, _ := d.Due(ctx, s.Next.Add(-time.Minute)); len(due) != 0 {
		t.Errorf("due before its time: %+v", due)
	}
	if due, _ := d.Due(ctx, s.Next); len(due) != 1 {
		t.Errorf("not due at its time")
	}
	if ans, nothing, err := d.Digest(ctx, "foreign ministers", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), nil); err != nil || nothing || len(ans.Citations) == 0 {
		t.Errorf("digest since 2024: nothing new %v, %d sources, %v", nothing, len(ans.Citations), err)
	}
	if _, nothing, err := d.Digest(ctx, "foreign ministers", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), nil); err != nil || !nothing {
		t.Errorf("digest since 2030: nothing new %v, %v", nothing, err)
	}
	if err := d.Sent(ctx, s.ID, s.Next, nil); err != nil {
		t.Fatal(err)
	}
	if due, _ := d.Due(ctx, s.Next.Add(time.Hour)); len(due) != 0 {
		t.Errorf("due again an hour after it was sent")
	}
}
