package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/scobot/scobot/render/words"
)

// Bot is the Telegram front: it takes updates (long polling, or a webhook),
// decides which messages are for it, and answers them with a Core.
type Bot struct {
	cfg    Config
	core   *Core
	api    *api
	log    *slog.Logger
	access access
	limits *limiter
	disp   *dispatcher
	acks   *acks      // polled updates and which are finished
	recent *recentIDs // webhook updates taken lately, to drop those posted again

	// answered holds the polled updates answered before the last shutdown
	// past the offset it confirmed (from the journal); read-only once Run
	// starts polling.
	answered map[int]bool
	pending  *pendingUpdates // webhook updates taken and not finished
}

// New connects to the Bot API and checks the token (getMe). It does not
// start taking updates: Run does.
func New(ctx context.Context, cfg Config, core *Core) (*Bot, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	a, err := newAPI(ctx, cfg.Token, cfg.APIURL, cfg.HTTPClient, cfg.Logger, cfg.sleep)
	if err != nil {
		return nil, err
	}
	return &Bot{
		cfg:     cfg,
		core:    core,
		api:     a,
		log:     cfg.Logger,
		access:  access{chats: cfg.AllowedChats, users: cfg.AllowedUsers},
		limits:  newLimiter(cfg.UserRate, cfg.ChatRate, cfg.InfoRate, cfg.NoticeInterval, cfg.now),
		acks:    newAcks(),
		recent:  newRecentIDs(webhookDedupWindow),
		pending: newPendingUpdates(),
	}, nil
}

// UserName returns the bot's @username, without the "@".
func (b *Bot) UserName() string { return b.api.self().UserName }

// Run answers messages until ctx is done. Then it stops taking updates,
// finishes the answers in flight (for at most Config.ShutdownGrace, then
// they fall back), confirms to Telegram the updates whose reply was sent
// and returns nil; the others are left for Telegram to send again at the
// next start. It returns an error when it cannot start (the webhook cannot
// be set) or Telegram rejects the token. Call it once.
func (b *Bot) Run(ctx context.Context) error {
	if b.access.open() {
		b.log.Warn("ALLOWED_CHAT_IDS and ALLOWED_USER_IDS are unset: anyone who finds the bot can use it")
	}
	b.disp = newDispatcher(ctx, b.cfg.QueueSize, b.cfg.UpdateTimeout, b.job)
	go b.setCommands(ctx)
	dctx, stopDigests := context.WithCancel(ctx)
	digests := make(chan struct{})
	go func() {
		defer close(digests)
		b.sendDigests(dctx)
	}()
	defer func() { stopDigests(); <-digests }()
	b.log.Info("bot started", "bot", "@"+b.UserName(), "mode", b.mode(), "queue", b.cfg.QueueSize,
		"user_rate", b.cfg.UserRate.String(), "chat_rate", b.cfg.ChatRate.String(), "update_timeout", b.cfg.UpdateTimeout)

	b.restore(ctx)
	var err error
	if b.cfg.WebhookURL != "" {
		err = b.serveWebhook(ctx)
	} else {
		if _, derr := b.api.call(ctx, "deleteWebhook", nil); derr != nil && ctx.Err() == nil {
			b.log.Warn("couldn't delete a webhook; polling may fail while one is set", "err", derr)
		}
		err = b.poll(ctx)
	}
	b.log.Info("stopping: finishing answers in flight", "grace", b.cfg.ShutdownGrace)
	running := b.disp.drain(b.cfg.ShutdownGrace, b.cfg.FallbackTime+b.cfg.DeliveryTimeout)
	j := journal{BotID: b.api.self().ID}
	if b.cfg.WebhookURL == "" {
		offset := b.acks.offset(true)
		b.ack(offset)
		j.Answered = b.acks.answeredFrom(offset)
		for id := range b.answered {
			if id >= offset && !slices.Contains(j.Answered, id) {
				j.Answered = append(j.Answered, id) // not sent again yet
			}
		}
		slices.Sort(j.Answered)
		if left := b.acks.unfinished(); left > 0 {
			b.log.Error("updates left unacknowledged at shutdown; Telegram sends them again at the next start",
				"count", left, "still_running", running, "offset", offset)
		}
	} else {
		j.Recent = b.recent.ids()
	}
	// Webhook updates taken, and polled ones handed off, that are not
	// finished: the next start answers them.
	j.Pending = b.pending.list()
	if len(j.Pending) > 0 {
		b.log.Error("answers unfinished at shutdown; the next start answers them", "count", len(j.Pending), "still_running", running)
	}
	b.save(j)
	b.log.Info("bot stopped")
	return err
}

