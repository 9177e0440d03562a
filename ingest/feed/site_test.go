package feed_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scobot/scobot/ingest/feed"
	"github.com/scobot/scobot/ingest/fetch"
)

// article is a news page of the test site.
type article struct {
	title, date, site string
	paras             []string
}

// html writes the article as a news site does: metadata, navigation, the
// article, related links and a footer.
func (a article) html() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s - %s</title>`, html.EscapeString(a.title), html.EscapeString(a.site))
	fmt.Fprintf(&b, `<meta property="og:title" content="%s"><meta property="og:site_name" content="%s">`, html.EscapeString(a.title), html.EscapeString(a.site))
	fmt.Fprintf(&b, `<meta property="article:published_time" content="%sT10:00:00Z"></head><body>`, a.date)
	b.WriteString(`<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav><article>`)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(a.title))
	for _, p := range a.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString(`</article><aside><h2>Related</h2><ul><li><a href="/x">Oil prices fall</a></li><li><a href="/y">Weather</a></li></ul></aside>`)
	b.WriteString(`<footer>© Test News. All rights reserved.</footer></body></html>`)
	return b.String()
}

// The articles of the test site. wangLavrovA and wangLavrovB are one
// event told by two outlets; defence is another SCO event of the same
// days; tianjin and the others are unrelated.
var (
	wangLavrovA = article{
		title: "Wang Yi and Lavrov meet in Astana before SCO foreign ministers' council",
		date:  "2024-05-20", site: "Steppe Herald",
		paras: []string{
			"Chinese Foreign Minister Wang Yi met Russian Foreign Minister Sergei Lavrov in Astana on Monday, on the eve of the meeting of the SCO Council of Foreign Ministers.",
			"The two ministers discussed the preparations for the Shanghai Cooperation Organisation summit in July, the situation in Afghanistan and cooperation within BRICS, according to a statement published after the talks.",
			"Wang said China was ready to work with Russia to keep the organisation united and to make the Astana summit a success. Lavrov praised the coordination between the two countries on regional security.",
			"The foreign ministers of the ten member states are expected to approve the draft documents that the heads of state will sign at the summit.",
		},
	}
	wangLavrovB = article{
		title: "Lavrov holds talks with Wang Yi in Kazakh capital",
		date:  "2024-05-21", site: "Eurasia Monitor",
		paras: []string{
			"Russian Foreign Minister Sergei Lavrov and his Chinese counterpart Wang Yi held talks in Astana as the SCO foreign ministers gathered for their annual council.",
			"According to the Russian Foreign Ministry, the sides exchanged views on the agenda of the upcoming summit of the bloc and on the Afghan settlement, and agreed to coordinate their positions.",
			"Kazakhstan, which chairs the organisation this year, will host the leaders of the member states in early July. Diplomats said the final declaration was almost agreed.",
		},
	}
	defence = article{
		title: "SCO defence ministers agree on joint counter-terrorism drills",
		date:  "2024-05-21", site: "Steppe Herald",
		paras: []string{
			"Defence ministers of the Shanghai Cooperation Organisation meeting in Bishkek agreed to hold joint counter-terrorism exercises in the autumn, the Kyrgyz defence ministry said on Tuesday.",
			"The drills, codenamed Peace Mission, will take place near Chelyabinsk and involve about three thousand troops from eight countries, the ministry added.",
			"The ministers also signed a plan of military cooperation for the next two years and discussed the security of the borders with Afghanistan.",
		},
	}
	tianjin = article{
		title: "SCO members agree to set up a development bank in Tianjin",
		date:  "2025-09-01", site: "Eurasia Monitor",
		paras: []string{
			"Leaders of the Shanghai Cooperation Organization agreed at their summit in Tianjin to set up a development bank of their own, ending years of debate about how to finance joint projects.",
			"The bank will lend for infrastructure, energy and trade projects in member states, officials said, and its capital will be contributed by all members in proportion to their economies.",
			"The summit, the largest in the bloc's history, also adopted a development strategy for the next ten years.",
		},
	}
	samarkand = article{
		title: "Samarkand summit opens with a call for a more united SCO",
		date:  "2022-09-15", site: "Steppe Herald",
		paras: []string{
			"The heads of state of the Shanghai Cooperation Organization gathered in Samarkand on Thursday for their first summit in person since the pandemic.",
			"Uzbek President Shavkat Mirziyoyev opened the meeting with a call for unity in the face of global economic turbulence and food insecurity.",
			"Iran signed a memorandum of obligations on its way to becoming a full member of the organization.",
		},
	}
	dushanbe = article{
		title: "Iran begins accession to the SCO at Dushanbe summit",
		date:  "2021-09-17", site: "Eurasia Monitor",
		paras: []string{
			"Members of the Shanghai Cooperation Organization agreed in Dushanbe to begin the procedure of admitting Iran as a full member of the bloc.",
			"Tajik President Emomali Rahmon, who hosted the meeting, said the decision reflected the growing weight of the organization in the region.",
			"The summit also marked the twentieth anniversary of the organization, founded in Shanghai in 2001.",
		},
	}
)

// entry is one item of a test feed.
type entry struct {
	guid, link, title, date, text string
}

// site is the test news site: article pages, feeds (which a test can
// change between polls) and the failures.
type site struct {
	srv *httptest.Server
	mu  sync.Mutex
	// pages maps a path to the page served there (text/html).
	pages map[string]string
	// feeds maps a path to the feed served there: its format ("rss",
	// "atom", "json") and entries.
	feeds map[string]testFeed
	// raw maps a path to a fixed body and content type.
	raw map[string][2]string
}

// testFeed is a feed of the test site.
type testFeed struct {
	format, title string
	entries       []entry
}

// newSite starts the test site on loopback.
func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{pages: map[string]string{}, feeds: map[string]testFeed{}, raw: map[string][2]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// url returns the site's URL for p.
func (s *site) url(p string) string { return s.srv.URL + p }

// page serves a on path p.
func (s *site) page(p string, a article) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[p] = a.html()
}

// setFeed serves a feed on path p.
func (s *site) setFeed(p string, f testFeed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[p] = f
}

// setRaw serves body with contentType on path p.
func (s *site) setRaw(p, contentType, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw[p] = [2]string{contentType, body}
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	page, isPage := s.pages[r.URL.Path]
	f, isFeed := s.feeds[r.URL.Path]
	raw, isRaw := s.raw[r.URL.Path]
	s.mu.Unlock()
	switch {
	case isPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	case isFeed:
		ct, body := f.render(s.srv.URL)
		w.Header().Set("Content-Type", ct)
		fmt.Fprint(w, body)
	case isRaw:
		w.Header().Set("Content-Type", raw[0])
		fmt.Fprint(w, raw[1])
	default:
		http.NotFound(w, r)
	}
}

// render writes the feed in its format ("rss", "rss-gbk": RSS in GBK
// declared only by its XML declaration, "atom", "json"); links starting
// with "/" are made absolute on base, except in Atom, which keeps them
// relative to test link resolution.
func (f testFeed) render(base string) (contentType, body string) {
	var b strings.Builder
	abs := func(link string) string {
		if strings.HasPrefix(link, "/") {
			return base + link
		}
		return link
	}
	day := func(d string) time.Time {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return time.Date(2024, 5, 20, 9, 0, 0, 0, time.UTC)
		}
		return t.Add(9 * time.Hour)
	}
	switch f.format {
	case "atom":
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>urn:test:%s</id>`, html.EscapeString(f.title), html.EscapeString(f.title))
		for _, e := range f.entries {
			fmt.Fprintf(&b, `<entry><id>%s</id><title>%s</title><link href="%s"/><published>%s</published><summary>%s</summary></entry>`,
				html.EscapeString(e.guid), html.EscapeString(e.title), html.EscapeString(e.link), day(e.date).Format(time.RFC3339), html.EscapeString(e.text))
		}
		b.WriteString(`</feed>`)
		return "application/atom+xml", b.String()
	case "json":
		fmt.Fprintf(&b, `{"version":"https://jsonfeed.org/version/1.1","title":%q,"items":[`, f.title)
		for i, e := range f.entries {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":%q,"url":%q,"title":%q,"date_published":%q,"content_text":%q}`, e.guid, abs(e.link), e.title, day(e.date).Format(time.RFC3339), e.text)
		}
		b.WriteString(`]}`)
		return "application/feed+json", b.String()
	}
	encoding := "utf-8"
	if f.format == "rss-gbk" {
		encoding = "gbk"
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>%s</title><link>%s</link>`, encoding, html.EscapeString(f.title), base)
	for _, e := range f.entries {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link>`, html.EscapeString(e.title), html.EscapeString(abs(e.link)))
		if e.guid != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, html.EscapeString(e.guid))
		}
		fmt.Fprintf(&b, `<pubDate>%s</pubDate><description>%s</description></item>`, day(e.date).Format(time.RFC1123Z), html.EscapeString(e.text))
	}
	b.WriteString(`</channel></rss>`)
	if f.format == "rss-gbk" {
		out, err := simplifiedchinese.GBK.NewEncoder().String(b.String())
		if err != nil {
			panic(err)
		}
		return "application/rss+xml", out
	}
	return "application/rss+xml; charset=utf-8", b.String()
}

