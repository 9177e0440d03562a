package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scobot/scobot/ingest/fetch"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestAccept: by default only pages are fetched, and a feed is refused as
// "not a web page"; a Fetcher whose Config.Accept adds FeedTypes fetches
// RSS, Atom and JSON feeds (and still pages), decoding a feed's charset from
// its XML declaration; an Accept that lists only feeds refuses a page.
func TestAccept(t *testing.T) {
	rss := `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>SCO news</title></channel></rss>`
	gbkFeed, err := simplifiedchinese.GBK.NewEncoder().String(`<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>上合组织新闻</title></channel></rss>`)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	serve := func(path, contentType, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Write([]byte(body))
		})
	}
	serve("/rss", "application/rss+xml; charset=utf-8", rss)
	serve("/atom", "application/atom+xml", `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>SCO</title></feed>`)
	serve("/json", "application/feed+json", `{"version":"https://jsonfeed.org/version/1.1","title":"SCO"}`)
	serve("/gbk", "text/xml", gbkFeed)
	serve("/page", "text/html; charset=utf-8", `<html><body><p>SCO foreign ministers met in Astana.</p></body></html>`)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	feeds := append(fetch.PageTypes(), fetch.FeedTypes()...)
	tests := []struct {
		name     string
		accept   []string
		path     string
		wantType string // "" means refused as not a web page
		contains string
	}{
		{name: "default refuses rss", path: "/rss"},
		{name: "default refuses json feed", path: "/json"},
		{name: "default takes a page", path: "/page", wantType: "text/html", contains: "Astana"},
		{name: "feeds: rss", accept: feeds, path: "/rss", wantType: "application/rss+xml", contains: "SCO news"},
		{name: "feeds: atom", accept: feeds, path: "/atom", wantType: "application/atom+xml", contains: "<feed"},
		{name: "feeds: json feed", accept: feeds, path: "/json", wantType: "application/feed+json", contains: `"title":"SCO"`},
		{name: "feeds: gbk from the xml declaration", accept: feeds, path: "/gbk", wantType: "text/xml", contains: "上合组织新闻"},
		{name: "feeds: still a page", accept: feeds, path: "/page", wantType: "text/html", contains: "Astana"},
		{name: "only feeds refuses a page", accept: fetch.FeedTypes(), path: "/page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Accept = tt.accept
			page, err := fetch.New(cfg).Fetch(context.Background(), srv.URL+tt.path)
			if tt.wantType == "" {
				if !errors.Is(err, fetch.ErrNotWebPage) {
					t.Fatalf("err = %v, want ErrNotWebPage", err)
				}
				if !strings.Contains(err.Error(), ": it is not a web page (") {
					t.Errorf("message %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if page.ContentType != tt.wantType {
				t.Errorf("content type %q, want %q", page.ContentType, tt.wantType)
			}
			if !strings.Contains(page.Body, tt.contains) {
				t.Errorf("body %q lacks %q", page.Body, tt.contains)
			}
			if page.IsHTML() != (tt.wantType == "text/html") {
				t.Errorf("IsHTML() = %v for %s", page.IsHTML(), page.ContentType)
			}
		})
	}
}
