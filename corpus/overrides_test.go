package corpus

import (
	"strings"
	"testing"
)

func TestParseOverrides(t *testing.T) {
	got, err := parseOverrides([]byte(`{
  "a": {"title": "T", "date": "2024-05-21"},
  "b": {"source": "Xinhua", "url": "http://x", "date": "2020"},
  "c": {}
}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || *got["a"].title != "T" || *got["a"].date != "2024-05-21" || got["a"].source != nil ||
		*got["b"].date != "2020" || got["b"].line != 3 {
		t.Errorf("parsed %+v", got)
	}
	var d Document
	got["b"].apply(&d)
	if d.Source != "Xinhua" || d.URL != "http://x" || d.Title != "" {
		t.Errorf("apply: %+v", d)
	}

	errs := []struct {
		name, in, want string
	}{
		{"unknown field", "{\n \"a\": {\n  \"titel\": \"x\"}}", `line 3: document "a": unknown field "titel"`},
		{"bad date", "{\"a\": {\"date\": \"21/05/2024\"}}", `line 1: document "a": field "date"`},
		{"impossible date", "{\n\"a\": {\"date\": \"2024-02-30\"}}", `line 2: document "a": field "date"`},
		{"not a string", "{\"a\": {\"title\": 5}}", `field "title": want a string`},
		{"not an object", "[1]", `line 1: want "{"`},
		{"entry not an object", "{\"a\": \"x\"}", `document "a": want "{"`},
		{"duplicate id", "{\"a\": {},\n\"a\": {}}", `line 2: document "a" appears twice`},
		{"syntax", "{\n\"a\": {\"title\": \"x\",}}", "line 2: invalid JSON"},
		{"truncated", "{\"a\": {", "unexpected end of file"},
		{"trailing data", "{} {}", "unexpected data"},
		{"empty id", "{\"\": {}}", "empty document ID"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOverrides([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestEmbeddedMetadataValid(t *testing.T) {
	docs := loadSeeds(t)
	want := map[string][2]string{ // date, source
		"000_b54822d210cd7471": {"2024-05-21", "China News Service"},
		"001_14086ad8159a262e": {"2024-05-21", "Ministry of Foreign Affairs of the PRC"},
		"002_c42d388d6a7d4817": {"2020-09-16", "Xinhua"},
		"003_e29fc6cbd48e96a3": {"2021-07-14", "Ministry of Foreign Affairs of the PRC"},
		"004_73a6135f73033407": {"2020-11-05", "Xinhua"},
	}
	for id, w := range want {
		if d := docs[id]; d.Date != w[0] || d.Source != w[1] {
			t.Errorf("%s: date %q source %q, want %q %q", id, d.Date, d.Source, w[0], w[1])
		}
	}
	if u := docs["000_b54822d210cd7471"].URL; u != "http://www.chinanews.com/gn/2024/05-21/10220988.shtml" {
		t.Errorf("000 URL = %q", u)
	}
}

// Editors on Windows save JSON with a UTF-8 byte-order mark; it is no
// syntax error, and line numbers in errors still count from the top.
func TestParseOverridesBOM(t *testing.T) {
	got, err := parseOverrides([]byte("\xEF\xBB\xBF{\n  \"a\": {\"date\": \"2024-05-21\"}\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := got["a"]; !ok || *o.date != "2024-05-21" || o.line != 2 {
		t.Errorf("parsed %+v", got)
	}
	_, err = parseOverrides([]byte("\xEF\xBB\xBF{\n\"a\": {\"titel\": \"x\"}}"))
	if err == nil || !strings.Contains(err.Error(), "line 2:") {
		t.Errorf("err = %v, want one naming line 2", err)
	}
}
