package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scobot/scobot/bot"
)

// Telegram settings. .env.example documents every one of them.
const (
	envBotToken      = "TELEGRAM_BOT_TOKEN"      // required for serve: the token from @BotFather
	envAPIURL        = "TELEGRAM_API_URL"        // Bot API server; default https://api.telegram.org
	envWebhookURL    = "TELEGRAM_WEBHOOK_URL"    // set to use a webhook instead of long polling
	envWebhookListen = "TELEGRAM_WEBHOOK_LISTEN" // webhook listen address; default :8080
	envWebhookSecret = "TELEGRAM_WEBHOOK_SECRET" // X-Telegram-Bot-Api-Secret-Token; default random
	envAllowedChats  = "ALLOWED_CHAT_IDS"        // comma list; unset with ALLOWED_USER_IDS = anyone
	envAllowedUsers  = "ALLOWED_USER_IDS"        // comma list
	envRateUser      = "RATE_LIMIT_USER"         // questions per user, N/unit; default 5/min
	envRateChat      = "RATE_LIMIT_CHAT"         // questions per chat, N/unit; default 20/min
	envRateInfo      = "RATE_LIMIT_INFO"         // /start, /help, /sources per user, N/unit; default 30/min
	envWorkers       = "BOT_WORKERS"             // retrievals worked on at once; default the number of cores
	envUpdateTimeout = "BOT_UPDATE_TIMEOUT"      // deadline for one answer; default from the LLM settings
	envShutdownGrace = "BOT_SHUTDOWN_GRACE"      // time to finish answers on shutdown before they fall back; default 30s
)

// Rate-limit defaults.
const (
	defaultRateUser = "5/min"
	defaultRateChat = "20/min"
	defaultRateInfo = "30/min"
)

func runServe(ctx context.Context, m *Main, c *cli, args []string) error {
	fs := c.flagSet(m, "serve", "")
	if _, err := c.parse(fs, args); err != nil {
		return err
	}
	cfg, err := botConfig(c)
	if err != nil {
		return err
	}
	ws := readWatchSetting(c.env, func(msg string) { c.log.Warn(msg) })
	opts := openOptions{retrievals: retrievalWorkers(c), live: ws.on, warm: true}
	// A file skipped at the start or at one reload warns once, not at
	// every reload.
	blog := slog.New(newSkippedOnce(c.log.Handler()))
	res, first, err := openLoading(ctx, c.cfg, blog, opts)
	if err != nil {
		return err
	}
	a, err := buildApp(ctx, c.cfg, res, blog, first)
	if err != nil {
		return err
	}
	if p := a.store.Path(); p != "" {
		cfg.StateDir = filepath.Dir(p) // beside the index; none for one in memory
	}
	live := newLiveApp(a, c.cfg, res, opts, blog)
	var lib bot.Library
	if c.cfg.Added != "" && len(cfg.AdminUsers) > 0 {
		fetch := m.Fetch
		if fetch == nil {
			fetch = urlFetcher(c)
		}
		lib = &library{cfg: c.cfg, fetch: fetch, live: live}
	}
	core := bot.CoreOptions{Library: lib}
	cfg.Now, cfg.DigestEvery = m.Now, m.DigestEvery
	db, err := openState(ctx, c, m.Now)
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
		s := stored{db: db, log: c.log}
		cfg.Callbacks, cfg.Feedback = s, s
		core.History, core.Languages = s, s
		d := digests{db: db, live: live, zone: time.UTC}
		cfg.Digests, core.Digests = d, d
	}
	b, err := bot.New(ctx, cfg, live.newCore(core))
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	feeds, err := feedPoller(c, live, ws.on)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "scobot: serving as @%s (Ctrl-C to stop)\n", b.UserName())
	// The bot follows its corpus and polls its feeds until it stops.
	fctx, stopFollowing := context.WithCancel(ctx)
	var following sync.WaitGroup
	if ws.on {
		following.Go(func() { live.follow(fctx, ws) })
	}
	if feeds != nil {
		following.Go(func() { _ = feeds.Run(fctx) })
	}
	if db != nil {
		following.Go(func() { db.PruneEvery(fctx, time.Hour) })
	}
	err = b.Run(ctx)
	stopFollowing()
	following.Wait()
	return err
}

