package bot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// incoming is one update as the bot handles it: the message, with what the
// library's types lack (the forum topic).
type incoming struct {
	updateID int
	chatID   int64
	msg      *tgbotapi.Message       // nil for updates other than new messages
	threadID int                     // forum topic of the message; 0 for none
	raw      json.RawMessage         // the update as Telegram sent it
	cb       *tgbotapi.CallbackQuery // a button pressed; nil for messages
}

// decodeUpdate reads one update. An update it cannot read still yields its
// update_id when it has one, so polling can move past it.
func decodeUpdate(raw []byte) (incoming, error) {
	var u tgbotapi.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		var id struct {
			UpdateID int `json:"update_id"`
		}
		_ = json.Unmarshal(raw, &id)
		return incoming{updateID: id.UpdateID}, fmt.Errorf("couldn't decode update: %w", err)
	}
	in := incoming{updateID: u.UpdateID, msg: u.Message, raw: raw, cb: u.CallbackQuery}
	if cb := u.CallbackQuery; cb != nil && cb.Message != nil && cb.Message.Chat != nil {
		in.chatID = cb.Message.Chat.ID // in the chat's order, like its messages
	}
	if u.Message != nil && u.Message.Chat != nil {
		in.chatID = u.Message.Chat.ID
		var topic struct {
			Message struct {
				ThreadID       int  `json:"message_thread_id"`
				IsTopicMessage bool `json:"is_topic_message"`
			} `json:"message"`
		}
		if json.Unmarshal(raw, &topic) == nil && topic.Message.IsTopicMessage {
			in.threadID = topic.Message.ThreadID
		}
	}
	return in, nil
}

// poll runs the getUpdates loop until ctx is done. The offset it sends
// confirms only finished updates (see acks): while an update is in work,
// Telegram keeps sending it, and poll skips it and waits RepollInterval
// (or until an update finishes) before asking again. It returns an error
// only when Telegram rejects the token.
func (b *Bot) poll(ctx context.Context) error {
	fails := 0
	timeout := int(b.cfg.PollTimeout / time.Second)
	allowed, _ := json.Marshal(allowedUpdates)
	for ctx.Err() == nil {
		params := tgbotapi.Params{"timeout": strconv.Itoa(timeout), "allowed_updates": string(allowed), "limit": strconv.Itoa(pollLimit)}
		if offset := b.acks.offset(false); offset != 0 {
			params["offset"] = strconv.Itoa(offset)
		}
		pctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+10*time.Second)
		resp, err := b.api.once(pctx, "getUpdates", params)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if te, ok := errors.AsType[*tgbotapi.Error](err); ok && (te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound) {
				return fmt.Errorf("telegram rejected the bot token: %w", err)
			}
			fails++
			wait, _ := retryAfter(err, fails)
			if isAPIError(err, "conflict") {
				b.log.Error("another getUpdates poller or a webhook is active for this bot", "err", err)
			}
			b.log.Warn("couldn't get updates; waiting", "wait", wait, "err", err)
			if b.cfg.sleep(ctx, max(wait, firstBackoff)) != nil {
				break
			}
			continue
		}
		fails = 0
		var raws []json.RawMessage
		if err := json.Unmarshal(resp.Result, &raws); err != nil {
			b.log.Warn("couldn't decode updates", "err", err)
			continue
		}
		fresh := 0
		for _, raw := range raws {
			in, err := decodeUpdate(raw)
			if b.answered[in.updateID] {
				// Answered before the last shutdown, past the offset it
				// could confirm: finished, not answered again.
				if b.acks.accept(in.updateID) {
					b.acks.finish(in.updateID, true)
				}
				continue
			}
			if !b.acks.accept(in.updateID) {
				continue // in work or finished already
			}
			fresh++
			if err != nil {
				b.log.Warn("skipping an update", "update_id", in.updateID, "err", err)
				b.acks.finish(in.updateID, true)
			} else if qerr := b.disp.enqueue(ctx, in); qerr != nil {
				return nil // shutting down: this update stays unacknowledged
			}
		}
		if fresh == 0 && len(raws) > 0 && b.handOff(raws, len(raws) >= pollLimit) {
			continue // the offset passes them now: poll for newer ones
		}
		if fresh == 0 && len(raws) > 0 {
			// Only updates in work: Telegram answers at once until the
			// offset can move, so do not ask again straight away.
			t := time.NewTimer(b.cfg.RepollInterval)
			select {
			case <-ctx.Done():
			case <-b.acks.wake:
			case <-t.C:
			}
			t.Stop()
		}
	}
	return nil
}

