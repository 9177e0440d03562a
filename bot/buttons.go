package bot

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/render/words"
)

// Callbacks keeps, server-side, what a button under an answer acts on:
// Telegram's callback_data holds at most 64 bytes, so a button carries a
// short unguessable token and the action only. Implementations must be
// safe for concurrent use.
type Callbacks interface {
	// PutCallback keeps payload for ttl and returns its token.
	PutCallback(ctx context.Context, payload []byte, ttl time.Duration) (string, error)
	// GetCallback returns the payload of a token; ErrCallbackExpired when
	// it is unknown or expired.
	GetCallback(ctx context.Context, token string) ([]byte, error)
}

// ErrCallbackExpired is GetCallback's error for a token unknown or expired.
var ErrCallbackExpired = errors.New("the button has expired")

// FeedbackSink records a reader's 👍 or 👎 on an answer.
type FeedbackSink interface {
	Record(ctx context.Context, f Feedback) error
}

// Feedback is one 👍 or 👎 on an answer, with what was answered.
type Feedback struct {
	Good      bool
	Question  string
	Answer    string
	Mode      string
	Lang      string
	Citations []rag.Citation
	Chat      string // the conversation key (chat, or chat/topic)
	User      int64
	Time      time.Time
}

// callbackTTL is how long the buttons under an answer work.
const callbackTTL = 7 * 24 * time.Hour

// answerCard is what the buttons under one answer act on.
type answerCard struct {
	Question  string         `json:"q"`
	Lang      string         `json:"l"` // of the bot's words to the asker
	Answer    string         `json:"a"`
	Mode      string         `json:"m"`
	Citations []rag.Citation `json:"c"`
	Quotes    []quote        `json:"p"` // the cited passages
	FollowUps []string       `json:"f"`
}

// quote is one cited passage, with its source's number.
type quote struct {
	N    int    `json:"n"`
	Text string `json:"t"`
}

// Button actions, after the token in callback_data ("<token>:<action>").
const (
	actionGood   = "up"
	actionBad    = "dn"
	actionQuotes = "q"
	actionBrief  = "b"
	actionFollow = "f" // then the follow-up's index
)

// cardOf is the card of an answer: its cited passages as quotes (the first
// passage of each cited document, in source order).
func cardOf(ans *rag.Answer, lang string) answerCard {
	c := answerCard{Question: cmp.Or(ans.Resolved, ans.Question), Lang: lang, Answer: ans.Text, Mode: ans.Mode, Citations: ans.Citations, FollowUps: ans.FollowUps}
	for _, cit := range ans.Citations {
		for _, p := range ans.Passages {
			if p.Doc == cit.Doc {
				c.Quotes = append(c.Quotes, quote{N: cit.N, Text: p.Text})
				break
			}
		}
	}
	return c
}

// answerButtons keeps the card of an answer and returns the inline
// keyboard under it (JSON for reply_markup); "" when it has none (an
// abstention, a reply without sources) or the card cannot be kept.
func (b *Bot) answerButtons(ctx context.Context, r Reply, lang string) string {
	a := r.Answer
	if r.Kind != KindAnswer || a == nil || a.Abstained || len(a.Citations) == 0 {
		return ""
	}
	payload, err := json.Marshal(cardOf(a, lang))
	if err != nil {
		return ""
	}
	token, err := b.cfg.Callbacks.PutCallback(ctx, payload, callbackTTL)
	if err != nil {
		b.log.Warn("couldn't keep the buttons' answer; sending it without buttons", "err", err)
		return ""
	}
	data := func(action string) *string { s := token + ":" + action; return &s }
	rows := [][]tgbotapi.InlineKeyboardButton{{
		{Text: "👍", CallbackData: data(actionGood)},
		{Text: "👎", CallbackData: data(actionBad)},
		{Text: words.Text(lang, words.ButtonQuotes), CallbackData: data(actionQuotes)},
		{Text: words.Text(lang, words.ButtonBrief), CallbackData: data(actionBrief)},
	}}
	for i, f := range a.FollowUps {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{{Text: shorten(f, 60), CallbackData: data(actionFollow + strconv.Itoa(i))}})
	}
	markup, err := json.Marshal(tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	if err != nil {
		return ""
	}
	return string(markup)
}

