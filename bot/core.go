// Package bot is scobot's conversation layer: commands, per-chat history,
// who may ask and how often, and turning an answer into messages.
//
// Core is front-agnostic: it takes one text from a chat and returns a Reply,
// a small value each front renders (render.HTML for Telegram, render.Plain for
// a terminal). Bot is the Telegram front: the update loop (long polling or a
// webhook), access control, rate limits, answers worked on concurrently in per-chat order,
// and delivery with HTML formatting, splitting, streaming edits and retries.
package bot

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render"
	"github.com/scobot/scobot/render/words"
)

// Asker answers one question. rag/answer's *Assistant implements it.
type Asker interface {
	Ask(ctx context.Context, req rag.Request) (rag.Answer, error)
}

// Briefer writes a briefing on a topic, as an answer with citations, in
// lang (en, zh or ru; "" → the topic's language). It is optional: without
// one, /brief says briefings are coming.
type Briefer interface {
	Brief(ctx context.Context, topic, lang string) (rag.Answer, error)
}

// Timeliner lists the corpus's events in date order, optionally only those
// matching a word or a year, as an answer with citations, in lang (en, zh
// or ru; "" → the filter's language). It is optional: without one,
// /timeline says it is not available.
type Timeliner interface {
	Timeline(ctx context.Context, filter, lang string) (rag.Answer, error)
}

// DocInfo describes one document of the corpus for /start and /sources.
type DocInfo struct {
	ID     string
	Title  string
	Date   string // ISO 8601, "" if unknown
	Source string // publisher
	URL    string // "" if none
	// Added is when an editor added the report; zero for the corpus's
	// own. /sources lists the newest additions first.
	Added time.Time
}

// CoreOptions tune a Core. The zero value is usable.
type CoreOptions struct {
	HistoryTurns     int // turns of history kept per chat; 0 → 6
	MaxChats         int // chats whose history is kept (least recently used dropped); 0 → 10,000
	MaxQuestionRunes int // longest question accepted; 0 → 1000
	// Examples are the example questions /start shows; empty → three
	// built-in ones, one of them in Chinese.
	Examples  []string
	Briefer   Briefer   // nil → /brief replies that briefings are coming
	Timeliner Timeliner // nil → /timeline replies that it is not available
	Library   Library   // nil → /add and /remove reply that adding is not available
	// History keeps the conversations' turns; nil → in memory, for at
	// most MaxChats chats of HistoryTurns turns (lost at a restart).
	History History
	// Languages keeps the languages chosen with /lang; nil → in memory.
	Languages Languages
	// Digests keeps the chats' digest subscriptions (/subscribe); nil →
	// not available. The front that sends digests is given the same.
	Digests Digests
	Logger  *slog.Logger // nil → discard
}

// Reply kinds.
const (
	KindAnswer  = "answer"  // Reply.Answer is set
	KindInfo    = "info"    // /start, /help, /sources
	KindUsage   = "usage"   // a command was used wrongly, or the question is too long
	KindError   = "error"   // the question could not be answered; the cause is logged
	KindRefusal = "refusal" // the front refused the message (access, rate limit)
)

// Reply, Block and Item are the renderer's (package render): Core's
// replies are drawn by render.HTML and render.Plain.
type (
	// Reply is what Core says back.
	Reply = render.Reply
	// Block is one part of a reply.
	Block = render.Block
	// Item is one line of a list.
	Item = render.Item
)

