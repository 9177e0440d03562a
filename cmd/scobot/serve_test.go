package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestUpdateDeadlineFromLLMSettings: the per-update deadline is derived
// from the language-model settings, and one too short for the model's
// retries and the fallback is an error naming the settings.
func TestUpdateDeadlineFromLLMSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    time.Duration
		wantErr string
	}{
		{"no model", map[string]string{}, 2 * time.Minute, ""},
		{"README's Ollama settings", map[string]string{"CHAT_MODEL": "qwen2.5:7b", "LLM_TIMEOUT": "180s", "LLM_RETRY_TIME": "120s"}, 305 * time.Second, ""},
		{"explicit and long enough", map[string]string{"CHAT_MODEL": "m", "LLM_RETRY_TIME": "20s", "BOT_UPDATE_TIMEOUT": "30s"}, 30 * time.Second, ""},
		{"explicit and too short", map[string]string{"CHAT_MODEL": "m", "LLM_TIMEOUT": "180s", "LLM_RETRY_TIME": "120s", "BOT_UPDATE_TIMEOUT": "2m"}, 0, "BOT_UPDATE_TIMEOUT=2m0s with LLM_RETRY_TIME=2m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["TELEGRAM_BOT_TOKEN"] = "1:x"
			e := env{getenv: func(k string) string { return tt.env[k] }}
			c := &cli{env: e, log: slog.New(slog.DiscardHandler)}
			llm, err := readLLMSettings(e, func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			c.cfg.LLM = llm
			cfg, err := botConfig(c)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("botConfig = %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.UpdateTimeout != tt.want {
				t.Errorf("deadline %s, want %s", cfg.UpdateTimeout, tt.want)
			}
		})
	}
}

// BOT_SHUTDOWN_GRACE sets how long answers in flight may finish on
// shutdown; unset, 30 s.
func TestShutdownGraceSetting(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  time.Duration
	}{{"", 30 * time.Second}, {"5s", 5 * time.Second}, {"nonsense", 30 * time.Second}} {
		vars := map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "BOT_SHUTDOWN_GRACE": tt.value}
		c := &cli{env: env{getenv: func(k string) string { return vars[k] }}, log: slog.New(slog.DiscardHandler)}
		cfg, err := botConfig(c)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.ShutdownGrace != tt.want {
			t.Errorf("BOT_SHUTDOWN_GRACE=%q: grace %s, want %s", tt.value, cfg.ShutdownGrace, tt.want)
		}
	}
}
