package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

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
	envWorkers       = "BOT_WORKERS"             // answers worked on at once; default 8
)

// Rate-limit defaults.
const (
	defaultRateUser = "5/min"
	defaultRateChat = "20/min"
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
	a, err := openApp(ctx, c.cfg, c.log, openOptions{})
	if err != nil {
		return err
	}
	b, err := bot.New(ctx, cfg, a.core(c.log))
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	fmt.Fprintf(m.Stderr, "scobot: serving as @%s (Ctrl-C to stop)\n", b.UserName())
	return b.Run(ctx)
}

// botConfig reads the Telegram settings. A missing token or a bad ID list
// is an error (a typo must not open the bot to everyone); a bad rate or
// worker count warns and keeps the default.
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
	cfg.UserRate = rateSetting(c, envRateUser, defaultRateUser)
	cfg.ChatRate = rateSetting(c, envRateChat, defaultRateChat)
	if s := c.env.get(envWorkers); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			c.log.Warn("not a worker count; using the default", "setting", envWorkers, "value", s, "default", 8)
		} else {
			cfg.Workers = n
		}
	}
	return cfg, nil
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