// Input is one text received from a chat.
type Input struct {
	Chat string // conversation key: history is kept per key
	User string // who sent it, for logs
	Text string
	// OnText, when set, receives the answer text as it is generated (not
	// yet citation-checked), from the goroutine that called Handle.
	OnText func(text string)
	// Admin is set when the sender is one of the editors, who may add and
	// remove reports.
	Admin bool
	// Attachment is a file sent with the text (its caption); from an
	// editor, it is a report to add.
	Attachment *Attachment
	// Forwarded is set for a message forwarded into a private chat: from
	// an editor, its text is a report to add.
	Forwarded bool
	// Name names the message for a report made of its text
	// ("telegram-<chat>-<message>").
	Name string
	// Lang is the sender's language as their client gives it (Telegram's
	// language_code: "zh-hans", "en", "ru"); "" if unknown.
	Lang string
	// LangChosen marks Lang as the sender's explicit choice (the command
	// line's --lang), which the words around answers follow too.
	LangChosen bool
	// Place is where the message was sent, for /subscribe; nil where
	// digests cannot be delivered (the command line).
	Place *Place
}

// Core handles the conversation, whatever the front. Safe for concurrent
// use; a front that wants answers in order within one chat must not call
// Handle concurrently for the same chat.
type Core struct {
	asker    Asker
	langs    Languages                 // sender → the language chosen with /lang
	docs     atomic.Pointer[[]DocInfo] // see SetDocs
	opts     CoreOptions
	history  History
	log      *slog.Logger
	examples []string
}

// defaultExamples are shown by /start when CoreOptions.Examples is nil.
var defaultExamples = []string{
	"Which foreign ministers did Wang Yi meet in Astana?",
	"王毅在杜尚别上合组织外长理事会会议上提出了什么建议？",
	"How was the 20th SCO summit in November 2020 held?",
}

