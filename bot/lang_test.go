package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/scobot/scobot/render"
	"github.com/scobot/scobot/render/words"
)

// TestBotSpeaksTheSendersLanguage: the bot's own words follow each
// sender's Telegram language, in a private chat and side by side in one
// group, and /lang overrides it for that sender only.
func TestBotSpeaksTheSendersLanguage(t *testing.T) {
	f := newFakeTG(t)
	startBot(t, f, &fakeAsker{}, nil)
	from := func(u map[string]any, lang string) map[string]any {
		u["message"].(map[string]any)["from"].(map[string]any)["language_code"] = lang
		return u
	}
	steps := []struct {
		name string
		upd  func() map[string]any
		want string // in the reply
		not  string // not in it
	}{
		{"a Chinese user's /help", func() map[string]any { return from(privateMsg(42, 1, "/help"), "zh-hans") }, "命令", "Commands"},
		{"in a group, a Chinese user", func() map[string]any { return from(groupMsg(-100, 43, 2, "/help@"+botName, nil), "zh-hant") }, "命令", "Commands"},
		{"in the same group, an English user", func() map[string]any { return from(groupMsg(-100, 44, 3, "/help@"+botName, nil), "en") }, "Commands", "命令"},
		{"a Russian user's /start", func() map[string]any { return from(privateMsg(45, 4, "/start"), "ru") }, "Попробуйте спросить", "Try asking"},
		{"an unknown language: English", func() map[string]any { return from(privateMsg(46, 5, "/help"), "fr") }, "Commands", "命令"},
		{"/lang ru overrides", func() map[string]any { return from(privateMsg(42, 6, "/lang ru"), "zh-hans") }, "по-русски", ""},
		{"and holds for that sender", func() map[string]any { return from(privateMsg(42, 7, "/help"), "zh-hans") }, "Команды", "命令"},
		{"not for another", func() map[string]any { return from(groupMsg(-100, 43, 8, "/help@"+botName, nil), "zh-hant") }, "命令", "Команды"},
		{"/lang auto goes back", func() map[string]any { return from(privateMsg(42, 9, "/lang auto"), "zh-hans") }, "Telegram 语言", ""},
		{"a bad /lang", func() map[string]any { return from(privateMsg(42, 10, "/lang klingon"), "en") }, "Usage: /lang zh", ""},
	}
	for i, s := range steps {
		f.push(s.upd())
		sent := f.waitSent(i + 1)
		got := sent[len(sent)-1].form.Get("text")
		if !strings.Contains(got, s.want) || s.not != "" && strings.Contains(got, s.not) {
			t.Errorf("%s: reply %q, want %q and not %q", s.name, got, s.want, s.not)
		}
	}
}

// TestEveryMessageInEveryLanguage: the table has each message in every
// language, and the Chinese and Russian ones are not the English.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	for _, cmd := range Commands {
		for _, lang := range words.Languages {
			if words.Text(lang, cmd.Help) == string(cmd.Help) {
				t.Errorf("/%s has no help in %s", cmd.Name, lang)
			}
		}
		if words.Text("zh", cmd.Help) == words.Text("en", cmd.Help) || words.Text("ru", cmd.Help) == words.Text("en", cmd.Help) {
			t.Errorf("/%s: help not translated", cmd.Name)
		}
	}
	c := NewCore(&fakeAsker{}, testDocs, CoreOptions{})
	for _, lang := range []string{"zh", "ru"} {
		r := c.Handle(context.Background(), Input{Text: "/nonsense", Lang: lang})
		if strings.Contains(r.Blocks[0].Text, "I don't know") {
			t.Errorf("%s: %q", lang, r.Blocks[0].Text)
		}
	}
	// What follows a command in /help is in the reader's words too.
	for lang, want := range map[string]string{"en": "/ask <question>", "zh": "/ask <问题>", "ru": "/ask <вопрос>"} {
		help := render.Plain(c.Handle(context.Background(), Input{Text: "/help", Lang: lang}))
		if !strings.Contains(help, want) || lang != "en" && strings.Contains(help, "<topic>") {
			t.Errorf("%s /help lacks %q or has English arguments:\n%s", lang, want, help)
		}
	}
}
