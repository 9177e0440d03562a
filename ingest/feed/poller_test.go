package feed_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/ingest/feed"
)

// ids returns the PageIDs of the site's URLs for paths, sorted.
func (s *site) ids(paths ...string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, corpus.PageID(s.url(p)))
	}
	slices.Sort(out)
	return out
}

// TestFeedFormats: an RSS (in UTF-8 or GBK), an Atom and a JSON feed
// whose items link to article pages on the same server each add their
// items' reports, with the page's title, date and publisher; Atom's
// relative links are resolved against the feed.
func TestFeedFormats(t *testing.T) {
	for _, format := range []string{"rss", "rss-gbk", "atom", "json"} {
		t.Run(format, func(t *testing.T) {
			s := newSite(t)
			s.page("/world/wang-lavrov", wangLavrovA)
			s.page("/world/tianjin-bank", tianjin)
			s.setFeed("/feed", testFeed{format: format, title: "Test News 上合新闻", entries: []entry{
				{guid: "g1", link: "/world/wang-lavrov", title: wangLavrovA.title, date: wangLavrovA.date},
				{guid: "g2", link: "/world/tianjin-bank", title: tianjin.title, date: tianjin.date},
			}})
			sink := newMemSink()
			p, logs := newPoller(t, sink, "", s.url("/feed"))
			st, err := p.PollOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := s.ids("/world/wang-lavrov", "/world/tianjin-bank")
			if got := sink.ids(); !slices.Equal(got, want) {
				t.Fatalf("added %v, want %v", got, want)
			}
			if len(st) != 1 || st[0].New != 2 || st[0].Failed != 0 || st[0].Err != "" || st[0].Title != "Test News 上合新闻" {
				t.Errorf("status %+v", st)
			}
			if w := logs.lines("WARN"); len(w) != 0 {
				t.Errorf("warnings: %q", w)
			}
			data := sink.files[corpus.PageID(s.url("/world/wang-lavrov"))+".html"]
			doc, err := corpus.FromPage(corpus.Page{URL: s.url("/world/wang-lavrov"), ContentType: "text/html", Body: string(data)})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != wangLavrovA.title || doc.Date != "2024-05-20" || doc.Source != "Steppe Herald" {
				t.Errorf("document %q, %q, %q", doc.Title, doc.Date, doc.Source)
			}
			if !strings.Contains(doc.Text(), "Sergei Lavrov in Astana") || strings.Contains(doc.Text(), "Oil prices") {
				t.Errorf("text %q", doc.Text())
			}
		})
	}
}

// TestIncremental: a second poll adds only the items that are new since
// the first, and a restart with the state file adds nothing, even with a
// sink that has forgotten everything (so only the state can tell); an item
// whose link differs only in tracking parameters or "www." is the same.
func TestIncremental(t *testing.T) {
	tests := []struct {
		name string
		// restart makes a new Poller on the same state file before the
		// second poll, with an empty sink.
		restart bool
		// relink changes the old items' GUIDs (so only their normalised
		// links say they were taken).
		relink bool
		// reguid moves the old items to new links, keeping their GUIDs
		// (so only the GUIDs say they were taken).
		reguid bool
	}{
		{name: "second poll"},
		{name: "restart", restart: true},
		{name: "second poll, links only", relink: true},
		{name: "restart, links only", restart: true, relink: true},
		{name: "second poll, GUIDs only", reguid: true},
		{name: "restart, GUIDs only", restart: true, reguid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.page("/a/wang-lavrov", wangLavrovA)
			s.page("/a/tianjin", tianjin)
			s.page("/a/samarkand", samarkand)
			first := []entry{
				{guid: "g1", link: "/a/wang-lavrov", title: "1", date: wangLavrovA.date},
				{guid: "g2", link: "/a/tianjin", title: "2", date: tianjin.date},
			}
			s.setFeed("/rss", testFeed{format: "rss", title: "A", entries: first})
			state := filepath.Join(t.TempDir(), "feeds.json")
			sink := newMemSink()
			p, _ := newPoller(t, sink, state, s.url("/rss"))
			if _, err := p.PollOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if len(sink.ids()) != 2 {
				t.Fatalf("first poll added %v", sink.ids())
			}
			old := slices.Clone(first)
			if tt.relink {
				old[0].guid, old[0].link = "other-1", s.url("/a/wang-lavrov/?utm_source=rss")
				old[1].guid = "other-2"
			}
			if tt.reguid {
				s.page("/2024/moved-1", wangLavrovA)
				s.page("/2024/moved-2", tianjin)
				old[0].link, old[1].link = "/2024/moved-1", "/2024/moved-2"
			}
			s.setFeed("/rss", testFeed{format: "rss", title: "A", entries: append(old,
				entry{guid: "g3", link: "/a/samarkand", title: "3", date: samarkand.date})})
			if tt.restart {
				sink = newMemSink()
				p, _ = newPoller(t, sink, state, s.url("/rss"))
			}
			st, err := p.PollOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := s.ids("/a/samarkand")
			if !tt.restart {
				want = s.ids("/a/wang-lavrov", "/a/tianjin", "/a/samarkand")
			}
			if got := sink.ids(); !slices.Equal(got, want) {
				t.Errorf("after the second poll: %v, want %v", got, want)
			}
			if st[0].New != 1 || st[0].Seen != 2 || st[0].Duplicate != 0 {
				t.Errorf("status %+v, want 1 new, 2 seen", st[0])
			}
			// One more restart with nothing new adds nothing.
			sink = newMemSink()
			p, _ = newPoller(t, sink, state, s.url("/rss"))
			if _, err := p.PollOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := sink.ids(); len(got) != 0 {
				t.Errorf("restart added %v", got)
			}
		})
	}
}

