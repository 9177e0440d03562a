package feed

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/ingest/fetch"
)

// Defaults for the zero fields of a Config.
const (
	// DefaultInterval is how often the feeds are polled.
	DefaultInterval = 15 * time.Minute
	// DefaultMinItemText is the least number of characters of text an
	// item's own content or description must hold to stand in for a
	// linked page that has no article text: about two sentences, less
	// than which a teaser ("Read more…") is not a report.
	DefaultMinItemText = 200
	// maxItemErrors bounds the item errors a FeedStatus keeps.
	maxItemErrors = 20
)

// Fetcher fetches a URL safely: *fetch.Fetcher, built with a Config whose
// Accept holds both fetch.PageTypes() and fetch.FeedTypes(), since feeds
// and the pages their items link to go through the same Fetcher.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (fetch.Page, error)
}

var _ Fetcher = (*fetch.Fetcher)(nil)

// Clock is the time as the Poller sees it; tests give a fake one.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// realClock is the system clock.
type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Config says what a Poller polls and where the reports go.
type Config struct {
	// Feeds are the URLs of the RSS, Atom or JSON feeds polled, in the
	// order they are polled and reported in Status.
	Feeds []string
	// Interval is the time between the starts of two polls in Run; 0
	// means DefaultInterval.
	Interval time.Duration
	// Fetcher fetches the feeds and the pages their items link to;
	// required.
	Fetcher Fetcher
	// Sink takes the reports added; required.
	Sink Sink
	// StateFile is the JSON file that remembers the items taken and the
	// reports' fingerprints and events across restarts; "" keeps them in
	// memory only.
	StateFile string
	// Clock is the time; nil means the system clock.
	Clock Clock
	// Logger receives one warning per feed or item that fails, and an
	// info line per report added or duplicate skipped; nil discards.
	Logger *slog.Logger
	// MinItemText is the least number of characters an item's own text
	// must hold to be taken when its page has no article; 0 means
	// DefaultMinItemText.
	MinItemText int
}

// FeedStatus is the outcome of a feed's last poll, for a view of the
// sources.
type FeedStatus struct {
	// URL is the feed's URL, as configured.
	URL string
	// Title is the feed's title, once it has been read.
	Title string
	// Polled is when the last poll of the feed started; zero before the
	// first.
	Polled time.Time
	// New counts the items added at the last poll, Seen the items taken
	// at an earlier one, Duplicate the new items whose link or content
	// was already added, and Failed the items that could not be added.
	New, Seen, Duplicate, Failed int
	// Added are the document IDs of the reports added at the last poll.
	Added []string
	// Err says why the feed itself could not be read at the last poll;
	// "" when it was read.
	Err string
	// ItemErrors say, one line each, why items failed at the last poll
	// (at most 20).
	ItemErrors []string
}

// Poller polls feeds and adds their new items' reports to a Sink. Its
// methods are safe for concurrent use; polls run one at a time.
type Poller struct {
	cfg    Config
	clock  Clock
	log    *slog.Logger
	pollMu sync.Mutex // held for a whole poll

	mu     sync.Mutex // guards st and status
	st     *state
	status map[string]FeedStatus
}

// New returns a Poller for cfg, with the state of cfg.StateFile loaded.
// It fails when the Fetcher or the Sink is missing, or when the state file
// exists but cannot be read (rather than add every item again).
func New(cfg Config) (*Poller, error) {
	if cfg.Fetcher == nil || cfg.Sink == nil {
		return nil, errors.New("couldn't start the feed poller: it needs a Fetcher and a Sink")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.MinItemText <= 0 {
		cfg.MinItemText = DefaultMinItemText
	}
	var feeds []string
	for _, f := range cfg.Feeds {
		if f = strings.TrimSpace(f); f != "" && !contains(feeds, f) {
			feeds = append(feeds, f)
		}
	}
	cfg.Feeds = feeds
	p := &Poller{cfg: cfg, clock: cfg.Clock, log: cfg.Logger, status: map[string]FeedStatus{}}
	if p.clock == nil {
		p.clock = realClock{}
	}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	st, err := loadState(cfg.StateFile)
	if err != nil {
		return nil, fmt.Errorf("couldn't start the feed poller: %w", err)
	}
	p.st = st
	return p, nil
}

// Run polls every feed at once, then again every Config.Interval, until
// ctx ends; it returns nil then. A poll in progress when ctx ends stops
// after the item at hand, with what it took saved.
func (p *Poller) Run(ctx context.Context) error {
	for {
		if _, err := p.PollOnce(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("feed poll incomplete", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-p.clock.After(p.cfg.Interval):
		}
	}
}

// PollOnce polls every feed once, in order, adds the new items' reports to
// the Sink and saves the state, and returns the outcome per feed. A feed
// or item that fails is logged and counted, and the others go on; the
// error is only for a state that could not be saved, or ctx ending.
func (p *Poller) PollOnce(ctx context.Context) ([]FeedStatus, error) {
	p.pollMu.Lock()
	defer p.pollMu.Unlock()
	out := make([]FeedStatus, 0, len(p.cfg.Feeds))
	var saveErr error
	for _, feedURL := range p.cfg.Feeds {
		if ctx.Err() != nil {
			break
		}
		fst := p.pollFeed(ctx, feedURL)
		p.mu.Lock()
		p.status[feedURL] = fst
		err := p.st.save(p.cfg.StateFile)
		p.mu.Unlock()
		if err != nil {
			saveErr = err
		}
		out = append(out, fst)
	}
	if saveErr != nil {
		return out, saveErr
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("couldn't finish the feed poll: %w", err)
	}
	return out, nil
}

// Status returns the outcome of each feed's last poll, in the order of
// Config.Feeds; a feed not polled yet has only its URL.
func (p *Poller) Status() []FeedStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]FeedStatus, 0, len(p.cfg.Feeds))
	for _, f := range p.cfg.Feeds {
		s, ok := p.status[f]
		if !ok {
			s = FeedStatus{URL: f}
		}
		s.Added = append([]string(nil), s.Added...)
		s.ItemErrors = append([]string(nil), s.ItemErrors...)
		out = append(out, s)
	}
	return out
}