// botConfig reads the Telegram settings. A missing token or a bad ID list
// is an error (a typo must not open the bot to everyone); a bad rate
// warns and keeps the default.
func botConfig(c *cli) (bot.Config, error) {
	cfg := bot.Config{
		Token:         bot.NewToken(c.env.get(envBotToken)),
		APIURL:        c.env.get(envAPIURL),
		WebhookURL:    c.env.get(envWebhookURL),
		WebhookListen: c.env.get(envWebhookListen),
		WebhookSecret: bot.NewToken(c.env.get(envWebhookSecret)),
		Logger:        c.log,
	}
	if cfg.Token.IsZero() {
		return cfg, fmt.Errorf("no bot token: set %s to the token @BotFather gave you (in the environment or .env)", envBotToken)
	}
	var err error
	if cfg.AllowedChats, err = bot.ParseIDs(c.env.get(envAllowedChats)); err != nil {
		return cfg, fmt.Errorf("%s: %w", envAllowedChats, err)
	}
	if cfg.AllowedUsers, err = bot.ParseIDs(c.env.get(envAllowedUsers)); err != nil {
		return cfg, fmt.Errorf("%s: %w", envAllowedUsers, err)
	}
	if cfg.AdminUsers, err = bot.ParseIDs(c.env.get(envAdmins)); err != nil {
		return cfg, fmt.Errorf("%s: %w", envAdmins, err)
	}
	cfg.UserRate = rateSetting(c, envRateUser, defaultRateUser)
	cfg.ChatRate = rateSetting(c, envRateChat, defaultRateChat)
	cfg.InfoRate = rateSetting(c, envRateInfo, defaultRateInfo)
	if err := updateDeadline(c, &cfg); err != nil {
		return cfg, err
	}
	cfg.ShutdownGrace = readDuration(c.env, envShutdownGrace, bot.DefaultShutdownGrace, func(msg string) { c.log.Warn(msg) })
	return cfg, nil
}

// retrievalWorkers reads BOT_WORKERS: how many questions may be retrieved
// (the CPU-bound part of an answer) at once; unset → 0, the number of
// cores. Answers waiting on the language model hold none: those are
// bounded by LLM_CONCURRENCY. A bad value warns and keeps the default.
func retrievalWorkers(c *cli) int {
	s := strings.TrimSpace(c.env.get(envWorkers))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		c.log.Warn("not a worker count; using the number of cores", "setting", envWorkers, "value", s, "default", runtime.GOMAXPROCS(0))
		return 0
	}
	return n
}

// updateDeadline sets the per-update deadline from the language-model
// settings: without a model 2 min; with one, room for
// a whole call (LLM_RETRY_TIME of retries, then LLM_TIMEOUT for the
// answer) and the fallback. BOT_UPDATE_TIMEOUT overrides it, but one
// shorter than LLM_RETRY_TIME plus the fallback's time is an error.
func updateDeadline(c *cli, cfg *bot.Config) error {
	s := c.cfg.LLM
	cfg.FallbackTime = bot.DefaultFallbackTime
	derived := 2 * time.Minute
	if s.ChatModel != "" || s.EmbeddingModel != "" {
		cfg.ModelTime = s.RetryTime
		derived = s.RetryTime + s.Timeout + bot.DefaultFallbackTime
	}
	cfg.UpdateTimeout = readDuration(c.env, envUpdateTimeout, derived, func(msg string) { c.log.Warn(msg) })
	if err := cfg.CheckDeadline(); err != nil {
		return fmt.Errorf("%s=%s with %s=%s: %w", envUpdateTimeout, cfg.UpdateTimeout, envLLMRetryTime, s.RetryTime, err)
	}
	return nil
}

// rateSetting reads a rate limit; a bad value warns and keeps def.
func rateSetting(c *cli, key, def string) bot.Rate {
	s := c.env.get(key)
	if s == "" {
		s = def
	}
	r, err := bot.ParseRate(s)
	if err != nil {
		c.log.Warn("bad rate limit; using the default", "setting", key, "err", err, "default", def)
		r, _ = bot.ParseRate(def)
	}
	return r
}