// NewCore returns a Core that answers with asker about the documents docs.
func NewCore(asker Asker, docs []DocInfo, opts CoreOptions) *Core {
	if opts.HistoryTurns <= 0 {
		opts.HistoryTurns = 6
	}
	if opts.MaxChats <= 0 {
		opts.MaxChats = 10000
	}
	if opts.MaxQuestionRunes <= 0 {
		opts.MaxQuestionRunes = rag.MaxQuestionRunes
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ex := opts.Examples
	if len(ex) == 0 {
		ex = defaultExamples
	}
	c := &Core{
		asker:    asker,
		opts:     opts,
		history:  opts.History,
		log:      log,
		examples: ex,
	}
	if c.history == nil {
		c.history = newHistoryLRU(opts.MaxChats, opts.HistoryTurns)
	}
	c.langs = opts.Languages
	if c.langs == nil {
		c.langs = &memLanguages{}
	}
	c.SetDocs(docs)
	return c
}

// SetDocs replaces the documents /start and /sources list, for a corpus
// that changed while the bot runs. It is safe to call while Handle runs:
// each reply lists either the old documents or the new ones.
func (c *Core) SetDocs(docs []DocInfo) { c.docs.Store(&docs) }

// documents returns the documents as last set.
func (c *Core) documents() []DocInfo { return *c.docs.Load() }

// Command is one command Handle understands.
type Command struct {
	Name string    // without the slash
	Args words.Key // what follows it, as /help shows it ("<question>"); "" for nothing
	Help words.Key // what it does, for /help
	Menu words.Key // what it does, for a client's command menu; "" for none
	// Editors marks a command only editors may use: left out of the menu
	// and of others' /help.
	Editors bool
}

// Commands are the commands Handle understands, in /help order. A front
// offers them in its command menu.
var Commands = []Command{
	{Name: "ask", Args: words.ArgsQuestion, Help: words.CmdAsk, Menu: words.MenuAsk},
	{Name: "sources", Help: words.CmdSources, Menu: words.MenuSources},
	{Name: "brief", Args: words.ArgsTopic, Help: words.CmdBrief, Menu: words.MenuBrief},
	{Name: "timeline", Args: words.ArgsFilter, Help: words.CmdTimeline, Menu: words.MenuTimeline},
	{Name: "lang", Args: words.ArgsLang, Help: words.CmdLang, Menu: words.MenuLang},
	{Name: "reset", Help: words.CmdReset, Menu: words.MenuReset},
	{Name: "subscribe", Args: words.ArgsSubscribe, Help: words.CmdSubscribe, Menu: words.MenuSubscribe},
	{Name: "subscriptions", Help: words.CmdSubscriptions},
	{Name: "unsubscribe", Args: words.ArgsID, Help: words.CmdUnsubscribe},
	{Name: "start", Help: words.CmdStart, Menu: words.MenuStart},
	{Name: "help", Help: words.CmdHelp, Menu: words.MenuHelp},
	{Name: "add", Args: words.ArgsAdd, Help: words.CmdAdd, Editors: true},
	{Name: "remove", Args: words.ArgsID, Help: words.CmdRemove, Editors: true},
}

// Handle answers one input: a command (/start, /help, /ask, /sources,
// /brief, /timeline) or, for any other text, a question. It always returns a reply
// fit to show the user; errors are logged, never shown.
func (c *Core) Handle(ctx context.Context, in Input) Reply {
	cmd, arg := ParseCommand(in.Text)
	if cmd == "" && (in.Attachment != nil || in.Forwarded && in.Admin) {
		return c.addReport(ctx, in, in.Text)
	}
	lang := c.Lang(in)
	switch cmd {
	case "":
		return c.ask(ctx, in, in.Text)
	case "add":
		return c.addReport(ctx, in, arg)
	case "remove":
		return c.removeReport(ctx, in, arg)
	case "start":
		return c.start(lang)
	case "help":
		return c.help(lang, in.Admin)
	case "sources":
		return c.sources(lang)
	case "lang":
		return c.setLang(in, arg)
	case "subscribe", "subscriptions", "unsubscribe":
		return c.subscribe(ctx, in, cmd, arg)
	case "reset":
		c.history.Reset(ctx, in.Chat)
		return textReply(KindInfo, words.Text(lang, words.ResetDone))
	case "ask":
		if strings.TrimSpace(arg) == "" {
			return textReply(KindUsage, words.Text(lang, words.UsageAsk, c.examples[0]))
		}
		return c.ask(ctx, in, arg)
	case "brief":
		return c.brief(ctx, in, arg)
	case "timeline":
		return c.timeline(ctx, in, arg)
	}
	return textReply(KindUsage, words.Text(lang, words.UnknownCommand, cmd))
}

// ParseCommand splits "/cmd@Bot args" into "cmd" (lower case, without the
// bot name) and "args". Text that is not a command gives "", text.
func ParseCommand(text string) (cmd, args string) {
	t := strings.TrimLeftFunc(text, unicode.IsSpace)
	if !strings.HasPrefix(t, "/") {
		return "", text
	}
	end := strings.IndexFunc(t, unicode.IsSpace)
	if end < 0 {
		end = len(t)
	}
	name := t[1:end]
	name, _, _ = strings.Cut(name, "@")
	if name == "" || !isCommandName(name) {
		return "", text
	}
	return strings.ToLower(name), strings.TrimSpace(t[end:])
}

// isCommandName reports whether s is a Telegram command name: letters,
// digits and underscores.
func isCommandName(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			return false
		}
	}
	return true
}

func textReply(kind, text string) Reply {
	return Reply{Kind: kind, Blocks: []Block{{Text: text}}}
}

// ask answers question in the input's chat and records the turn.
func (c *Core) ask(ctx context.Context, in Input, question string) Reply {
	q := strings.TrimSpace(question)
	if q == "" {
		return c.help(c.Lang(in), in.Admin)
	}
	if n := utf8.RuneCountInString(q); n > c.opts.MaxQuestionRunes {
		return textReply(KindUsage, words.Text(c.Lang(in), words.QuestionTooLongN, n, c.opts.MaxQuestionRunes))
	}
	ans, err := c.asker.Ask(ctx, rag.Request{Question: q, History: c.history.Turns(ctx, in.Chat), OnText: in.OnText})
	if err != nil {
		return c.failed(ctx, in, err)
	}
	resolved := ans.Resolved
	if resolved == "" {
		resolved = q
	}
	c.history.Add(ctx, in.Chat, rag.Turn{Question: resolved, Answer: ans.Text})
	return Reply{Kind: KindAnswer, Answer: &ans, Lang: c.chosenLang(in)}
}

