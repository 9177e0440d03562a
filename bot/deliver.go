package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/scobot/scobot/render"
)

// deliver sends a reply as one or more HTML messages and reports whether
// all of it was sent. When an answer was streamed, its message is edited
// into the first part; if that edit fails, the part is sent anew and the
// streamed message (text not yet checked) is deleted. A part Telegram
// cannot parse is sent again as plain text. An answer with sources gets
// its buttons (answerButtons) under its last part, labelled in lang. ctx
// must be the delivery's own (Bot.deliveryContext), not the job's.
func (b *Bot) deliver(ctx context.Context, t target, r Reply, st *stream, lang string) bool {
	parts := render.HTML(r, render.MaxMessageUTF16)
	streamed, orphan := 0, 0
	if st != nil {
		streamed = st.finish()
	}
	markup := b.answerButtons(ctx, r, lang) // under the last part
	for i, part := range parts {
		mk := ""
		if i == len(parts)-1 {
			mk = markup
		}
		if i == 0 && streamed != 0 {
			err := b.edit(ctx, t.chatID, streamed, part, mk)
			if err == nil {
				continue
			}
			b.log.Warn("couldn't edit the streamed answer; sending it anew", "chat_id", t.chatID, "err", err)
			orphan = streamed
		}
		if _, err := b.send(ctx, t, part, mk); err != nil {
			b.log.LogAttrs(ctx, slog.LevelError, "couldn't send a reply", slog.Int64("chat_id", t.chatID),
				slog.Int("part", i+1), slog.Int("parts", len(parts)), slog.Any("err", err))
			return false
		}
	}
	if orphan != 0 {
		b.deleteMessage(ctx, t.chatID, orphan)
	}
	return true
}

// deleteMessage deletes a message of the bot's; a failure is only logged.
func (b *Bot) deleteMessage(ctx context.Context, chatID int64, msgID int) {
	_, err := b.api.call(ctx, "deleteMessage", tgbotapi.Params{
		"chat_id": strconv.FormatInt(chatID, 10), "message_id": strconv.Itoa(msgID)})
	if err != nil {
		b.log.Warn("couldn't delete the streamed answer", "chat_id", chatID, "message_id", msgID, "err", err)
	}
}

// send sends one HTML message (with an inline keyboard, markup, when not
// "") and returns its ID; if Telegram cannot parse the HTML, it sends the
// same text plain.
func (b *Bot) send(ctx context.Context, t target, html, markup string) (int, error) {
	p := t.params()
	p["text"] = html
	if markup != "" {
		p["reply_markup"] = markup
	}
	p["parse_mode"] = tgbotapi.ModeHTML
	p["disable_web_page_preview"] = "true"
	resp, err := b.api.call(ctx, "sendMessage", p)
	if isAPIError(err, "can't parse entities") {
		b.log.Warn("telegram rejected the formatting; sending plain text", "chat_id", t.chatID, "err", err)
		delete(p, "parse_mode")
		p["text"] = render.HTMLToPlain(html)
		resp, err = b.api.call(ctx, "sendMessage", p)
	}
	if err != nil {
		return 0, err
	}
	return messageID(resp), nil
}

// edit replaces a message's text with html (and its keyboard with markup,
// when not ""), or the same text plain if Telegram cannot parse the HTML.
// An unchanged text is no error.
func (b *Bot) edit(ctx context.Context, chatID int64, msgID int, html, markup string) error {
	p := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(chatID, 10),
		"message_id":               strconv.Itoa(msgID),
		"text":                     html,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	if markup != "" {
		p["reply_markup"] = markup
	}
	_, err := b.api.call(ctx, "editMessageText", p)
	if isAPIError(err, "can't parse entities") {
		delete(p, "parse_mode")
		p["text"] = render.HTMLToPlain(html)
		_, err = b.api.call(ctx, "editMessageText", p)
	}
	if isAPIError(err, "message is not modified") {
		return nil
	}
	return err
}

// messageID reads the ID of the message a send returned; 0 if unknown.
func messageID(resp *tgbotapi.APIResponse) int {
	var m tgbotapi.MessageID
	if resp == nil || resp.Result == nil || json.Unmarshal(resp.Result, &m) != nil {
		return 0
	}
	return m.MessageID
}

// stream shows an answer while it is generated: the first text after
// Config.EditInterval is sent as a message, later texts edit it at most
// once per interval. Sends and edits run in the background and never hold
// up the answer; their failures are only logged.
type stream struct {
	b   *Bot
	ctx context.Context
	t   target

	mu     sync.Mutex
	msgID  int       // the streamed message, once sent
	busy   bool      // a send or edit is under way
	last   time.Time // when the last one ended (at first: when the work began)
	closed bool
	wg     sync.WaitGroup
}

// onText is the Asker's Request.OnText.
func (s *stream) onText(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.busy || s.b.cfg.now().Sub(s.last) < s.b.cfg.EditInterval || strings.TrimSpace(text) == "" {
		return
	}
	s.busy = true
	s.wg.Add(1)
	go s.push(s.msgID, render.Preview(text))
}

// push sends or edits the streamed message, without retries.
func (s *stream) push(id int, text string) {
	defer s.wg.Done()
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	var err error
	if id == 0 {
		p := s.t.params()
		p["text"] = text
		var resp *tgbotapi.APIResponse
		if resp, err = s.b.api.once(ctx, "sendMessage", p); err == nil {
			id = messageID(resp)
		}
	} else {
		_, err = s.b.api.once(ctx, "editMessageText", tgbotapi.Params{
			"chat_id": strconv.FormatInt(s.t.chatID, 10), "message_id": strconv.Itoa(id), "text": text})
	}
	if err != nil && !isAPIError(err, "message is not modified") {
		s.b.log.Debug("couldn't show the answer so far", "chat_id", s.t.chatID, "err", err)
	}
	s.mu.Lock()
	s.msgID = id
	s.busy = false
	s.last = s.b.cfg.now()
	s.mu.Unlock()
}

// finish stops streaming, waits for a send or edit under way and returns
// the streamed message's ID, 0 if none was sent.
func (s *stream) finish() int {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.msgID
}
