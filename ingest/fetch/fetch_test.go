package fetch_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/ingest/fetch"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// testConfig is what the tests fetch with: the httptest site is on
// 127.0.0.1, so private addresses are allowed (TestPrivateAddress shows
// they are refused otherwise).
func testConfig() fetch.Config {
	return fetch.Config{AllowPrivate: true, Timeout: 5 * time.Second}
}

// TestNewsSite fetches each style of article from the test news site and
// turns it into a Document, as `scobot add URL` will: the right title,
// date, publisher and languages, the article kept, the page furniture
// gone. The whole Document is compared with testdata/golden (regenerate
// with -update, then read the files).
func TestNewsSite(t *testing.T) {
	srv := newsSite(t)
	f := fetch.New(testConfig())
	tests := []struct {
		name, path                 string
		contentType, charset       string
		title, date, source, langs string
		present, absent            []string
	}{
		{
			name: "og_article", path: "/world/2024/07/04/sco-astana-declaration",
			contentType: "text/html", charset: "utf-8",
			title: "SCO leaders adopt Astana Declaration at summit", date: "2024-07-04", source: "Steppe Herald", langs: "en",
			present: []string{"admitted Belarus as the tenth full member", "The next summit will be hosted by China."},
			absent:  []string{"Politics", "Related", "border crossing", "All rights reserved", "Aigerim", "dataLayer"},
		},
		{
			name: "jsonld_article", path: "/news/tianjin-development-bank",
			contentType: "text/html", charset: "utf-8",
			title: "SCO members agree to set up a development bank in Tianjin", date: "2025-09-01", source: "Eurasia Monitor", langs: "en",
			present: []string{"set up a development bank of their own", "largest in the bloc's history"},
			absent:  []string{"Most popular", "Oil prices", "Kyrgyz parliament", "cotton", "independent news", "Login"},
		},
		{
			name: "gbk_meta", path: "/gj/2024-07/04/content_meta.htm",
			contentType: "text/html", charset: "gbk",
			title: "上合组织成员国元首理事会第二十四次会议在阿斯塔纳举行", date: "2024-07-04", source: "Xinhua", langs: "zh",
			present: []string{"新华社阿斯塔纳7月4日电", "并决定接收白俄罗斯为成员国。", "下一任轮值主席国由中国担任。"},
			absent:  []string{"当前位置", "相关新闻", "防暑", "强降雨", "责任编辑", "版权所有", "ICP", "首页"},
		},
		{
			name: "gbk_header", path: "/gj/2024-07/04/content_header.htm",
			contentType: "text/html", charset: "gbk",
			title: "上合组织成员国元首理事会第二十四次会议在阿斯塔纳举行", date: "2024-07-04", source: "Xinhua", langs: "zh",
			present: []string{"新华社阿斯塔纳7月4日电", "并决定接收白俄罗斯为成员国。"},
			absent:  []string{"相关新闻", "版权所有"},
		},
		{
			name: "gbk_sniffed", path: "/gj/2024-07/04/content_sniffed.htm",
			contentType: "text/html", charset: "gb18030",
			title: "上合组织成员国元首理事会第二十四次会议在阿斯塔纳举行", date: "2024-07-04", source: "Xinhua", langs: "zh",
			present: []string{"新华社阿斯塔纳7月4日电", "并决定接收白俄罗斯为成员国。"},
			absent:  []string{"相关新闻", "版权所有"},
		},
		{
			name: "boilerplate_ru", path: "/ru/astana-declaration",
			contentType: "text/html", charset: "utf-8",
			title: "Лидеры стран ШОС подписали Астанинскую декларацию", date: "2024-07-04", source: "Новости Евразии", langs: "ru",
			present: []string{"приняли Белоруссию в организацию", "Следующий саммит пройдет в Китае."},
			absent: []string{"cookie", "Главная", "ВКонтакте", "Читайте также", "Теги", "Главное за день", "медиацентр",
				"тенге", "Комментарии", "Все права"},
		},
		{
			name: "plain_report", path: "/wire/2019/06/14/china-kyrgyzstan.txt",
			contentType: "text/plain", charset: "utf-8",
			title: "China, Kyrgyzstan agree to deepen SCO security cooperation", date: "2019-06-14", source: "Xinhua", langs: "en",
			present: []string{"deepen security cooperation within the framework", "safeguard regional peace and stability."},
			absent:  []string{"Source:"},
		},
		{
			name: "multipart_article", path: "/caspian/samarkand-preparations",
			contentType: "text/html", charset: "utf-8",
			title: "Foreign ministers prepare Samarkand summit", date: "2022-07-29", source: "Caspian Wire", langs: "en",
			present: []string{"Wang Yi and Russian Foreign Minister Sergei Lavrov", "a step towards full membership of the organization."},
			absent:  []string{"Subscribe", "Trending", "power plants", "border post", "Great to see", "Nothing will change", "Registered in Tbilisi"},
		},
		{
			name: "zh_portal_teasers", path: "/sz/qin-gang-goa",
			contentType: "application/xhtml+xml", charset: "utf-8",
			title: "王毅出席上合组织外长理事会会议", date: "2023-05-06", source: "China News Service", langs: "zh",
			present: []string{"中新社果阿5月5日电", "为今年在新德里举行的元首理事会会议作准备。"},
			absent:  []string{"今日关注", "五一假期", "暴雨", "排行榜", "编辑", "版权所有", "时政"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := f.Fetch(context.Background(), srv.URL+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if page.URL != srv.URL+tt.path || page.ContentType != tt.contentType || page.Charset != tt.charset {
				t.Errorf("page: url %s type %s charset %s, want %s %s %s", page.URL, page.ContentType, page.Charset, srv.URL+tt.path, tt.contentType, tt.charset)
			}
			if page.Fetched.IsZero() || time.Since(page.Fetched) > time.Minute {
				t.Errorf("fetched at %v", page.Fetched)
			}
			doc, err := corpus.FromPage(corpus.Page{URL: page.URL, ContentType: page.ContentType, Body: page.Body, Fetched: page.Fetched})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Date != tt.date || doc.Source != tt.source || strings.Join(doc.Langs, ",") != tt.langs {
				t.Errorf("document: title %q date %q source %q langs %v\nwant      title %q date %q source %q langs %s",
					doc.Title, doc.Date, doc.Source, doc.Langs, tt.title, tt.date, tt.source, tt.langs)
			}
			text := doc.Text()
			for _, s := range tt.present {
				if !strings.Contains(text, s) {
					t.Errorf("article text %q lost", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(text, s) {
					t.Errorf("boilerplate %q left in", s)
				}
			}
			if !strings.HasPrefix(text, tt.title) {
				t.Errorf("text does not open with the headline: %.80q", text)
			}
			checkGolden(t, tt.name, doc, srv.URL)
		})
	}
}

// checkGolden compares a Document (the server's address replaced by
// "http://site", its ID, which hashes the server's port, by "ID") with
// testdata/golden/NAME.json.
func checkGolden(t *testing.T, name string, doc corpus.Document, base string) {
	t.Helper()
	if doc.ID != corpus.PageID(doc.URL) && !strings.HasPrefix(doc.URL, "https://www.steppeherald.example/") {
		t.Errorf("ID %s is not PageID(%s)", doc.ID, doc.URL)
	}
	doc.File = strings.Replace(doc.File, doc.ID, "ID", 1)
	doc.ID = "ID"
	js, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(string(js), base, "http://site") + "\n"
	file := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -run TestNewsSite -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the document:\n%s", file, got)
	}
}

// TestNoArticle: a page of menus and footers is fetched, but gives no
// Document, with a message saying so.
func TestNoArticle(t *testing.T) {
	srv := newsSite(t)
	page, err := fetch.New(testConfig()).Fetch(context.Background(), srv.URL+"/empty")
	if err != nil {
		t.Fatal(err)
	}
	_, err = corpus.FromPage(corpus.Page{URL: page.URL, ContentType: page.ContentType, Body: page.Body})
	if !errors.Is(err, corpus.ErrNoText) {
		t.Fatalf("err = %v, want ErrNoText", err)
	}
	if want := "couldn't find an article at " + srv.URL + "/empty: the page holds no article text"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start %q", err, want)
	}
}

// TestFetchFailures: every bad page gets its kind of error and a one-line
// message saying what and why.
func TestFetchFailures(t *testing.T) {
	srv := newsSite(t)
	tests := []struct {
		name, path string
		cfg        func(*fetch.Config)
		kind       error
		status     int
		message    string // the whole message, after "couldn't fetch <server>"
	}{
		{name: "404", path: "/nowhere", kind: fetch.ErrStatus, status: 404,
			message: "/nowhere: the server answered 404 Not Found"},
		{name: "500", path: "/broken", kind: fetch.ErrStatus, status: 500,
			message: "/broken: the server answered 500 Internal Server Error"},
		{name: "403 login wall", path: "/premium/story", kind: fetch.ErrLoginWall, status: 403,
			message: "/premium/story: the page needs a login or is forbidden (the server answered 403 Forbidden)"},
		{name: "login form", path: "/premium/login", kind: fetch.ErrLoginWall,
			message: "/premium/login: the page asks for a login (a password form and almost no text)"},
		{name: "redirect loop", path: "/loop/a", kind: fetch.ErrTooManyRedirects,
			message: "/loop/a: it redirects in a loop (back to " + srv.URL + "/loop/a)"},
		{name: "too many redirects", path: "/hop/0", kind: fetch.ErrTooManyRedirects,
			message: "/hop/0: it redirected more than 5 times"},
		{name: "no redirects allowed", path: "/moved", cfg: func(c *fetch.Config) { c.MaxRedirects = -1 }, kind: fetch.ErrTooManyRedirects,
			message: "/moved: it redirected more than 0 times"},
		{name: "slow server", path: "/slow", cfg: func(c *fetch.Config) { c.Timeout = 150 * time.Millisecond }, kind: fetch.ErrTimeout,
			message: "/slow: the server did not send the page within 150ms"},
		{name: "slow body", path: "/slow-body", cfg: func(c *fetch.Config) { c.Timeout = 150 * time.Millisecond }, kind: fetch.ErrTimeout,
			message: "/slow-body: the server did not send the page within 150ms"},
		{name: "huge page", path: "/huge", kind: fetch.ErrTooLarge,
			message: "/huge: the page is larger than 5 MiB"},
		{name: "huge declared", path: "/huge-declared", kind: fetch.ErrTooLarge,
			message: "/huge-declared: the page is larger than 5 MiB"},
		{name: "endless page", path: "/endless", kind: fetch.ErrTooLarge,
			message: "/endless: the page is larger than 5 MiB"},
		{name: "small cap", path: "/world/2024/07/04/sco-astana-declaration", cfg: func(c *fetch.Config) { c.MaxBytes = 1024 }, kind: fetch.ErrTooLarge,
			message: "/world/2024/07/04/sco-astana-declaration: the page is larger than 1 KiB"},
		{name: "pdf", path: "/docs/declaration.pdf", kind: fetch.ErrNotWebPage,
			message: "/docs/declaration.pdf: it is not a web page (application/pdf)"},
		{name: "json", path: "/data.json", kind: fetch.ErrNotWebPage,
			message: "/data.json: it is not a web page (application/json)"},
		{name: "image", path: "/photo.jpg", kind: fetch.ErrNotWebPage,
			message: "/photo.jpg: it is not a web page (image/jpeg)"},
		{name: "binary sent as html", path: "/disguised", kind: fetch.ErrNotWebPage,
			message: "/disguised: it is not a web page (image/png)"},
		{name: "binary with no type", path: "/untyped-binary", kind: fetch.ErrNotWebPage,
			message: "/untyped-binary: it is not a web page (application/octet-stream)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			start := time.Now()
			_, err := fetch.New(cfg).Fetch(context.Background(), srv.URL+tt.path)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			var fe *fetch.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err %T is not a *fetch.Error", err)
			}
			if fe.Status != tt.status {
				t.Errorf("status %d, want %d", fe.Status, tt.status)
			}
			if want := "couldn't fetch " + srv.URL + tt.message; err.Error() != want {
				t.Errorf("message\n %q, want\n %q", err, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("message is not one line: %q", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestFollowsRedirects: a redirect within the limit is followed, and the
// page knows its final URL.
func TestFollowsRedirects(t *testing.T) {
	srv := newsSite(t)
	page, err := fetch.New(testConfig()).Fetch(context.Background(), srv.URL+"/moved")
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/world/2024/07/04/sco-astana-declaration"; page.URL != want {
		t.Errorf("final URL %s, want %s", page.URL, want)
	}
	cfg := testConfig()
	cfg.MaxRedirects = 25
	if _, err := fetch.New(cfg).Fetch(context.Background(), srv.URL+"/hop/0"); err != nil {
		t.Errorf("20 redirects with MaxRedirects 25: %v", err)
	}
}

// TestInvalidURL: only absolute http and https URLs are fetched.
func TestInvalidURL(t *testing.T) {
	f := fetch.New(testConfig())
	tests := []struct{ url, message string }{
		{"ftp://example.com/a.txt", "couldn't fetch ftp://example.com/a.txt: only http and https URLs can be fetched"},
		{"file:///etc/passwd", "couldn't fetch file:///etc/passwd: only http and https URLs can be fetched"},
		{"example.com/news", "couldn't fetch example.com/news: only http and https URLs can be fetched"},
		{"http:///news", "couldn't fetch http:///news: the URL names no host"},
		{"http://exa mple.com/", "couldn't fetch http://exa mple.com/: it is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), tt.url)
			if !errors.Is(err, fetch.ErrInvalidURL) || err.Error() != tt.message {
				t.Errorf("err = %v, want ErrInvalidURL %q", err, tt.message)
			}
		})
	}
}

// TestPrivateAddress: with AllowPrivate false the fetcher refuses the
// loopback server, whether the URL names its address or a name that
// resolves to it, and the message names the caller's setting.
func TestPrivateAddress(t *testing.T) {
	srv := newsSite(t)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	f := fetch.New(fetch.Config{AllowPrivateSetting: "INGEST_ALLOW_PRIVATE", Timeout: 5 * time.Second})
	tests := []struct{ url, address string }{
		{srv.URL + "/world/2024/07/04/sco-astana-declaration", "127.0.0.1"},
		{"http://localhost:" + port + "/world/2024/07/04/sco-astana-declaration", ""}, // 127.0.0.1 or ::1
		{"http://[::1]:" + port + "/", "::1"},
		{"http://0.0.0.0:" + port + "/", "0.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), tt.url)
			if !errors.Is(err, fetch.ErrPrivateAddress) {
				t.Fatalf("err = %v, want ErrPrivateAddress", err)
			}
			if !strings.HasSuffix(err.Error(), " is private; set INGEST_ALLOW_PRIVATE to allow it") ||
				!strings.Contains(err.Error(), "address "+tt.address) {
				t.Errorf("message %q", err)
			}
		})
	}
	// The default names the Config field.
	_, err := fetch.New(fetch.Config{}).Fetch(context.Background(), srv.URL+"/")
	if want := "couldn't fetch " + srv.URL + "/: address 127.0.0.1 is private; set AllowPrivate to allow it"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestCanceled: a context that ends stops the fetch, and says so.
func TestCanceled(t *testing.T) {
	srv := newsSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := fetch.New(testConfig()).Fetch(ctx, srv.URL+"/slow")
	if !errors.Is(err, fetch.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want ErrCanceled wrapping context.Canceled", err)
	}
}