// allowedUpdates are the kinds of update the bot asks Telegram for:
// messages, and the buttons pressed under its answers.
var allowedUpdates = []string{"message", "callback_query"}

// pollLimit is how many updates one getUpdates asks for (Telegram's most).
const pollLimit = 100

// handOff lets the offset pass the updates of batch that are in work, so
// that newer updates are taken while those are answered: otherwise
// Telegram sends the same batch again until its oldest is finished, and
// once pollLimit updates are behind a slow answer, nothing newer at all.
// The updates are first kept in the bot's state (the journal's Pending,
// written now), so that a crash or a shutdown before they finish leaves
// them for the next start. When that cannot be written, they are handed
// off only if the batch is full (else the bot would stop taking updates);
// it reports whether it handed them off.
func (b *Bot) handOff(batch []json.RawMessage, full bool) bool {
	var ids []int
	for _, raw := range batch {
		in, err := decodeUpdate(raw)
		if err != nil || !b.acks.inWork(in.updateID) {
			continue
		}
		// Kept before handed off: a job finishing in between drops it
		// again below (acks.handOff is false), never after.
		b.pending.add(in.updateID, in.raw)
		ids = append(ids, in.updateID)
	}
	if len(ids) == 0 {
		return false
	}
	if err := b.keepPending(); err != nil {
		if !full {
			for _, id := range ids {
				b.pending.done(id)
			}
			return false
		}
		b.log.Warn("couldn't keep the updates in work; they are lost if the bot stops before they are answered", "count", len(ids), "err", err)
	}
	for _, id := range ids {
		if !b.acks.handOff(id) {
			b.pending.done(id)
		}
	}
	b.log.Debug("updates in work handed off; polling on", "count", len(ids))
	return true
}

// ack confirms every update before offset, so a restart does not get them
// again; the updates from offset on are left for the next start.
func (b *Bot) ack(offset int) {
	if offset == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := b.api.once(ctx, "getUpdates", tgbotapi.Params{"offset": strconv.Itoa(offset), "limit": "1", "timeout": "0"})
	if err != nil {
		b.log.Warn("couldn't acknowledge the last updates; they may be answered again after a restart", "offset", offset, "err", err)
	}
}

// serveWebhook registers the webhook and serves it until ctx is done.
func (b *Bot) serveWebhook(ctx context.Context) error {
	secret := b.cfg.WebhookSecret.Value()
	if secret == "" {
		secret = rand.Text()
	}
	ln, err := net.Listen("tcp", b.cfg.WebhookListen)
	if err != nil {
		return fmt.Errorf("couldn't listen on %s for the webhook: %w", b.cfg.WebhookListen, err)
	}
	srv := &http.Server{Handler: b.webhookHandler(secret), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	allowed, _ := json.Marshal(allowedUpdates)
	_, err = b.api.call(ctx, "setWebhook", tgbotapi.Params{"url": b.cfg.WebhookURL, "secret_token": secret, "allowed_updates": string(allowed)})
	if err != nil {
		srv.Close()
		return fmt.Errorf("couldn't set the webhook to %s: %w", b.cfg.WebhookURL, err)
	}
	b.log.Info("webhook set; listening", "url", b.cfg.WebhookURL, "addr", ln.Addr().String())
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("webhook server stopped: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		b.log.Warn("webhook server did not stop cleanly", "err", err)
	}
	return nil
}

// maxUpdateBytes bounds a webhook request body.
const maxUpdateBytes = 1 << 20

// webhookHandler takes updates Telegram posts: it checks the secret
// header, queues the update and only then answers 200, so an update it
// could not queue (503) is sent again by Telegram. An update whose
// update_id was taken lately (webhookDedupWindow) is answered 200 and
// dropped: Telegram posts again updates it thinks failed.
func (b *Bot) webhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			b.log.Warn("webhook request with a wrong secret", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		in, err := decodeUpdate(raw)
		if err != nil {
			b.log.Warn("skipping an update", "update_id", in.updateID, "err", err)
			w.WriteHeader(http.StatusOK) // resending would not help
			return
		}
		if !b.recent.add(in.updateID) {
			b.log.Info("skipping an update posted again", "update_id", in.updateID)
			w.WriteHeader(http.StatusOK)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		b.pending.add(in.updateID, in.raw)
		if err := b.disp.enqueue(ctx, in); err != nil {
			b.pending.done(in.updateID)
			b.recent.remove(in.updateID) // Telegram posts it again: take it then
			b.log.LogAttrs(ctx, slog.LevelWarn, "queue full; asking Telegram to resend", slog.Int("update_id", in.updateID))
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