// restore reads the journal the last shutdown left in Config.StateDir:
// the polled updates it answered that Telegram sends again, or the webhook
// updates it took and did not finish, queued now. A journal that cannot be
// read is logged and ignored.
func (b *Bot) restore(ctx context.Context) {
	if b.cfg.StateDir == "" {
		return
	}
	j, err := readJournal(b.cfg.StateDir, b.api.self().ID)
	if err != nil {
		b.log.Warn("couldn't restore what the last run left; some updates may be answered twice", "err", err)
		return
	}
	b.answered = make(map[int]bool, len(j.Answered))
	for _, id := range j.Answered {
		b.answered[id] = true
	}
	for _, id := range j.Recent {
		b.recent.add(id) // the pending ones among them included
	}
	for _, raw := range j.Pending {
		in, err := decodeUpdate(raw)
		if err != nil {
			continue
		}
		b.recent.add(in.updateID)
		// Should Telegram send it again (polling), it is answered here,
		// not twice.
		b.answered[in.updateID] = true
		b.pending.add(in.updateID, in.raw)
		if err := b.disp.enqueue(ctx, in); err != nil {
			continue // shutting down already: still pending, kept for the next start
		}
	}
	if len(j.Pending) > 0 || len(j.Answered) > 0 {
		b.log.Info("restored what the last run left", "answered_before", len(j.Answered), "pending", len(j.Pending))
	}
	if len(j.Pending) > 0 && b.cfg.WebhookURL == "" {
		// The journal was removed once read: keep them until answered.
		if err := b.keepPending(); err != nil {
			b.log.Warn("couldn't keep the restored updates; they are lost if the bot stops before they are answered", "err", err)
		}
	}
}

// keepPending writes the journal while polling: the updates in work that
// the offset has passed (handed off) and those answered past it, so that
// a crash leaves them to the next start as a shutdown would.
func (b *Bot) keepPending() error {
	if b.cfg.StateDir == "" {
		return errors.New("no folder for the bot's state (the index is in memory)")
	}
	j := journal{BotID: b.api.self().ID, Pending: b.pending.list()}
	for id := range b.answered {
		j.Answered = append(j.Answered, id)
	}
	slices.Sort(j.Answered)
	return writeJournal(b.cfg.StateDir, j)
}

// save writes the journal to Config.StateDir; a failure is logged.
func (b *Bot) save(j journal) {
	if b.cfg.StateDir == "" {
		return
	}
	if err := writeJournal(b.cfg.StateDir, j); err != nil {
		b.log.Error("couldn't keep the bot's state for the next start; some updates may be answered twice or lost", "err", err)
	}
}

// job handles one update and records for polling whether it
// is finished.
func (b *Bot) job(ctx context.Context, in incoming) {
	sent := b.handle(ctx, in)
	if b.cfg.WebhookURL == "" {
		b.acks.finish(in.updateID, sent)
		if !sent {
			// Handed off or restored, its reply failed: kept for the
			// next start, as the offset would keep one not handed off.
			return
		}
	}
	b.pending.done(in.updateID)
}

