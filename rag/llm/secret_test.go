package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretRedacts(t *testing.T) {
	s := Secret(testKey)
	type holder struct {
		Key   Secret
		Other string
	}
	h := holder{Key: s, Other: "x"}
	var out []string
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-8v"} {
		out = append(out, fmt.Sprintf(format, s), fmt.Sprintf(format, h), fmt.Sprintf(format, &h))
	}
	text, _ := s.MarshalText()
	out = append(out, fmt.Sprint(s), fmt.Sprintln(s), s.String(), s.GoString(), string(text))

	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(b))

	var logs bytes.Buffer
	for _, handler := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		l := slog.New(handler)
		l.Info("configured", "key", s, "cfg", h, slog.Any("any", s), slog.Group("g", "key", s))
	}
	out = append(out, logs.String())

	for _, o := range out {
		mustNotLeak(t, "printed secret", o)
	}
	if !strings.Contains(string(b), redacted) || !strings.Contains(logs.String(), redacted) {
		t.Errorf("redacted marker missing: %s / %s", b, logs.String())
	}
	if s.Reveal() != testKey {
		t.Errorf("Reveal() = %q", s.Reveal())
	}
}

func TestConfigPrintsRedacted(t *testing.T) {
	cfg := Config{APIKey: testKey, ChatModel: "m"}
	mustNotLeak(t, "printed config", fmt.Sprintf("%v %+v %#v", cfg, cfg, &cfg))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", cfg)
	mustNotLeak(t, "logged config", logs.String())
}

func ExampleSecret() {
	key := Secret("sk-live-1234")
	fmt.Println(key, fmt.Sprintf("%#v", key))
	b, _ := json.Marshal(struct{ Key Secret }{key})
	fmt.Println(string(b))
	fmt.Println(key.Reveal())
	// Output:
	// [REDACTED] [REDACTED]
	// {"Key":"[REDACTED]"}
	// sk-live-1234
}