// Events returns which reports report the same event: report ID → event
// ID, the event ID being the ID of the event's first report added (which
// maps to itself). A report no other was found to share an event with is
// not listed.
func (p *Poller) Events() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]string, len(p.st.Events))
	for _, e := range p.st.Events {
		out[e.Report] = e.Event
	}
	return out
}

// outcome is what became of one item.
type outcome int

const (
	outNew outcome = iota
	outSeen
	outDuplicate
	outFailed
)

// pollFeed reads one feed and takes its items.
func (p *Poller) pollFeed(ctx context.Context, feedURL string) FeedStatus {
	fst := FeedStatus{URL: feedURL, Polled: p.clock.Now()}
	p.mu.Lock()
	if old, ok := p.status[feedURL]; ok {
		fst.Title = old.Title
	}
	p.mu.Unlock()
	f, base, err := p.readFeed(ctx, feedURL)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Warn("couldn't read a feed", "feed", feedURL, "err", err)
		}
		fst.Err = err.Error()
		return fst
	}
	if f.Title != "" {
		fst.Title = f.Title
	}
	for _, item := range oldestFirst(f.Items) {
		if ctx.Err() != nil {
			break
		}
		it := p.newItem(feedURL, base, f.Title, item)
		switch out, id, err := p.take(ctx, it); out {
		case outNew:
			fst.New++
			fst.Added = append(fst.Added, id)
		case outSeen:
			fst.Seen++
		case outDuplicate:
			fst.Duplicate++
		case outFailed:
			if ctx.Err() != nil {
				break
			}
			fst.Failed++
			if len(fst.ItemErrors) < maxItemErrors {
				fst.ItemErrors = append(fst.ItemErrors, err.Error())
			}
		}
	}
	return fst
}

// xmlDeclEncodingRE finds the encoding of an XML declaration.
var xmlDeclEncodingRE = regexp.MustCompile(`^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])`)

// readFeed fetches and parses one feed, returning it and the URL its
// links are relative to.
func (p *Poller) readFeed(ctx context.Context, feedURL string) (*gofeed.Feed, string, error) {
	page, err := p.cfg.Fetcher.Fetch(ctx, feedURL)
	if err != nil {
		return nil, "", fmt.Errorf("couldn't read the feed: %w", err)
	}
	// The fetcher decoded the body to UTF-8; an encoding the XML
	// declaration still names would make the parser decode it again.
	body := xmlDeclEncodingRE.ReplaceAllString(page.Body, "${1}utf-8${2}")
	f, err := gofeed.NewParser().ParseString(body)
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, "", fmt.Errorf("couldn't read the feed at %s: it is not an RSS, Atom or JSON feed (it is %s)", page.URL, describe(page))
	}
	if err != nil {
		return nil, "", fmt.Errorf("couldn't read the feed at %s: it is malformed: %w", page.URL, err)
	}
	return f, page.URL, nil
}

// describe names what a fetched document is instead of a feed.
func describe(page fetch.Page) string {
	if page.IsHTML() {
		return "an HTML page"
	}
	return page.ContentType
}

// oldestFirst returns a feed's items by publication time, oldest first
// (items without a time after those with one, in feed order), so that the
// first report of an event is the one published first.
func oldestFirst(items []*gofeed.Item) []*gofeed.Item {
	out := append([]*gofeed.Item(nil), items...)
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := itemTime(out[i]), itemTime(out[j])
		if ti.IsZero() || tj.IsZero() {
			return !ti.IsZero() && tj.IsZero()
		}
		return ti.Before(tj)
	})
	return out
}

