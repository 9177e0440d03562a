package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestNewsroomTranscript plays issue 14's scene through the real client
// against the fake Bot API, whole process, with a clock it moves: a
// Chinese-speaking and an English-speaking reader in one group each get
// the bot's words in their language; an answer's buttons, each pressed; a
// digest that fires with a new report, then again with nothing new; a
// restart that keeps the subscription and the language chosen. Run with
// -v to read the transcript.
func TestNewsroomTranscript(t *testing.T) {
	const group, zh, en = -100, 10, 11
	dir := t.TempDir()
	added := filepath.Join(dir, "added")
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 7, 50, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setClock := func(to time.Time) { mu.Lock(); now = to; mu.Unlock() }
	vars := map[string]string{
		"RATE_LIMIT_USER": "off", "RATE_LIMIT_CHAT": "off", "RATE_LIMIT_INFO": "off",
		"CORPUS_WATCH": "100ms", "SCOBOT_ADDED": added, "SCOBOT_STATE": filepath.Join(dir, "state.db"), "SCOBOT_LOG_LEVEL": "info",
	}
	db := filepath.Join(dir, "db")
	hooks := func(m *Main) { m.Now, m.DigestEvery = clock, 20*time.Millisecond }
	var transcript []string
	within := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}

	tg := newFakeBotAPI(t)
	tg.admins[en] = true
	logs, stop := startServeWith(t, tg, vars, hooks, "--db", db)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	if r := tg.reply(tg.say(group, zh, "zh-hans", "/help@live_bot"), 10*time.Second); !strings.Contains(r, "命令") {
		t.Errorf("the Chinese reader's /help: %q", r)
	}
	if r := tg.reply(tg.say(group, en, "en", "/help@live_bot"), 10*time.Second); !strings.Contains(r, "Commands") {
		t.Errorf("the English reader's /help: %q", r)
	}
	q := tg.say(group, zh, "zh-hans", "@live_bot 王毅在阿斯塔纳会见了哪些外长？")
	if r := tg.reply(q, 10*time.Second); !strings.Contains(r, "拉夫罗夫") {
		t.Fatalf("the answer: %q", r)
	}
	fixed := []string{"👍", "👎", "📄 原文", "📋 简报"}
	var followUp string // the first suggested follow-up question
	for _, l := range tg.labels(q) {
		if !slices.Contains(fixed, l) && followUp == "" {
			followUp = l
		}
	}
	if followUp == "" {
		t.Fatalf("no follow-up button under the answer: %v", tg.labels(q))
	}
	for _, label := range append(fixed, followUp) {
		before := tg.sentCount()
		calls := tg.callbacksAnswered()
		if _, err := tg.press(zh, q, label); err != nil {
			t.Fatal(err)
		}
		within("the button "+label, func() bool { return tg.callbacksAnswered() > calls })
		if label == "📄 原文" || label == "📋 简报" || label == followUp {
			within("the reply to "+label, func() bool { return tg.sentCount() > before })
		}
		if l := tg.lines(); label == "📄 原文" && !strings.Contains(l[len(l)-1], "<b>所引段落</b>") {
			t.Errorf("the Chinese reader's full quotes: %q", l[len(l)-1])
		}
	}
	if r := tg.reply(tg.say(group, en, "en", "/subscribe@live_bot foreign ministers daily 08:00"), 10*time.Second); !strings.Contains(r, "Subscribed") {
		t.Fatalf("/subscribe: %q", r)
	}
	if r := tg.reply(tg.say(group, zh, "zh-hans", "/subscribe@live_bot summits"), 10*time.Second); !strings.Contains(r, "管理员") {
		t.Errorf("a reader who is no admin subscribing: %q", r)
	}

	// A report of the day lands; at 08:00 the digest brings it.
	report := "SCO Council of Foreign Ministers meets in Bishkek\n\n2026-12-01 09:00  Source: Kabar\n\nBISHKEK -- The foreign ministers of the Shanghai Cooperation Organization member states met in Bishkek on December 1 for the Council of Foreign Ministers, to prepare the next SCO summit, the Kyrgyz foreign ministry said.\n"
	if err := os.MkdirAll(added, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(added, "fm_bishkek_2026.txt"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	within("the watcher's reload", func() bool { return strings.Contains(logs.String(), "reloaded the changed corpus") })
	before := tg.sentCount()
	setClock(time.Date(2026, 12, 1, 8, 0, 30, 0, time.UTC))
	within("the first digest", func() bool { return tg.sentCount() > before })
	last := tg.lines()
	if d := last[len(last)-1]; !strings.Contains(d, "Digest: foreign ministers") || !strings.Contains(d, "Bishkek") {
		t.Errorf("the first digest: %q", d)
	}
	// The next morning nothing is new: nothing is sent.
	before = tg.sentCount()
	setClock(time.Date(2026, 12, 2, 8, 0, 30, 0, time.UTC))
	time.Sleep(500 * time.Millisecond)
	if n := tg.sentCount(); n != before {
		t.Errorf("the second digest, with nothing new, sent %d messages", n-before)
	}
	tg.say(group, en, "en", "/lang@live_bot zh")
	within("/lang", func() bool { return len(tg.lines()) > 0 && strings.Contains(tg.lines()[len(tg.lines())-1], "中文") })
	stop()
	transcript = append(transcript, tg.lines()...)
	transcript = append(transcript, "— restart —")

	tg2 := newFakeBotAPI(t)
	tg2.admins[en] = true
	_, stop2 := startServeWith(t, tg2, vars, hooks, "--db", db)
	if r := tg2.reply(tg2.say(group, en, "en", "/subscriptions@live_bot"), 10*time.Second); !strings.Contains(r, "foreign ministers") || !strings.Contains(r, "定期简报") {
		t.Errorf("after the restart, the subscription and the language chosen: %q", r)
	}
	stop2()
	transcript = append(transcript, tg2.lines()...)
	for _, l := range transcript {
		t.Log(shortLine(l))
	}
}

// shortLine cuts a transcript line for reading.
func shortLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if r := []rune(s); len(r) > 220 {
		return string(r[:220]) + "…"
	}
	return s
}