// deliveryContext returns the context a final reply is sent with: not
// cancelled with the job's (its deadline or shutdown), bounded by
// Config.DeliveryTimeout from now. Call it when the reply is ready.
func (b *Bot) deliveryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), b.cfg.DeliveryTimeout)
}

func (b *Bot) mode() string {
	if b.cfg.WebhookURL != "" {
		return "webhook"
	}
	return "polling"
}

// menu is the command menu registered with setMyCommands so clients offer
// the commands.
func menu(lang string) []tgbotapi.BotCommand {
	var out []tgbotapi.BotCommand
	for _, c := range Commands {
		if !c.Editors && c.Menu != "" {
			out = append(out, tgbotapi.BotCommand{Command: c.Name, Description: words.Text(lang, c.Menu)})
		}
	}
	return out
}

// setCommands registers the commands; a failure is only logged.
func (b *Bot) setCommands(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := b.api.request(ctx, tgbotapi.NewSetMyCommands(menu(words.Languages[0])...)); err != nil {
		b.log.Warn("couldn't register the bot's commands", "err", err)
		return
	}
	// The menu in the users' own languages, for clients set to them.
	for _, lang := range words.Languages[1:] {
		c := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), lang, menu(lang)...)
		if err := b.api.request(ctx, c); err != nil {
			b.log.Warn("couldn't register the bot's commands", "lang", lang, "err", err)
		}
	}
}

// target is where a reply goes.
type target struct {
	chatID   int64
	threadID int // forum topic; 0 for none
	replyTo  int // message answered; 0 for none
}

// params returns the parameters that address a new message to t.
func (t target) params() tgbotapi.Params {
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(t.chatID, 10)}
	if t.threadID != 0 {
		p["message_thread_id"] = strconv.Itoa(t.threadID)
	}
	if t.replyTo != 0 {
		p["reply_to_message_id"] = strconv.Itoa(t.replyTo)
		p["allow_sending_without_reply"] = "true"
	}
	return p
}