// failed turns an error from the asker into a polite one-line reply and
// logs the cause.
func (c *Core) failed(ctx context.Context, in Input, err error) Reply {
	lang := c.Lang(in)
	switch {
	case errors.Is(err, rag.ErrQuestionTooLong):
		return textReply(KindUsage, words.Text(lang, words.QuestionTooLong, c.opts.MaxQuestionRunes))
	case errors.Is(err, rag.ErrEmptyQuestion):
		return c.help(lang, in.Admin)
	}
	c.log.LogAttrs(ctx, slog.LevelError, "couldn't answer", slog.String("chat", in.Chat), slog.String("user", in.User), slog.Any("err", err))
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return textReply(KindError, words.Text(lang, words.AnswerTimeout))
	}
	return textReply(KindError, words.Text(lang, words.AnswerFailed))
}

func (c *Core) brief(ctx context.Context, in Input, topic string) Reply {
	lang := c.Lang(in)
	if c.opts.Briefer == nil {
		return textReply(KindInfo, words.Text(lang, words.BriefComing, c.examples[0]))
	}
	topic = strings.TrimSpace(topic)
	if topic == "" {
		return textReply(KindUsage, words.Text(lang, words.UsageBrief))
	}
	if n := utf8.RuneCountInString(topic); n > c.opts.MaxQuestionRunes {
		return textReply(KindUsage, words.Text(lang, words.TopicTooLong, n, c.opts.MaxQuestionRunes))
	}
	ans, err := c.opts.Briefer.Brief(ctx, topic, c.proseLang(in, topic))
	if err != nil {
		return c.failed(ctx, in, err)
	}
	return Reply{Kind: KindAnswer, Answer: &ans}
}

// timeline lists the events, optionally filtered by a word or a year.
func (c *Core) timeline(ctx context.Context, in Input, filter string) Reply {
	lang := c.Lang(in)
	if c.opts.Timeliner == nil {
		return textReply(KindInfo, words.Text(lang, words.TimelineMissing))
	}
	filter = strings.TrimSpace(filter)
	if n := utf8.RuneCountInString(filter); n > c.opts.MaxQuestionRunes {
		return textReply(KindUsage, words.Text(lang, words.FilterTooLong, n, c.opts.MaxQuestionRunes))
	}
	ans, err := c.opts.Timeliner.Timeline(ctx, filter, c.proseLang(in, filter))
	if err != nil {
		return c.failed(ctx, in, err)
	}
	return Reply{Kind: KindAnswer, Answer: &ans}
}

func (c *Core) start(lang string) Reply {
	return Reply{Kind: KindInfo, Blocks: []Block{
		{Text: words.Text(lang, words.StartIntro)},
		{Title: words.Text(lang, words.StartReports, len(c.documents())), Items: c.docItems(false)},
		{Title: words.Text(lang, words.StartTry), Items: exampleItems(c.examples)},
		{Text: words.Text(lang, words.StartHelpHint)},
	}}
}

// help lists the commands; editors' commands only for an editor.
func (c *Core) help(lang string, editor bool) Reply {
	var items []Item
	for _, cmd := range Commands {
		if cmd.Editors && !editor {
			continue
		}
		label := "/" + cmd.Name
		if cmd.Args != "" {
			label += " " + words.Text(lang, cmd.Args)
		}
		items = append(items, Item{Label: label, Detail: words.Text(lang, cmd.Help)})
	}
	return Reply{Kind: KindInfo, Blocks: []Block{
		{Text: words.Text(lang, words.HelpIntro)},
		{Title: words.Text(lang, words.HelpCommands), Items: items},
	}}
}