// itemTime is when an item was published, else updated; zero if unknown.
func itemTime(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil:
		return *it.PublishedParsed
	case it.UpdatedParsed != nil:
		return *it.UpdatedParsed
	}
	return time.Time{}
}

// item is a feed item as the poller takes it.
type item struct {
	feed, feedTitle string
	guid            string
	link, linkID    string // the link resolved against the feed, and its PageID
	title           string
	text            string // the item's own content, else description (HTML or text)
	published       time.Time
}

// newItem reads what the poller needs of a feed item.
func (p *Poller) newItem(feedURL, base, feedTitle string, it *gofeed.Item) item {
	out := item{feed: feedURL, feedTitle: feedTitle, guid: strings.TrimSpace(it.GUID), title: strings.TrimSpace(it.Title), published: itemTime(it)}
	out.text = it.Content
	if strings.TrimSpace(out.text) == "" {
		out.text = it.Description
	}
	link := strings.TrimSpace(it.Link)
	if link == "" && len(it.Links) > 0 {
		link = strings.TrimSpace(it.Links[0])
	}
	if link != "" {
		if b, err := url.Parse(base); err == nil {
			if u, err := b.Parse(link); err == nil {
				link = u.String()
			}
		}
		out.link, out.linkID = link, corpus.PageID(link)
	}
	if out.guid == "" && out.link == "" {
		// Nothing else names it: remember it by its title, so that
		// it fails (it has no page to fetch) only until given up.
		out.guid = "title:" + out.title
	}
	return out
}

// name is how logs and errors name an item: its link, else its GUID or
// title.
func (it item) name() string {
	switch {
	case it.link != "":
		return it.link
	case it.guid != "":
		return it.guid
	}
	return fmt.Sprintf("%q", it.title)
}

// take adds one item's report unless it was taken before or is a
// duplicate, and returns what became of it (with the new ID, or why it
// failed).
func (p *Poller) take(ctx context.Context, it item) (outcome, string, error) {
	p.mu.Lock()
	taken := p.st.feed(it.feed)
	switch {
	case taken.hasGUID(it.guid) || (it.linkID != "" && contains(taken.Links, it.linkID)):
		p.mu.Unlock()
		return outSeen, "", nil
	case it.linkID != "" && p.st.hasLink(it.linkID):
		taken.take(it.guid, it.linkID)
		p.mu.Unlock()
		p.log.Info("feed item already added from another feed", "feed", it.feed, "item", it.name())
		return outDuplicate, "", nil
	}
	p.mu.Unlock()

	page, doc, err := p.build(ctx, it)
	if err != nil {
		return p.fail(ctx, it, err, true)
	}
	fp := contentFingerprint(doc.Text())
	p.mu.Lock()
	for _, r := range p.st.Reports {
		if resemblance(fp, r.Fingerprint) >= SameContent {
			taken.take(it.guid, it.linkID)
			p.mu.Unlock()
			p.log.Info("feed item has the content of a report already added", "feed", it.feed, "item", it.name(), "report", r.ID)
			return outDuplicate, "", nil
		}
	}
	p.mu.Unlock()

	name, data, err := corpus.PageFile(page)
	if err != nil {
		return p.fail(ctx, it, fmt.Errorf("couldn't save the item's page: %w", err), true)
	}
	id, err := p.cfg.Sink.AddPage(ctx, name, data)
	if errors.Is(err, fs.ErrExist) {
		p.mu.Lock()
		taken.take(it.guid, it.linkID)
		p.mu.Unlock()
		p.log.Info("feed item's report is already in the corpus", "feed", it.feed, "item", it.name(), "file", name)
		return outDuplicate, "", nil
	}
	if err != nil {
		return p.fail(ctx, it, fmt.Errorf("couldn't add the item's report: %w", err), false)
	}

	r := report{ID: id, Feed: it.feed, Date: reportDate(doc, it.published), Fingerprint: fp, Terms: eventTerms(doc.Title, doc.Text())}
	p.mu.Lock()
	event := p.pairEvent(r)
	p.st.Reports = append(p.st.Reports, r)
	taken.take(it.guid, it.linkID)
	p.mu.Unlock()
	if event != "" {
		p.log.Info("feed report added", "feed", it.feed, "item", it.name(), "id", id, "event", event)
	} else {
		p.log.Info("feed report added", "feed", it.feed, "item", it.name(), "id", id)
	}
	return outNew, id, nil
}