// TestSameContent: the same article under another URL (a mirror, a print
// page, another feed) is added once; a copy that differs only by a byline
// or a last line is the same content too; a different report is not.
func TestSameContent(t *testing.T) {
	withByline := tianjin
	withByline.site = "Mirror News"
	withByline.paras = append([]string{"By our correspondent in Tianjin"}, tianjin.paras...)
	withTail := tianjin
	withTail.paras = append(slices.Clone(tianjin.paras), "Follow us for more news from the region.")
	// A rewrite: a few words changed in every sentence (resemblance about
	// 0.3), which is another report, not a copy.
	rewritten := tianjin
	rewritten.paras = []string{
		"Leaders of the Shanghai Cooperation Organization decided at their meeting in Tianjin to create a development bank of their own, ending years of argument about how to pay for joint projects.",
		"The bank will lend for transport, energy and trade projects in member countries, officials said, and its capital will be paid in by all members in proportion to their economies.",
		"The summit, the biggest in the bloc's history, also approved a development strategy for the coming ten years.",
	}
	// One paragraph of three rewritten (resemblance about 0.6): another
	// version, kept, and paired with the first as one event.
	oneRewritten := tianjin
	oneRewritten.paras = []string{tianjin.paras[0], rewritten.paras[1], tianjin.paras[2]}
	tests := []struct {
		name      string
		copy      article
		wantAdded int
		paired    bool // the two reports are paired as one event
	}{
		{name: "identical", copy: tianjin, wantAdded: 1},
		{name: "with a byline", copy: withByline, wantAdded: 1},
		{name: "with a last line", copy: withTail, wantAdded: 1},
		{name: "one paragraph rewritten", copy: oneRewritten, wantAdded: 2, paired: true},
		{name: "rewritten", copy: rewritten, wantAdded: 2, paired: true},
		{name: "another report", copy: samarkand, wantAdded: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.page("/a/tianjin-bank", tianjin)
			s.page("/print/2025/tianjin-bank-story", tt.copy)
			s.setFeed("/a.xml", testFeed{format: "rss", title: "A", entries: []entry{{guid: "a1", link: "/a/tianjin-bank", title: "1", date: tianjin.date}}})
			s.setFeed("/b.xml", testFeed{format: "atom", title: "B", entries: []entry{{guid: "b1", link: "/print/2025/tianjin-bank-story", title: "1", date: tianjin.date}}})
			sink := newMemSink()
			p, _ := newPoller(t, sink, "", s.url("/a.xml"), s.url("/b.xml"))
			st, err := p.PollOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := len(sink.ids()); got != tt.wantAdded {
				t.Errorf("added %v, want %d", sink.ids(), tt.wantAdded)
			}
			if dup := st[1].Duplicate; dup != 2-tt.wantAdded {
				t.Errorf("second feed: %d duplicates, want %d", dup, 2-tt.wantAdded)
			}
			if got := len(p.Events()); got != 0 && !tt.paired || got != 2 && tt.paired {
				t.Errorf("events %v, paired %v", p.Events(), tt.paired)
			}
		})
	}
	t.Run("same link in two feeds", func(t *testing.T) {
		s := newSite(t)
		s.page("/a/tianjin-bank", tianjin)
		s.setFeed("/a.xml", testFeed{format: "rss", title: "A", entries: []entry{{guid: "a1", link: "/a/tianjin-bank", title: "1", date: tianjin.date}}})
		s.setFeed("/b.xml", testFeed{format: "rss", title: "B", entries: []entry{{guid: "b1", link: "/a/tianjin-bank/?utm_medium=feed#top", title: "1", date: tianjin.date}}})
		sink := newMemSink()
		p, logs := newPoller(t, sink, "", s.url("/a.xml"), s.url("/b.xml"))
		st, err := p.PollOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(sink.ids()) != 1 || st[1].Duplicate != 1 {
			t.Errorf("added %v, second feed %+v", sink.ids(), st[1])
		}
		// Known by its link, so not even fetched again.
		if info := strings.Join(logs.lines("INFO"), "\n"); !strings.Contains(info, "already added from another feed") {
			t.Errorf("the link was not recognised:\n%s", info)
		}
	})
}