// shorten cuts s to at most n runes, with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// handleCallback acts on a button pressed under an answer and reports
// whether its replies were sent.
func (b *Bot) handleCallback(ctx context.Context, in incoming) bool {
	cb := in.cb
	user := int64(0)
	code := "" // the presser's client language
	if cb.From != nil {
		user, code = cb.From.ID, cb.From.LanguageCode
	}
	lang := b.core.Lang(Input{User: strconv.FormatInt(user, 10), Lang: code})
	toast := func(text string) bool {
		p := tgbotapi.Params{"callback_query_id": cb.ID}
		if text != "" {
			p["text"] = text
		}
		dctx, cancel := b.deliveryContext(ctx)
		defer cancel()
		if _, err := b.api.call(dctx, "answerCallbackQuery", p); err != nil {
			b.log.Warn("couldn't answer a button", "err", err)
			return false
		}
		return true
	}
	if cb.Message == nil || cb.Message.Chat == nil {
		return toast(words.Text(lang, words.ButtonExpired))
	}
	chat := cb.Message.Chat.ID
	if !b.access.allows(chat, user) {
		return toast(words.Text(lang, words.Refused))
	}
	token, action, _ := strings.Cut(cb.Data, ":")
	payload, err := b.cfg.Callbacks.GetCallback(ctx, token)
	var card answerCard
	if err == nil {
		err = json.Unmarshal(payload, &card)
	}
	if err != nil {
		if !errors.Is(err, ErrCallbackExpired) {
			b.log.Warn("couldn't read a button's answer", "err", err)
		}
		return toast(words.Text(lang, words.ButtonExpired))
	}
	if code == "" {
		// A press that does not say its client's language reads the
		// card's: the buttons pressed were labelled in it. A /lang
		// choice still comes first.
		code = card.Lang
		lang = b.core.Lang(Input{User: strconv.FormatInt(user, 10), Lang: code})
	}
	t := target{chatID: chat, threadID: in.threadID, replyTo: cb.Message.MessageID}
	switch {
	case action == actionGood || action == actionBad:
		f := Feedback{Good: action == actionGood, Question: card.Question, Answer: card.Answer, Mode: card.Mode, Lang: card.Lang,
			Citations: card.Citations, Chat: chatKey(t), User: user, Time: b.cfg.now()}
		b.log.Info("feedback", "chat_id", chat, "user_id", user, "good", f.Good, "question", card.Question)
		if b.cfg.Feedback != nil {
			if err := b.cfg.Feedback.Record(ctx, f); err != nil {
				b.log.Error("couldn't keep the feedback", "err", err)
			}
		}
		return toast(words.Text(lang, words.ButtonThanks))
	case action == actionQuotes:
		toast("")
		dctx, cancel := b.deliveryContext(ctx)
		defer cancel()
		return b.deliver(dctx, t, quotesReply(card, lang), nil, lang)
	case action == actionBrief:
		toast("")
		return b.answerFor(ctx, t, user, code, "/brief "+card.Question)
	case strings.HasPrefix(action, actionFollow):
		i, err := strconv.Atoi(strings.TrimPrefix(action, actionFollow))
		if err != nil || i < 0 || i >= len(card.FollowUps) {
			return toast(words.Text(lang, words.ButtonExpired))
		}
		toast("")
		return b.answerFor(ctx, t, user, code, card.FollowUps[i])
	}
	return toast(words.Text(lang, words.ButtonExpired))
}

// answerFor asks the core text on behalf of the user who pressed a button
// (a follow-up, a briefing) and delivers the reply, under the same rate
// limits as a question; code is the presser's language as a client gives
// it.
func (b *Bot) answerFor(ctx context.Context, t target, user int64, code, text string) bool {
	in := Input{Chat: chatKey(t), User: strconv.FormatInt(user, 10), Text: text, Lang: code}
	lang := b.core.Lang(in)
	if ok, _, limit := b.limits.allow(user, t.chatID); !ok {
		dctx, cancel := b.deliveryContext(ctx)
		defer cancel()
		return b.deliver(dctx, t, textReply(KindRefusal, words.Text(lang, words.RateLimit, limitText(lang, limit, words.RateQuestions))), nil, lang)
	}
	stopTyping := b.typing(ctx, t)
	st := &stream{b: b, ctx: ctx, t: t, last: b.cfg.now()}
	in.OnText = st.onText
	reply := b.core.Handle(ctx, in)
	stopTyping()
	dctx, cancel := b.deliveryContext(ctx)
	defer cancel()
	return b.deliver(dctx, t, reply, st, lang)
}

// quotesReply lists an answer's cited passages in full.
func quotesReply(c answerCard, lang string) Reply {
	var blocks []Block
	blocks = append(blocks, Block{Title: words.Text(lang, words.QuotesTitle)})
	for _, q := range c.Quotes {
		title := ""
		for _, cit := range c.Citations {
			if cit.N == q.N {
				title = fmt.Sprintf("[%d] %s", cit.N, words.SourceLine(cit))
			}
		}
		blocks = append(blocks, Block{Title: title, Text: q.Text})
	}
	return Reply{Kind: KindInfo, Blocks: blocks}
}

// memCallbacks is the Callbacks kept in memory when none is configured:
// bounded, the oldest dropped first, each token expiring after its ttl.
type memCallbacks struct {
	mu    sync.Mutex
	max   int
	items map[string]memCallback
	order []string
	now   func() time.Time
}

type memCallback struct {
	payload []byte
	expires time.Time
}

func newMemCallbacks(max int, now func() time.Time) *memCallbacks {
	return &memCallbacks{max: max, items: map[string]memCallback{}, now: now}
}

// PutCallback keeps payload for ttl under a new random token.
func (m *memCallbacks) PutCallback(_ context.Context, payload []byte, ttl time.Duration) (string, error) {
	token := rand.Text()[:16]
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.order) >= m.max {
		delete(m.items, m.order[0])
		m.order = m.order[1:]
	}
	m.items[token] = memCallback{payload: payload, expires: m.now().Add(ttl)}
	m.order = append(m.order, token)
	return token, nil
}

// GetCallback returns a token's payload, or ErrCallbackExpired.
func (m *memCallbacks) GetCallback(_ context.Context, token string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[token]
	if !ok || m.now().After(it.expires) {
		return nil, ErrCallbackExpired
	}
	return it.payload, nil
}
