package bot

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAPIURLPasswordRedacted: a TELEGRAM_API_URL with user:pass@ never
// shows its password, neither in New's errors nor in the logs.
func TestAPIURLPasswordRedacted(t *testing.T) {
	const pass = "hunter2-very-secret"
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	hostPort := strings.TrimPrefix(closed.URL, "http://")
	core := NewCore(&fakeAsker{}, nil, CoreOptions{})
	for _, apiURL := range []string{
		"http://admin:" + pass + "@" + hostPort,          // unreachable
		"ftp://admin:" + pass + "@" + hostPort,           // bad scheme
		"http://admin:" + pass + "@" + hostPort + "/%zz", // does not parse
	} {
		logs := &syncBuffer{}
		_, err := New(context.Background(), Config{Token: NewToken(testToken), APIURL: apiURL, Logger: slog.New(slog.NewTextHandler(logs, nil))}, core)
		if err == nil {
			t.Fatalf("New(%q) succeeded", apiURL)
		}
		for what, s := range map[string]string{"error": err.Error(), "logs": logs.String()} {
			if strings.Contains(s, pass) {
				t.Errorf("New(%q): the password is in the %s: %s", apiURL, what, s)
			}
		}
		if !strings.Contains(err.Error(), "admin:xxxxx@") && !strings.Contains(err.Error(), "xxxxx@") {
			t.Errorf("New(%q): the error does not say where the API is: %v", apiURL, err)
		}
	}

	// Through a working server the password still never shows, even when
	// every poll fails.
	f := newFakeTG(t)
	f.setHook(func(method string, _ url.Values) (int, string, bool) {
		if method == "getUpdates" {
			return 502, "<html>Bad Gateway</html>", true
		}
		return 0, "", false
	})
	withPass := strings.Replace(f.apiURL(), "http://", "http://admin:"+pass+"@", 1)
	tb := startBot(t, f, &fakeAsker{}, func(c *Config) { c.APIURL = withPass })
	f.waitFor(func(cs []apiCall) bool { return len(cs) >= 3 }, "getUpdates")
	tb.stop(t)
	if logs := tb.logs.String(); strings.Contains(logs, pass) {
		t.Errorf("the password is in the logs:\n%s", logs)
	}
}