// handle answers one update. It runs one at a time per chat.
// It reports whether the reply was sent, or none was due.
func (b *Bot) handle(ctx context.Context, in incoming) (sent bool) {
	if in.cb != nil {
		return b.handleCallback(ctx, in)
	}
	msg := in.msg
	if msg == nil || msg.Chat == nil {
		return true
	}
	text, act := b.route(msg)
	if act == actIgnore {
		return true
	}
	t := target{chatID: msg.Chat.ID, threadID: in.threadID, replyTo: msg.MessageID}
	user := senderID(msg)
	who := Input{User: strconv.FormatInt(user, 10)}
	if msg.From != nil {
		who.Lang = msg.From.LanguageCode
	}
	lang := b.core.Lang(who) // of the bot's own words to this sender
	sender := user
	if sender == 0 {
		sender = msg.Chat.ID
	}
	// notice sends a refusal or a hint, at most one per sender per
	// Config.NoticeInterval; the others are dropped.
	notice := func(kind, text string) bool {
		if !b.limits.allowNotice(sender) {
			b.log.Debug("notice not sent: one was sent recently", "chat_id", msg.Chat.ID, "user_id", user, "kind", kind)
			return true
		}
		dctx, cancel := b.deliveryContext(ctx)
		defer cancel()
		return b.deliver(dctx, t, textReply(kind, text), nil, lang)
	}
	if !b.access.allows(msg.Chat.ID, user) {
		b.log.Info("refused: chat and user not allowed", "chat_id", msg.Chat.ID, "user_id", user, "chat_type", msg.Chat.Type)
		return notice(KindRefusal, words.Text(lang, words.Refused))
	}
	editor := msg.Chat.IsPrivate() && slices.Contains(b.cfg.AdminUsers, user)
	if act == actHint || act == actFile && !editor {
		return notice(KindUsage, words.Text(lang, words.NonText, b.core.examples[0]))
	}
	if cmd, _ := ParseCommand(text); isInfoCommand(cmd) {
		if ok, limit := b.limits.allowInfo(sender); !ok {
			b.log.Info("rate limited", "chat_id", msg.Chat.ID, "user_id", user, "command", cmd, "limit", limit.String())
			return notice(KindRefusal, words.Text(lang, words.RateLimit, limitText(lang, limit, words.RateCommands)))
		}
	} else if ok, warn, limit := b.limits.allow(user, msg.Chat.ID); !ok {
		b.log.Info("rate limited", "chat_id", msg.Chat.ID, "user_id", user, "limit", limit.String(), "told", warn)
		if warn {
			return notice(KindRefusal, words.Text(lang, words.RateLimit, limitText(lang, limit, words.RateQuestions)))
		}
		return true
	}

	stopTyping := b.typing(ctx, t)
	st := &stream{b: b, ctx: ctx, t: t, last: b.cfg.now()}
	start := b.cfg.now()
	place := &Place{ChatID: t.chatID, ThreadID: t.threadID, Group: !msg.Chat.IsPrivate(),
		Admin: func(ctx context.Context) bool { return b.isGroupAdmin(ctx, msg.Chat.ID, user) }}
	input := Input{Chat: chatKey(t), User: who.User, Lang: who.Lang, Text: text, OnText: st.onText, Admin: editor, Place: place,
		Forwarded: msg.Chat.IsPrivate() && msg.ForwardDate != 0, Name: fmt.Sprintf("telegram-%d-%d", msg.Chat.ID, msg.MessageID)}
	var reply Reply
	if act == actFile {
		data, err := b.api.download(ctx, b.cfg.APIURL, msg.Document.FileID, b.cfg.MaxAttachmentBytes)
		if err != nil {
			b.log.Warn("couldn't download a report sent as a file", "chat_id", msg.Chat.ID, "user_id", user, "err", err)
			reply = textReply(KindError, words.Text(lang, words.NotAdded, err.Error()))
		} else {
			input.Attachment = &Attachment{Name: msg.Document.FileName, Data: data}
		}
	}
	if reply.Kind == "" {
		reply = b.core.Handle(ctx, input)
	}
	stopTyping()
	dctx, cancel := b.deliveryContext(ctx) // from now: the answer took what it took
	defer cancel()
	sent = b.deliver(dctx, t, reply, st, lang)
	b.log.LogAttrs(ctx, slog.LevelInfo, "answered", slog.Int64("chat_id", t.chatID), slog.Int64("user_id", user),
		slog.String("kind", reply.Kind), slog.Bool("sent", sent), slog.Duration("took", b.cfg.now().Sub(start)))
	return sent
}

// isInfoCommand reports whether cmd is one of the informational commands,
// which have their own rate limit and do not count as questions.
func isInfoCommand(cmd string) bool {
	return cmd == "start" || cmd == "help" || cmd == "sources"
}

// limitText renders a rate for people: "5 questions per minute".
func limitText(lang string, r Rate, what words.Key) string {
	per := words.Text(lang, words.PerDuration, r.Per.String())
	switch r.Per {
	case time.Second:
		per = words.Text(lang, words.PerSecond)
	case time.Minute:
		per = words.Text(lang, words.PerMinute)
	case time.Hour:
		per = words.Text(lang, words.PerHour)
	}
	return words.Text(lang, what, r.N, per)
}

// chatKey names a conversation for the history: the chat, and the topic in
// a forum.
func chatKey(t target) string {
	if t.threadID != 0 {
		return fmt.Sprintf("%d/%d", t.chatID, t.threadID)
	}
	return strconv.FormatInt(t.chatID, 10)
}

// senderID returns who sent msg: the user, or the chat it was sent on
// behalf of; 0 if unknown.
func senderID(msg *tgbotapi.Message) int64 {
	switch {
	case msg.From != nil:
		return msg.From.ID
	case msg.SenderChat != nil:
		return msg.SenderChat.ID
	}
	return 0
}