// pairEvent records r as reporting the event of the newest earlier
// report sameEvent finds, and returns the event's ID ("" when there is
// none). The caller holds p.mu.
func (p *Poller) pairEvent(r report) string {
	for i := len(p.st.Reports) - 1; i >= 0; i-- {
		other := p.st.Reports[i]
		if other.ID == r.ID || !sameEvent(r, other) {
			continue
		}
		event := other.ID
		known := false
		for _, e := range p.st.Events {
			if e.Report == other.ID {
				event, known = e.Event, true
				break
			}
		}
		if !known {
			p.st.Events = append(p.st.Events, pairing{Report: other.ID, Event: other.ID})
		}
		p.st.Events = append(p.st.Events, pairing{Report: r.ID, Event: event})
		return event
	}
	return ""
}

// fail logs and counts an item that could not be added. When counted, the
// failure is an attempt, and an item that failed MaxAttempts polls is
// given up. A failure because ctx ended is neither logged nor counted.
func (p *Poller) fail(ctx context.Context, it item, err error, counted bool) (outcome, string, error) {
	if ctx.Err() != nil {
		return outFailed, "", err
	}
	gaveUp := false
	if counted {
		p.mu.Lock()
		gaveUp = p.st.feed(it.feed).failed(it.guid, it.linkID)
		p.mu.Unlock()
	}
	if gaveUp {
		p.log.Warn("couldn't add a feed item; giving it up", "feed", it.feed, "item", it.name(), "attempts", MaxAttempts, "err", err)
	} else {
		p.log.Warn("couldn't add a feed item", "feed", it.feed, "item", it.name(), "err", err)
	}
	return outFailed, "", err
}

// build fetches an item's page and makes its document; when the page
// holds no article text, the item's own text stands in for it if it holds
// at least Config.MinItemText characters. It returns the page the
// document was made of.
func (p *Poller) build(ctx context.Context, it item) (corpus.Page, corpus.Document, error) {
	if it.link == "" {
		return corpus.Page{}, corpus.Document{}, errors.New("couldn't add the item: it has no link")
	}
	fp, err := p.cfg.Fetcher.Fetch(ctx, it.link)
	if err != nil {
		return corpus.Page{}, corpus.Document{}, err
	}
	if !fp.IsHTML() && fp.ContentType != "text/plain" {
		return corpus.Page{}, corpus.Document{}, fmt.Errorf("couldn't add %s: it is not a web page (%s)", fp.URL, fp.ContentType)
	}
	page := corpus.Page{URL: fp.URL, ContentType: fp.ContentType, Body: fp.Body, Fetched: fp.Fetched}
	doc, err := corpus.FromPage(page)
	if err == nil {
		return page, doc, nil
	}
	if !errors.Is(err, corpus.ErrNoText) {
		return corpus.Page{}, corpus.Document{}, err
	}
	alt := itemPage(it, fp)
	altDoc, altErr := corpus.FromPage(alt)
	if altErr != nil || utf8.RuneCountInString(altDoc.Text()) < p.cfg.MinItemText {
		n := 0
		if altErr == nil {
			n = utf8.RuneCountInString(altDoc.Text())
		}
		return corpus.Page{}, corpus.Document{}, &noTextError{url: fp.URL, chars: n, need: p.cfg.MinItemText}
	}
	return alt, altDoc, nil
}

// noTextError is an item whose page holds no article text and whose own
// text is too short to stand in for it. It wraps corpus.ErrNoText.
type noTextError struct {
	url         string
	chars, need int
}

func (e *noTextError) Error() string {
	return fmt.Sprintf("couldn't find an article at %s: the page holds no article text, only menus, links or footers, and the item's own text is too short to stand in for it (%d characters, at least %d needed)", e.url, e.chars, e.need)
}

func (e *noTextError) Unwrap() error { return corpus.ErrNoText }

// itemPage is an HTML page made of an item's own title, date, feed title
// and text, under its page's URL.
func itemPage(it item, fp fetch.Page) corpus.Page {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head>")
	fmt.Fprintf(&b, "<title>%s</title>", html.EscapeString(it.title))
	fmt.Fprintf(&b, `<meta property="og:title" content="%s">`, html.EscapeString(it.title))
	if it.feedTitle != "" {
		fmt.Fprintf(&b, `<meta property="og:site_name" content="%s">`, html.EscapeString(it.feedTitle))
	}
	if !it.published.IsZero() {
		fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, it.published.Format(time.RFC3339))
	}
	fmt.Fprintf(&b, `<link rel="canonical" href="%s">`, html.EscapeString(fp.URL))
	fmt.Fprintf(&b, "</head><body><article><h1>%s</h1>\n", html.EscapeString(it.title))
	text := it.text
	if !strings.Contains(text, "<") {
		var paras []string
		for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				paras = append(paras, "<p>"+html.EscapeString(para)+"</p>")
			}
		}
		text = strings.Join(paras, "\n")
	}
	b.WriteString(text)
	b.WriteString("\n</article></body></html>\n")
	return corpus.Page{URL: fp.URL, ContentType: "text/html", Body: b.String(), Fetched: fp.Fetched}
}