// memSink is a Sink that keeps the reports in memory.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
	order []string
	added chan string // receives each ID added, if not nil
}

var _ feed.Sink = (*memSink)(nil)

func newMemSink() *memSink { return &memSink{files: map[string][]byte{}} }

func (s *memSink) AddPage(ctx context.Context, name string, data []byte) (string, error) {
	s.mu.Lock()
	if _, ok := s.files[name]; ok {
		s.mu.Unlock()
		return "", fmt.Errorf("couldn't add %s: %w", name, fs.ErrExist)
	}
	s.files[name] = data
	id := strings.TrimSuffix(name, path.Ext(name))
	s.order = append(s.order, id)
	s.mu.Unlock()
	if s.added != nil {
		s.added <- id
	}
	return id, nil
}

// ids returns the IDs added, sorted.
func (s *memSink) ids() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string(nil), s.order...)
	sort.Strings(out)
	return out
}

// logBuffer collects log output safely from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the lines logged at level (e.g. "WARN").
func (l *logBuffer) lines(level string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range strings.Split(l.b.String(), "\n") {
		if strings.Contains(line, "level="+level+" ") {
			out = append(out, line)
		}
	}
	return out
}

// testFetcher fetches from loopback, feeds and pages alike.
func testFetcher() *fetch.Fetcher {
	return fetch.New(fetch.Config{
		AllowPrivate: true,
		Timeout:      5 * time.Second,
		Accept:       append(fetch.PageTypes(), fetch.FeedTypes()...),
	})
}

// newPoller returns a Poller of feeds into sink, with its log.
func newPoller(t *testing.T, sink feed.Sink, stateFile string, feeds ...string) (*feed.Poller, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	p, err := feed.New(feed.Config{
		Feeds:     feeds,
		Fetcher:   testFetcher(),
		Sink:      sink,
		StateFile: stateFile,
		Logger:    slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, logs
}
