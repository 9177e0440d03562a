package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/scobot/scobot/bot"
	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/brief"
	"github.com/scobot/scobot/render"
	"github.com/scobot/scobot/state"
)

// envState is the bot's state file: chat histories, languages, feedback,
// subscriptions and the buttons' answers, kept across restarts.
const envState = "SCOBOT_STATE"

// statePath is SCOBOT_STATE, or state.db beside the folder of added
// reports (in scobot's data directory); "" when there is neither.
func statePath(c *cli) string {
	if p := strings.TrimSpace(c.env.get(envState)); p != "" {
		return p
	}
	if c.cfg.Added == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(strings.TrimRight(c.cfg.Added, string(filepath.Separator))), "state.db")
}

// openState opens the bot's state file; now (nil: time.Now) is its clock.
func openState(ctx context.Context, c *cli, now func() time.Time) (*state.DB, error) {
	p := statePath(c)
	if p == "" {
		return nil, nil
	}
	db, err := state.Open(ctx, p, state.Options{HistoryTurns: 6, HistoryTTL: 7 * 24 * time.Hour, Logger: c.log, Now: now})
	if err != nil {
		return nil, err
	}
	return db, nil
}

// stored adapts the state file to what the bot keeps in it; a failure is
// logged (it loses a follow-up's context or a choice, never an answer).
type stored struct {
	db  *state.DB
	log *slog.Logger
}

var (
	_ bot.History      = stored{}
	_ bot.Languages    = stored{}
	_ bot.Callbacks    = stored{}
	_ bot.FeedbackSink = stored{}
)

// Turns returns a chat's turns.
func (s stored) Turns(ctx context.Context, chat string) []rag.Turn {
	ts, err := s.db.History(ctx, chat)
	if err != nil {
		s.log.Warn("couldn't read a chat's history", "chat", chat, "err", err)
		return nil
	}
	out := make([]rag.Turn, len(ts))
	for i, t := range ts {
		out[i] = rag.Turn{Question: t.Question, Answer: t.Answer}
	}
	return out
}

// Add appends a turn to a chat's history.
func (s stored) Add(ctx context.Context, chat string, t rag.Turn) {
	if err := s.db.AppendTurn(ctx, chat, t.Question, t.Answer); err != nil {
		s.log.Warn("couldn't keep a chat's history", "chat", chat, "err", err)
	}
}

// Reset forgets a chat's history.
func (s stored) Reset(ctx context.Context, chat string) {
	if err := s.db.Reset(ctx, chat); err != nil {
		s.log.Warn("couldn't forget a chat's history", "chat", chat, "err", err)
	}
}

// Language returns the language a sender chose.
func (s stored) Language(ctx context.Context, who string) (string, bool) {
	l, ok, err := s.db.Language(ctx, who)
	if err != nil {
		s.log.Warn("couldn't read a language choice", "err", err)
	}
	return l, ok && err == nil
}

// SetLanguage keeps a sender's language.
func (s stored) SetLanguage(ctx context.Context, who, lang string) {
	if err := s.db.SetLanguage(ctx, who, lang); err != nil {
		s.log.Warn("couldn't keep a language choice", "err", err)
	}
}

// ClearLanguage forgets a sender's language.
func (s stored) ClearLanguage(ctx context.Context, who string) {
	if err := s.db.ClearLanguage(ctx, who); err != nil {
		s.log.Warn("couldn't forget a language choice", "err", err)
	}
}

// PutCallback keeps what a button acts on.
func (s stored) PutCallback(ctx context.Context, payload []byte, ttl time.Duration) (string, error) {
	return s.db.PutCallback(ctx, payload, ttl)
}

// GetCallback returns what a button acts on.
func (s stored) GetCallback(ctx context.Context, token string) ([]byte, error) {
	p, err := s.db.GetCallback(ctx, token)
	if errors.Is(err, state.ErrNotFound) || errors.Is(err, state.ErrExpired) {
		return nil, bot.ErrCallbackExpired
	}
	return p, err
}

// Record keeps a 👍 or 👎.
func (s stored) Record(ctx context.Context, f bot.Feedback) error {
	v := state.VoteDown
	if f.Good {
		v = state.VoteUp
	}
	cites := make([]state.Citation, len(f.Citations))
	for i, c := range f.Citations {
		cites[i] = state.Citation{DocID: c.Doc, Title: c.Title}
	}
	_, err := s.db.AddFeedback(ctx, state.Feedback{Vote: v, Question: f.Question, Answer: f.Answer, Citations: cites,
		Chat: f.Chat, UserID: f.User, At: f.Time, Mode: f.Mode})
	if err != nil {
		return fmt.Errorf("couldn't keep the feedback: %w", err)
	}
	return nil
}