func (c *Core) sources(lang string) Reply {
	docs := c.documents()
	if len(docs) == 0 {
		return textReply(KindInfo, words.Text(lang, words.NoReports))
	}
	return Reply{Kind: KindInfo, Blocks: []Block{{Title: words.Text(lang, words.SourcesTitle, len(docs)), Items: c.docItems(true)}}}
}

// Lang returns the language the bot speaks its own words in to the sender
// of in: the one they chose with /lang, else their Telegram language
// (Input.Lang), else English.
func (c *Core) Lang(in Input) string {
	if l, ok := c.langs.Language(context.Background(), in.User); ok {
		return l
	}
	if l := words.Lang(in.Lang); l != "" {
		return l
	}
	return words.Languages[0]
}

// chosenLang is the language the sender of in chose (/lang, or the
// front's setting: Input.Lang when Input.LangChosen), "" for none.
func (c *Core) chosenLang(in Input) string {
	if l, ok := c.langs.Language(context.Background(), in.User); ok {
		return l
	}
	if in.LangChosen {
		return words.Lang(in.Lang)
	}
	return ""
}

// proseLang is the language a briefing or timeline on text is written in
// for the sender of in: the one they chose (/lang); else, when text is
// empty (a timeline of everything), the one the bot speaks to them in; else
// "" (text's own, as an answer is in its question's).
func (c *Core) proseLang(in Input, text string) string {
	if l := c.chosenLang(in); l != "" {
		return l
	}
	if text == "" {
		return c.Lang(in)
	}
	return ""
}

// setLang handles /lang: a language of the table, or auto (back to the
// sender's Telegram language).
func (c *Core) setLang(in Input, arg string) Reply {
	arg = strings.ToLower(strings.TrimSpace(arg))
	if arg == "auto" {
		c.langs.ClearLanguage(context.Background(), in.User)
		return textReply(KindInfo, words.Text(c.Lang(in), words.LangAuto))
	}
	l := words.Lang(arg)
	if l == "" {
		return textReply(KindUsage, words.Text(c.Lang(in), words.UsageLang))
	}
	c.langs.SetLanguage(context.Background(), in.User, l)
	return textReply(KindInfo, words.Text(l, words.LangSet))
}

// docItems lists the documents, the newest additions first: "Title —
// date" or, with publisher, "Title — Publisher, date", linked when they
// have a URL.
func (c *Core) docItems(publisher bool) []Item {
	docs := slices.Clone(c.documents())
	slices.SortStableFunc(docs, func(a, b DocInfo) int { return b.Added.Compare(a.Added) })
	items := make([]Item, 0, len(docs))
	for _, d := range docs {
		title := d.Title
		if title == "" {
			title = d.ID
		}
		source := d.Source
		if !publisher {
			source = ""
		}
		items = append(items, Item{Label: title, URL: d.URL, Detail: words.JoinNonEmpty(", ", source, d.Date)})
	}
	return items
}

func exampleItems(ex []string) []Item {
	items := make([]Item, len(ex))
	for i, q := range ex {
		items[i] = Item{Label: q}
	}
	return items
}

// Languages keeps the language each sender chose with /lang. Its failures
// only lose a choice, so they are logged by the implementation, not
// returned. Implementations must be safe for concurrent use.
type Languages interface {
	Language(ctx context.Context, who string) (string, bool)
	SetLanguage(ctx context.Context, who, lang string)
	ClearLanguage(ctx context.Context, who string)
}

// memLanguages is the Languages kept in memory.
type memLanguages struct{ m sync.Map }

func (l *memLanguages) Language(_ context.Context, who string) (string, bool) {
	v, ok := l.m.Load(who)
	if !ok {
		return "", false
	}
	return v.(string), true
}

func (l *memLanguages) SetLanguage(_ context.Context, who, lang string) { l.m.Store(who, lang) }

func (l *memLanguages) ClearLanguage(_ context.Context, who string) { l.m.Delete(who) }
