package bot

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render/words"
)

// Digests keeps the digest subscriptions and writes the digests. Its
// errors about a request (a bad schedule, an unknown ID) are shown to the
// reader as they are. Implementations must be safe for concurrent use.
type Digests interface {
	// Subscribe parses "/subscribe" arguments ("<topic> [daily HH:MM |
	// weekly DAY HH:MM] [timezone]") and keeps the subscription.
	Subscribe(ctx context.Context, s Subscription, args string) (Subscription, error)
	// Subscriptions lists a chat's subscriptions.
	Subscriptions(ctx context.Context, chat string) ([]Subscription, error)
	// Unsubscribe removes a chat's subscription.
	Unsubscribe(ctx context.Context, chat, id string) error
	// Due lists the subscriptions whose digest is due at now.
	Due(ctx context.Context, now time.Time) ([]Subscription, error)
	// Digest writes the briefing on a topic of what is new since a time,
	// the reports seen (those the last digest sent) not counting as new:
	// nothingNew when there is none (then nothing is sent).
	Digest(ctx context.Context, topic string, since time.Time, seen []string) (ans rag.Answer, nothingNew bool, err error)
	// Sent records that a subscription's digest was sent at at with the
	// reports docs (none when there was nothing new).
	Sent(ctx context.Context, id string, at time.Time, docs []string) error
}

// Subscription is one digest a chat receives.
type Subscription struct {
	ID        string
	Chat      string // the conversation key
	ChatID    int64
	ThreadID  int
	Topic     string
	Schedule  string // as the reader reads it ("daily 08:00 Europe/Moscow")
	Next      time.Time
	Since     time.Time // what the next digest is new since
	Seen      []string  // the reports the last digest sent
	CreatedBy int64
	Lang      string // of the words around it
}

// Place is where a message was sent, for what a chat subscribes to.
type Place struct {
	ChatID   int64
	ThreadID int
	Group    bool
	// Admin reports whether the sender administers the group (asked of
	// Telegram when needed).
	Admin func(ctx context.Context) bool
}

// subscribe handles /subscribe, /subscriptions and /unsubscribe.
func (c *Core) subscribe(ctx context.Context, in Input, cmd, arg string) Reply {
	lang := c.Lang(in)
	d := c.opts.Digests
	if d == nil || in.Place == nil {
		return textReply(KindInfo, words.Text(lang, words.NoDigests))
	}
	p := in.Place
	if cmd != "subscriptions" && p.Group && (p.Admin == nil || !p.Admin(ctx)) {
		return textReply(KindRefusal, words.Text(lang, words.NotGroupAdmin))
	}
	user, _ := strconv.ParseInt(in.User, 10, 64)
	switch cmd {
	case "subscribe":
		if strings.TrimSpace(arg) == "" {
			return textReply(KindUsage, words.Text(lang, words.UsageSubscribe))
		}
		s, err := d.Subscribe(ctx, Subscription{Chat: in.Chat, ChatID: p.ChatID, ThreadID: p.ThreadID, CreatedBy: user, Lang: lang}, arg)
		if err != nil {
			return textReply(KindUsage, words.Text(lang, words.NotSubscribed, err.Error())+"\n"+words.Text(lang, words.UsageSubscribe))
		}
		return textReply(KindInfo, words.Text(lang, words.Subscribed, s.ID, s.Topic, s.Schedule, s.Next.Format("2006-01-02 15:04 MST")))
	case "unsubscribe":
		id := strings.TrimSpace(arg)
		if id == "" {
			return textReply(KindUsage, words.Text(lang, words.UsageUnsubscribe))
		}
		if err := d.Unsubscribe(ctx, in.Chat, id); err != nil {
			return textReply(KindUsage, err.Error())
		}
		return textReply(KindInfo, words.Text(lang, words.Unsubscribed, id))
	}
	ss, err := d.Subscriptions(ctx, in.Chat)
	if err != nil {
		c.log.Error("couldn't list the subscriptions", "chat", in.Chat, "err", err)
		return textReply(KindError, words.Text(lang, words.AnswerFailed))
	}
	if len(ss) == 0 {
		return textReply(KindInfo, words.Text(lang, words.NoSubscriptions))
	}
	items := make([]Item, len(ss))
	for i, s := range ss {
		items[i] = Item{Label: s.ID + ": " + s.Topic, Detail: s.Schedule + "; " + s.Next.Format("2006-01-02 15:04 MST")}
	}
	return Reply{Kind: KindInfo, Blocks: []Block{{Title: words.Text(lang, words.SubscriptionsTitle), Items: items}}}
}

// isGroupAdmin reports whether user administers the group chat (asked of
// Telegram; a failure is a no).
func (b *Bot) isGroupAdmin(ctx context.Context, chat, user int64) bool {
	resp, err := b.api.call(ctx, "getChatMember", tgbotapi.Params{"chat_id": strconv.FormatInt(chat, 10), "user_id": strconv.FormatInt(user, 10)})
	if err != nil {
		b.log.Warn("couldn't ask whether a user administers the group", "chat_id", chat, "err", err)
		return false
	}
	var m tgbotapi.ChatMember
	if json.Unmarshal(resp.Result, &m) != nil {
		return false
	}
	return m.IsCreator() || m.IsAdministrator()
}

// sendDigests sends, every Config.DigestEvery until ctx ends, the digests
// that are due: a briefing of what is new on the topic since the last
// one, nothing when nothing is new.
func (b *Bot) sendDigests(ctx context.Context) {
	d := b.cfg.Digests
	if d == nil {
		return
	}
	tick := time.NewTicker(b.cfg.DigestEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := b.cfg.now()
		due, err := d.Due(ctx, now)
		if err != nil {
			b.log.Warn("couldn't read the digests due", "err", err)
			continue
		}
		for _, s := range due {
			b.sendDigest(ctx, s, now)
		}
	}
}

// sendDigest sends one subscription's digest, if anything is new.
func (b *Bot) sendDigest(ctx context.Context, s Subscription, now time.Time) {
	ans, nothingNew, err := b.cfg.Digests.Digest(ctx, s.Topic, s.Since, s.Seen)
	if err != nil {
		b.log.Warn("couldn't write a digest; trying again at the next tick", "subscription", s.ID, "err", err)
		return
	}
	if !nothingNew {
		t := target{chatID: s.ChatID, threadID: s.ThreadID}
		reply := Reply{Kind: KindAnswer, Answer: &ans, Blocks: []Block{{Title: words.Text(s.Lang, words.DigestTitle, s.Topic)}}}
		dctx, cancel := b.deliveryContext(ctx)
		sent := b.deliver(dctx, t, reply, nil, s.Lang)
		cancel()
		if !sent {
			return // sent again at the next tick
		}
	}
	b.log.Info("digest", "subscription", s.ID, "chat_id", s.ChatID, "topic", s.Topic, "nothing_new", nothingNew)
	var docs []string
	if !nothingNew {
		for _, c := range ans.Citations {
			docs = append(docs, c.Doc)
		}
	}
	if err := b.cfg.Digests.Sent(ctx, s.ID, now, docs); err != nil {
		b.log.Error("couldn't record a digest sent; it may be sent again", "subscription", s.ID, "err", err)
	}
}