// action says what to do with a message.
type action int

const (
	actIgnore   action = iota // not for the bot
	actQuestion               // text for the Core
	actHint                   // a non-text message in a private chat
	actFile                   // a file in a private chat (its caption as text): a report, from an editor
)

// route decides whether msg is for the bot and returns the text to handle.
// In a private chat every text is; in a group only /ask, a command
// addressed to the bot (/help@Bot), a message mentioning the bot (the
// mention removed) and a reply to one of the bot's messages.
func (b *Bot) route(msg *tgbotapi.Message) (string, action) {
	self := b.api.self()
	if msg.Chat.IsPrivate() {
		if msg.Document != nil {
			return msg.Caption, actFile
		}
		if msg.Text == "" {
			if hasContent(msg) {
				return "", actHint
			}
			return "", actIgnore
		}
		return msg.Text, actQuestion
	}
	if (!msg.Chat.IsGroup() && !msg.Chat.IsSuperGroup()) || msg.Text == "" {
		return "", actIgnore
	}
	if msg.IsCommand() {
		name, at, _ := strings.Cut(msg.CommandWithAt(), "@")
		if at != "" {
			if strings.EqualFold(at, self.UserName) {
				return msg.Text, actQuestion
			}
			return "", actIgnore // for another bot
		}
		if strings.EqualFold(name, "ask") {
			return msg.Text, actQuestion
		}
		return "", actIgnore
	}
	for _, e := range msg.Entities {
		mentioned := (e.Type == "mention" && strings.EqualFold(entityText(msg.Text, e), "@"+self.UserName)) ||
			(e.Type == "text_mention" && e.User != nil && e.User.ID == self.ID)
		if mentioned {
			return strings.TrimSpace(removeEntity(msg.Text, e)), actQuestion
		}
	}
	if r := msg.ReplyToMessage; r != nil && r.From != nil && r.From.ID == self.ID {
		return msg.Text, actQuestion
	}
	return "", actIgnore
}

// hasContent reports whether msg carries something a user sent (a photo,
// a voice note …) rather than being a service message.
func hasContent(msg *tgbotapi.Message) bool {
	return msg.Caption != "" || msg.Photo != nil || msg.Document != nil || msg.Sticker != nil ||
		msg.Voice != nil || msg.Audio != nil || msg.Video != nil || msg.VideoNote != nil ||
		msg.Animation != nil || msg.Location != nil || msg.Contact != nil || msg.Poll != nil
}

// entityText returns the text an entity covers; entity offsets count
// UTF-16 code units.
func entityText(text string, e tgbotapi.MessageEntity) string {
	u := utf16.Encode([]rune(text))
	if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > len(u) {
		return ""
	}
	return string(utf16.Decode(u[e.Offset : e.Offset+e.Length]))
}

// removeEntity returns text without the part an entity covers.
func removeEntity(text string, e tgbotapi.MessageEntity) string {
	u := utf16.Encode([]rune(text))
	if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > len(u) {
		return text
	}
	return string(utf16.Decode(u[:e.Offset])) + string(utf16.Decode(u[e.Offset+e.Length:]))
}

// typing shows "typing…" in the chat until the returned function is
// called, renewing it every 4 s (it lasts 5 s). Failures are ignored: it
// never holds up the answer.
func (b *Bot) typing(ctx context.Context, t target) (stop func()) {
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(4 * time.Second)
		defer tick.Stop()
		for {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			p := t.params()
			delete(p, "reply_to_message_id")
			delete(p, "allow_sending_without_reply")
			p["action"] = tgbotapi.ChatTyping
			if _, err := b.api.once(cctx, "sendChatAction", p); err != nil {
				b.log.Debug("couldn't send the typing action", "chat_id", t.chatID, "err", err)
			}
			cancel()
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done) }
}