// TestSameEvent: one event told by two outlets is added twice and paired
// as one event, the first report's; another event of the same days, or
// the same story dated too far apart, is not paired.
func TestSameEvent(t *testing.T) {
	lateB := wangLavrovB
	lateB.date = "2024-05-25"
	tests := []struct {
		name   string
		second article
		paired bool
	}{
		{name: "two outlets, one event", second: wangLavrovB, paired: true},
		{name: "another event of the same days", second: defence, paired: false},
		{name: "dated four days later", second: lateB, paired: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.page("/herald/wang-lavrov", wangLavrovA)
			s.page("/monitor/second", tt.second)
			s.page("/monitor/dushanbe", dushanbe)
			s.setFeed("/herald.xml", testFeed{format: "rss", title: "Steppe Herald", entries: []entry{{guid: "h1", link: "/herald/wang-lavrov", title: "1", date: wangLavrovA.date}}})
			s.setFeed("/monitor.xml", testFeed{format: "atom", title: "Eurasia Monitor", entries: []entry{
				{guid: "m1", link: "/monitor/second", title: "1", date: tt.second.date},
				{guid: "m2", link: "/monitor/dushanbe", title: "2", date: dushanbe.date},
			}})
			state := filepath.Join(t.TempDir(), "feeds.json")
			sink := newMemSink()
			p, _ := newPoller(t, sink, state, s.url("/herald.xml"), s.url("/monitor.xml"))
			if _, err := p.PollOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := len(sink.ids()); got != 3 {
				t.Fatalf("added %v, want 3 reports", sink.ids())
			}
			a, b := corpus.PageID(s.url("/herald/wang-lavrov")), corpus.PageID(s.url("/monitor/second"))
			want := map[string]string{}
			if tt.paired {
				want = map[string]string{a: a, b: a}
			}
			if got := p.Events(); !mapsEqual(got, want) {
				t.Errorf("events %v, want %v", got, want)
			}
			// The pairing is kept in the state.
			p2, _ := newPoller(t, newMemSink(), state, s.url("/herald.xml"))
			if got := p2.Events(); !mapsEqual(got, want) {
				t.Errorf("events after a restart %v, want %v", got, want)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestBadInput: a feed that is not a feed, a 404 feed, an item whose page
// 404s, an item whose page holds no article text: each gives one warning
// naming the feed (and item) and why, is counted in the status, and the
// other items and feeds are added; nothing added before is touched. An
// item page with no article text whose feed item holds enough text is
// added from that text.
func TestBadInput(t *testing.T) {
	s := newSite(t)
	empty := `<!DOCTYPE html><html><head><title>Menu</title></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><footer>© Test News</footer></body></html>`
	s.page("/a/tianjin", tianjin)
	s.page("/a/samarkand", samarkand)
	s.setRaw("/a/empty", "text/html", empty)
	s.setRaw("/a/teaser", "text/html", empty)
	s.setRaw("/a/summary", "text/html", empty)
	s.setRaw("/notxml", "text/html; charset=utf-8", `<html><body><p>Our news.</p></body></html>`)
	s.setRaw("/broken.xml", "application/rss+xml", `<rss version="2.0"><channel><title>Broken</title><item><title>x</title>`)
	summary := strings.Join(dushanbe.paras, "\n\n")
	s.setFeed("/good.xml", testFeed{format: "rss", title: "Good", entries: []entry{
		{guid: "1", link: "/a/tianjin", title: "Tianjin", date: tianjin.date},
		{guid: "2", link: "/a/missing", title: "Missing", date: tianjin.date},
		{guid: "3", link: "/a/empty", title: "Empty", date: tianjin.date},
		{guid: "4", link: "/a/teaser", title: "Teaser", date: tianjin.date, text: "SCO leaders meet. Read more…"},
		{guid: "5", link: "/a/summary", title: dushanbe.title, date: dushanbe.date, text: summary},
		{guid: "6", link: "/a/samarkand", title: "Samarkand", date: samarkand.date},
	}})
	sink := newMemSink()
	// A report added before, by hand, under the ID a feed item would get.
	preID := corpus.PageID(s.url("/a/samarkand"))
	sink.files[preID+".html"] = []byte("added by hand")
	feeds := []string{s.url("/notxml"), s.url("/gone.xml"), s.url("/broken.xml"), s.url("/good.xml")}
	p, logs := newPoller(t, sink, "", feeds...)
	st, err := p.PollOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := s.ids("/a/tianjin", "/a/summary")
	if got := sink.ids(); !slices.Equal(got, want) {
		t.Errorf("added %v, want %v", got, want)
	}
	if string(sink.files[preID+".html"]) != "added by hand" {
		t.Errorf("a report added before was overwritten")
	}
	warnings := logs.lines("WARN")
	tests := []struct {
		name string
		want []string // what the one warning holds
	}{
		{name: "not a feed", want: []string{"feed=" + s.url("/notxml"), "it is not an RSS, Atom or JSON feed (it is an HTML page)"}},
		{name: "404 feed", want: []string{"feed=" + s.url("/gone.xml"), "the server answered 404 Not Found"}},
		{name: "malformed feed", want: []string{"feed=" + s.url("/broken.xml"), "it is malformed"}},
		{name: "item 404", want: []string{"item=" + s.url("/a/missing"), "the server answered 404 Not Found"}},
		{name: "item with no text", want: []string{"item=" + s.url("/a/empty"), "no article text", "item's own text is too short to stand in for it (5 characters"}},
		{name: "item with a teaser", want: []string{"item=" + s.url("/a/teaser"), "no article text", "too short to stand in for it ("}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for _, w := range warnings {
				if containsAll(w, tt.want) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d warnings hold %q, want 1; warnings:\n%s", n, tt.want, strings.Join(warnings, "\n"))
			}
		})
	}
	if len(warnings) != len(tests) {
		t.Errorf("%d warnings, want %d:\n%s", len(warnings), len(tests), strings.Join(warnings, "\n"))
	}
	for i, wantErr := range []string{"not an RSS, Atom or JSON feed", "404 Not Found", "malformed"} {
		if !strings.Contains(st[i].Err, wantErr) {
			t.Errorf("feed %s: Err %q, want %q", feeds[i], st[i].Err, wantErr)
		}
	}
	good := st[3]
	if good.Err != "" || good.New != 2 || good.Failed != 3 || good.Duplicate != 1 || len(good.ItemErrors) != 3 {
		t.Errorf("good feed: %+v", good)
	}
	if got := p.Status(); len(got) != 4 || got[3].New != 2 {
		t.Errorf("Status() %+v", got)
	}
	// The item's own text stood in for its empty page.
	doc, err := corpus.FromPage(corpus.Page{URL: s.url("/a/summary"), ContentType: "text/html", Body: string(sink.files[corpus.PageID(s.url("/a/summary"))+".html"])})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != dushanbe.title || doc.Date != dushanbe.date || doc.Source != "Good" || !strings.Contains(doc.Text(), "admitting Iran as a full member") {
		t.Errorf("item text document: %q %q %q %q", doc.Title, doc.Date, doc.Source, doc.Text())
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestGiveUp: an item that fails is tried again at the next polls, and
// given up after MaxAttempts, so a dead link is not fetched forever.
func TestGiveUp(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss", testFeed{format: "rss", title: "A", entries: []entry{{guid: "1", link: "/a/missing", title: "x", date: tianjin.date}}})
	p, logs := newPoller(t, newMemSink(), filepath.Join(t.TempDir(), "state.json"), s.url("/rss"))
	for i := 1; i <= feed.MaxAttempts+1; i++ {
		st, err := p.PollOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		wantFailed := 1
		if i > feed.MaxAttempts {
			wantFailed = 0
		}
		if st[0].Failed != wantFailed {
			t.Errorf("poll %d: %+v", i, st[0])
		}
	}
	w := logs.lines("WARN")
	if len(w) != feed.MaxAttempts || !strings.Contains(w[len(w)-1], "giving it up") {
		t.Errorf("warnings:\n%s", strings.Join(w, "\n"))
	}
}

// fakeClock is a Clock whose interval timer fires when the test says.
type fakeClock struct {
	tick chan time.Time
}

func (c *fakeClock) Now() time.Time                         { return time.Date(2024, 5, 21, 12, 0, 0, 0, time.UTC) }
func (c *fakeClock) After(d time.Duration) <-chan time.Time { return c.tick }

// TestRun: Run polls at once, again when the interval passes, and stops
// when its context ends.
func TestRun(t *testing.T) {
	s := newSite(t)
	s.page("/a/tianjin", tianjin)
	s.page("/a/samarkand", samarkand)
	s.setFeed("/rss", testFeed{format: "rss", title: "A", entries: []entry{{guid: "1", link: "/a/tianjin", title: "x", date: tianjin.date}}})
	sink := newMemSink()
	sink.added = make(chan string, 10)
	clock := &fakeClock{tick: make(chan time.Time)}
	p, err := feed.New(feed.Config{Feeds: []string{s.url("/rss")}, Interval: time.Hour, Fetcher: testFetcher(), Sink: sink, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	wait := func(what string) string {
		t.Helper()
		select {
		case id := <-sink.added:
			return id
		case <-time.After(5 * time.Second):
			t.Fatalf("no report added %s", what)
		}
		return ""
	}
	if id := wait("at start"); id != corpus.PageID(s.url("/a/tianjin")) {
		t.Errorf("first poll added %s", id)
	}
	s.setFeed("/rss", testFeed{format: "rss", title: "A", entries: []entry{
		{guid: "1", link: "/a/tianjin", title: "x", date: tianjin.date},
		{guid: "2", link: "/a/samarkand", title: "y", date: samarkand.date},
	}})
	select {
	case clock.tick <- time.Now():
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not wait for the interval")
	}
	if id := wait("after the interval"); id != corpus.PageID(s.url("/a/samarkand")) {
		t.Errorf("second poll added %s", id)
	}
	// Read while the poll may still be saving (for -race), then until the
	// second poll is done: the item added is signalled before the poll
	// ends.
	_, _ = p.Status(), p.Events()
	for deadline := time.Now().Add(5 * time.Second); p.Status()[0].Seen != 1 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
	if st := p.Status(); st[0].New != 1 || st[0].Seen != 1 || !st[0].Polled.Equal(clock.Now()) {
		t.Errorf("status %+v", st[0])
	}
}

// TestStateFile: a state file that cannot be read stops New (rather than
// adding everything again); the state written is bounded and JSON.
func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := feed.New(feed.Config{Fetcher: testFetcher(), Sink: newMemSink(), StateFile: bad})
	if err == nil || !strings.HasPrefix(err.Error(), "couldn't start the feed poller: couldn't read the feed state "+bad) {
		t.Errorf("err = %v", err)
	}
	if _, err := feed.New(feed.Config{Sink: newMemSink()}); err == nil {
		t.Error("New without a Fetcher succeeded")
	}
}
