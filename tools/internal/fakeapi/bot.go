package fakeapi

import (
	"os"
	"os/exec"
	"path/filepath"
)

// Build builds ./cmd/scobot (run from the module's root) into dir and
// returns the binary's path; the go command's output goes to stderr.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "scobot")
	build := exec.Command("go", "build", "-o", bin, "./cmd/scobot")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	return bin, build.Run()
}

// Env returns this process's environment with what runs the bot in work
// against the fakes at tgURL and modelURL (the model is name-model, the
// token and key are named name, no embedder, no rate limits, no access
// lists, its database and cache in work, info logs), then extra.
func Env(work, name, tgURL, modelURL string, extra ...string) []string {
	env := append(os.Environ(),
		"TELEGRAM_BOT_TOKEN=123456:"+name,
		"TELEGRAM_API_URL="+tgURL,
		"OPENAI_BASE_URL="+modelURL+"/v1",
		"OPENAI_API_KEY="+name,
		"CHAT_MODEL="+name+"-model",
		"EMBEDDING_MODEL=",
		"RATE_LIMIT_USER=off",
		"RATE_LIMIT_CHAT=off",
		"ALLOWED_CHAT_IDS=",
		"ALLOWED_USER_IDS=",
		"SCOBOT_DB="+filepath.Join(work, "db"),
		"XDG_CACHE_HOME="+filepath.Join(work, "cache"),
		"SCOBOT_LOG_LEVEL=info",
	)
	return append(env, extra...)
}