// runFeedback is scobot feedback export: the 👎 answers kept in the state
// file, as lines of an evaluation question file (state.ExportFeedback:
// tagged feedback and needs-review, their cited documents as docs, facts
// to be filled in by whoever reviews them).
func runFeedback(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "feedback", "export [--since YYYY-MM-DD]")
	since := fs.String("since", "", "only the feedback given on or after this day (YYYY-MM-DD)")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "export" {
		return fmt.Errorf("%w: scobot feedback export [--since YYYY-MM-DD] > complaints.jsonl", errUsage)
	}
	var from time.Time
	if *since != "" {
		if from, err = time.Parse(time.DateOnly, *since); err != nil {
			return fmt.Errorf("%w: --since %q is not a day like 2026-12-01", errUsage, *since)
		}
	}
	db, err := openState(ctx, c, nil)
	if err != nil {
		return err
	}
	if db == nil {
		return fmt.Errorf("no state file: set %s", envState)
	}
	defer db.Close()
	n, err := db.ExportFeedback(ctx, m.Stdout, from)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "scobot: %d answers marked 👎 written\n", n)
	return nil
}

// digests is the bot's Digests over the state file's subscriptions and
// the live app's briefings; schedules without a zone are in zone.
type digests struct {
	db   *state.DB
	live *liveApp
	zone *time.Location
}

var _ bot.Digests = digests{}

// Subscribe parses the /subscribe arguments and keeps the subscription.
func (d digests) Subscribe(ctx context.Context, s bot.Subscription, args string) (bot.Subscription, error) {
	topic, sch, err := state.ParseSubscribe(args, d.zone)
	if err != nil {
		return bot.Subscription{}, err
	}
	sub, err := d.db.AddSubscription(ctx, state.Subscription{Chat: s.Chat, ChatID: s.ChatID, ThreadID: s.ThreadID, Topic: topic, Schedule: sch, CreatedBy: s.CreatedBy})
	if err != nil {
		return bot.Subscription{}, err
	}
	return d.toBot(ctx, sub), nil
}

// Subscriptions lists a chat's subscriptions.
func (d digests) Subscriptions(ctx context.Context, chat string) ([]bot.Subscription, error) {
	ss, err := d.db.Subscriptions(ctx, chat)
	if err != nil {
		return nil, err
	}
	out := make([]bot.Subscription, len(ss))
	for i, s := range ss {
		out[i] = d.toBot(ctx, s)
	}
	return out, nil
}

// Unsubscribe removes a chat's subscription.
func (d digests) Unsubscribe(ctx context.Context, chat, id string) error {
	err := d.db.RemoveSubscription(ctx, chat, id)
	if errors.Is(err, state.ErrNotFound) {
		return fmt.Errorf("this chat has no digest %s (/subscriptions lists them)", id)
	}
	return err
}

// Due lists the subscriptions whose next digest is due at now.
func (d digests) Due(ctx context.Context, now time.Time) ([]bot.Subscription, error) {
	ss, err := d.db.AllSubscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []bot.Subscription
	for _, s := range ss {
		if !s.NextDigest().After(now) {
			out = append(out, d.toBot(ctx, s))
		}
	}
	return out, nil
}

// Digest is the briefing on topic of what is new since then, the reports
// seen not counting.
func (d digests) Digest(ctx context.Context, topic string, since time.Time, seen []string) (rag.Answer, bool, error) {
	br, err := d.live.cur.Load().briefs.Brief(ctx, brief.Request{Topic: topic, Since: since, Seen: seen})
	if err != nil {
		return rag.Answer{}, false, err
	}
	return render.BriefAnswer(br), br.NothingNew, nil
}

// Sent records a digest sent, with its reports.
func (d digests) Sent(ctx context.Context, id string, at time.Time, docs []string) error {
	return d.db.MarkSent(ctx, id, at, docs...)
}

// toBot is a subscription as the bot shows and sends it: in the language
// its subscriber chose, new since the last digest (or its creation).
func (d digests) toBot(ctx context.Context, s state.Subscription) bot.Subscription {
	since := s.LastSent
	if since.IsZero() {
		since = s.CreatedAt
	}
	lang, _, _ := d.db.Language(ctx, strconv.FormatInt(s.CreatedBy, 10))
	return bot.Subscription{ID: s.ID, Chat: s.Chat, ChatID: s.ChatID, ThreadID: s.ThreadID, Topic: s.Topic,
		Schedule: s.Schedule.String(), Next: s.NextDigest(), Since: since, Seen: s.LastDocs, CreatedBy: s.CreatedBy, Lang: lang}
}
